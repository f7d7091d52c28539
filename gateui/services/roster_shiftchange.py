"""The shift change at a gate: which shift is handed over now, and which handover waits.

Guards hand over around the boundary, a little before or after it, and the incoming
guard logs in up to an hour early (`checkin_early_minutes`). So:
- the outgoing guard hands over the current shift, except in the first part of a shift
  (the check-in window after its start) while the previous shift has no handover yet:
  then it is the previous one, whose guard stayed a little longer;
- the handover waiting for the incoming guard is that of the current shift or, failing
  it, of the previous one: written, not yet acknowledged, and not written by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gateui.domain.roster import CellKey, ShiftInstance
from gateui.services.context import GateContext
from gateui.services.roster_attendance import attendance
from gateui.services.roster_handover import handover_for
from gateui.services.roster_store import calendar_for, checkpoint_codes, roster_config
from gateui.services.roster_views import HandoverView


@dataclass(frozen=True)
class ShiftAt:
    """A shift instance at this terminal's checkpoint, with its local times for headings."""

    cell: CellKey
    starts_at: datetime
    ends_at: datetime
    start: str  # site-local "HH:MM"
    end: str
    night: bool

    @property
    def day(self) -> date:
        return self.cell.day

    @property
    def shift(self) -> str:
        return self.cell.shift


def _at(ctx: GateContext, inst: ShiftInstance, checkpoint: str) -> ShiftAt:
    start, end = calendar_for(ctx).shift_times(inst.shift)
    return ShiftAt(inst.cell(checkpoint), inst.start, inst.end, start, end, inst.night)


def shift_at(
    ctx: GateContext, moment: datetime | None = None, checkpoint: str | None = None
) -> ShiftAt:
    """The shift under way at `moment` (now by default) at the checkpoint."""
    cp = checkpoint_codes(ctx, checkpoint or ctx.checkpoint_code)[0]
    inst = calendar_for(ctx).instance_at(moment or ctx.now())
    return _at(ctx, inst, cp)


def neighbour_shift(ctx: GateContext, shift: ShiftAt, step: int) -> ShiftAt:
    """The shift `step` shifts after (or before, negative) `shift`, at the same checkpoint."""
    calendar = calendar_for(ctx)
    inst = calendar.instance(shift.day, shift.shift)
    for _ in range(abs(step)):
        moment = inst.end if step > 0 else inst.start - timedelta(seconds=1)
        inst = calendar.instance_at(moment)
    return _at(ctx, inst, shift.cell.checkpoint)


def handover_shift(ctx: GateContext, checkpoint: str | None = None) -> ShiftAt:
    """The shift the outgoing guard hands over now (see the module's docstring)."""
    current = shift_at(ctx, checkpoint=checkpoint)
    window = timedelta(minutes=roster_config(ctx).checkin_early_minutes)
    if ctx.now() < current.starts_at + window:
        before = neighbour_shift(ctx, current, -1)
        cp = before.cell.checkpoint
        if handover_for(ctx, before.day, before.shift, cp) is None:
            return before
    return current


def pending_handover(
    ctx: GateContext, user_id: str, checkpoint: str | None = None
) -> HandoverView | None:
    """The handover the user, coming on duty, should read and acknowledge, if any."""
    current = shift_at(ctx, checkpoint=checkpoint)
    for shift in (current, neighbour_shift(ctx, current, -1)):
        found = handover_for(ctx, shift.day, shift.shift, shift.cell.checkpoint)
        if found is None:
            continue
        if found.acknowledged or found.outgoing.id == user_id:
            return None
        return found
    return None


def stood_the_shift(ctx: GateContext, user_id: str, shift: ShiftAt) -> bool:
    """Whether the user is the one to hand `shift` over: rostered on it here, or - when
    nobody was rostered - logged in here during it."""
    view = attendance(ctx, shift.day, shift.shift, shift.cell.checkpoint)
    if view.rostered:
        return any(row.guard.id == user_id for row in view.rostered)
    return any(row.guard.id == user_id for row in view.unrostered)
