"""Texts of the roster work: key -> (Simplified Chinese, English).

Shift labels in params ("11-23 00:00–08:00") and dates ("11-23") are language-neutral;
guard names are names. Keys with a reason suffix (leave, sick, quarantine, training,
other) exist for each reason, so the reason reads naturally in both languages.
"""

from __future__ import annotations

from gateui.i18n.roster_ui_messages import ROSTER_UI_MESSAGES

# reason -> (Chinese label, English label, Chinese phrase, English phrase)
_REASONS = {
    "leave": ("休假", "Leave", "休假", "on leave"),
    "sick": ("病假", "Sick", "病假", "off sick"),
    "quarantine": ("隔离", "Quarantine", "隔离", "in quarantine"),
    "training": ("培训", "Training", "培训", "in training"),
    "other": ("其他", "Other", "有事", "unavailable"),
}


def _per_reason() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for reason, (label_zh, label_en, zh, en) in _REASONS.items():
        out[f"roster.reason.{reason}"] = (label_zh, label_en)
        out[f"roster.unavailable.{reason}"] = (
            f"{{guard}} {{first}} 至 {{last}} {zh}，不能排入 {{shift}}",
            f"{{guard}} is {en} from {{first}} to {{last}} and cannot take {{shift}}",
        )
        out[f"roster.rule.unavailable.{reason}"] = (
            f"{{guard}} 在 {{shift}} {zh}，却被排了班",
            f"{{guard}} is {en} during {{shift}} but is rostered",
        )
        out[f"roster.copy.unavailable.{reason}"] = (f"{zh}，未复制", f"{en}; not copied")
    return out


