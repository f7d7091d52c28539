"""`gateui export entries|people|vehicles`: effective state, masked IDs, UTC and local times."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gateui.config import SiteConfig
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.domain.resident_id import make_resident_id
from gateui.services import auth, corrections, passages, registry
from gateui.services.context import open_gate
from gateui.services.lookup import find
from tests.cli.conftest import Invoke
from tests.conftest import FakeClock

ZHANG = make_resident_id("410102", date(1990, 3, 7), 222)
WANG = make_resident_id("140105", date(1985, 8, 1), 331)


@dataclass
class Entries:
    first: str  # 2026-03-01 10:00 Shanghai: 张露 in
    second: str  # 2026-03-04 17:00 UTC = 2026-03-05 01:00 Shanghai: 王强 in, later voided
    third: str  # 2026-03-05 09:00 Shanghai: 张露 out, amended to "in"


@pytest.fixture
def entries(home: Path) -> Iterator[Entries]:
    clock = FakeClock(datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    ctx = open_gate(home / "gate.db", SiteConfig(), clock=clock)
    guard = auth.create_user(ctx, "王建军", "guard", "G1", "1234")
    leader = auth.create_user(ctx, "赵志刚", "leader", "L1", "5678")
    today = date(2026, 3, 1)
    forms = [
        registry.PersonForm("张露", ZHANG, "13800138000", "employee", "综采一队"),
        registry.PersonForm("王强", WANG, "", "visitor", '=HYPERLINK("x")'),
    ]
    registry.upsert_people(ctx, [registry.validate_person(f, today, True, False) for f in forms])
    zhang, wang = find(ctx, ZHANG)[0].id, find(ctx, WANG)[0].id
    answers = normal_answers(ctx.checklist)

    def passage(person: str, direction: Direction) -> str:
        req = passages.PersonPassage(person, direction, answers)
        return passages.register_person(ctx, guard, req).entry_id

    first = passage(zhang, Direction.IN)
    clock.now = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)
    second = passage(wang, Direction.IN)
    clock.now = datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
    third = passage(zhang, Direction.OUT)
    corrections.correct_entry(ctx, second, leader, "void", "登记错人")
    corrections.correct_entry(ctx, third, leader, "amend", "方向登记错误", {"direction": "in"})
    ctx.db.dispose()
    yield Entries(first, second, third)


def rows_of_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_entries_csv_with_effective_state_masked_ids_and_both_times(
    gateui: Invoke, entries: Entries
) -> None:
    result = gateui("export", "entries", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in rows_of_csv(result.stdout)}
    assert list(rows) == [entries.first, entries.second, entries.third]  # oldest first
    first, second, third = rows[entries.first], rows[entries.second], rows[entries.third]
    assert first["name"] == "张露" and first["direction"] == "in" and first["outcome"] == "admitted"
    assert first["id_number"] == "*" * 14 + ZHANG[-4:]
    assert ZHANG not in result.stdout
    assert first["at_utc"] == "2026-03-01T02:00:00Z"
    assert first["at_local"] == "2026-03-01T10:00:00+08:00"
    assert first["guard_name"] == "王建军"
    assert (second["voided"], second["amended"]) == ("true", "false")
    assert (third["voided"], third["amended"]) == ("false", "true")
    assert third["direction"] == "in" and third["original_direction"] == "out"
    assert "已导出 3 条通行记录" in result.stderr


def test_entries_jsonl_and_since_is_a_date_in_the_site_zone(
    gateui: Invoke, entries: Entries
) -> None:
    result = gateui("export", "entries", "-f", "jsonl", "--since", "2026-03-05", "--full-id")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    # 2026-03-04 17:00 UTC is already 2026-03-05 in Shanghai: included.
    assert [r["id"] for r in rows] == [entries.second, entries.third]
    assert rows[0]["voided"] is True and isinstance(rows[0]["reasons"], list)
    assert rows[1]["id_number"] == ZHANG  # --full-id
    later = gateui("export", "entries", "-f", "jsonl", "--since", "2026-03-06")
    assert later.exit_code == 0 and later.stdout == ""
    bad = gateui("export", "entries", "--since", "5 March")
    assert bad.exit_code == 2


def test_output_file_lang_en_and_spreadsheet_safety(
    gateui: Invoke, entries: Entries, tmp_path: Path
) -> None:
    out = tmp_path / "people.csv"
    result = gateui("export", "people", "--output", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Exported 2 people → {out}"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read it as UTF-8
    rows = {r["name"]: r for r in rows_of_csv(raw.decode("utf-8-sig"))}
    assert rows["王强"]["unit"].startswith("'=")  # never a live formula
    assert rows["张露"]["id_number"].endswith(ZHANG[-4:]) and ZHANG not in raw.decode("utf-8-sig")
    # Written completely or not at all: nothing is left beside the file.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".people")) == []
    nowhere = gateui("export", "people", "-o", str(tmp_path / "no" / "such" / "dir.csv"))
    assert nowhere.exit_code == 1 and "无法写入" in nowhere.stderr


def test_people_export_reimports(gateui: Invoke, entries: Entries, tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    assert gateui("export", "people", "--full-id", "-o", str(out)).exit_code == 0
    again = gateui("import", "people", str(out), "--lang", "en")
    assert again.exit_code == 0, again.output
    assert "0 added, 2 updated" in again.stdout
    people = {r["name"]: r for r in rows_of_csv(gateui("export", "people").stdout)}
    assert people["王强"]["unit"] == '\'=HYPERLINK("x")'  # escaped again, not doubled


def test_rows_stream_in_batches_without_loss_or_repeat(
    gateui: Invoke, entries: Entries, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gateui.services import exporting

    monkeypatch.setattr(exporting, "BATCH", 2)  # three entries: two pages, keyset paging
    result = gateui("export", "entries", "-f", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [
        entries.first,
        entries.second,
        entries.third,
    ]
