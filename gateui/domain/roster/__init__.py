"""The duty roster, pure: shift calendar, events and their fold, rules, fair generator.

No I/O here: services load events from the store, fold them into a `RosterState`, check
it against `RosterConfig` and write new events.
"""

from gateui.domain.roster.calendar import CellKey, ShiftCalendar, ShiftInstance, wall_to_utc
from gateui.domain.roster.config import (
    CoverRule,
    RosterConfig,
    ShiftPattern,
    check_shift_pattern,
    load_roster_config,
)
from gateui.domain.roster.events import (
    EventKind,
    RosterEvent,
    Unavailability,
    event_from_payload,
)
from gateui.domain.roster.fairness import FairnessFigures, GuardLoad
from gateui.domain.roster.generator import GenerationResult, UnfilledCell, generate
from gateui.domain.roster.rules import Guard, Violation, check, violations_by_cell
from gateui.domain.roster.state import CellConflict, RosterState, fold

__all__ = [
    "CellConflict",
    "CellKey",
    "CoverRule",
    "EventKind",
    "FairnessFigures",
    "GenerationResult",
    "Guard",
    "GuardLoad",
    "RosterConfig",
    "RosterEvent",
    "RosterState",
    "ShiftCalendar",
    "ShiftInstance",
    "ShiftPattern",
    "Unavailability",
    "UnfilledCell",
    "Violation",
    "check",
    "check_shift_pattern",
    "event_from_payload",
    "fold",
    "generate",
    "load_roster_config",
    "violations_by_cell",
    "wall_to_utc",
]