ROSTER_MESSAGES: dict[str, tuple[str, str]] = {
    # The shift pattern in the site file
    "roster_config.bad_time": (
        "时间“{value}”无效，应为 时:分，如 08:00",
        "Time “{value}” is not valid; use HH:MM, e.g. 08:00",
    ),
    "roster_config.no_shifts": ("排班设置里没有班次", "The roster settings define no shifts"),
    "roster_config.duplicate_shift": ("班次代码 {shift} 重复", "Shift code {shift} is used twice"),
    "roster_config.empty_shift": (
        "班次 {shift} 的开始和结束时间相同",
        "Shift {shift} starts and ends at the same time",
    ),
    "roster_config.shifts_overlap": (
        "班次 {first} 与 {second} 时间重叠：每个时刻只能属于一个班次",
        "Shifts {first} and {second} overlap: each hour must belong to exactly one shift",
    ),
    "roster_config.shifts_gap": (
        "班次 {first} 与 {second} 之间 {start}–{end} 无人值守：班次必须连续覆盖24小时",
        "Nobody is on duty {start}–{end} between shifts {first} and {second}: "
        "shifts must cover all 24 hours",
    ),
    "roster_config.bad_weekday": (
        "周末日期 {days} 无效（周一为 0，周日为 6）",
        "Weekend days {days} are not valid (Monday is 0, Sunday 6)",
    ),
    "roster_config.invalid": (
        "排班设置 {field} 有误：{detail}",
        "Roster setting {field}: {detail}",
    ),
    "hlc.bad_text": ("时间戳“{text}”格式无效", "Timestamp “{text}” is malformed"),
    # Refused roster edits
    "roster.unknown_shift": ("没有班次 {shift}", "There is no shift {shift}"),
    "roster.no_shift_at": ("{at} 不属于任何班次", "No shift covers {at}"),
    "roster.unknown_checkpoint": ("没有岗位 {checkpoint}", "There is no checkpoint {checkpoint}"),
    "roster.unknown_guard": (
        "找不到保安 {guard}，未保存",
        "Guard {guard} is unknown; nothing saved",
    ),
    "roster.guard_inactive": ("{guard} 的账号已停用，不能排班", "{guard}'s account is disabled"),
    "roster.already_assigned": (
        "{guard} 已排在 {checkpoint} {shift}",
        "{guard} is already on {checkpoint} {shift}",
    ),
    "roster.not_assigned": (
        "{guard} 没有排在 {checkpoint} {shift}",
        "{guard} is not on {checkpoint} {shift}",
    ),
    "roster.nothing_to_resolve": (
        "{checkpoint} {shift} 没有需要确认的冲突",
        "{checkpoint} {shift} has no conflicting edits to confirm",
    ),
    "roster.unknown_unavailability": (
        "找不到这条请假/不可用记录（{id}）",
        "This absence record ({id}) does not exist",
    ),
    "roster.bad_reason": ("不可用原因“{reason}”无效", "Unknown absence reason “{reason}”"),
    "roster.bad_period": (
        "日期范围 {first} 至 {last} 无效（结束不能早于开始，最长一年）",
        "The period {first} to {last} is not valid (end before start, or longer than a year)",
    ),
    "roster.no_guards": (
        "没有可排班的保安：请先添加保安账号",
        "There are no guards to roster: add guard accounts first",
    ),
    "roster.bad_event": (
        "收到的排班记录无效：{detail}",
        "A received roster event is invalid: {detail}",
    ),
    "roster.wrong_site": (
        "收到其他场地（{site}）的排班记录，已拒收",
        "Roster events of another site ({site}) were refused",
    ),
    "roster.copy_same_week": (
        "源周和目标周相同（{first}）",
        "The source and target weeks are the same ({first})",
    ),
    "roster.copy.inactive": ("账号已停用，未复制", "account disabled; not copied"),
    # Rule violations shown in the grid
    "roster.rule.short": (
        "{checkpoint} {shift} 缺人：已排 {assigned} 人，需要 {required} 人",
        "{checkpoint} {shift} is short: {assigned} of {required} guards",
    ),
    "roster.rule.over_staffed": (
        "{checkpoint} {shift} 多排了人：{assigned} 人，只需 {required} 人",
        "{checkpoint} {shift} has {assigned} guards where {required} are needed",
    ),
    "roster.rule.double_booked": (
        "{guard} 在 {shift} 同时排在 {first} 和 {second}",
        "{guard} is on {first} and {second} at the same time ({shift})",
    ),
    "roster.rule.rest_too_short": (
        "{guard} 在 {first} 与 {second} 之间只休息 {hours} 小时（至少 {min_hours} 小时）",
        "{guard} rests only {hours} h between {first} and {second} (at least {min_hours} h)",
    ),
    "roster.rule.too_many_shifts": (
        "{guard} 在 {first_day} 至 {last_day} 的7天内排了 {count} 个班（最多 {max} 个）",
        "{guard} has {count} shifts in 7 days, {first_day} to {last_day} (at most {max})",
    ),
    "roster.rule.too_many_nights": (
        "{guard} 从 {first_day} 到 {last_day} 连续上 {count} 个夜班（最多连续 {max} 个）",
        "{guard} works {count} nights in a row, {first_day} to {last_day} (at most {max})",
    ),
    "roster.rule.unknown_guard": (
        "{shift} 排了未知人员 {guard}",
        "{shift} has an unknown person rostered ({guard})",
    ),
    "roster.rule.guard_inactive": (
        "{guard} 的账号已停用，却排在 {shift}",
        "{guard}'s account is disabled but is rostered on {shift}",
    ),
    "roster.rule.concurrent_edit": (
        "{checkpoint} {shift} 被不同终端（{devices}）同时修改，"
        "{overridden} 项修改被覆盖，请班长确认",
        "{checkpoint} {shift} was edited on different terminals ({devices}); "
        "{overridden} edit(s) were overridden - please check and confirm",
    ),
    # Why the generator could not fill a cell
    "roster.blocked.unavailable": ("{count} 人请假或不可用", "{count} on leave or unavailable"),
    "roster.blocked.on_duty": ("{count} 人同一时间已在岗", "{count} already on duty then"),
    "roster.blocked.rest": ("{count} 人休息不足", "{count} would get too little rest"),
    "roster.blocked.max_shifts": ("{count} 人7天内班次已满", "{count} at the 7-day shift limit"),
    "roster.blocked.nights": ("{count} 人连续夜班已满", "{count} at the nights-in-a-row limit"),
    # Labels
    "roster.shift.night": ("夜班", "Night"),
    "roster.shift.day": ("白班", "Day"),
    "roster.shift.evening": ("中班", "Evening"),
    "roster.weekday.0": ("周一", "Mon"),
    "roster.weekday.1": ("周二", "Tue"),
    "roster.weekday.2": ("周三", "Wed"),
    "roster.weekday.3": ("周四", "Thu"),
    "roster.weekday.4": ("周五", "Fri"),
    "roster.weekday.5": ("周六", "Sat"),
    "roster.weekday.6": ("周日", "Sun"),
    "roster.attendance.present": ("已到岗", "present"),
    "roster.attendance.late": ("迟到", "late"),
    "roster.attendance.no_show": ("未到岗", "no-show"),
    "roster.attendance.expected": ("待到岗", "expected"),
    "roster.attendance.elsewhere": ("在其他岗位登录", "logged in elsewhere"),
    "roster.attendance.unrostered": ("未排班到岗", "working unrostered"),
    "roster.edit.assign": ("排入", "assigned"),
    "roster.edit.unassign": ("撤下", "removed"),
    "roster.edit.lock": ("锁定", "locked"),
    "roster.edit.unlock": ("解锁", "unlocked"),
    "roster.edit.resolve": ("确认", "confirmed"),
    # Handover
    "handover.note_required": (
        "请写交接内容（如“无异常”）",
        "Write a handover note (e.g. “all quiet”)",
    ),
    "handover.already_written": (
        "{checkpoint} {shift} 的交接已写过",
        "The handover of {checkpoint} {shift} is already written",
    ),
    "handover.not_found": ("找不到交接记录 {id}", "Handover {id} does not exist"),
    "handover.already_acknowledged": (
        "此交接已由 {guard} 确认",
        "This handover was already acknowledged by {guard}",
    ),
    "handover.same_guard": ("交班人不能自己确认接班", "The outgoing guard cannot acknowledge"),
    # Publishing to the work group
    "roster.publish.title": (
        "【{site}值班表】{first} 至 {last}",
        "[{site} duty roster] {first} to {last}",
    ),
    "roster.publish.day": ("{date} {weekday}", "{weekday} {date}"),
    "roster.publish.shift": ("{shift} {start}–{end}　{cells}", "{shift} {start}–{end}  {cells}"),
    "roster.publish.checkpoint": ("{checkpoint}：{guards}", "{checkpoint}: {guards}"),
    "roster.publish.cell_separator": ("；", "; "),
    "roster.publish.name_separator": ("、", ", "),
    "roster.publish.nobody": ("无人", "nobody"),
    "roster.publish.short": ("（缺{count}人）", " (short by {count})"),
    "roster.publish.all_covered": ("所有班次人员已排满。", "Every shift is fully staffed."),
    "roster.publish.short_total": ("共 {count} 个班次缺人。", "{count} shift(s) are short."),
    "roster.publish.problems": ("需注意（{count}）：", "To check ({count}):"),
    "roster.publish.bullet": ("· {text}", "- {text}"),
    "roster.publish.more": ("……另有 {count} 条", "... and {count} more"),
    **_per_reason(),
}

# The roster screens, exports and `gateui roster` (gateui/i18n/roster_ui_messages.py).
ROSTER_MESSAGES.update(ROSTER_UI_MESSAGES)
