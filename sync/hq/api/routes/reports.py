"""GET /reports: every site's daily report (or zero report, or none) for a day, as JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from sync.hq import crud, reports
from sync.hq.api.deps import AuthorizationDep, DbDep, SettingsDep, problem_responses
from sync.hq.errors import Refusal

router = APIRouter(tags=["reports"])

ADMIN_ONLY = "send Authorization: Bearer <admin token> (GATEUI_HQ_ADMIN_TOKEN at HQ)"


@router.get(
    "/reports",
    response_model=list[reports.SiteDay],
    responses=problem_responses("bad_request", "unauthorized"),
    summary="Every site's daily report for a day, with its devices' completeness",
)
def daily_reports(
    db: DbDep,
    settings: SettingsDep,
    authorization: AuthorizationDep,
    day: Annotated[date, Query(alias="date", description="the day, YYYY-MM-DD")],
) -> list[reports.SiteDay]:
    """Status per site: `report`, `zero` (nothing abnormal), `missing` (expected: the site
    has an enrolled, non-revoked device) or `inactive`. Needs the admin token."""
    if not crud.is_admin(settings.admin_token, authorization):
        raise Refusal("unauthorized", ADMIN_ONLY)
    return reports.site_days(db, day)
