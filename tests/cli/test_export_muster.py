"""`gateui export muster --format csv|xlsx [--output FILE]`: who is on site now."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gateui.config import SiteConfig
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.domain.resident_id import make_resident_id
from gateui.services import auth, passages, registry
from gateui.services.context import open_gate
from gateui.services.lookup import find
from tests.cli.conftest import Invoke
from tests.conftest import FakeClock

ZHANG = make_resident_id("410102", date(1990, 3, 7), 222)


@pytest.fixture
def on_site(home: Path) -> str:
    """One person and one truck on site; returns the person's id."""
    clock = FakeClock(datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    ctx = open_gate(home / "gate.db", SiteConfig(), clock=clock)
    guard = auth.create_user(ctx, "王建军", "guard", "G1", "1234")
    form = registry.PersonForm("张露", ZHANG, "13800138000", "employee", "综采一队")
    registry.upsert_people(ctx, [registry.validate_person(form, date(2026, 3, 1), True, False)])
    person = find(ctx, ZHANG)[0].id
    truck = registry.register_vehicle(ctx, "豫A12345", "coal_truck", "运输队")
    answers = normal_answers(ctx.checklist)
    passages.register_person(ctx, guard, passages.PersonPassage(person, Direction.IN, answers))
    passages.register_vehicle(ctx, guard, passages.VehiclePassage(truck, Direction.IN, None))
    ctx.db.dispose()
    return person


def test_csv_to_a_named_file(gateui: Invoke, on_site: str, tmp_path: Path) -> None:
    out = tmp_path / "muster.csv"
    result = gateui("export", "muster", "--format", "csv", "--output", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Exported the muster list (1 people, 1 vehicles) → {out}"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted((r["subject"], r["name_or_plate"], r["since"]) for r in rows) == [
        ("person", "张露", "2026-03-01 10:00"),
        ("vehicle", "豫A12345", "2026-03-01 10:00"),
    ]
    assert ZHANG not in out.read_text(encoding="utf-8-sig")  # no ID numbers on a muster


def test_xlsx_without_output_goes_to_the_data_directory(
    gateui: Invoke, on_site: str, home: Path
) -> None:
    result = gateui("export", "muster", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    (written,) = home.glob("muster-*.xlsx")  # time-stamped in the site's zone, now
    assert re.fullmatch(r"muster-\d{8}-\d{6}\.xlsx", written.name)
    assert str(written) in result.stdout and "已导出在场名单" in result.stdout
    sheet = load_workbook(written).active
    assert sheet is not None
    names = sorted(str(r[2]) for r in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted(["张露", "豫A12345"])


def test_formats_that_do_not_fit_are_usage_errors(gateui: Invoke, on_site: str) -> None:
    assert gateui("export", "muster", "--format", "jsonl").exit_code == 2
    assert gateui("export", "entries", "--format", "xlsx").exit_code == 2
