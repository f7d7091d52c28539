"""The muster list exported from the on-site screen, to a file in the data directory."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from textual.widgets import Static

from gateui.tui.screens.muster import MusterScreen
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle


async def test_f3_and_f4_write_csv_and_xlsx_beside_the_database(tui: TuiGate) -> None:
    data_dir = tui.ctx.db.path.parent
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        for code in ("GT1000", "GT1002"):
            await scan(pilot, code)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MusterScreen)
        await pilot.press("f3")
        await settle(pilot)
        files = sorted(data_dir.glob("muster-*.csv"))
        assert [f.name for f in files] == ["muster-20261120-093000.csv"]  # site-local time
        said = str(screen.query_one("#muster-status", Static).render())
        assert str(files[0]) in said and "已导出" in said
        rows = list(csv.reader(files[0].read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0][:3] == ["subject", "id", "name_or_plate"]
        assert sorted(r[2] for r in rows[1:]) == sorted(["张露", "曾小贤"])
        assert all(r[4] == "2026-11-20 09:30" for r in rows[1:])
        tui.gate.clock.advance(61)
        await pilot.press("f4")
        await settle(pilot)
        xlsx = sorted(data_dir.glob("muster-*.xlsx"))
        assert [f.name for f in xlsx] == ["muster-20261120-093101.xlsx"]
        sheet = load_workbook(xlsx[0]).active
        assert sheet is not None
        names = sorted(str(r[2]) for r in sheet.iter_rows(min_row=2, values_only=True))
        assert names == sorted(["张露", "曾小贤"])
        assert str(xlsx[0]) in str(screen.query_one("#muster-status", Static).render())
