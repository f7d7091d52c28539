"""The duty roster, pure: shift calendar, events and their fold, rules, fair generator.

No I/O here: services load events from the store, fold them into a `RosterState`, check
it against `RosterConfig` and write new events.

The names below are imported from their submodule on first use (PEP 562): the site file's
model (`gateui.config`) needs only `roster.config`, and loading the calendar, the fold, the
rules and the generator with it cost ~30 ms before the login screen's first paint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# name -> the submodule that defines it
_HOMES = {
    "calendar": ("CellKey", "ShiftCalendar", "ShiftInstance", "wall_to_utc"),
    "config": (
        "CoverRule",
        "RosterConfig",
        "ShiftPattern",
        "check_shift_pattern",
        "load_roster_config",
    ),
    "events": ("EventKind", "RosterEvent", "Unavailability", "event_from_payload"),
    "fairness": ("FairnessFigures", "GuardLoad"),
    "generator": ("GenerationResult", "UnfilledCell", "generate"),
    "rules": ("Guard", "Violation", "check", "violations_by_cell"),
    "state": ("CellConflict", "RosterState", "fold"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

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


if not TYPE_CHECKING:
    # Hidden from type checkers, which see the imports above: a misspelt name stays an
    # error for mypy instead of an Any from __getattr__.

    def __getattr__(name: str) -> Any:
        module = _HOME_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(f"{__name__}.{module}"), name)
        globals()[name] = value  # the next use is a plain global lookup
        return value

    def __dir__() -> list[str]:
        return sorted([*globals(), *_HOME_OF])
