"""Fixtures of the roster service tests: the shared gate plus the roster tables and guards."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gateui.services import auth
from gateui.services.context import GateContext
from tests.conftest import GateFixture

# Distinct names without digits (names with digits are refused).
EXTRA_GUARDS = ["刘伟", "陈芳", "杨敏", "黄静", "赵磊", "吴军", "周洋", "孙勇", "马超", "朱丽"]


@dataclass
class RosterGate:
    gate: GateFixture
    guards: dict[str, str]  # name -> user id (王强 from the base fixture included)

    @property
    def ctx(self) -> GateContext:
        return self.gate.ctx

    @property
    def leader(self) -> str:
        return self.gate.leader_id


@pytest.fixture
def rgate(gate: GateFixture) -> RosterGate:
    guards = {"王强": gate.guard_id}
    for i, name in enumerate(EXTRA_GUARDS[:7]):
        guards[name] = auth.create_user(gate.ctx, name, "guard", f"B2{i:03d}", "1234")
    return RosterGate(gate, guards)
