"""`gateui roster show|export|generate` against a real data directory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gateui.config import SiteConfig
from gateui.services import auth, roster
from gateui.services.context import open_gate
from tests.cli.conftest import Invoke

FIRST, LAST = "2026-11-23", "2026-11-29"
GUARDS = (
    "刘伟", "陈芳", "杨敏", "黄静", "赵磊", "吴军", "周洋", "孙勇", "马超",
    "朱丽", "郭涛", "何静", "高峰", "罗兰", "梁宇", "宋佳", "王强", "李娜",
)  # fmt: skip


@pytest.fixture
def site(home: Path) -> Path:
    """A data directory with 18 guards and a shift leader (badge L2001, PIN 5678)."""
    ctx = open_gate(home / "gate.db", SiteConfig())
    try:
        for i, name in enumerate(GUARDS):
            auth.create_user(ctx, name, "guard", f"G{1001 + i}", "1234")
        auth.create_user(ctx, "赵志刚", "leader", "L2001", "5678")
    finally:
        ctx.db.dispose()
    return home


def assignments(home: Path) -> int:
    ctx = open_gate(home / "gate.db", SiteConfig())
    try:
        grid = roster.roster_view(ctx, date(2026, 11, 23), date(2026, 11, 29))
        return sum(len(c.guards) for c in grid.cells.values())
    finally:
        ctx.db.dispose()


def test_generate_previews_and_saves_nothing_without_apply(gateui: Invoke, site: Path) -> None:
    result = gateui("roster", "generate", "--from", FIRST, "--to", LAST, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Roster 2026-11-23 to 2026-11-29:" in result.stdout
    assert "Fairness (most minus least): shifts 1" in result.stdout
    assert "Every shift can be fully staffed" in result.stdout
    assert "This is a preview; nothing was saved." in result.stdout
    assert len([line for line in result.stdout.splitlines() if "100%" in line]) == 18
    assert assignments(site) == 0


def test_generate_apply_needs_a_leader_and_the_right_pin(gateui: Invoke, site: Path) -> None:
    args = ("roster", "generate", "--from", FIRST, "--to", LAST, "--apply")
    no_leader = gateui(*args)
    assert no_leader.exit_code == 2 and "--leader" in no_leader.output
    wrong = gateui(*args, "--leader", "L2001", "--pin", "0000")
    assert wrong.exit_code == 1 and "密码错误" in wrong.stderr
    not_leader = gateui(*args, "--leader", "G1001", "--pin", "1234")
    assert not_leader.exit_code == 1
    assert assignments(site) == 0
    prompted = gateui(*args, "--leader", "L2001", input="5678\n")
    assert prompted.exit_code == 0, prompted.output
    assert "已写入排班，共 84 处修改（班长 赵志刚）" in prompted.stdout
    assert assignments(site) == 84


def test_show_and_export_the_roster(gateui: Invoke, site: Path, tmp_path: Path) -> None:
    gateui(
        "roster",
        "generate",
        "--from",
        FIRST,
        "--to",
        LAST,
        "--apply",
        "--leader",
        "L2001",
        "--pin",
        "5678",
    )
    shown = gateui("roster", "show", "--from", FIRST, "--to", "2026-11-24")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0] == "【演示矿区值班表】2026-11-23 至 2026-11-24"
    assert lines[2] == "11-23 周一" and lines[3].startswith("夜班 00:00–08:00　北门：")
    assert "所有班次人员已排满。" in shown.stdout

    csv_out = gateui(
        "roster", "export", "--format", "csv", "--from", FIRST, "--to", FIRST, "--checkpoint", "S1"
    )
    assert csv_out.exit_code == 0, csv_out.output
    rows = csv_out.stdout.splitlines()
    assert rows[0].startswith("日期,星期,班次,开始,结束,岗位代码,岗位,值班人员")
    assert len(rows) == 4 and all(",S1,南门," in r for r in rows[1:])
    assert "已导出 3 个班次到 -" in csv_out.stderr

    book_path = tmp_path / "week.xlsx"
    xlsx = gateui(
        "roster",
        "export",
        "-f",
        "xlsx",
        "-o",
        str(book_path),
        "--from",
        FIRST,
        "--to",
        LAST,
        "--lang",
        "en",
    )
    assert xlsx.exit_code == 0, xlsx.output
    assert f"Exported 42 shift(s) to {book_path}" in xlsx.stdout
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["Roster", "Cells"]
    assert book["Cells"]["A1"].value == "date" and book["Cells"].max_row == 43

    text_path = tmp_path / "week.txt"
    text = gateui(
        "roster",
        "export",
        "--format",
        "text",
        "--output",
        str(text_path),
        "--from",
        FIRST,
        "--to",
        LAST,
    )
    assert text.exit_code == 0, text.output
    assert text_path.read_text(encoding="utf-8").startswith(
        "【演示矿区值班表】2026-11-23 至 2026-11-29"
    )


def test_bad_input_is_refused_in_words(gateui: Invoke, site: Path, tmp_path: Path) -> None:
    bad_date = gateui("roster", "show", "--from", "2026-13-01")
    assert bad_date.exit_code == 2 and "2026-13-01" in bad_date.output
    backwards = gateui("roster", "show", "--from", LAST, "--to", FIRST)
    assert backwards.exit_code == 1 and "日期范围 2026-11-29 至 2026-11-23 无效" in backwards.stderr
    unknown = gateui("roster", "show", "--checkpoint", "X9", "--lang", "en")
    assert unknown.exit_code == 1 and "There is no checkpoint X9" in unknown.stderr
    no_file = gateui("roster", "export", "--format", "xlsx")
    assert no_file.exit_code == 2 and "--output" in no_file.output
    target = tmp_path / "missing" / "roster.csv"
    unwritable = gateui("roster", "export", "-o", str(target), "--from", FIRST, "--to", LAST)
    assert unwritable.exit_code == 1 and str(target) in unwritable.stderr
    assert not target.parent.exists()


def test_a_missing_database_is_not_created_by_reading(gateui: Invoke, home: Path) -> None:
    result = gateui("roster", "show")
    assert result.exit_code == 1 and "找不到数据库" in result.stderr
    assert not (home / "gate.db").exists()
