"""Exit permits: two signatures in order by two people, checked at the gate on exit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.domain.errors import ValidationError
from gateui.domain.permits import PermitConfig, PermitFacts, Signature, decide_exit
from gateui.errors import NotFoundError, PermissionDeniedError
from gateui.services import auth, passages, permits, registry
from gateui.services.lookup import person_card
from gateui.store.models import ChangeLog, Entry
from tests.conftest import GateFixture

LOCKDOWN = PermitConfig(statuses=frozenset({"home_isolation"}), kinds=frozenset({"contractor"}))
T0 = datetime(2026, 11, 20, tzinfo=UTC)


def _person(gate: GateFixture, name: str = "张露") -> str:
    pid = gate.people[name]
    registry.set_person_status(gate.ctx, pid, "home_isolation", "封控", gate.leader_id)
    return pid


def _permit(gate: GateFixture, pid: str, start: int = -1, end: int = 8) -> permits.PermitView:
    now = gate.clock()
    return permits.create_permit(
        gate.ctx,
        pid,
        now + timedelta(hours=start),
        now + timedelta(hours=end),
        "回家取药",
        gate.guard_id,
        LOCKDOWN,
    )


def _office(gate: GateFixture) -> str:
    return auth.create_user(gate.ctx, "周主任", "leader", "L3001", "2468")


def check(gate: GateFixture, pid: str) -> permits.PermitCheck:
    return permits.check_exit(gate.ctx, pid, config=LOCKDOWN)


def test_people_without_a_permit_rule_leave_freely(pgate: GateFixture) -> None:
    result = check(pgate, pgate.people["陈丽华"])
    assert (result.needed, result.allowed, result.reason) == (False, True, None)


def test_two_signatures_in_order_let_the_person_out(pgate: GateFixture) -> None:
    pid = _person(pgate)
    assert (check(pgate, pid).allowed, check(pgate, pid).reason) == (False, "permit.none")
    permit = _permit(pgate, pid)
    assert check(pgate, pid).reason == "permit.unsigned"
    assert permit.next_step == "unit"
    pgate.clock.advance(60)
    permit = permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, config=LOCKDOWN)
    one = check(pgate, pid)
    assert one.permit is not None and one.permit.id == permit.id
    assert (one.allowed, one.reason) == (False, "permit.one_signature")
    assert one.entry_reason == "permit:one_signature"
    office = _office(pgate)
    pgate.clock.advance(60)
    permit = permits.approve_permit(pgate.ctx, permit.id, office, "office", config=LOCKDOWN)
    assert permit.complete and permit.next_step is None
    assert [(s.step, s.signer_name) for s in permit.signatures] == [
        ("unit", "李娜"),
        ("office", "周主任"),
    ]
    assert permit.signatures[0].at < permit.signatures[1].at
    ok = check(pgate, pid)
    assert ok.permit is not None and ok.permit.id == permit.id
    assert (ok.needed, ok.allowed, ok.reason) == (True, True, None)


def test_same_person_cannot_sign_twice(pgate: GateFixture) -> None:
    pid = _person(pgate)
    permit = _permit(pgate, pid)
    permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, config=LOCKDOWN)
    with pytest.raises(ValidationError) as info:
        permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, config=LOCKDOWN)
    assert info.value.code == "permit.same_signer"
    assert check(pgate, pid).reason == "permit.one_signature"  # nothing was saved


def test_order_roles_and_completeness_are_enforced(pgate: GateFixture) -> None:
    pid = _person(pgate)
    permit = _permit(pgate, pid)
    with pytest.raises(ValidationError) as info:
        permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, "office", LOCKDOWN)
    assert (info.value.code, info.value.params["expected"]) == ("permit.wrong_step", "unit")
    permits.approve_permit(pgate.ctx, permit.id, pgate.guard_id, config=LOCKDOWN)
    other_guard = auth.create_user(pgate.ctx, "赵六", "guard", "B1002", "1357")
    with pytest.raises(ValidationError) as info:
        permits.approve_permit(pgate.ctx, permit.id, other_guard, config=LOCKDOWN)
    assert info.value.code == "permit.not_office"
    permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, config=LOCKDOWN)
    with pytest.raises(ValidationError) as info:
        permits.approve_permit(pgate.ctx, permit.id, _office(pgate), config=LOCKDOWN)
    assert info.value.code == "permit.already_complete"
    with pytest.raises(PermissionDeniedError):
        permits.approve_permit(pgate.ctx, _permit(pgate, pid).id, "nobody", config=LOCKDOWN)
    with pytest.raises(NotFoundError):
        permits.approve_permit(pgate.ctx, "no-such-permit", pgate.guard_id, config=LOCKDOWN)


def test_window_expired_and_not_yet_valid(pgate: GateFixture) -> None:
    pid = _person(pgate)
    later = _permit(pgate, pid, start=2, end=4)
    permits.approve_permit(pgate.ctx, later.id, pgate.guard_id, config=LOCKDOWN)
    permits.approve_permit(pgate.ctx, later.id, pgate.leader_id, config=LOCKDOWN)
    assert check(pgate, pid).reason == "permit.not_yet_valid"
    pgate.clock.advance(3 * 3600)
    assert check(pgate, pid).allowed
    pgate.clock.advance(3600)
    assert check(pgate, pid).reason == "permit.expired"
    with pytest.raises(ValidationError) as info:
        _permit(pgate, pid, start=2, end=1)
    assert info.value.code == "permit.bad_window"
    with pytest.raises(ValidationError) as info:
        _permit(pgate, pid, start=0, end=24 * 40)
    assert info.value.code == "permit.window_too_long"
    stale = _permit(pgate, pid, start=-2, end=1)
    pgate.clock.advance(3600)
    with pytest.raises(ValidationError) as info:
        permits.approve_permit(pgate.ctx, stale.id, pgate.guard_id, config=LOCKDOWN)
    assert info.value.code == "permit.expired"


def test_kind_rule_and_open_permit_list(pgate: GateFixture) -> None:
    pid = pgate.people["单雄信"]  # an employee with normal status
    staff_lockdown = PermitConfig(kinds=frozenset({"employee"}))
    assert not check(pgate, pid).needed
    assert permits.check_exit(pgate.ctx, pid, config=staff_lockdown).reason == "permit.none"
    permit = _permit(pgate, pid)
    assert [v.id for v in permits.open_permits(pgate.ctx)] == [permit.id]
    assert [v.id for v in permits.permits_of(pgate.ctx, pid)] == [permit.id]
    assert permits.permits_of(pgate.ctx, pid)[0].person_name == "单雄信"


def test_each_write_is_logged_and_the_chain_holds(pgate: GateFixture) -> None:
    pid = _person(pgate)
    permit = _permit(pgate, pid)
    permits.approve_permit(pgate.ctx, permit.id, pgate.guard_id, config=LOCKDOWN)
    permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, config=LOCKDOWN)
    with pgate.ctx.db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
    kinds = [r.kind for r in rows if r.kind.startswith("permit.")]
    assert kinds == ["permit.created", "permit.approved", "permit.approved"]
    approved = [json.loads(r.payload) for r in rows if r.kind == "permit.approved"]
    assert [(a["step"], a["signer_name"]) for a in approved] == [
        ("unit", "王强"),
        ("office", "李娜"),
    ]
    links = [ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows]
    assert verify_chain(links) is None


def test_exit_without_permit_is_refused_and_recorded_unless_overridden(
    pgate: GateFixture,
) -> None:
    pid = _person(pgate, "曾小贤")
    result, found = permits.register_exit(pgate.ctx, pgate.guard_id, pid, config=LOCKDOWN)
    assert (result.outcome, result.reasons, found.reason) == (
        "denied",
        ("permit:none",),
        "permit.none",
    )
    override = passages.Override(pgate.leader_id, "急诊就医")
    result, _ = permits.register_exit(pgate.ctx, pgate.guard_id, pid, override, LOCKDOWN)
    assert (result.outcome, result.overridden) == ("admitted", True)
    with pgate.ctx.db.read() as s:
        entry = s.get(Entry, result.entry_id)
        assert entry is not None and entry.direction == "out"
        assert (entry.override_by, entry.override_reason) == (pgate.leader_id, "急诊就医")
    with pytest.raises(PermissionDeniedError):
        permits.register_exit(
            pgate.ctx, pgate.guard_id, pid, passages.Override(pgate.guard_id, "x"), LOCKDOWN
        )
    assert person_card(pgate.ctx, pid).last_passage is not None


def test_exit_with_complete_permit_is_admitted_without_reasons(pgate: GateFixture) -> None:
    pid = _person(pgate)
    permit = _permit(pgate, pid)
    permits.approve_permit(pgate.ctx, permit.id, pgate.guard_id, config=LOCKDOWN)
    permits.approve_permit(pgate.ctx, permit.id, pgate.leader_id, config=LOCKDOWN)
    result, found = permits.register_exit(pgate.ctx, pgate.guard_id, pid, config=LOCKDOWN)
    assert (result.outcome, result.reasons, result.overridden) == ("admitted", (), False)
    assert found.permit is not None and found.permit.id == permit.id


_SIG = Signature("unit", "u1", "甲", T0)
_SIG2 = Signature("office", "u2", "乙", T0)


def _fact(i: int, start: int, length: int, signed: int, cancelled: bool = False) -> PermitFacts:
    """Permit p<i>: valid `length` hours from T0 + `start` hours, the first `signed`
    signatures given."""
    begins = T0 + timedelta(hours=start)
    ends = begins + timedelta(hours=length)
    return PermitFacts(f"p{i}", "x", begins, ends, (_SIG, _SIG2)[:signed], cancelled=cancelled)


@given(st.lists(st.tuples(st.integers(-48, 48), st.integers(1, 48), st.integers(0, 2)), max_size=5))
def test_decision_allows_exactly_when_some_permit_is_complete_and_current(
    spec: list[tuple[int, int, int]],
) -> None:
    facts = [_fact(i, *one) for i, one in enumerate(spec)]
    decision = decide_exit(facts, T0)
    current = [f for f in facts if f.complete and f.valid_from <= T0 < f.valid_until]
    assert decision.allowed == bool(current)
    if not facts:
        assert decision.reason == "permit.none"
    elif not current:
        assert decision.reason in {f.refusal(T0) for f in facts}


# --- cancelling --------------------------------------------------------------------------------


def _complete(gate: GateFixture, pid: str) -> permits.PermitView:
    permit = _permit(gate, pid)
    permits.approve_permit(gate.ctx, permit.id, gate.guard_id, config=LOCKDOWN)
    return permits.approve_permit(gate.ctx, permit.id, gate.leader_id, config=LOCKDOWN)


def _log(gate: GateFixture) -> list[ChangeLog]:
    with gate.ctx.db.read() as s:
        return list(s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))))


def test_a_cancelled_permit_lets_nobody_out_and_says_why(pgate: GateFixture) -> None:
    pid = _person(pgate)
    permit = _complete(pgate, pid)
    assert check(pgate, pid).allowed
    pgate.clock.advance(60)
    view = permits.cancel_permit(pgate.ctx, permit.id, pgate.leader_id, "  行程取消 ")
    assert view.cancelled is not None
    assert (view.cancelled.by_name, view.cancelled.reason) == ("李娜", "行程取消")
    refused = check(pgate, pid)
    assert (refused.allowed, refused.reason, refused.entry_reason) == (
        False,
        "permit.cancelled",
        "permit:cancelled",
    )
    result, _ = permits.register_exit(pgate.ctx, pgate.guard_id, pid, config=LOCKDOWN)
    assert (result.outcome, result.reasons) == ("denied", ("permit:cancelled",))
    (change,) = [c for c in _log(pgate) if c.kind == "permit.cancelled"]
    payload = json.loads(change.payload)
    assert (change.record_id, payload["permit_id"], payload["cancelled_by"]) == (
        permit.id,
        permit.id,
        pgate.leader_id,
    )
    assert (payload["reason"], payload["cancelled_name"]) == ("行程取消", "李娜")
    links = [
        ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in _log(pgate)
    ]
    assert verify_chain(links) is None
    assert permits.current_permits(pgate.ctx) == [] and permits.open_permits(pgate.ctx) == []
    # A new permit works again; the cancelled one does not spoil it.
    _complete(pgate, pid)
    assert check(pgate, pid).allowed


def test_cancelling_twice_unknown_or_without_leader_or_reason_changes_nothing(
    pgate: GateFixture,
) -> None:
    pid = _person(pgate)
    permit = _permit(pgate, pid)
    before = len(_log(pgate))
    with pytest.raises(NotFoundError) as missing:
        permits.cancel_permit(pgate.ctx, "NOPE-1", pgate.leader_id, "x")
    assert missing.value.code == "permit.not_found"
    with pytest.raises(PermissionDeniedError) as guard:
        permits.cancel_permit(pgate.ctx, permit.id, pgate.guard_id, "x")
    assert guard.value.code == "auth.not_leader"
    with pytest.raises(ValidationError) as blank:
        permits.cancel_permit(pgate.ctx, permit.id, pgate.leader_id, "  ")
    assert blank.value.code == "permit.cancel_reason_required"
    assert len(_log(pgate)) == before
    permits.cancel_permit(pgate.ctx, permit.id, pgate.leader_id, "不去了")
    after = _log(pgate)
    with pytest.raises(ValidationError) as twice:
        permits.cancel_permit(pgate.ctx, permit.id, pgate.leader_id, "again")
    assert twice.value.code == "permit.already_cancelled"
    assert twice.value.params["name"] == "李娜"
    assert len(_log(pgate)) == len(after)
    (view,) = permits.permits_of(pgate.ctx, pid)
    assert view.cancelled is not None and view.cancelled.reason == "不去了"
    # A cancelled permit takes no more signatures.
    with pytest.raises(ValidationError) as sign:
        permits.approve_permit(pgate.ctx, permit.id, pgate.guard_id, config=LOCKDOWN)
    assert sign.value.code == "permit.cancelled"


def test_an_expired_permit_is_not_cancelled(pgate: GateFixture) -> None:
    pid = _person(pgate)
    permit = _permit(pgate, pid, start=-2, end=1)
    pgate.clock.advance(2 * 3600)
    with pytest.raises(ValidationError) as info:
        permits.cancel_permit(pgate.ctx, permit.id, pgate.leader_id, "x")
    assert info.value.code == "permit.expired"
    assert check(pgate, pid).reason == "permit.expired"


@given(
    st.lists(
        st.tuples(st.integers(-48, 48), st.integers(1, 48), st.integers(0, 2), st.booleans()),
        max_size=5,
    )
)
def test_a_cancelled_permit_never_decides_an_exit(
    spec: list[tuple[int, int, int, bool]],
) -> None:
    facts = [_fact(i, *one) for i, one in enumerate(spec)]
    decision = decide_exit(facts, T0)
    usable = [
        f for f in facts if f.complete and not f.cancelled and f.valid_from <= T0 < f.valid_until
    ]
    assert decision.allowed == bool(usable)
    if decision.allowed:
        assert decision.permit_id in {f.id for f in usable}
