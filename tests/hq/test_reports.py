"""Daily reports at HQ: projected in the push's transaction, listed per site (report, zero,
missing, inactive) by `gateui hq reports`, GET /api/v1/reports and the report page."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from gateui.cli import app as cli_app
from gateui.services import reports, sync_io
from sync.client import SyncClient, enroll
from sync.hq import admin
from tests.conftest import GateFixture
from tests.hq.report_support import ADMIN, hq_admin_fixture, seed_sites, today
from tests.support.hq_server import HQ

__all__ = ["hq_admin_fixture"]


def test_reports_are_projected_and_every_site_gets_a_status(hq_admin: HQ) -> None:
    sites = seed_sites(hq_admin, today(), "A")
    by_site = {s.site: s for s in admin.daily_reports(hq_admin.settings, today())}
    status = {role: by_site[code].status for role, code in sites.items()}
    assert status == {
        "zero": "zero",
        "report": "report",
        "missing": "missing",
        "inactive": "inactive",
    }
    (line,) = by_site[sites["report"]].reports
    assert (line.device, line.zero, line.denied, line.passages) == ("A-R1", False, 2, 6)
    devices = {d.device: d for d in by_site[sites["report"]].devices}
    assert devices["A-R1"].reported and not devices["A-R2"].reported
    assert devices["A-R1"].complete_through == 2 and devices["A-R1"].lag_seconds is not None
    assert devices["A-R2"].last_seen_at is None and devices["A-R2"].lag_seconds is None
    # The projection is a typed row keyed by the change, in the same store as the change.
    assert hq_admin.scalar("SELECT count(*) FROM hq_daily_report WHERE device_id = 'A-Z1'") == 1
    assert hq_admin.scalar("SELECT kind FROM hq_change WHERE device_id = 'A-Z1' AND seq = 2") == (
        "report.daily"
    )
    # Another day: nobody reported it.
    other = {
        s.site: s.status
        for s in admin.daily_reports(hq_admin.settings, today() - timedelta(days=9))
    }
    assert other[sites["zero"]] == "inactive"  # enrolled after that day: nothing was owed


def test_cli_lists_every_site_with_missing_in_capitals(hq_admin: HQ) -> None:
    sites = seed_sites(hq_admin, today(), "B")
    runner = CliRunner()
    args = ["hq", "reports", "--date", today().isoformat(), "--db", hq_admin.settings.database_url]
    result = runner.invoke(cli_app, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(sites["missing"] in line and "MISSING" in line for line in lines)
    assert any(sites["zero"] in line and "zero report" in line for line in lines)
    assert any("B-R1" in line and "2 denied" in line for line in lines)
    assert runner.invoke(cli_app, ["hq", "reports", "--date", "yesterday"]).exit_code == 2


def test_api_needs_the_admin_token(hq_admin: HQ) -> None:
    sites = seed_sites(hq_admin, today(), "C")
    url = hq_admin.url(f"/reports?date={today().isoformat()}")
    assert hq_admin.http.get(url).status_code == 401
    wrong = hq_admin.http.get(url, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized"
    answer = hq_admin.http.get(url, headers={"Authorization": f"Bearer {ADMIN}"})
    assert answer.status_code == 200
    status = {s["site"]: s["status"] for s in answer.json()}
    assert status[sites["missing"]] == "missing" and status[sites["zero"]] == "zero"
    bad = hq_admin.http.get(
        hq_admin.url("/reports?date=2026-13-01"), headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert bad.status_code == 400


def test_report_page_is_behind_the_token_escaped_and_scriptless(hq_admin: HQ) -> None:
    sites = seed_sites(hq_admin, today(), "D", name='<script>alert("x")</script>&')
    page = hq_admin.base_url + f"/reports?date={today().isoformat()}&lang=en"
    refused = hq_admin.http.get(page)
    assert refused.status_code == 401 and "Basic" in refused.headers["www-authenticate"]
    basic = base64.b64encode(f"hq:{ADMIN}".encode()).decode()
    wrong = base64.b64encode(b"hq:guess").decode()
    assert hq_admin.http.get(page, headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    answer = hq_admin.http.get(page, headers={"Authorization": f"Basic {basic}"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "script-src" not in answer.headers["content-security-policy"]  # default-src 'none'
    assert answer.headers["cache-control"] == "no-store"
    html = answer.text
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    assert f'data-site="{sites["missing"]}" data-status="missing"' in html


def test_a_real_terminal_closes_its_day_and_hq_lists_the_zero_report(
    hq_admin: HQ, gate: GateFixture
) -> None:
    ctx = gate.ctx
    day = datetime(2026, 11, 19).date()
    reports.close_day(ctx, day, gate.leader_id)
    code = admin.make_enroll_code(hq_admin.settings, "REAL")
    credentials = enroll(hq_admin.base_url, code.code, ctx.device_id, http=hq_admin.http)
    client = SyncClient(
        sync_io.ServicePorts(ctx), ctx.device_id, hq_admin.base_url, credentials.token
    )
    assert client.run_round().ok
    (site,) = [s for s in admin.daily_reports(hq_admin.settings, day) if s.site == "REAL"]
    assert site.status == "zero"
    (line,) = site.reports
    assert line.device == ctx.device_id and line.signed_name == "李娜" and line.zero
    assert line.signed_at == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
