"""At the shift change: who came, my next shifts, the handover and the published roster."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.domain.errors import ValidationError
from gateui.services import auth, corrections, passages, registry, roster
from gateui.services.lookup import find
from gateui.services.roster import Assign
from gateui.store.models import ChangeLog
from tests.roster.conftest import RosterGate

# The base fixture's clock: 2026-11-20 01:30 UTC = 09:30 in Shanghai, the day shift
# 08:00-16:00 local, i.e. 00:00-08:00 UTC.
FRIDAY = date(2026, 11, 20)
BADGES = {"王强": "B1001", "刘伟": "B2000", "陈芳": "B2001", "杨敏": "B2002", "黄静": "B2003"}


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def cell(d: date, shift: str, cp: str = "N1") -> roster.CellKey:
    return roster.CellKey(d, shift, cp)


def login(
    rg: RosterGate, name: str, when: datetime, checkpoint: str = "N1", pin: str = "1234"
) -> None:
    rg.gate.clock.now = when
    ctx = dataclasses.replace(rg.ctx, checkpoint_code=checkpoint)
    auth.login(ctx, BADGES.get(name, name), pin)


def test_attendance_present_late_no_show_elsewhere_and_unrostered(rgate: RosterGate) -> None:
    g = rgate.guards
    day = cell(FRIDAY, "day")
    roster.record_events(
        rgate.ctx, rgate.leader, [Assign(day, g[n]) for n in ("王强", "刘伟", "陈芳", "杨敏")]
    )
    login(rgate, "王强", at(23, 30, day=19))  # half an hour early: counts
    login(rgate, "陈芳", at(0, 5), checkpoint="S1")  # at the other gate
    early = roster.attendance(rgate.ctx, FRIDAY, "day")  # within the 10 minutes' grace
    assert {r.guard.name: r.status for r in early.rostered}["杨敏"] == "expected"
    login(rgate, "黄静", at(0, 10))  # not rostered here
    with pytest.raises(auth.LoginError):
        login(rgate, "杨敏", at(0, 12), pin="9999")  # a failed login is no check-in
    login(rgate, "L2001", at(0, 15), pin="5678")  # the leader, approving something
    login(rgate, "刘伟", at(0, 25))  # 25 minutes after the start: late
    rgate.gate.clock.now = at(1, 30)
    view = roster.current_attendance(rgate.ctx)
    assert view.cell == day and view.required == 2
    status = {r.guard.name: (r.status, r.late_minutes, r.checkpoint) for r in view.rostered}
    assert status == {
        "王强": ("present", 0, None),
        "刘伟": ("late", 25, None),
        "陈芳": ("elsewhere", 0, "S1"),
        "杨敏": ("no_show", 0, None),
    }
    assert [r.guard.name for r in view.unrostered] == ["黄静"]
    assert view.present == 2 and {r.guard.name for r in view.missing} == {"陈芳", "杨敏"}
    assert view.grace_ends_at == at(0, 10)


def test_my_next_shifts_lists_the_current_and_coming_ones_with_colleagues(
    rgate: RosterGate,
) -> None:
    g = rgate.guards
    wang = g["王强"]
    roster.record_events(
        rgate.ctx,
        rgate.leader,
        [
            Assign(cell(FRIDAY - timedelta(days=1), "evening"), wang),  # over
            Assign(cell(FRIDAY, "day"), wang),  # under way
            Assign(cell(FRIDAY, "day"), g["刘伟"]),
            Assign(cell(FRIDAY + timedelta(days=3), "night", "S1"), wang),
            Assign(cell(FRIDAY + timedelta(days=1), "day"), wang),
        ],
    )
    shifts = roster.my_next_shifts(rgate.ctx, wang)
    assert [(s.cell.day.day, s.cell.shift, s.checkpoint_name) for s in shifts] == [
        (20, "day", "北门"),
        (21, "day", "北门"),
        (23, "night", "南门"),
    ]
    assert [c.name for c in shifts[0].colleagues] == ["刘伟"]
    assert (shifts[2].start, shifts[2].end, shifts[2].night) == ("00:00", "08:00", True)
    assert len(roster.my_next_shifts(rgate.ctx, wang, limit=1)) == 1


def _busy_shift(rg: RosterGate) -> None:
    gate, ctx = rg.gate, rg.ctx
    normal = normal_answers(ctx.checklist)

    def person(name: str, direction: Direction = Direction.IN, **answers: str) -> str:
        gate.clock.advance(60)
        req = passages.PersonPassage(gate.people[name], direction, normal | answers)
        return passages.register_person(ctx, gate.guard_id, req).entry_id

    person("张露")
    person("曾小贤", temperature="38.2")  # denied
    registry.add_watch(ctx, "密接", id_number=gate.id_numbers["陈丽华"])
    person("陈丽华")  # referred: watch list
    gate.clock.advance(60)
    override = passages.Override(gate.leader_id, "已核查")
    req = passages.PersonPassage(gate.people["陈丽华"], Direction.IN, normal, override)
    passages.register_person(ctx, gate.guard_id, req)
    person("张露", Direction.OUT)
    wrong = person("单雄信")
    corrections.correct_entry(ctx, wrong, gate.leader_id, "void", "登记错了")
    registry.upsert_vehicles(ctx, [registry.validate_vehicle("豫A·12345", "coal_truck")])
    truck = find(ctx, "a12345")[0].id
    driver = passages.PersonPassage(gate.people["单雄信"], Direction.IN, normal)
    gate.clock.advance(60)
    passages.register_vehicle(
        ctx, gate.guard_id, passages.VehiclePassage(truck, Direction.IN, driver)
    )


def test_handover_note_summary_and_acknowledgement(rgate: RosterGate) -> None:
    g = rgate.guards
    _busy_shift(rgate)
    summary = roster.shift_summary(rgate.ctx, FRIDAY, "day")
    assert (summary.people_in, summary.people_out, summary.vehicles_in) == (3, 1, 1)
    assert (summary.denied, summary.referred, summary.watch_hits) == (1, 1, 2)
    assert (summary.overrides, summary.corrections, summary.voided) == (1, 1, 1)
    assert summary.reasons["watch:密接"] == 1
    assert any(r.startswith("temperature") for r in summary.reasons)
    with pytest.raises(ValidationError) as caught:
        roster.write_handover(rgate.ctx, g["王强"], FRIDAY, "day", "   ")
    assert caught.value.code == "handover.note_required"
    written = roster.write_handover(rgate.ctx, g["王强"], FRIDAY, "day", "南侧围栏有破损，已报修")
    assert written.summary == summary and not written.acknowledged
    with pytest.raises(ValidationError) as caught:
        roster.write_handover(rgate.ctx, g["刘伟"], FRIDAY, "day", "再写一次")
    assert caught.value.code == "handover.already_written"
    with pytest.raises(ValidationError) as caught:
        roster.acknowledge_handover(rgate.ctx, written.id, g["王强"])
    assert caught.value.code == "handover.same_guard"
    rgate.gate.clock.now = at(8, 2)  # the evening shift has begun
    previous = roster.previous_handover(rgate.ctx)
    assert previous is not None and previous.id == written.id
    done = roster.acknowledge_handover(rgate.ctx, written.id, g["刘伟"])
    assert done.acknowledged and done.incoming is not None and done.incoming.name == "刘伟"
    assert done.acknowledged_at == at(8, 2) and done.written_at < done.acknowledged_at
    with pytest.raises(ValidationError) as caught:
        roster.acknowledge_handover(rgate.ctx, written.id, g["陈芳"])
    assert caught.value.code == "handover.already_acknowledged"
    assert caught.value.params == {"guard": "刘伟"}
    stored = roster.handover_for(rgate.ctx, FRIDAY, "day")
    assert stored == done
    with rgate.ctx.db.read() as s:
        kinds = [c.kind for c in s.exec(select(ChangeLog).order_by(col(ChangeLog.seq)))]
    assert kinds[-2:] == ["handover.written", "handover.acknowledged"]


def test_published_text_in_chinese_and_english(rgate: RosterGate) -> None:
    g = rgate.guards
    roster.record_events(
        rgate.ctx,
        rgate.leader,
        [
            Assign(cell(FRIDAY, "day"), g["王强"]),
            Assign(cell(FRIDAY, "day"), g["刘伟"]),
            Assign(cell(FRIDAY, "day", "S1"), g["王强"]),  # double-booked
        ],
    )
    zh = roster.publish_text(rgate.ctx, FRIDAY, FRIDAY)
    lines = zh.splitlines()
    assert lines[0] == "【演示矿区值班表】2026-11-20 至 2026-11-20"
    assert "11-20 周五" in lines
    assert "白班 08:00–16:00　北门：刘伟、王强；南门：王强（缺1人）" in lines
    assert "夜班 00:00–08:00　北门：无人（缺2人）；南门：无人（缺2人）" in lines
    assert "共 5 个班次缺人。" in lines
    assert any(line.startswith("· 王强 在 11-20 08:00–16:00 同时排在 N1 和 S1") for line in lines)
    en = roster.publish_text(rgate.ctx, FRIDAY, FRIDAY, lang="en")
    assert "Day 08:00–16:00  北门: 刘伟, 王强; 南门: 王强 (short by 1)" in en.splitlines()
    assert "Fri 11-20" in en and "5 shift(s) are short." in en
