"""Sync reliability tests: a real HQ process (SQLite, and PostgreSQL with GATEUI_TEST_PG_URL),
real terminal databases, and a fault-injecting proxy between them (tests/support)."""

from __future__ import annotations

from tests.support.hq_server import hq_fixture

__all__ = ["hq_fixture"]
