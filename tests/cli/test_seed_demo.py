"""`gateui seed-demo`: a deterministic demo site with every kind of person and vehicle."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from gateui.config import load_site_config
from gateui.domain.phones import parse_mobile
from gateui.domain.plates import parse_plate
from gateui.domain.resident_id import parse_resident_id
from gateui.services import auth
from gateui.services.context import open_gate
from gateui.services.lookup import find
from gateui.services.registry import PERSON_KINDS
from tests.cli.conftest import Invoke

TODAY = date(2026, 11, 29)


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_default_demo_site_has_everything_the_gate_needs(gateui: Invoke, home: Path) -> None:
    result = gateui("seed-demo", "--lang", "en")
    assert result.exit_code == 0, result.output

    # The demo users are printed with their badge codes and PINs, and those work.
    users = re.findall(
        r"^\s+(guard|leader|admin)\s+(\S+)\s+(\S+)\s+(\d{4,8})$", result.stdout, re.M
    )
    assert sorted(u[0] for u in users) == ["admin", "guard", "guard", "leader"]
    ctx = open_gate(home / "gate.db", load_site_config(home / "site.toml"))
    try:
        for _role, name, badge, pin in users:
            assert auth.login(ctx, badge, pin).name == name
        # 张露 is found by typing her pinyin initials.
        assert "张露" in [m.label for m in find(ctx, "zl", limit=50)]
    finally:
        ctx.db.dispose()

    people = jsonl(gateui("export", "people", "--format", "jsonl", "--full-id").stdout)
    assert len(people) >= 2000
    assert {p["kind"] for p in people} == set(PERSON_KINDS)
    numbers = [str(p["id_number"]) for p in people]
    assert len(set(numbers)) == len(numbers)
    for p in people:
        assert parse_resident_id(str(p["id_number"]), TODAY).number == p["id_number"]
        if p["phone"]:
            assert parse_mobile(str(p["phone"])) == p["phone"]
    regions = {n[:2] for n in numbers}
    assert {"41", "14", "61"} <= regions  # Henan, Shanxi, Shaanxi
    assert {"单", "曾", "解"} <= {str(p["name"])[0] for p in people}
    employees = [p for p in people if p["kind"] == "employee"]
    assert all(str(p["card_code"]).startswith("GT") for p in employees)
    assert {"home_isolation", "barred"} <= {p["status"] for p in people}

    vehicles = jsonl(gateui("export", "vehicles", "--format", "jsonl").stdout)
    assert len(vehicles) >= 200
    plates = [parse_plate(str(v["plate"])) for v in vehicles]
    coal = [p for p, v in zip(plates, vehicles, strict=True) if v["kind"] == "coal_truck"]
    assert sum(p.province == "豫" for p in coal) >= 50
    assert any(p.is_trailer for p in coal) and any(p.is_new_energy for p in plates)
    assert any(v["driver_name"] for v in vehicles)

    # The site file the demo used is written down and loads.
    assert [c.code for c in load_site_config(home / "site.toml").checkpoints] == ["N1", "S1"]


def test_same_seed_same_demo(gateui: Invoke, tmp_path: Path) -> None:
    def demo(where: str, seed: str) -> tuple[list[object], list[object]]:
        d = str(tmp_path / where)
        args = ("--data-dir", d, "--people", "60", "--vehicles", "12", "--seed", seed)
        assert gateui("seed-demo", *args).exit_code == 0
        people = jsonl(
            gateui("export", "people", "-f", "jsonl", "--full-id", "--data-dir", d).stdout
        )
        cars = jsonl(gateui("export", "vehicles", "-f", "jsonl", "--data-dir", d).stdout)
        return (
            [
                (p["name"], p["id_number"], p["phone"], p["kind"], p["unit"], p["card_code"])
                for p in people
            ],
            [(v["plate"], v["kind"], v["unit"], v["driver_name"]) for v in cars],
        )

    first, second, other = demo("a", "7"), demo("b", "7"), demo("c", "8")
    assert len(first[0]) == 60 and len(first[1]) == 12
    assert first == second
    assert first[0] != other[0]


def test_seed_refuses_a_database_that_holds_people(gateui: Invoke) -> None:
    assert gateui("seed-demo", "--people", "20", "--vehicles", "5").exit_code == 0
    again = gateui("seed-demo", "--people", "20", "--vehicles", "5")
    assert again.exit_code == 1
    assert "已有 20 名人员" in again.stderr and "Traceback" not in again.output
    people = jsonl(gateui("export", "people", "-f", "jsonl").stdout)
    assert len(people) == 20
