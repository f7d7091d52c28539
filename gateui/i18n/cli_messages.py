"""Texts of the cli layer and of the import/seed services: key -> (Simplified Chinese, English)."""

CLI_MESSAGES: dict[str, tuple[str, str]] = {
    # Program
    "cli.error_line": ("{title}：{message}", "{title}: {message}"),
    "cli.bad_environment": ("环境变量有误：{detail}", "Invalid environment variable: {detail}"),
    "cli.debug_hint": (
        "设置 GATEUI_DEBUG=1 后重试可查看详细信息。",
        "Set GATEUI_DEBUG=1 and try again for details.",
    ),
    "cli.tui.no_users": (
        "{data_dir} 中还没有任何用户。请先用 `gateui user add` 添加用户，"
        "或运行 `gateui seed-demo` 生成演示数据。",
        "There are no users in {data_dir} yet. Add one with `gateui user add`, "
        "or run `gateui seed-demo` for a demo site.",
    ),
    "cli.no_database": (
        "找不到数据库 {path}。请检查 --data-dir 或 GATEUI_HOME。",
        "No gate database at {path}. Check --data-dir or GATEUI_HOME.",
    ),
    # Field names in reports
    "cli.field.name": ("姓名", "name"),
    "cli.field.id_number": ("身份证号", "ID number"),
    "cli.field.phone": ("手机", "phone"),
    "cli.field.kind": ("类别", "kind"),
    "cli.field.unit": ("单位", "unit"),
    "cli.field.card_code": ("卡号", "card code"),
    "cli.field.plate": ("车牌", "plate"),
    "cli.field.driver_id_number": ("司机身份证号", "driver's ID number"),
    "cli.field.purpose": ("事由", "purpose"),
    # Kinds and roles
    "cli.kind.employee": ("职工", "employees"),
    "cli.kind.family": ("家属", "family"),
    "cli.kind.contractor": ("外委", "contractors"),
    "cli.kind.visitor": ("访客", "visitors"),
    "cli.kind.driver": ("司机", "drivers"),
    "cli.role.guard": ("门卫", "guard"),
    "cli.role.leader": ("班长", "leader"),
    "cli.role.admin": ("管理员", "admin"),
    # Import
    "cli.import.bad_kind": (
        "类别无效：{kind}（可用：{kinds}）",
        "Unknown kind: {kind} (use one of: {kinds})",
    ),
    "cli.import.ignored_columns": (
        "提示：已忽略无法识别的列：{columns}",
        "Note: ignored the unknown column(s): {columns}",
    ),
    "cli.import.row": ("整行", "row"),
    "cli.import.row_error": ("第 {line} 行，{field}：{message}", "line {line}, {field}: {message}"),
    "cli.import.row_warning": (
        "提示：{count} 行已导入，但{field}需留意：{message}（第 {lines} 行）",
        "Note: {count} row(s) imported with a remark on the {field}: {message} (lines {lines})",
    ),
    "cli.import.summary_people": (
        "导入人员 {file}：共 {rows} 行，新增 {created} 人，更新 {updated} 人",
        "Imported people from {file}: {rows} row(s), {created} added, {updated} updated",
    ),
    "cli.import.summary_vehicles": (
        "导入车辆 {file}：共 {rows} 行，新增 {created} 辆，更新 {updated} 辆",
        "Imported vehicles from {file}: {rows} row(s), {created} added, {updated} updated",
    ),
    "cli.import.bad_rows": (
        "有 {count} 行有误，未导入（第 {lines} 行）。请改正后重新导入这些行。",
        "{count} row(s) had errors and were not imported (lines {lines}). "
        "Correct them and import those rows again.",
    ),
    # Import: the file as a whole (raised by gateui.services.importing; nothing imported)
    "import.file_error_title": ("无法导入，未导入任何数据", "Cannot import; nothing was imported"),
    "import.cannot_read": (
        "无法读取文件 {path}：{detail}",
        "Cannot read the file {path}: {detail}",
    ),
    "import.old_excel": (
        "{path} 是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV UTF-8 后再导入",
        "{path} is an old Excel (.xls) file; save it as .xlsx or CSV UTF-8 and import that",
    ),
    "import.not_excel": (
        "{path} 不是有效的 .xlsx 文件",
        "{path} is not a valid .xlsx file",
    ),
    "import.not_utf8": (
        "{path} 不是 UTF-8 编码（第 {line} 行）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
        "{path} is not UTF-8 (line {line}). Save it as “CSV UTF-8 (comma delimited)”",
    ),
    "import.not_text": (
        "{path} 不是文本文件，也不是 .xlsx 文件",
        "{path} is neither a text file nor an .xlsx file",
    ),
    "import.bad_csv": (
        "{path} 第 {line} 行 CSV 格式错误：{detail}",
        "{path}, line {line}: malformed CSV: {detail}",
    ),
    "import.empty_file": ("{path} 是空文件", "{path} is empty"),
    "import.duplicate_column": (
        "列“{column}”与“{other}”重复",
        "The columns “{column}” and “{other}” mean the same thing",
    ),
    "import.missing_columns": (
        "缺少必需的列：{columns}（表头为：{found}）",
        "Missing required column(s): {columns} (the header has: {found})",
    ),
    # Import: one row (not imported)
    "import.duplicate_in_file": ("与第 {other} 行重复", "same as line {other}"),
    "import.card_taken": (
        "卡号 {card} 已属于另一人",
        "card {card} already belongs to someone else",
    ),
    "import.driver_unknown": (
        "该司机尚未登记，请先导入人员",
        "this driver is not registered; import the people first",
    ),
    # Export
    "cli.export.bad_date": (
        "日期格式应为 YYYY-MM-DD：{text}",
        "Dates are written YYYY-MM-DD: {text}",
    ),
    "cli.export.cannot_write": ("无法写入 {file}：{detail}", "Cannot write {file}: {detail}"),
    "cli.export.done_entries": (
        "已导出 {count} 条通行记录 → {file}",
        "Exported {count} entries → {file}",
    ),
    "cli.export.done_people": (
        "已导出 {count} 名人员 → {file}",
        "Exported {count} people → {file}",
    ),
    "cli.export.done_vehicles": (
        "已导出 {count} 辆车 → {file}",
        "Exported {count} vehicles → {file}",
    ),
    "cli.export.done_muster": (
        "已导出在场名单（人员 {people}，车辆 {vehicles}）→ {file}",
        "Exported the muster list ({people} people, {vehicles} vehicles) → {file}",
    ),
    "cli.export.muster_formats": (
        "在场名单只能导出为 csv 或 xlsx",
        "The muster list exports as csv or xlsx",
    ),
    "cli.export.xlsx_muster_only": (
        "xlsx 格式仅用于在场名单（muster）；通行记录、人员、车辆请用 csv 或 jsonl",
        "xlsx is for the muster list only; entries, people and vehicles export as csv or jsonl",
    ),
    # Demo site
    "seed.not_empty": (
        "数据库中已有 {count} 名人员。演示数据只能写入空数据库，请换一个 --data-dir。",
        "The database already holds {count} people. Demo data only goes into an empty "
        "database: use another --data-dir.",
    ),
    "cli.seed.wrote_site": ("已写入站点配置 {path}", "Wrote the site file {path}"),
    "cli.seed.working": (
        "正在生成演示数据：{people} 人、{vehicles} 辆车……",
        "Creating the demo site: {people} people, {vehicles} vehicles…",
    ),
    "cli.seed.done": (
        "完成：{people} 名人员、{vehicles} 辆车已写入 {path}",
        "Done: {people} people and {vehicles} vehicles in {path}",
    ),
    "cli.seed.people_by_kind": ("人员：{kinds}", "People: {kinds}"),
    "cli.seed.checkpoints": ("卡口：{checkpoints}", "Checkpoints: {checkpoints}"),
    "cli.seed.flags": (
        "布控名单 {watch} 条，居家隔离/禁止入矿 {statuses} 人",
        "Watch list: {watch} entries; {statuses} people under home isolation or barred",
    ),
    "cli.seed.users_title": (
        "演示用户（用工牌号或姓名登录）：",
        "Demo users (log in with badge or name):",
    ),
    "cli.seed.role": ("角色", "role"),
    "cli.seed.name": ("姓名", "name"),
    "cli.seed.badge": ("工牌号", "badge"),
    "cli.seed.pin": ("密码", "PIN"),
    "cli.seed.try": (
        "试试在卡口输入：zl（张露）、卡号 {card}、身份证后四位 {suffix}、车牌 {plate}",
        "Try at the gate: zl (张露), card {card}, ID suffix {suffix}, plate {plate}",
    ),
    # Users
    "cli.user.pin_prompt": ("密码（4–8 位数字）", "PIN (4-8 digits)"),
    "cli.user.pin_again": ("再输入一次密码", "Repeat the PIN"),
    "cli.leader_pin_prompt": ("班长密码", "Leader PIN"),  # pass revoke, report close, roster
    "cli.user.created": (
        "已添加{role} {name}，工牌号 {badge}",
        "Added {role} {name}, badge {badge}",
    ),
    # sync (terminal side)
    "cli.sync.not_enrolled": (
        "本终端尚未登记到总部：请先运行 gateui enroll 总部地址 登记码",
        "This terminal is not enrolled with HQ: run gateui enroll HQ_URL CODE first",
    ),
    "cli.sync.round": (
        "上传 {pushed} 条，下载 {pulled} 条，待上传 {pending} 条；错误：{error}",
        "pushed {pushed}, pulled {pulled}, pending {pending}; error: {error}",
    ),
    "cli.sync.status_device": ("终端 {device}，总部 {hq}", "Device {device}, HQ {hq}"),
    "cli.sync.status_counts": (
        "本机记录至 {last} 号，总部已确认至 {acked} 号，待上传 {pending} 条",
        "Local log through {last}, HQ acknowledged through {acked}, {pending} pending",
    ),
    "cli.sync.status_error": ("最近错误：{error}", "Last error: {error}"),
    "cli.sync.status_stopped": ("上传已暂停：{reason}", "Pushing stopped: {reason}"),
    "cli.sync.bundle_empty": ("没有待上传的记录，未生成文件", "Nothing pending; no bundle written"),
    "cli.sync.bundle_write_failed": ("无法写入 {path}：{detail}", "Cannot write {path}: {detail}"),
    "cli.sync.bundle_written": (
        "已将 {count} 条记录写入 {path}",
        "Wrote {count} changes to {path}",
    ),
    "cli.sync.enroll_failed": ("登记失败：{detail}", "Enrollment failed: {detail}"),
    "cli.sync.enrolled": (
        "已登记：终端 {device}，站点 {site}",
        "Enrolled: device {device}, site {site}",
    ),
    # headquarters
    "cli.hq.enroll_code": (
        "登记码 {code}（站点 {site}），有效至 {expires}（UTC）",
        "Enrollment code {code} (site {site}), valid until {expires} UTC",
    ),
    "cli.hq.enroll_hint": ("在终端上运行：{text}", "On the terminal, run: {text}"),
    "cli.hq.no_devices": ("尚无终端登记", "No device enrolled yet"),
    "cli.hq.device_line": (
        "{device}  站点 {site}  {name}  已完整至 {through} 号  最近 {seen}  "
        "待传 {pending}  时钟偏差 {skew}  {state}",
        "{device}  site {site}  {name}  complete through {through}  last seen {seen}  "
        "pending {pending}  skew {skew}  {state}",
    ),
    "cli.hq.revoked": ("已吊销", "revoked"),
    "cli.hq.active": ("正常", "active"),
    "cli.hq.last_problem": ("最近问题：{problem}", "last problem: {problem}"),
    "cli.hq.verified": ("所有终端的记录链完整无缺", "Every device's chain is complete and intact"),
    "cli.hq.no_such_device": ("没有终端 {device}", "No device {device}"),
    "cli.hq.revoked_done": ("终端 {device} 已吊销", "Device {device} revoked"),
    "cli.hq.bad_row": ("第 {line} 行 {field}：{reason}", "line {line} {field}: {reason}"),
    "cli.hq.imported": (
        "新增 {created}，更新 {updated}，未变 {unchanged}，错误行 {bad}",
        "created {created}, updated {updated}, unchanged {unchanged}, bad rows {bad}",
    ),
    "cli.hq.reason_required": ("请用 --reason 写明原因", "Give the reason with --reason"),
    "cli.hq.watch_done": (
        "已更新布控名单：{subject}（第 {cursor} 号）",
        "Watch list updated: {subject} (item {cursor})",
    ),
    "cli.hq.cannot_read": ("无法读取 {path}：{detail}", "Cannot read {path}: {detail}"),
    "cli.hq.bundle_refused": (
        "数据包被拒绝（{error}）：{detail}",
        "Bundle refused ({error}): {detail}",
    ),
    "cli.hq.bundle_done": (
        "已导入 {stored} 条；终端 {device} 已完整至 {through} 号",
        "Imported {stored} changes; device {device} complete through {through}",
    ),
    # headquarters: site checklist, pass keys, pass revocations (pulled by the sites)
    "cli.hq.bad_toml": ("{path} 不是有效的 TOML：{detail}", "{path} is not valid TOML: {detail}"),
    "cli.hq.no_checklist": (
        "{path} 中没有检查项（[[checklist]] 或 [[site.checklist]]）",
        "{path} holds no checklist ([[checklist]] or [[site.checklist]])",
    ),
    "cli.hq.checklist_file_or_clear": (
        "请给出检查项文件，或用 --clear 恢复站点配置文件中的检查项（二者选一）",
        "Give a checklist file, or --clear to go back to the site file's checklist "
        "(one of the two)",
    ),
    "cli.hq.unknown_site": (
        "总部没有站点 {site}（先为它生成登记码）",
        "HQ has no site {site} (make an enrollment code for it first)",
    ),
    "cli.hq.checklist_untranslated": (
        "注意：以下检查项名称没有译文，闸机将直接显示其代码：{keys}",
        "Note: these checklist labels have no translation; the gate shows their codes: {keys}",
    ),
    "cli.hq.checklist_done": (
        "站点 {site} 的检查项（{count} 项）已发布（第 {cursor} 号），各闸机下次同步后生效",
        "Checklist of site {site} ({count} items) published (item {cursor}); "
        "each gate uses it after its next sync",
    ),
    "cli.hq.checklist_cleared": (
        "已撤回站点 {site} 的总部检查项（第 {cursor} 号），各闸机恢复使用站点配置文件中的检查项",
        "HQ's checklist of site {site} withdrawn (item {cursor}); "
        "the gates go back to their site file's",
    ),
    "cli.hq.unchanged": (
        "与已发布的内容相同，未重复发布（第 {cursor} 号）",
        "Same as already published; nothing new sent (item {cursor})",
    ),
    "cli.hq.key_was_revoked": (
        "密钥 {key_id} 已被吊销，不能再启用；请生成新密钥",
        "Key {key_id} was revoked and cannot be used again; make a new key",
    ),
    "cli.hq.key_published": (
        "密钥 {key_id} 已发送给所有站点（第 {cursor} 号）",
        "Key {key_id} sent to every site (item {cursor})",
    ),
    "cli.hq.key_known": (
        "总部已有密钥 {key_id}，无变化",
        "HQ already holds key {key_id}; no change",
    ),
    "cli.hq.no_such_key": ("总部没有密钥 {key_id}", "HQ holds no key {key_id}"),
    "cli.hq.key_revoked": (
        "密钥 {key_id} 已吊销（第 {cursor} 号）；各站点下次同步后拒绝它签发的通行证",
        "Key {key_id} revoked (item {cursor}); the sites refuse its passes after their next sync",
    ),
    "cli.hq.key_already_revoked": ("密钥 {key_id} 早已吊销", "Key {key_id} was already revoked"),
    "cli.hq.no_keys": ("总部尚无通行证密钥", "HQ holds no pass key yet"),
    "cli.hq.key_line": (
        "{key_id}  {label}  {state}  公钥 {public_key}",
        "{key_id}  {label}  {state}  public key {public_key}",
    ),
    "cli.hq.site_or_all": (
        "请用 --site 指定站点，或用 --all 表示所有站点（二者选一）",
        "Name the site with --site, or every site with --all (one of the two)",
    ),
    "cli.hq.all_sites": ("所有站点", "every site"),
    "cli.hq.pass_revoked": (
        "通行证已吊销（{scope}，第 {cursor} 号）；闸机下次同步后拒绝它",
        "Pass revoked ({scope}, item {cursor}); the gates refuse it after their next sync",
    ),
    "cli.hq.pass_already_revoked": (
        "该通行证此前已吊销（{scope}）",
        "That pass was already revoked ({scope})",
    ),
    "hq.bad_pass_subject": (
        "请给出扫描到的通行证（GP1 开头）或其 64 位 SHA-256 摘要",
        "Give the pass as scanned (starting GP1) or its 64-digit SHA-256 digest",
    ),
    "hq.reason_required": ("请写明原因", "Give the reason"),
}
