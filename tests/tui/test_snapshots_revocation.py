"""Pictures at 80x24, in Chinese and English, of a permit being cancelled (F4 on the permit
list) and of a revoked pass refused at the gate.

A fixed clock and fixed data keep them stable (the pass itself is random, and is not on
the screen). Run with --snapshot-update after an intended change, and look at the SVGs
under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from gateui.services import passes
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.permit_cancel import PermitCancelScreen
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle, type_text
from tests.tui.test_pass_flows import permit_app
from tests.tui.test_pass_snapshots import clear_toasts
from tests.tui.test_permit_cancel import complete_permit

SnapCompare = Callable[..., bool]
LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


@LANGS
def test_permit_cancel_refused_for_a_guard(
    tui: TuiGate, snap_compare: SnapCompare, lang: str
) -> None:
    complete_permit(tui)
    app, _ctx = permit_app(tui, lang)

    async def cancel_with_a_guards_badge(pilot: Pilot[None]) -> None:
        await login(pilot)
        await pilot.press("f10", "1")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PermitCancelScreen)
        # The guard's own badge and PIN, and a reason: refused in words under the badge.
        await pilot.press(*"B1001", "enter", *"1234", "enter")
        await type_text(pilot, "行程取消" if lang == "zh" else "trip called off")
        await pilot.press("enter")
        await clear_toasts(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=cancel_with_a_guards_badge)


@LANGS
def test_revoked_pass_refused_at_the_gate(
    tui: TuiGate, snap_compare: SnapCompare, lang: str, tmp_path: Path
) -> None:
    ctx = tui.ctx
    passes.create_site_key(ctx, "北门")
    now = ctx.now()
    (issued,) = passes.issue_passes(
        ctx, [tui.gate.people["张露"]], None, now, now + timedelta(days=30), tmp_path
    )
    tui.gate.clock.advance(3600)
    passes.revoke_pass(ctx, issued.token, "遗失" if lang == "zh" else "lost", tui.gate.leader_id)
    tui.gate.clock.advance(3600)

    async def scan_the_revoked_pass(pilot: Pilot[None]) -> None:
        await login(pilot)
        gate = pilot.app.screen
        assert isinstance(gate, GateScreen)
        gate.scan.value = issued.token  # a scanner's burst, set whole
        await scan(pilot, "")
        await clear_toasts(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=scan_the_revoked_pass)
