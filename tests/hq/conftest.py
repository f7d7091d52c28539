"""A real HQ: uvicorn in a subprocess on a free loopback port, on SQLite and on PostgreSQL.

PostgreSQL runs when GATEUI_TEST_PG_URL is set (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/gateui_test); each server gets a schema of its
own in that database (search_path), dropped afterwards, so runs never see each other's rows.
The helpers and the `hq` fixture live in tests.support.hq_server (tests/sync uses them too).
"""

from __future__ import annotations

from tests.support.hq_server import (
    BACKENDS,
    HQ,
    PG_ENV,
    REPO,
    ack,
    chain,
    database_url,
    entry_payload,
    free_port,
    hq_fixture,
    problem,
    start_server,
    stop_server,
)

__all__ = [
    "BACKENDS",
    "HQ",
    "PG_ENV",
    "REPO",
    "ack",
    "chain",
    "database_url",
    "entry_payload",
    "free_port",
    "hq_fixture",
    "problem",
    "start_server",
    "stop_server",
]
