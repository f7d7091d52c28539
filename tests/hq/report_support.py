"""A real HQ with an admin token (the report page and GET /reports need it) and the helpers
to put `report.daily` changes into it, as devices of several sites push them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import create_engine

from gateui.domain.change_chain import canonical_json, make_chain
from sync.hq.core.config import ENV_PREFIX, HQSettings
from tests.support.hq_server import BACKENDS, HQ, ack, database_url, start_server, stop_server

ADMIN = "admin-token-for-tests"


@pytest.fixture(scope="module", params=BACKENDS, name="hq_admin")
def hq_admin_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HQ]:
    """One HQ server per module and backend, started with GATEUI_HQ_ADMIN_TOKEN."""
    tmp = tmp_path_factory.mktemp("hq_reports")
    name = ENV_PREFIX + "ADMIN_TOKEN"
    with database_url(request.param, tmp) as url:
        before = os.environ.get(name)
        os.environ[name] = ADMIN
        try:
            proc, base = start_server(url, tmp / "server.log")
        finally:
            if before is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = before
        engine = create_engine(url)
        try:
            with httpx.Client(timeout=30) as http:
                yield HQ(base, HQSettings(database_url=url, admin_token=ADMIN), http, engine)
        finally:
            engine.dispose()
            stop_server(proc)
    log = (tmp / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


def report_payload(
    device: str, seq: int, day: date, *, zero: bool, site: str = "SITE", denied: int = 0
) -> bytes:
    """A `report.daily` payload as services.reports.close_day writes it."""
    totals = {
        "checkpoints": {
            "N1": {"people_in": 3, "people_out": 2, "vehicles_in": 1, "vehicles_out": 0}
        },
        "passages": 6,
        "people_in": 3,
        "people_out": 2,
        "vehicles_in": 1,
        "vehicles_out": 0,
        "denied": denied,
        "referred": 0,
        "reasons": {"health_code:red": denied} if denied else {},
        "watch_hits": 0,
        "overrides": 0,
        "amended": 0,
        "voided": 0,
        "on_site_people": 1,
        "on_site_vehicles": 1,
        "abnormal": not zero,
        "zero": zero,
    }
    return canonical_json(
        {
            "id": f"{device}-{seq}",
            "site_code": site,
            "day": day.isoformat(),
            "device_id": device,
            "zero": zero,
            "totals": totals,
            "roster": None,
            "signed_by": f"{device}-1",
            "signed_name": "李娜",
            "signed_at": datetime.now(UTC).isoformat(),
        }
    )


def push_report(hq: HQ, device: str, token: str, day: date, **kwargs: object) -> None:
    """A login then the day's report: changes 1 and 2 of `device`."""
    links = make_chain(
        device,
        [
            ("login", canonical_json({"user_id": "u1", "ok": True})),
            ("report.daily", report_payload(device, 2, day, **kwargs)),  # type: ignore[arg-type]
        ],
    )
    assert ack(hq.push(device, token, links)).acked_seq == 2


def seed_sites(hq: HQ, day: date, tag: str, name: str = "") -> dict[str, str]:
    """Four sites: zero report, abnormal report (two devices, one silent), missing, and one
    whose only device was revoked. Site and device codes carry `tag` (one server per module).
    Returns site role -> site code."""
    from sync.hq import admin

    sites = {r: f"{tag}{r.upper()}" for r in ("zero", "report", "missing", "inactive")}
    quiet = hq.enroll(f"{tag}-Z1", sites["zero"])
    push_report(hq, f"{tag}-Z1", quiet, day, zero=True)
    busy = hq.enroll(f"{tag}-R1", sites["report"])
    push_report(hq, f"{tag}-R1", busy, day, zero=False, denied=2)
    hq.enroll(f"{tag}-R2", sites["report"])  # a second gate of that site, silent
    hq.enroll(f"{tag}-M1", sites["missing"])
    hq.enroll(f"{tag}-I1", sites["inactive"])
    assert admin.revoke_device(hq.settings, f"{tag}-I1")
    if name:
        hq.execute("UPDATE hq_site SET name = :n WHERE code = :c", n=name, c=sites["missing"])
    return sites


def today() -> date:
    return datetime.now(UTC).date()
