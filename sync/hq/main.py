"""The HQ app factory and its server.

`create_hq_app(settings)` builds a stateless FastAPI app: all state is in the database, so
`serve(..., workers=N)` runs N uvicorn processes on one database. Each worker builds its
app with `app_from_env`, reading the settings `serve` exported as GATEUI_HQ_* variables.
Every error leaves as a protocol.Problem; bad input is a 4xx, never a 500.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from sync import protocol
from sync.hq.api.main import api_router
from sync.hq.core.config import HQSettings
from sync.hq.db import HQDatabase
from sync.hq.errors import Refusal, safe_text
from sync.hq.migrate import upgrade_to_head
from sync.hq.web.routes import router as web_router

log = logging.getLogger("gateui.hq")

_HTTP_CODES = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def _problem(
    code: str, message: str, status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    problem = protocol.Problem(error=code, message=safe_text(message))
    return JSONResponse(problem.model_dump(mode="json", exclude_none=True), status, headers)


async def _on_refusal(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return JSONResponse(exc.problem.model_dump(mode="json", exclude_none=True), exc.status)


async def _on_invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()
    )
    return _problem("bad_request", details or "invalid request", 400)


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal")
    return _problem(code, str(exc.detail), exc.status_code, exc.headers)


async def _on_database(_request: Request, exc: Exception) -> JSONResponse:
    # The database is down or busy beyond the timeout: a transient condition, retry later.
    log.warning("database unavailable: %s", exc)
    return _problem("unavailable", "HQ database busy or down; retry", 503, {"Retry-After": "5"})


async def _on_crash(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error", exc_info=exc)
    return _problem("internal", "internal error at HQ", 500)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, minus its default 422 validation answers: HQ answers 400 Problem."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            ref = str(responses.get("422", {}).get("content", {}).get("application/json", {}))
            if "HTTPValidationError" in ref:
                del responses["422"]
                responses.setdefault(
                    "400",
                    {
                        "description": "Problem: bad_request",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                )
    schemas = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    app.openapi_schema = schema
    return schema


def create_hq_app(settings: HQSettings | None = None) -> FastAPI:
    """The HQ receiver on the database of `settings` (upgraded to the newest schema)."""
    settings = settings or HQSettings()
    db = HQDatabase(settings)
    upgrade_to_head(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What was imported and built by now lives as long as the server: keep it out of
        # the collector's full passes, which each push's thousands of short-lived objects
        # set off (they cost ~10% of a push's time on PostgreSQL, bench_sync (c)).
        gc.collect()
        gc.freeze()
        yield
        db.dispose()

    app = FastAPI(
        title="GateUI HQ",
        version=f"protocol {protocol.PROTOCOL_VERSION}",
        description="Receives every site device's change log (push), publishes HQ-owned"
        " reference data (pull), enrolls devices. Errors are `Problem` JSON bodies.",
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.settings = settings
    app.include_router(api_router, prefix=protocol.API_PREFIX)
    app.include_router(web_router)  # GET /reports: the read-only daily-report page
    app.add_exception_handler(Refusal, _on_refusal)
    app.add_exception_handler(RequestValidationError, _on_invalid)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(OperationalError, _on_database)
    app.add_exception_handler(InterfaceError, _on_database)
    app.add_exception_handler(Exception, _on_crash)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """uvicorn factory for worker processes: settings from GATEUI_HQ_* variables."""
    return create_hq_app(HQSettings())


def serve(
    settings: HQSettings, host: str = "127.0.0.1", port: int = 8700, workers: int = 1
) -> None:
    """Run the receiver until interrupted (`gateui hq serve`)."""
    db = HQDatabase(settings)
    try:
        upgrade_to_head(db)  # once, before the workers start
    finally:
        db.dispose()
    if workers <= 1:
        uvicorn.run(create_hq_app(settings), host=host, port=port, log_level="info")
        return
    os.environ.update(settings.to_env())
    uvicorn.run(
        "sync.hq.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
