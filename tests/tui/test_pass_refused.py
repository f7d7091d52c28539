"""A refused pass of a known person at the gate: the card shows who it names, but Enter
records a refused attempt; only a leader who checked the ID card admits them (F8)."""

from __future__ import annotations

from pathlib import Path

from gateui.services import passes, presence
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.override import OverrideScreen
from tests.passes.test_pass_service import decode_png
from tests.tui.conftest import SIZE, TuiGate, burst, login, settle
from tests.tui.test_pass_flows import issued_png, text_of


async def test_a_revoked_pass_is_recorded_as_refused_unless_a_leader_overrides(
    tui: TuiGate, tmp_path: Path
) -> None:
    (token,) = decode_png(issued_png(tui, tmp_path, "张露"))
    passes.revoke_pass(tui.ctx, token, "遗失", tui.gate.leader_id)
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await burst(pilot, *token, "enter")
        assert gate.card is not None and gate.card.name == "张露"  # who the pass names
        assert "作废" in text_of(app, "#gate-status")
        verdict = text_of(app, "#verdict")
        assert "拒绝" in verdict and "通行证已作废" in verdict and "放行" not in verdict
        await pilot.press("enter")
        await settle(pilot)
        (refused,) = presence.recent_entries(tui.ctx)
        assert (refused.name, refused.outcome, refused.reasons) == (
            "张露",
            "denied",
            ("pass:revoked",),
        )
        assert presence.on_site_counts(tui.ctx) == (0, 0)
        assert "通行证已作废" in text_of(app, "#gate-status")

        # The same pass again: the leader checks the ID card and overrides.
        await burst(pilot, *token, "enter")
        assert gate.pane.refusals == ("pass:revoked",)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await pilot.press(*"ID checked", "enter")
        await settle(pilot)
        admitted = presence.recent_entries(tui.ctx)[0]
        assert (admitted.outcome, admitted.override_by_name, admitted.reasons) == (
            "admitted",
            "李娜",
            ("pass:revoked",),
        )
        assert presence.on_site_counts(tui.ctx) == (1, 0)

        # A plain ID scan of the same person afterwards carries no pass refusal.
        await burst(pilot, *tui.gate.id_numbers["张露"], "enter")
        assert gate.card is not None and gate.pane.refusals == ()
