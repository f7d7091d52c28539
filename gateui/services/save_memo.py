"""What consecutive gate saves compute alike, computed once (the save is the hot path that
scripts/bench_gate.py holds to 2x a bare sqlite3 insert+commit).

Most saves give the form's normal answers to the same checklist: the last verdict and the
last answers' JSON serve the next save with exactly those (`decide` and `json.dumps` are
pure). Each is replaced as one tuple, so threads never mix one save's key with another's
value; only all-`str` answers, as forms give, are kept (1 == 1.0 == True would match
answers of other types).
"""

from __future__ import annotations

import json

from gateui.domain.checklist import ChecklistItem, Outcome, decide

OUTCOME_NAMES = {Outcome.ADMIT: "admitted", Outcome.REFER: "referred", Outcome.DENY: "denied"}

_last_verdict: tuple[object, object, str, tuple[str, ...]] = (None, None, "", ())
_last_answers_json: tuple[object, str] = ((), "{}")


def checklist_verdict(
    items: tuple[ChecklistItem, ...], answers: dict[str, str]
) -> tuple[str, tuple[str, ...]]:
    """(outcome, reason codes) the checklist `items` (the very tuple of the one in force)
    gives these answers."""
    global _last_verdict
    key, last = tuple(answers.items()), _last_verdict
    if last[0] is items and last[1] == key:
        return last[2], last[3]
    decision = decide(items, answers)
    outcome = OUTCOME_NAMES[decision.outcome]
    reasons = tuple(f"{r.item_key}:{r.answer}" for r in decision.reasons)
    if all(type(v) is str for v in answers.values()):
        _last_verdict = (items, key, outcome, reasons)
    return outcome, reasons


def answers_json(answers: dict[str, str]) -> str:
    """The answers as an entry stores them (sorted keys, Chinese kept as it is)."""
    global _last_answers_json
    key, last = tuple(answers.items()), _last_answers_json
    if last[0] == key:
        return last[1]
    text = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    if all(type(v) is str for v in answers.values()):
        _last_answers_json = (key, text)
    return text
