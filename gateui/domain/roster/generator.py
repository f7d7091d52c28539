"""A fair rotation: fill a period's cells without breaking a hard rule, spreading the load.

No solver library is used: the rules are few and local, and the instances small (a month,
a few checkpoints, tens of guards), so a greedy fill in time order, a one-step repair of
what it could not fill, and a local search of moves and swaps reach an even spread in a
fraction of a second, deterministically, with no native dependency on a rugged terminal.

Fairness is a sum of squared distances between each guard's load and their fair share of
the period's demand - hours (in shift units), nights and weekend shifts - where the share
is proportional to the part of the period the guard is available for. Every change the
generator makes goes through `GuardSchedule.blocker`, the hard rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gateui.domain.errors import ValidationError
from gateui.domain.roster.calendar import CellKey, ShiftCalendar, ShiftInstance
from gateui.domain.roster.config import RosterConfig
from gateui.domain.roster.fairness import Balance, FairnessFigures, figures
from gateui.domain.roster.rules import Guard
from gateui.domain.roster.schedule import BLOCK_REASONS, GuardSchedule, Slot
from gateui.domain.roster.state import RosterState

_MARGIN = timedelta(days=14)  # fixed duties this close to the period constrain it
_MAX_PASSES = 12
_SWAP_DAYS = 7  # swaps are tried between duties at most this many days apart
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class UnfilledCell:
    cell: CellKey
    label: str
    missing: int
    blocked: tuple[tuple[str, int], ...]
    """(reason code, number of guards it kept out), most frequent first."""


@dataclass(frozen=True)
class GenerationResult:
    assignments: Mapping[CellKey, tuple[str, ...]]
    """Every cell of the period and checkpoints: locked cells as they are, others as made."""
    unfilled: tuple[UnfilledCell, ...]
    fairness: FairnessFigures


class _Rota:
    """The roster under construction: cells, each guard's schedule, and the balance."""

    def __init__(self, pool: Sequence[Guard], schedules: dict[str, GuardSchedule], bal: Balance):
        self.pool = [g.id for g in pool]
        self.schedules = schedules
        self.balance = bal
        self.cells: dict[CellKey, list[str]] = {}
        self.slots: dict[CellKey, Slot] = {}
        self.free: list[CellKey] = []  # cells the generator may change, in time order

    def take(self, gid: str, cell: CellKey) -> None:
        slot = self.slots[cell]
        self.schedules[gid].add(slot)
        self.balance.add(gid, slot, 1)
        self.cells[cell].append(gid)

    def drop(self, gid: str, cell: CellKey) -> None:
        slot = self.slots[cell]
        self.schedules[gid].remove(slot)
        self.balance.add(gid, slot, -1)
        self.cells[cell].remove(gid)

    def candidates(self, cell: CellKey) -> list[str]:
        """Guards who may take the cell now, best first."""
        slot, taken = self.slots[cell], self.cells[cell]
        ok = [g for g in self.pool if g not in taken and self.schedules[g].blocker(slot) is None]
        return sorted(ok, key=lambda g: (round(self.balance.delta(g, slot, 1), 9), g))

    def fill(self, cell: CellKey, need: int) -> None:
        while len(self.cells[cell]) < need:
            found = self.candidates(cell)
            if not found:
                return
            self.take(found[0], cell)

    def repair(self, cell: CellKey, need: int) -> None:
        """Free a guard for `cell` by handing one of their nearby duties to someone else."""
        slot = self.slots[cell]
        for gid in self.pool:
            if len(self.cells[cell]) >= need:
                return
            if gid in self.cells[cell] or self.schedules[gid].blocker(slot) is None:
                continue
            for other in self._nearby_duties(gid, slot):
                if self._hand_over(gid, other, cell):
                    break
        self.fill(cell, need)

    def _nearby_duties(self, gid: str, slot: Slot) -> list[CellKey]:
        return [
            c for c in self.free if gid in self.cells[c] and abs(self.slots[c].day - slot.day) <= 7
        ]

    def _hand_over(self, gid: str, other: CellKey, cell: CellKey) -> bool:
        self.drop(gid, other)
        if self.schedules[gid].blocker(self.slots[cell]) is None:
            self.take(gid, cell)
            for heir in self.candidates(other):
                if heir != gid:
                    self.take(heir, other)
                    return True
            self.drop(gid, cell)
        self.take(gid, other)
        return False

    def improve_by_moves(self) -> bool:
        changed = False
        for cell in self.free:
            slot = self.slots[cell]
            for gid in list(self.cells[cell]):
                loss = self.balance.delta(gid, slot, -1)
                best, best_gain = None, -_EPS
                for heir in self.pool:
                    if heir in self.cells[cell]:
                        continue
                    gain = loss + self.balance.delta(heir, slot, 1)
                    if gain < best_gain and self.schedules[heir].blocker(slot) is None:
                        best, best_gain = heir, gain
                if best is not None:
                    self.drop(gid, cell)
                    self.take(best, cell)
                    changed = True
        return changed

    def improve_by_swaps(self) -> bool:
        changed = False
        duties = [(c, g) for c in self.free for g in self.cells[c]]
        for i, (cell_a, g) in enumerate(duties):
            a = self.slots[cell_a]
            for cell_b, h in duties[i + 1 :]:
                b = self.slots[cell_b]
                if b.day - a.day > _SWAP_DAYS:
                    break
                if g == h or (a.night, a.weekend, a.hours) == (b.night, b.weekend, b.hours):
                    continue
                if g not in self.cells[cell_a] or h not in self.cells[cell_b]:
                    continue  # an earlier swap in this pass moved one of them
                if g in self.cells[cell_b] or h in self.cells[cell_a]:
                    continue
                if self.balance.swap_delta(g, a, b) + self.balance.swap_delta(h, b, a) >= -_EPS:
                    continue
                if self._try_swap(g, cell_a, h, cell_b):
                    changed = True
        return changed

    def _try_swap(self, g: str, cell_a: CellKey, h: str, cell_b: CellKey) -> bool:
        self.drop(g, cell_a)
        self.drop(h, cell_b)
        sg, sh = self.schedules[g], self.schedules[h]
        if sg.blocker(self.slots[cell_b]) is None and sh.blocker(self.slots[cell_a]) is None:
            self.take(g, cell_b)
            self.take(h, cell_a)
            return True
        self.take(g, cell_a)
        self.take(h, cell_b)
        return False

    def blocked(self, cell: CellKey) -> tuple[tuple[str, int], ...]:
        counts = dict.fromkeys(BLOCK_REASONS, 0)
        for gid in self.pool:
            if gid not in self.cells[cell]:
                reason = self.schedules[gid].blocker(self.slots[cell])
                if reason is not None:
                    counts[reason] += 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], BLOCK_REASONS.index(kv[0])))
        return tuple((code, n) for code, n in ranked if n)


