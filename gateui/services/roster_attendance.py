"""Attendance: the login at a gate terminal is the guard's check-in for the shift.

For one cell (shift instance at a checkpoint): each rostered guard is present (checked in
by the start plus the grace), late, not yet due (grace not over), a no-show, or logged in
at another checkpoint instead; guards who logged in here without being rostered are
listed too. Leaders logging in to approve an override are not counted as unrostered.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from gateui.domain.roster import CellKey
from gateui.services.context import GateContext
from gateui.services.roster_store import calendar_for, checkpoint_codes, load_state, roster_config
from gateui.services.roster_views import AttendanceRow, AttendanceView, GuardRef
from gateui.store.models import AppUser, LoginEvent


def attendance(
    ctx: GateContext, day: date, shift: str, checkpoint: str | None = None
) -> AttendanceView:
    """Rostered vs present for one shift at one checkpoint (this terminal's by default)."""
    config = roster_config(ctx)
    calendar = calendar_for(ctx, config)
    cp = checkpoint_codes(ctx, checkpoint or ctx.checkpoint_code)[0]
    inst = calendar.instance(day, shift)
    cell = CellKey(day, shift, cp)
    window_start = inst.start - timedelta(minutes=config.checkin_early_minutes)
    grace_end = inst.start + timedelta(minutes=config.late_grace_minutes)
    now = ctx.now()
    with ctx.db.read() as s:
        rostered = load_state(s, day, day).guards_of(cell)
        logins = list(
            s.exec(
                select(LoginEvent)
                .where(col(LoginEvent.ok).is_(True))
                .where(LoginEvent.at >= window_start, LoginEvent.at < inst.end)
                .order_by(col(LoginEvent.at), col(LoginEvent.id))
            )
        )
        users = {u.id: u for u in s.exec(select(AppUser))}
    first_here: dict[str, LoginEvent] = {}
    first_elsewhere: dict[str, LoginEvent] = {}
    for login in logins:
        target = first_here if login.checkpoint_code == cp else first_elsewhere
        target.setdefault(login.user_id, login)

    def ref(uid: str) -> GuardRef:
        user = users.get(uid)
        return GuardRef(uid, user.name if user else uid)

    rows = []
    for gid in sorted(rostered, key=lambda g: (ref(g).name, g)):
        here = first_here.get(gid)
        if here is not None:
            late = here.at > grace_end
            minutes = int((here.at - inst.start).total_seconds() // 60) if late else 0
            rows.append(AttendanceRow(ref(gid), "late" if late else "present", here.at, minutes))
        elif gid in first_elsewhere:
            away = first_elsewhere[gid]
            rows.append(AttendanceRow(ref(gid), "elsewhere", away.at, 0, away.checkpoint_code))
        else:
            status = "no_show" if now > grace_end else "expected"
            rows.append(AttendanceRow(ref(gid), status, None))
    extra = []
    for uid, login in first_here.items():
        user = users.get(uid)
        if uid in rostered or user is None or user.role != "guard":
            continue
        extra.append(AttendanceRow(ref(uid), "unrostered", login.at))
    extra.sort(key=lambda r: (r.checked_in_at, r.guard.id))
    return AttendanceView(
        cell=cell,
        starts_at=inst.start,
        ends_at=inst.end,
        grace_ends_at=grace_end,
        rostered=tuple(rows),
        unrostered=tuple(extra),
        required=config.required(cp, shift),
    )


def current_attendance(ctx: GateContext, checkpoint: str | None = None) -> AttendanceView:
    """Attendance of the shift under way now, in the site's zone."""
    inst = calendar_for(ctx).instance_at(ctx.now())
    return attendance(ctx, inst.day, inst.shift, checkpoint)
