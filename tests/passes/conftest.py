"""Fixtures of the pass, permit and report tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import SQLModel

from gateui.store.pass_models import PASS_TABLES
from gateui.store.roster_models import ROSTER_TABLES
from tests.conftest import GateFixture


@pytest.fixture
def pgate(gate: GateFixture) -> Iterator[GateFixture]:
    """The shared gate with the pass tables created."""
    # TEMP until migration: the lead regenerates alembic with gateui.store.pass_models.
    tables = [SQLModel.metadata.tables[t.__tablename__] for t in PASS_TABLES]
    tables += list(ROSTER_TABLES)  # the daily report lists roster no-shows and gaps
    SQLModel.metadata.create_all(gate.ctx.db.writer, tables=tables)
    yield gate