def _schedules(
    pool: Sequence[Guard], state: RosterState, config: RosterConfig
) -> dict[str, GuardSchedule]:
    spans: dict[str, list[tuple[datetime, datetime]]] = {g.id: [] for g in pool}
    for period in state.unavailability.values():
        if period.guard_id in spans:
            spans[period.guard_id].append((period.starts_at, period.ends_at))
    return {gid: GuardSchedule(config, mine) for gid, mine in spans.items()}


def _fixed_duties(
    state: RosterState,
    calendar: ShiftCalendar,
    first: date,
    last: date,
    scope: set[CellKey],
) -> list[tuple[CellKey, str, ShiftInstance]]:
    """Assignments the generator must live with: locked cells and cells it does not fill."""
    codes = set(calendar.shift_codes)
    out: list[tuple[CellKey, str, ShiftInstance]] = []
    for cell, gids in state.assignments.items():
        if cell.shift not in codes or not first - _MARGIN <= cell.day <= last + _MARGIN:
            continue
        if cell in scope and cell not in state.locked:
            continue
        inst = calendar.instance(cell.day, cell.shift)
        out.extend((cell, gid, inst) for gid in sorted(gids))
    return out


def generate(
    *,
    first: date,
    last: date,
    checkpoints: Sequence[str],
    guards: Sequence[Guard],
    config: RosterConfig,
    calendar: ShiftCalendar,
    state: RosterState,
) -> GenerationResult:
    """A roster for the local dates first..last at `checkpoints`, keeping locked cells."""
    if last < first:
        raise ValidationError("roster.bad_period", first=first.isoformat(), last=last.isoformat())
    pool = sorted((g for g in guards if g.active), key=lambda g: g.id)
    if not pool:
        raise ValidationError("roster.no_guards")
    instances = calendar.instances(first, last)
    scope = {inst.cell(cp) for inst in instances for cp in checkpoints}
    need = {
        inst.cell(cp): config.required(cp, inst.shift) for inst in instances for cp in checkpoints
    }
    fixed = _fixed_duties(state, calendar, first, last, scope)
    balance = Balance.for_period(pool, state, instances, checkpoints, config, fixed, first, last)
    rota = _Rota(pool, _schedules(pool, state, config), balance)
    pool_ids = set(rota.pool)
    for cell, gid, inst in fixed:
        if gid in pool_ids:
            slot = Slot.of(inst)
            rota.schedules[gid].add(slot)
            if first <= cell.day <= last:
                balance.add(gid, slot, 1)
    for inst in instances:
        for cp in checkpoints:
            cell = inst.cell(cp)
            rota.slots[cell] = Slot.of(inst)
            if cell in state.locked:
                rota.cells[cell] = sorted(state.guards_of(cell))
                continue
            rota.cells[cell] = []
            rota.free.append(cell)
            rota.fill(cell, need[cell])
    for cell in rota.free:
        if len(rota.cells[cell]) < need[cell]:
            rota.repair(cell, need[cell])
    for _ in range(_MAX_PASSES):
        moved = rota.improve_by_moves()
        swapped = rota.improve_by_swaps()
        if not (moved or swapped):
            break
    unfilled = []
    for cell in rota.free:
        rota.fill(cell, need[cell])  # improvements may have freed someone
        missing = need[cell] - len(rota.cells[cell])
        if missing > 0:
            label = calendar.instance(cell.day, cell.shift).label
            unfilled.append(UnfilledCell(cell, label, missing, rota.blocked(cell)))
    assignments = {cell: tuple(sorted(gids)) for cell, gids in rota.cells.items()}
    return GenerationResult(assignments, tuple(unfilled), figures(balance))
