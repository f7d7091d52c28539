"""Texts of the pass work: key -> (Simplified Chinese, English).

Passes, exit permits, daily reports, exports and the privacy purge. Times in params are
already formatted in the site's zone by the service that raises or returns the code.
"""

PASS_MESSAGES: dict[str, tuple[str, str]] = {
    # Scanning a pass at the gate
    "pass.malformed": (
        "这不是有效的通行证码（可能只扫到一部分），请重新扫描。",
        "This is not a valid pass code (perhaps only part of it was read); scan again.",
    ),
    "pass.unknown_key": (
        "通行证的签发密钥 {key_id} 本站不认识，不能放行。请等待同步或联系总部。",
        "The pass was signed with key {key_id}, which this site does not hold. "
        "Wait for a sync or call HQ.",
    ),
    "pass.bad_signature": (
        "通行证签名不符：此证可能被伪造或篡改，不能放行。",
        "The pass signature does not match: it may be forged or altered. Do not admit.",
    ),
    "pass.key_revoked": (
        "通行证的签发密钥 {key_id} 已作废，此证不再有效。",
        "Key {key_id} that signed this pass has been revoked; the pass is no longer valid.",
    ),
    "pass.expired": ("通行证已于 {valid_until} 过期。", "The pass expired at {valid_until}."),
    "pass.not_yet_valid": (
        "通行证自 {valid_from} 起才生效。",
        "The pass is not valid before {valid_from}.",
    ),
    "pass.unknown_subject": (
        "通行证所指的人员或车辆不在本站名册中。",
        "The person or vehicle on this pass is not in this site's registry.",
    ),
    "pass.revoked_status": (
        "持证人当前状态为「{status}」，通行证暂停使用。",
        "The holder's status is \u201c{status}\u201d; the pass is suspended.",
    ),
    "pass.revoked_watch": (
        "持证人在关注名单上：{reason}。通行证暂停使用。",
        "The holder is on the watch list: {reason}. The pass is suspended.",
    ),
    # Keys and issuing
    "pass.bad_public_key": (
        "公钥格式不对（应为 base64 编码的 32 字节）。",
        "Not a public key (expected 32 bytes in base64).",
    ),
    "pass.bad_private_key": (
        "私钥格式不对（应为 base64 编码的 32 字节）。",
        "Not a private key (expected 32 bytes in base64).",
    ),
    "pass.key_mismatch": ("私钥与公钥不配对。", "The private key does not match the public key."),
    "pass.bad_key_origin": (
        "密钥来源只能是 hq 或 site，而不是「{origin}」。",
        "A key's origin is hq or site, not \u201c{origin}\u201d.",
    ),
    "pass.key_not_found": ("没有编号为 {key_id} 的密钥。", "There is no key {key_id}."),
    "pass.no_signing_key": (
        "本站没有可用的签发密钥。请先生成本站密钥。",
        "This site holds no usable issuing key. Create a site key first.",
    ),
    "pass.choose_key": (
        "本站有多把签发密钥，请指定用哪一把。",
        "This site holds several issuing keys; say which one to use.",
    ),
    "pass.bad_window": (
        "通行证的有效期必须至少一分钟，且结束晚于开始。",
        "A pass must end at least a minute after it starts.",
    ),
    "pass.sheet_from": ("自 {at}", "From {at}"),
    "pass.sheet_until": ("至 {at}", "Until {at}"),
    # Exit permits
    "permit.none": (
        "需要离场许可，但此人没有许可。",
        "An exit permit is needed and there is none.",
    ),
    "permit.unsigned": (
        "离场许可尚无人签字。",
        "The exit permit has not been signed yet.",
    ),
    "permit.one_signature": (
        "离场许可只有一个签字，还需厂区办公室签字。",
        "The exit permit has one signature only; the site office must sign too.",
    ),
    "permit.expired": ("离场许可已过期。", "The exit permit has expired."),
    "permit.not_yet_valid": ("离场许可尚未生效。", "The exit permit is not valid yet."),
    "permit.bad_window": (
        "许可的结束时间必须晚于开始时间。",
        "A permit must end after it starts.",
    ),
    "permit.window_too_long": (
        "许可期限不能超过 {days} 天。",
        "A permit cannot cover more than {days} days.",
    ),
    "permit.reason_required": ("请写明离场事由。", "Please give the reason for leaving."),
    "permit.already_complete": ("此许可已有两个签字。", "This permit already has both signatures."),
    "permit.none_selected": (
        "列表中没有许可：先按 F2 新建，或用 ↑↓ 选中一张。",
        "No permit selected: create one with F2, or pick one with the arrow keys.",
    ),
    "permit.wrong_step": (
        "签字顺序不对：现在应由「{expected}」签字。",
        "Wrong order: the next signature is for \u201c{expected}\u201d.",
    ),
    "permit.same_signer": (
        "同一人不能签两次：第二个签字必须由另一人完成。",
        "The same person cannot sign twice; the second signature must be someone else's.",
    ),
    "permit.not_office": (
        "只有班长或管理员可以代表厂区办公室签字。",
        "Only a shift leader or admin may sign for the site office.",
    ),
    "permit.unknown_signer": ("签字人不是本机的有效用户。", "The signer is not an active user."),
    "permit.not_found": ("没有编号为 {id} 的许可。", "There is no permit {id}."),
    "permit.step_unit": ("所在单位负责人", "unit's responsible person"),
    "permit.step_office": ("厂区办公室", "site office"),
    # Daily reports
    "report.day_not_over": (
        "{day} 在本站时区还没有结束，不能结账。",
        "{day} has not ended yet in the site's time zone; it cannot be closed.",
    ),
    "report.already_closed": (
        "{day} 的日报已经签发，不能重复结账。",
        "The daily report for {day} is already closed.",
    ),
    "report.zero": ("零报告：当日无异常。", "Zero report: nothing abnormal that day."),
    # Exports
    "export.error_title": ("无法导出", "Cannot export"),
    "export.cannot_write": (
        "无法写入 {path}：{detail}。原有文件未受影响。",
        "Cannot write {path}: {detail}. Any earlier file is untouched.",
    ),
    "export.bad_format": (
        "不支持的导出格式「{format}」（可用 csv、xlsx）。",
        "Unsupported export format \u201c{format}\u201d (use csv or xlsx).",
    ),
    # Privacy
    "privacy.bad_days": (
        "保留天数必须至少为 1，而不是 {days}。",
        "Days to keep must be at least 1, not {days}.",
    ),
    # Daily report, as text (CLI, TUI): gateui.services.report_text
    "report.title": ("{site} {day} 日报", "Daily report {site} {day}"),
    "report.status_draft": (
        "草稿：当日实时统计，尚未结账",
        "Draft: counted live, not closed yet",
    ),
    "report.status_closed": (
        "已结账：{name} 于 {at} 签发",
        "Closed: signed off by {name} at {at}",
    ),
    "report.abnormal": ("当日有异常，见下列各项。", "Abnormal day: see the counts below."),
    "report.section.report": ("日报", "Report"),
    "report.section.checkpoint": ("卡口 {code}", "Checkpoint {code}"),
    "report.section.totals": ("合计", "Totals"),
    "report.section.reasons": ("拒绝与转交原因", "Reasons for refusals"),
    "report.section.roster": ("排班", "Roster"),
    "report.item.status": ("状态", "Status"),
    "report.item.kind": ("类型", "Kind"),
    "report.item.people_in": ("人员进", "People in"),
    "report.item.people_out": ("人员出", "People out"),
    "report.item.vehicles_in": ("车辆进", "Vehicles in"),
    "report.item.vehicles_out": ("车辆出", "Vehicles out"),
    "report.item.passages": ("通行合计", "Passages"),
    "report.item.denied": ("拒绝", "Denied"),
    "report.item.referred": ("转交班长", "Referred"),
    "report.item.watch_hits": ("布控命中", "Watch-list hits"),
    "report.item.overrides": ("班长授权放行", "Leader overrides"),
    "report.item.amended": ("更正", "Amended"),
    "report.item.voided": ("作废", "Voided"),
    "report.item.on_site_people": ("当日结束时在场人员", "People on site at the close"),
    "report.item.on_site_vehicles": ("当日结束时在场车辆", "Vehicles on site at the close"),
    "report.no_show": ("缺勤", "No-show"),
    "report.no_show_value": (
        "{name}（{shift} 班，{checkpoint}）",
        "{name} ({shift}, {checkpoint})",
    ),
    "report.gap": ("缺员", "Short-staffed"),
    "report.gap_value": (
        "{shift} 班 {checkpoint}：{rostered}/{required} 人",
        "{shift} at {checkpoint}: {rostered}/{required}",
    ),
    "report.no_roster": ("当日无排班", "Nobody was rostered"),
    "report.none": ("无", "none"),
    "report.kind.zero": ("零报告", "zero report"),
    "report.kind.report": ("有异常", "abnormal"),
    # Reasons stored on entries by the permit check ("permit:<code>")
    "reason.permit": ("离场许可：{reason}", "Exit permit: {reason}"),
    # The gate and the desk (TUI)
    "key.desk": ("许可/日报", "Permits/Report"),
    "key.permit_new": ("新建", "New"),
    "key.permit_sign": ("签字", "Sign"),
    "key.prev_day": ("前一天", "Prev day"),
    "key.next_day": ("后一天", "Next day"),
    "key.close_day": ("结账", "Close day"),
    "key.open": ("打开", "Open"),
    "desk.title": ("离场许可与日报", "Exit permits and reports"),
    "desk.permits": ("1  离场许可（签字、撤销）", "1  Exit permits: sign, cancel"),
    "desk.report": ("2  今日日报 / 结账", "2  Today's report / close a day"),
    "desk.permit_for": ("3  为 {name} 办理离场许可", "3  Exit permit for {name}"),
    "desk.hint": ("数字键或 ↑↓ 回车选择；Esc 返回。", "Digit or ↑↓ Enter to choose; Esc: back."),
    "permit.list_title": ("待签字的离场许可", "Exit permits awaiting signatures"),
    "permit.col.person": ("人员", "Person"),
    "permit.col.window": ("有效期", "Valid"),
    "permit.col.reason": ("事由", "Reason"),
    "permit.col.signatures": ("已签字", "Signed by"),
    "permit.col.next": ("待签", "Next"),
    "permit.none_open": (
        "没有待签字的离场许可。F2 新建。",
        "No exit permit is waiting for a signature. F2: new.",
    ),
    "permit.open_count": ("待签字 {count} 份", "{count} awaiting signatures"),
    "permit.form_title": ("新建离场许可", "New exit permit"),
    "permit.field.person": ("人员", "Person"),
    "permit.field.from": ("开始", "From"),
    "permit.field.until": ("结束", "Until"),
    "permit.field.reason": ("事由", "Reason"),
    "permit.person_hint": (
        "身份证/卡号/姓名/拼音首字母，回车查找",
        "ID no./card/name/initials, Enter to find",
    ),
    "permit.person_chosen": ("已选：{name}  {detail}", "Chosen: {name}  {detail}"),
    "permit.person_not_found": ("找不到此人", "Nobody found"),
    "permit.person_required": ("请先查找并选定人员", "Find and choose the person first"),
    "permit.bad_time": ("时间格式：YYYY-MM-DD HH:MM", "Times are YYYY-MM-DD HH:MM"),
    "permit.form_hint": (
        "回车到下一项，F10 保存；Esc 取消。保存后须两人先后签字。",
        "Enter: next field, F10 saves; Esc cancels. Two people must then sign, in order.",
    ),
    "permit.created": (
        "已为 {name} 建立离场许可，请依次签字。",
        "Exit permit for {name} created; it now needs two signatures.",
    ),
    "permit.sign_title": ("离场许可签字：{step}", "Sign the exit permit: {step}"),
    "permit.sign_who": ("签字人工牌", "Signer's badge"),
    "permit.sign_pin": ("签字人密码", "Signer's PIN"),
    "permit.summary": (
        "{name}  {start} 至 {end}\n事由：{reason}  申请：{creator}",
        "{name}  {start} to {end}\nReason: {reason}  Asked by: {creator}",
    ),
    "permit.signed_list": ("签字：{names}", "Signed: {names}"),
    "permit.no_signatures": ("尚无签字", "No signature yet"),
    "permit.signature": ("{name}（{step}，{at}）", "{name} ({step}, {at})"),
    "permit.signed": ("{signer} 已签字：{step}。", "{signer} signed for the {step}."),
    "permit.complete": (
        "{name} 的离场许可已有两个签字，可在有效期内离场。",
        "{name}'s exit permit has both signatures; they may leave within its window.",
    ),
    "permit.exit_refused": ("不能离场：{reason}", "May not leave: {reason}"),
    "permit.exit_allowed": ("离场许可有效，至 {until}", "Exit permit valid until {until}"),
    "report.close_leader_title": ("结账须班长签发", "Closing a day needs a shift leader"),
    "report.screen_day": ("{day}  {status}", "{day}  {status}"),
    "report.closed_ok": (
        "{day} 已结账（{kind}），将随同步上报总部。",
        "{day} closed ({kind}); sync carries it to HQ.",
    ),
    "report.exported": ("已导出：{path}", "Exported: {path}"),
    # CLI: passes, reports, privacy
    "cli.pass.not_found": (
        "找不到人员「{ref}」（可用身份证号、卡号或登记编号）。",
        "No person \u201c{ref}\u201d (use an ID number, a card code or a registry id).",
    ),
    "cli.pass.nobody": (
        "没有指定任何人员：请给出人员，或用 --all-staff。",
        "Nobody given: name people, or use --all-staff.",
    ),
    "cli.pass.no_staff": ("本站没有状态正常的职工。", "This site has no staff in normal status."),
    "cli.pass.issued": (
        "已签发 {count} 张通行证（密钥 {key_id}），有效期 {valid_from} 至 {valid_until}",
        "Issued {count} pass(es) with key {key_id}, valid {valid_from} to {valid_until}",
    ),
    "cli.pass.issued_line": (
        "  {name}  {unit}  {masked}  → {file}",
        "  {name}  {unit}  {masked}  → {file}",
    ),
    "cli.pass.sheet": (
        "打印页（PDF，每页 8 张）：{file}",
        "Printable sheet (PDF, 8 a page): {file}",
    ),
    "cli.pass.token": ("通行码：{token}", "Pass code: {token}"),
    "cli.pass.cannot_create_dir": (
        "无法创建目录 {path}：{detail}",
        "Cannot create the folder {path}: {detail}",
    ),
    "cli.pass.no_keys": (
        "本站没有通行证密钥。用 --create-site-key 生成本站签发密钥。",
        "This site holds no pass key. Create its issuing key with --create-site-key.",
    ),
    "cli.pass.key_line": (
        "  {key_id}  {origin}  {use}  {state}  {created}  {label}",
        "  {key_id}  {origin}  {use}  {state}  {created}  {label}",
    ),
    "cli.pass.key_can_issue": ("可签发", "issues"),
    "cli.pass.key_verify_only": ("仅核验", "verifies"),
    "cli.pass.key_revoked": ("已作废", "revoked"),
    "cli.pass.key_valid": ("有效", "valid"),
    "cli.pass.key_created": (
        "已生成本站签发密钥 {key_id}。",
        "Created this site's issuing key {key_id}.",
    ),
    "cli.pass.key_added": ("已加入总部公钥 {key_id}。", "Added HQ's public key {key_id}."),
    "cli.report.bad_date": (
        "日期格式应为 YYYY-MM-DD：{text}",
        "Dates are written YYYY-MM-DD: {text}",
    ),
    "cli.report.wrote": ("已写入 {file}", "Wrote {file}"),
    "cli.report.closed": (
        "{day} 已结账，由 {leader} 签发（{kind}）。同步后总部可见。",
        "{day} closed, signed off by {leader} ({kind}). HQ sees it after the next sync.",
    ),
    "cli.report.muster_title": (
        "在场 {people} 人，车辆 {vehicles} 辆：",
        "On site: {people} people, {vehicles} vehicles:",
    ),
    "cli.privacy.done": (
        "已清除 {count} 条通行记录中的个人信息（健康问答、完整身份证号）："
        "早于 {days} 天且总部已确认。",
        "Purged personal data (health answers, full ID numbers) from {count} entries older than "
        "{days} days that HQ has acknowledged.",
    ),
    "cli.privacy.nothing": (
        "没有需要清除的记录（早于 {days} 天且总部已确认的记录均已清除）。",
        "Nothing to purge (entries older than {days} days that HQ acknowledged are clean).",
    ),
    "cli.privacy.changes": ("记录在变更日志：{ids}", "Logged as change(s): {ids}"),
    # HQ: `gateui hq reports` and the report page
    "hq.status.report": ("有异常报告", "report"),
    "hq.status.zero": ("零报告", "zero report"),
    "hq.status.missing": ("缺报", "MISSING"),
    "hq.status.inactive": ("无在用终端", "no active device"),
    "cli.hq.reports_title": ("{day} 各站日报：", "Daily reports for {day}:"),
    "cli.hq.no_sites": ("总部还没有任何站点。", "HQ knows no site yet."),
    "cli.hq.report_site": ("{site}  {name}  {status}", "{site}  {name}  {status}"),
    "cli.hq.report_line": (
        "    终端 {device}：{kind}，通行 {passages}，拒绝 {denied}，转交 {referred}，"
        "布控命中 {hits}，授权 {overrides}，更正 {corrections}；{signer} 于 {at} 签发",
        "    device {device}: {kind}, {passages} passages, {denied} denied, {referred} referred, "
        "{hits} hits, {overrides} overrides, {corrections} corrections; signed by {signer} {at}",
    ),
    "cli.hq.report_device": (
        "    终端 {device}：完整至 {through}，上次联系 {seen}，待传 {pending}，当日{reported}",
        "    device {device}: complete through {through}, last seen {seen}, pending {pending}, "
        "{reported}",
    ),
    "cli.hq.reported_yes": ("已报", "reported the day"),
    "cli.hq.reported_no": ("未报", "no report for the day"),
    "hq.page.title": ("各站日报 {day}", "Daily reports {day}"),
    "hq.page.day": ("日期", "Day"),
    "hq.page.show": ("查看", "Show"),
    "hq.page.other_language": ("English", "中文"),
    "hq.page.summary": (
        "共 {sites} 个站点：有异常报告 {report}，零报告 {zero}，缺报 {missing}，"
        "无在用终端 {inactive}",
        "{sites} sites: {report} report(s), {zero} zero report(s), {missing} missing, "
        "{inactive} without an active device",
    ),
    "hq.page.rule": (
        "站点任一终端上报了当日经班长签发的日报即算已报；有已登记且未吊销的终端而无日报，即为缺报。",
        "A site has reported when any of its devices sent a leader-signed report of the day; "
        "a site with an enrolled, non-revoked device and no report is missing.",
    ),
    "hq.page.sites": ("站点", "Sites"),
    "hq.page.reports": ("日报", "Reports"),
    "hq.page.devices": ("终端完整性", "Devices: completeness and lag"),
    "hq.page.col.site": ("站点", "Site"),
    "hq.page.col.name": ("名称", "Name"),
    "hq.page.col.status": ("状态", "Status"),
    "hq.page.col.reported": ("已报终端", "Devices reported"),
    "hq.page.col.signed": ("签发人", "Signed by"),
    "hq.page.col.device": ("终端", "Device"),
    "hq.page.col.kind": ("类型", "Kind"),
    "hq.page.col.passages": ("通行", "Passages"),
    "hq.page.col.denied": ("拒绝", "Denied"),
    "hq.page.col.referred": ("转交", "Referred"),
    "hq.page.col.watch_hits": ("布控命中", "Hits"),
    "hq.page.col.overrides": ("授权", "Overrides"),
    "hq.page.col.corrections": ("更正", "Corrections"),
    "hq.page.col.on_site": ("在场 人/车", "On site people/vehicles"),
    "hq.page.col.signed_by": ("签发人", "Signed by"),
    "hq.page.col.signed_at": ("签发时间", "Signed at"),
    "hq.page.col.complete_through": ("完整至", "Complete through"),
    "hq.page.col.last_seen": ("上次联系", "Last seen"),
    "hq.page.col.lag": ("距今", "Lag"),
    "hq.page.col.pending": ("待传", "Pending"),
    "hq.page.col.reported_day": ("当日已报", "Reported the day"),
    "hq.page.col.state": ("状态", "State"),
    "hq.page.no_sites": ("总部还没有任何站点。", "HQ knows no site yet."),
    "hq.page.no_reports": ("当日没有收到任何日报。", "No report of this day has arrived."),
    "hq.page.no_devices": ("没有终端。", "No device."),
    "hq.page.never": ("从未联系", "never"),
    "hq.page.lag_s": ("{s} 秒", "{s} s"),
    "hq.page.lag_m": ("{m} 分钟", "{m} min"),
    "hq.page.lag_h": ("{h} 小时 {m} 分", "{h} h {m} min"),
    "hq.page.lag_d": ("{d} 天 {h} 小时", "{d} d {h} h"),
    "hq.page.yes": ("是", "yes"),
    "hq.page.no": ("否", "no"),
    "hq.page.revoked": ("已吊销", "revoked"),
    "hq.page.active": ("在用", "active"),
}
