"""Logins with lockout, and finding people by every kind of query."""

from __future__ import annotations

import pytest

from gateui.services import auth
from gateui.services.auth import LoginError
from gateui.services.lookup import find
from tests.conftest import GateFixture


def test_login_by_badge_and_by_name(gate: GateFixture) -> None:
    assert auth.login(gate.ctx, "B1001", "1234").name == "王强"
    assert auth.login(gate.ctx, "李娜", "5678").is_leader


def test_wrong_pins_lock_the_account_for_a_while(gate: GateFixture) -> None:
    limit = gate.ctx.site.pin_max_failures
    for _ in range(limit - 1):
        with pytest.raises(LoginError) as exc:
            auth.login(gate.ctx, "B1001", "0000")
        assert exc.value.code == "auth.wrong_pin"
    with pytest.raises(LoginError) as exc:
        auth.login(gate.ctx, "B1001", "0000")
    assert exc.value.code == "auth.locked"
    with pytest.raises(LoginError) as exc:  # even the right PIN is refused while locked
        auth.login(gate.ctx, "B1001", "1234")
    assert exc.value.code == "auth.locked"
    gate.clock.advance(gate.ctx.site.pin_lockout_seconds + 1)
    assert auth.login(gate.ctx, "B1001", "1234").name == "王强"


def test_guard_is_not_a_leader(gate: GateFixture) -> None:
    with pytest.raises(Exception) as exc:
        auth.verify_leader(gate.ctx, "B1001", "1234")
    assert getattr(exc.value, "code", None) == "auth.not_leader"


@pytest.mark.parametrize(
    ("query", "expected", "matched_by"),
    [
        ("zl", "张露", "pinyin"),
        ("ZL", "张露", "pinyin"),
        ("sxx", "单雄信", "pinyin"),  # surname reading 单 = shan
        ("zxx", "曾小贤", "pinyin"),  # surname reading 曾 = zeng
        ("张露", "张露", "name"),
        ("陳麗華", "陈丽华", "name"),  # traditional characters fold to simplified
        ("GT1000", "张露", "card"),
    ],
)
def test_find_by_every_kind_of_query(
    gate: GateFixture, query: str, expected: str, matched_by: str
) -> None:
    results = find(gate.ctx, query)
    assert results, f"nothing found for {query!r}"
    assert results[0].label == expected
    assert results[0].matched_by == matched_by


def test_find_by_full_id_and_suffix(gate: GateFixture) -> None:
    number = gate.id_numbers["曾小贤"]
    assert find(gate.ctx, number.lower())[0].label == "曾小贤"
    suffix = find(gate.ctx, number[-6:])
    assert [m.label for m in suffix] == ["曾小贤"] and suffix[0].matched_by == "id_suffix"
    assert "*" in suffix[0].detail and number not in suffix[0].detail  # masked


def test_garbage_finds_nothing_and_does_not_crash(gate: GateFixture) -> None:
    for query in ["", "   ", "%%%", "'; drop table person;--", "\x00\x1b[A", "豫", "1" * 200]:
        assert isinstance(find(gate.ctx, query), list)
