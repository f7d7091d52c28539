"""Texts of the roster screens, the roster exports and `gateui roster`: key -> (zh, en).

Merged into ROSTER_MESSAGES (gateui/i18n/roster_messages.py), so the roster's message
tests cover them. Key-bar descriptions ("key.roster_*") are short: at 80 columns every key
of a screen must fit on the two lines of the key bar.
"""

from __future__ import annotations

ROSTER_UI_MESSAGES: dict[str, tuple[str, str]] = {
    # Key bar
    "key.roster_shift": ("班次交接", "Shift"),
    "key.roster_edit": ("排人/撤人", "Assign"),
    "key.roster_lock": ("锁定", "Lock"),
    "key.roster_copy": ("复制上周", "Copy week"),
    "key.roster_generate": ("自动排班", "Generate"),
    "key.roster_absence": ("请假", "Absence"),
    "key.roster_attendance": ("到岗", "Attendance"),
    "key.roster_publish": ("发布", "Publish"),
    "key.roster_resolve": ("确认冲突", "Resolve"),
    "key.roster_checkpoint": ("换岗位", "Checkpoint"),
    "key.roster_week": ("翻周", "Week"),
    "key.roster_done": ("完成", "Done"),
    "key.roster_toggle": ("排入/撤下", "Add/remove"),
    "key.roster_remove_absence": ("删除所选", "Delete"),
    "key.roster_copy_go": ("复制", "Copy"),
    "key.roster_preview": ("预览", "Preview"),
    "key.roster_apply": ("应用", "Apply"),
    "key.roster_qr": ("二维码", "QR code"),
    "key.roster_save_text": ("存文本", "Save text"),
    "key.roster_save_csv": ("导出CSV", "CSV"),
    "key.roster_save_xlsx": ("导出Excel", "Excel"),
    "key.roster_shift_step": ("换班次", "Shift"),
    "key.roster_all_quiet": ("填“无异常”", "All quiet"),
    "key.roster_handover_save": ("保存交接", "Save"),
    "key.roster_acknowledge": ("确认接班", "Acknowledge"),
    "key.roster_later": ("稍后", "Later"),
    "key.roster_handover": ("交班", "Hand over"),
    "key.roster_take_over": ("接班确认", "Take over"),
    "key.roster_open": ("排班表", "Roster"),
    # The roster grid
    "roster.ui.leader_check": ("排班须班长确认", "The roster needs a shift leader"),
    "roster.ui.title": (
        "值班表 {first} 至 {last} · {checkpoint}（{page}/{pages}）· "
        "缺人 {short} 班 · 违规 {problems}",
        "Roster {first} to {last} · {checkpoint} ({page}/{pages}) · "
        "{short} short · {problems} problems",
    ),
    "roster.ui.legend": (
        "缺n 缺人 · !n 违规 · +n 多排 · 锁 已锁定 · ? 多终端冲突 · 名字! 有问题的人",
        "-n short · !n problems · +n over · L locked · ? conflict · name! at issue",
    ),
    "roster.ui.mark_short": ("缺{count}", "-{count}"),
    "roster.ui.mark_locked": ("锁", "L"),
    "roster.ui.cell_heading": (
        "{checkpoint} · {day} {shift} {start}–{end}",
        "{checkpoint} · {day} {shift} {start}–{end}",
    ),
    "roster.ui.assigned_count": ("已排 {assigned}/{required}", "{assigned} of {required}"),
    "roster.ui.locked": ("已锁定", "locked"),
    "roster.ui.guards": ("值班：{names}", "On duty: {names}"),
    "roster.ui.cell_ok": ("人员已排满，没有违规", "Fully staffed, no rule broken"),
    "roster.ui.conflict": (
        "终端 {devices} 离线时同时修改了此班：{edits}",
        "Terminals {devices} edited this shift offline at the same time: {edits}",
    ),
    "roster.ui.conflict_edit": (
        "{device} {author} {edit} {guard}",
        "{device} {author} {edit} {guard}",
    ),
    "roster.ui.conflict_hint": (
        "现在显示的是合并结果；核对后按 F8 确认，或直接修改此班",
        "The merged result is shown; check it and press F8 to confirm, or edit the shift",
    ),
    "roster.ui.resolved": ("已确认合并结果", "Merged result confirmed"),
    "roster.ui.absent_title": ("此班不可用的人：", "Not available for this shift:"),
    "roster.ui.absence": (
        "{guard} {reason} {first} 至 {last}",
        "{guard} {reason} {first} to {last}",
    ),
    # A cell: assign and remove
    "roster.ui.find_guard": ("查找保安", "Find guard"),
    "roster.ui.find_hint": ("姓名、拼音首字母或工牌", "name, pinyin initials or badge"),
    "roster.ui.edit_assigned": (
        "已排 {assigned}/{required}：{names}",
        "{assigned} of {required}: {names}",
    ),
    "roster.ui.pick_assigned": ("已排，Enter 撤下", "on duty; Enter removes"),
    "roster.ui.pick_unavailable": ("{reason}，不能排", "{reason}; cannot take it"),
    "roster.ui.pick_shifts": ("本周 {count} 班", "{count} this week"),
    "roster.ui.block.unavailable": ("不可用", "unavailable"),
    "roster.ui.block.on_duty": ("同时段已在岗", "on duty then"),
    "roster.ui.block.rest": ("休息不足", "too little rest"),
    "roster.ui.block.max_shifts": ("7天内班次超限", "over the 7-day limit"),
    "roster.ui.block.nights": ("连续夜班超限", "too many nights in a row"),
    "roster.ui.no_guard": ("没有保安与“{query}”相符", "No guard matches “{query}”"),
    "roster.ui.assigned": ("已排入 {guard}", "{guard} assigned"),
    "roster.ui.unassigned": ("已撤下 {guard}", "{guard} removed"),
    # Absences
    "roster.ui.absence_title": ("请假 / 病假 / 隔离登记", "Leave, sickness, quarantine"),
    "roster.ui.absence_guard": ("保安", "Guard"),
    "roster.ui.absence_reason": ("原因", "Reason"),
    "roster.ui.absence_first": ("从（日期）", "From (date)"),
    "roster.ui.absence_last": ("到（日期）", "To (date)"),
    "roster.ui.absence_note": ("备注", "Note"),
    "roster.ui.absence_list": (
        "已登记（本周起八周内；Tab 选中，Del 删除）：",
        "Recorded from this week on (Tab to select, Del to delete):",
    ),
    "roster.ui.absence_none": ("（无）", "(none)"),
    "roster.ui.absence_pick_guard": ("请先选一名保安", "Pick a guard first"),
    "roster.ui.bad_date": (
        "日期“{text}”无效，请写 2026-11-24 或 11-24",
        "Date “{text}” is not valid; write 2026-11-24 or 11-24",
    ),
    "roster.ui.absence_saved": (
        "已登记：{guard} {reason} {first} 至 {last}",
        "Recorded: {guard} {reason} {first} to {last}",
    ),
    "roster.ui.absence_removed": ("已删除：{period}", "Deleted: {period}"),
    # Copy a week, generate a period
    "roster.ui.period": ("{first} 至 {last}", "{first} to {last}"),
    "roster.ui.checkpoint": ("岗位", "Checkpoint"),
    "roster.ui.all_checkpoints": ("全部岗位", "All checkpoints"),
    "roster.ui.copy_title": ("复制上周排班", "Copy last week"),
    "roster.ui.copy_body": (
        "把 {source} 的排班复制到 {target}。\n锁定的班次不变；请假或停用的人不复制，会列出来。",
        "Copy the roster of {source} into {target}.\n"
        "Locked shifts stay as they are; guards on leave or disabled are not copied "
        "and are listed.",
    ),
    "roster.ui.copied": ("已复制，共 {changes} 处修改", "Copied: {changes} change(s)"),
    "roster.ui.not_copied": ("{count} 人次未复制：{guards}", "{count} not copied: {guards}"),
    "roster.ui.gen_first": ("开始日期", "First day"),
    "roster.ui.gen_last": ("结束日期", "Last day"),
    "roster.ui.gen_span": ("时长", "Span"),
    "roster.ui.weeks": ("{count}周", "{count} wk"),
    "roster.ui.col_guard": ("保安", "Guard"),
    "roster.ui.col_shifts": ("班次", "Shifts"),
    "roster.ui.col_nights": ("夜班", "Nights"),
    "roster.ui.col_weekends": ("周末", "Weekend"),
    "roster.ui.col_hours": ("工时", "Hours"),
    "roster.ui.col_available": ("可用", "Avail."),
    "roster.ui.gen_summary": (
        "预览 {period} · {checkpoint} · 已排 {filled}/{needed} 人次 · 未排满 {unfilled} 班",
        "Preview {period} · {checkpoint} · {filled} of {needed} places · {unfilled} short",
    ),
    "roster.ui.gen_fairness": (
        "公平（最多与最少之差）：班次 {shifts} · 夜班 {nights} · 周末 {weekends} · 工时 {hours}",
        "Fairness (most minus least): shifts {shifts} · nights {nights} · "
        "weekend {weekends} · hours {hours}",
    ),
    "roster.ui.gen_all_filled": ("每个班次都能排满", "Every shift can be fully staffed"),
    "roster.ui.gen_unfilled_title": (
        "{count} 个班次排不满：",
        "{count} shift(s) cannot be filled:",
    ),
    "roster.ui.gen_unfilled": (
        "{checkpoint} {day} {shift} 缺 {missing} 人：{why}",
        "{checkpoint} {day} {shift} short by {missing}: {why}",
    ),
    "roster.ui.gen_preview_first": (
        "条件已改，已重新预览；确认无误后再按 F10",
        "The settings changed, so the preview was redone; press F10 again to apply it",
    ),
    "roster.ui.generated": (
        "已生成 {period}：{changes} 处修改，{unfilled} 个班次未排满",
        "Generated {period}: {changes} change(s), {unfilled} shift(s) short",
    ),
    # Publish
    "roster.ui.publish_title": (
        "发布值班表 {first} 至 {last}（可复制；F2 手机扫码）",
        "Publish the roster {first} to {last} (copyable; F2 for a phone)",
    ),
    "roster.ui.saved_file": ("已保存：{path}", "Saved: {path}"),
    "roster.ui.qr_footer": (
        "二维码 第 {page}/{pages} 页 · 手机扫码即得文字 · ←→ 翻页 · Esc 返回",
        "QR page {page}/{pages} · scan with a phone · ←→ pages · Esc back",
    ),
    "roster.ui.qr_no_room": (
        "窗口太小，放不下二维码 · Esc 返回",
        "The window is too small for a QR code · Esc back",
    ),
    # Attendance
    "roster.ui.attendance_title_now": (
        "到岗情况 · 本班 {day} {shift} {start}–{end} · 迟到宽限至 {grace}",
        "Attendance · now {day} {shift} {start}–{end} · grace until {grace}",
    ),
    "roster.ui.attendance_title_other": (
        "到岗情况 · {day} {shift} {start}–{end} · 迟到宽限至 {grace}",
        "Attendance · {day} {shift} {start}–{end} · grace until {grace}",
    ),
    "roster.ui.attendance_head": (
        "{checkpoint} · 排班 {rostered} 人（需 {required}）· 已到 {present} · 缺 {missing}",
        "{checkpoint} · rostered {rostered} (need {required}) · present {present} "
        "· missing {missing}",
    ),
    "roster.ui.attendance_nobody": ("本班没有排人", "Nobody is rostered"),
    "roster.ui.checked_in": ("登录 {at}", "in at {at}"),
    "roster.ui.late_by": ("迟到 {minutes} 分钟", "{minutes} min late"),
    "roster.ui.at_checkpoint": ("在 {checkpoint}", "at {checkpoint}"),
    # The shift screen, next shifts
    "roster.ui.shift_title": ("我的班次 · {name}", "My shifts · {name}"),
    "roster.ui.shift_now": (
        "本班：{checkpoint} {day} {shift} {start}–{end}",
        "Now: {checkpoint} {day} {shift} {start}–{end}",
    ),
    "roster.ui.handover_none": (
        "{shift} 的交接：还没写（F2 交班）",
        "Handover of {shift}: not written (F2)",
    ),
    "roster.ui.handover_waiting": (
        "{shift} 的交接：{at} 已写，等待接班人确认",
        "Handover of {shift}: written {at}, waiting for the incoming guard",
    ),
    "roster.ui.handover_done": (
        "{shift} 的交接：{guard} 已于 {at} 确认",
        "Handover of {shift}: acknowledged by {guard} at {at}",
    ),
    "roster.ui.handover_pending": (
        "{guard} 写了 {shift} 的交接，等您确认（F3）",
        "{guard} handed over {shift}; please read and acknowledge it (F3)",
    ),
    "roster.ui.handover_exists": (
        "这班的交接已由 {guard} 于 {at} 写好",
        "This shift's handover was written by {guard} at {at}",
    ),
    "roster.ui.next_title": ("接下来的班次：", "Next shifts:"),
    "roster.ui.next_none": ("未来四周没有排班", "No shift in the next four weeks"),
    "roster.ui.next_shift": (
        "{day} {shift} {start}–{end} {checkpoint}",
        "{day} {shift} {start}–{end} {checkpoint}",
    ),
    "roster.ui.with": ("同班 {names}", "with {names}"),
    "roster.ui.leader_hint": (
        "排班表、到岗情况：Ctrl+R 班次交接，再按 F5 / F4",
        "Roster and attendance: Ctrl+R (Shift), then F5 / F4",
    ),
    "roster.ui.your_next": ("您的下一班：{shift}", "Your next shift: {shift}"),
    # Handover
    "roster.ui.handover_title": (
        "交班 · {checkpoint} {day} {shift} {start}–{end}",
        "Handover · {checkpoint} {day} {shift} {start}–{end}",
    ),
    "roster.ui.summary_title": ("本班情况（截至 {at}）", "This shift so far ({at})"),
    "roster.ui.summary_moves": (
        "进：人员 {people_in} · 车辆 {vehicles_in}　出：人员 {people_out} · 车辆 {vehicles_out}",
        "In: {people_in} people · {vehicles_in} vehicles   "
        "Out: {people_out} people · {vehicles_out} vehicles",
    ),
    "roster.ui.summary_refusals": (
        "禁止 {denied} · 转班长 {referred}",
        "Denied {denied} · referred {referred}",
    ),
    "roster.ui.summary_reasons": ("原因：{reasons}", "Reasons: {reasons}"),
    "roster.ui.reason_count": ("{reason} ×{count}", "{reason} ×{count}"),
    "roster.ui.summary_checks": (
        "黑名单命中 {watch} · 班长授权 {overrides} · 更正 {corrections}（作废 {voided}）",
        "Watch-list hits {watch} · overrides {overrides} · corrections {corrections} "
        "({voided} voided)",
    ),
    "roster.ui.handover_note": ("交接内容", "Handover note"),
    "roster.ui.handover_hint": (
        "Enter 换行 · 没有中文输入法时按 F2 填“无异常”，其他内容可用拼音或英文",
        "Enter starts a new line · F2 writes “All quiet”",
    ),
    "roster.ui.handover_then_lock": (
        "本班快结束了：请先写交接，保存后锁屏；按 Esc 不写交接直接锁屏",
        "Your shift is ending: write the handover; the gate locks after saving (Esc: lock now)",
    ),
    "roster.ui.all_quiet": ("无异常", "All quiet."),
    "roster.ui.handover_saved": (
        "交接已保存（{at}），接班人登录后确认",
        "Handover saved ({at}); the incoming guard acknowledges it after logging in",
    ),
    "roster.ui.ack_title": (
        "待确认的交接 · {checkpoint} {day} {shift} {start}–{end}",
        "Handover to acknowledge · {checkpoint} {day} {shift} {start}–{end}",
    ),
    "roster.ui.handover_by": ("交班人 {guard} · 写于 {at}", "Handed over by {guard} at {at}"),
    "roster.ui.handover_acked": ("{guard} 已于 {at} 确认", "Acknowledged by {guard} at {at}"),
    "roster.ui.ack_hint": (
        "读完后按 Enter 确认接班（记录时间）；Esc 稍后在 Ctrl+R 班次交接 中确认",
        "Press Enter to acknowledge (the time is recorded); Esc to do it later (Ctrl+R Shift)",
    ),
    "roster.ui.acknowledged": ("已确认接班（{at}）", "Handover acknowledged ({at})"),
    # Exports
    "roster.export.bad_format": (
        "导出格式“{format}”无效（可用：{formats}）",
        "Unknown export format “{format}” (use one of: {formats})",
    ),
    "roster.export.col.date": ("日期", "date"),
    "roster.export.col.weekday": ("星期", "weekday"),
    "roster.export.col.shift": ("班次", "shift"),
    "roster.export.col.start": ("开始", "start"),
    "roster.export.col.end": ("结束", "end"),
    "roster.export.col.checkpoint": ("岗位代码", "checkpoint"),
    "roster.export.col.checkpoint_name": ("岗位", "checkpoint name"),
    "roster.export.col.guards": ("值班人员", "guards"),
    "roster.export.col.required": ("需要", "required"),
    "roster.export.col.assigned": ("已排", "assigned"),
    "roster.export.col.short": ("缺", "short"),
    "roster.export.col.locked": ("锁定", "locked"),
    "roster.export.col.problems": ("问题", "problems"),
    "roster.export.yes": ("是", "yes"),
    "roster.export.sheet_grid": ("值班表", "Roster"),
    "roster.export.sheet_list": ("明细", "Cells"),
    "roster.qr.no_room": (
        "放不下二维码（只有 {side} 格）：请放大终端窗口",
        "No room for a QR code ({side} modules): make the terminal larger",
    ),
    # gateui roster
    "cli.roster.bad_date": (
        "日期“{text}”无效，请写 YYYY-MM-DD，如 2026-11-23",
        "Date “{text}” is not valid; write YYYY-MM-DD, e.g. 2026-11-23",
    ),
    "cli.roster.xlsx_needs_output": (
        "XLSX 格式须用 --output 指定文件",
        "The xlsx format needs a file: give --output",
    ),
    "cli.roster.need_leader": (
        "--apply 须用 --leader 给出班长工牌",
        "--apply needs the shift leader's badge: give --leader",
    ),
    "cli.seed.rota_guards": (
        "  另有 {count} 名保安供排班演示：工牌 {first}–{last}，密码均为 {pin}",
        "  And {count} more guards for the roster: badges {first}–{last}, PIN {pin} each",
    ),
    "cli.roster.exported": (
        "已导出 {count} 个班次到 {file}",
        "Exported {count} shift(s) to {file}",
    ),
    "cli.roster.period": ("排班 {first} 至 {last}：", "Roster {first} to {last}:"),
    "cli.roster.preview_only": (
        "这只是预览，未保存。确认后加 --apply --leader 工牌 写入（锁定的班次不变）。",
        "This is a preview; nothing was saved. Add --apply --leader BADGE to write it "
        "(locked shifts are kept).",
    ),
    "cli.roster.applied": (
        "已写入排班，共 {changes} 处修改（班长 {leader}）",
        "Roster written: {changes} change(s) (leader {leader})",
    ),
}
