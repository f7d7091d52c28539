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
}
