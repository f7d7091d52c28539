"""Collect the route modules under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from sync.hq.api.routes import enroll, pull, push, reports, status

api_router = APIRouter()
for module in (enroll, push, pull, status, reports):
    api_router.include_router(module.router)
