"""`gateui pass`, `gateui report` and `gateui privacy` against a real data directory."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages, sync_io
from tests.cli.conftest import Invoke
from tests.conftest import GateFixture
from tests.passes.test_pass_service import decode_png


def test_keys_then_one_pass_prints_a_qr_and_writes_a_png_that_decodes(
    gateui: Invoke, cli_gate: GateFixture, tmp_path: Path
) -> None:
    result = gateui("pass", "keys", "--lang", "en")
    assert result.exit_code == 0 and "holds no pass key" in result.output
    result = gateui("pass", "issue", "GT1000", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "没有可用的签发密钥" in result.output
    result = gateui("pass", "keys", "--create-site-key", "--label", "北门")
    assert result.exit_code == 0, result.output
    assert "可签发" in result.output and "北门" in result.output
    result = gateui("pass", "issue", "GT1000", "--out", str(tmp_path / "out"), "--days", "7")
    assert result.exit_code == 0, result.output
    token = next(line.split("：", 1)[1] for line in result.output.splitlines() if "通行码" in line)
    assert "█" in result.output and "张露" in result.output  # the QR, in half blocks
    pngs = sorted((tmp_path / "out").glob("pass-*.png"))
    assert len(pngs) == 1 and decode_png(pngs[0]) == [token]
    assert (tmp_path / "out" / "passes.pdf").read_bytes().startswith(b"%PDF-1.4")
    assert cli_gate.id_numbers["张露"] not in result.output  # the ID number only masked


def test_many_people_by_id_number_card_and_registry_id_or_all_staff(
    gateui: Invoke, cli_gate: GateFixture, tmp_path: Path
) -> None:
    assert gateui("pass", "keys", "--create-site-key").exit_code == 0
    refs = [cli_gate.id_numbers["张露"], "GT1001", cli_gate.people["曾小贤"], "GT1000"]
    result = gateui("pass", "issue", *refs, "--out", str(tmp_path / "three"))
    assert result.exit_code == 0, result.output
    assert "已签发 3 张" in result.output and "█" not in result.output  # no QR for many
    assert len(list((tmp_path / "three").glob("*.png"))) == 3
    result = gateui("pass", "issue", "--all-staff", "--out", str(tmp_path / "all"))
    assert result.exit_code == 0 and "已签发 4 张" in result.output
    result = gateui("pass", "issue", "NOBODY", "--out", str(tmp_path / "x"), "--lang", "en")
    assert result.exit_code == 1 and "No person \u201cNOBODY\u201d" in result.output
    assert not (tmp_path / "x").exists()
    result = gateui("pass", "issue", "--out", str(tmp_path / "y"))
    assert result.exit_code == 1 and "--all-staff" in result.output


def test_daily_report_text_csv_xlsx_and_a_closing_that_refuses_today(
    gateui: Invoke, cli_gate: GateFixture, tmp_path: Path
) -> None:
    cli_gate.clock.now = datetime.now(UTC) - timedelta(days=1)
    answers = normal_answers(cli_gate.ctx.checklist)
    passages.register_person(
        cli_gate.ctx,
        cli_gate.guard_id,
        passages.PersonPassage(cli_gate.people["张露"], Direction.IN, answers),
    )
    yesterday = cli_gate.clock.now.astimezone(cli_gate.ctx.site.zone).date().isoformat()
    result = gateui("report", "daily", "--date", yesterday, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Draft" in result.output and "People in: 1" in result.output
    out = tmp_path / "d.csv"
    result = gateui("report", "daily", "--date", yesterday, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and out.exists()
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert ["total", "people_in", "1"] in rows and ["report", "status", "draft"] in rows
    result = gateui("report", "close", "--leader", "L2001", "--pin", "5678")  # yesterday
    assert result.exit_code == 0, result.output
    assert "零报告" in result.output and "李娜" in result.output
    result = gateui("report", "close", "--leader", "L2001", "--pin", "5678")
    assert result.exit_code == 1 and "已经签发" in result.output
    today = datetime.now(UTC).astimezone(cli_gate.ctx.site.zone).date().isoformat()
    result = gateui("report", "close", "--date", today, "--leader", "L2001", "--pin", "5678")
    assert result.exit_code == 1 and "还没有结束" in result.output
    result = gateui("report", "close", "--date", "2026-02-30", "--leader", "L2001", "--pin", "1")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = gateui("report", "close", "--leader", "B1001", "--pin", "1234", "--date", "2020-01-01")
    assert result.exit_code == 1 and "班长" in result.output  # a guard cannot sign a day off
    xlsx = tmp_path / "d.xlsx"
    args = ("report", "daily", "--date", yesterday, "--format", "xlsx", "--output", str(xlsx))
    assert gateui(*args).exit_code == 0
    sheet = load_workbook(xlsx).active
    values = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert ("report", "status", "closed") in values and ("report", "signed_by", "李娜") in values
    result = gateui("report", "daily", "--date", yesterday, "--format", "csv", "-o", "/no/dir/x")
    assert result.exit_code == 1 and "原有文件未受影响" in result.output


def test_muster_list_text_and_csv(gateui: Invoke, cli_gate: GateFixture, tmp_path: Path) -> None:
    answers = normal_answers(cli_gate.ctx.checklist)
    for name in ("张露", "单雄信"):
        request = passages.PersonPassage(cli_gate.people[name], Direction.IN, answers)
        passages.register_person(cli_gate.ctx, cli_gate.guard_id, request)
    result = gateui("report", "muster", "--lang", "en")
    assert result.exit_code == 0 and "On site: 2 people, 0 vehicles" in result.output
    assert "张露" in result.output and cli_gate.id_numbers["张露"] not in result.output
    out = tmp_path / "m.csv"
    assert gateui("report", "muster", "--format", "csv", "--output", str(out)).exit_code == 0
    names = [r[2] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))]
    assert names == ["name_or_plate", "张露", "单雄信"]


def test_privacy_purge_uses_the_site_default_and_reports_what_it_did(
    gateui: Invoke, cli_gate: GateFixture, home: Path
) -> None:
    result = gateui("privacy", "purge")
    assert result.exit_code == 0 and "没有需要清除" in result.output and "90" in result.output
    cli_gate.clock.now = datetime.now(UTC) - timedelta(days=120)
    answers = normal_answers(cli_gate.ctx.checklist)
    request = passages.PersonPassage(cli_gate.people["张露"], Direction.IN, answers)
    passages.register_person(cli_gate.ctx, cli_gate.guard_id, request)
    result = gateui("privacy", "purge")
    assert result.exit_code == 0 and "没有需要清除" in result.output  # HQ does not have it yet
    sync_io.mark_acknowledged(cli_gate.ctx, sync_io.sync_status(cli_gate.ctx).last_seq)
    (home / "site.toml").write_text("[site]\nprivacy_days = 100\n", encoding="utf-8")
    result = gateui("privacy", "purge", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "from 1 entries older than 100 days" in result.output
    assert "change(s)" in result.output
    assert "Nothing to purge" in gateui("privacy", "purge", "--lang", "en").output
    result = gateui("privacy", "purge", "--days", "0")
    assert result.exit_code == 2  # at least one day
