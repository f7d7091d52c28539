"""GET /reports: the daily-report page, read-only, for the people at HQ.

It shows every site and device, so it is behind the admin token (GATEUI_HQ_ADMIN_TOKEN):
a browser sends it as the password of HTTP Basic authentication (any user name; the
browser asks for it once), a monitor may send `Bearer <token>`. Without a configured admin
token the page is off (401). Answers forbid scripts, framing and caching (CSP and friends).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from sync.hq import crud, reports
from sync.hq.api.deps import AuthorizationDep, DbDep, SettingsDep
from sync.hq.web.page import render_reports_page

router = APIRouter(include_in_schema=False)

REALM = 'Basic realm="GateUI HQ", charset="UTF-8"'
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def page_admin(admin_token: str, authorization: str | None) -> bool:
    """The admin token as Bearer, or as the password of HTTP Basic authentication."""
    if not admin_token or not authorization:
        return False
    if authorization.startswith("Bearer "):
        return crud.is_admin(admin_token, authorization)
    if not authorization.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    _user, sep, password = decoded.partition(":")
    return bool(sep) and hmac.compare_digest(password.encode(), admin_token.encode())


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    db: DbDep,
    settings: SettingsDep,
    authorization: AuthorizationDep,
    day: Annotated[date | None, Query(alias="date")] = None,
    lang: Literal["zh", "en"] = "zh",
) -> HTMLResponse:
    """The page for `date` (default: yesterday, UTC), in Chinese or English."""
    if not settings.admin_token:
        raise HTTPException(401, "the report page needs GATEUI_HQ_ADMIN_TOKEN set at HQ")
    if not page_admin(settings.admin_token, authorization):
        raise HTTPException(401, "the admin token is needed", headers={"WWW-Authenticate": REALM})
    day = day or (datetime.now(UTC).date() - timedelta(days=1))
    html = render_reports_page(reports.site_days(db, day), day, lang)
    return HTMLResponse(html, headers=SECURITY_HEADERS)
