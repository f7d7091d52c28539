"""Fixtures of the pass, permit and report tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import GateFixture


@pytest.fixture
def pgate(gate: GateFixture) -> Iterator[GateFixture]:
    """The shared gate with the pass tables created."""
    yield gate
