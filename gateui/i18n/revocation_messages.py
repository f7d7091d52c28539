"""Texts of withdrawing things before their end: key -> (Simplified Chinese, English).

Revoking one pass, cancelling an exit permit, and the change log's part of the privacy
purge. Times in params are already formatted in the site's zone.
"""

REVOCATION_MESSAGES: dict[str, tuple[str, str]] = {
    # One pass revoked (by this site or by HQ)
    "pass.revoked": (
        "此通行证已于 {at} 作废（{reason}），不能放行。",
        "This pass was revoked at {at} ({reason}). Do not admit.",
    ),
    # A refused pass of a known person, as the gate records it ("pass:<code>" reasons)
    "reason.pass": ("通行证{reason}", "Pass {reason}"),
    "pass.short.revoked": ("已作废", "revoked"),
    "pass.short.expired": ("已过期", "expired"),
    "pass.short.not_yet_valid": ("尚未生效", "not yet valid"),
    "gate.verdict_pass_refused": (
        "拒绝（{reason}）；回车登记拒绝，班长核验证件后 F8 授权",
        "refused ({reason}); Enter records it, F8 if a leader checked the ID",
    ),
    "pass.already_revoked": (
        "此通行证已于 {at} 作废（{reason}），无需再次作废，未做任何更改。",
        "This pass was already revoked at {at} ({reason}); nothing was changed.",
    ),
    "pass.revoke_reason_required": (
        "作废通行证须写明原因（例如：遗失、已离职）。",
        "Revoking a pass needs a reason (e.g. lost, left the company).",
    ),
    # Exit permits cancelled by a leader
    "permit.cancelled": (
        "离场许可已被班长撤销，不能凭此离场。",
        "The exit permit was cancelled by a leader; it does not let anyone out.",
    ),
    "permit.already_cancelled": (
        "此许可已由 {name} 于 {at} 撤销，未做任何更改。",
        "This permit was already cancelled by {name} at {at}; nothing was changed.",
    ),
    "permit.cancel_reason_required": (
        "撤销离场许可须写明原因。",
        "Cancelling an exit permit needs a reason.",
    ),
    "key.permit_cancel": ("撤销", "Cancel permit"),
    "permit.cancel_title": ("撤销离场许可（须班长）", "Cancel the exit permit (a leader)"),
    "permit.cancel_reason": ("撤销原因", "Reason"),
    "permit.cancel_reason_hint": ("例如：行程取消", "e.g. the trip was called off"),
    "permit.cancel_done": (
        "{name} 的离场许可已撤销（{leader}）。",
        "{name}'s exit permit is cancelled ({leader}).",
    ),
    "permit.current_title": (
        "离场许可：待签字与有效",
        "Exit permits: awaiting signatures or valid",
    ),
    "permit.current_count": (
        "离场许可 {count} 份，其中待签字 {open} 份",
        "{count} exit permit(s), {open} awaiting signatures",
    ),
    "permit.none_current": (
        "没有待签字或有效的离场许可。F2 新建。",
        "No exit permit awaits a signature or is valid. F2: new.",
    ),
    "permit.step_done": ("已齐", "complete"),
    # CLI: gateui pass revoke
    "cli.pass.revoked": (
        "已作废通行证 {digest}…（{holder}，密钥 {key_id}，原至 {until}）：{reason}。"
        "同步后总部可见。",
        "Revoked pass {digest}… ({holder}, key {key_id}, was valid until {until}): {reason}. "
        "HQ sees it after the next sync.",
    ),
    "cli.pass.unknown_holder": ("持证人不在本站名册", "holder not in this site's registry"),
    # CLI: gateui privacy purge, the change log's copies
    "cli.privacy.payloads": (
        "变更日志中 {count} 条通行记录的副本也已清除（哈希链不受影响）。",
        "Also purged the change log's copies of {count} entries (the hash chain still holds).",
    ),
}
