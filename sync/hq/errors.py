"""Refusals: every error HQ answers is a protocol.Problem with a stable code and an HTTP status."""

from __future__ import annotations

import re

from sync.protocol import Problem, ProtocolError

# Problem code -> HTTP status (the client classifies by both).
STATUS_OF: dict[str, int] = {
    "bad_request": 400,
    "bad_encoding": 400,
    "version": 400,
    "bad_enrollment": 400,
    "unauthorized": 401,
    "revoked": 403,
    "wrong_device": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "gap": 409,
    "conflict": 409,
    "too_large": 413,
    "chain_mismatch": 422,
    "internal": 500,
    "unavailable": 503,
}

_DEVICE_ID = re.compile(r"[A-Za-z0-9._-]{1,32}")
_KIND = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def safe_text(text: str, limit: int = 500) -> str:
    """Text any database and any JSON encoder accepts: no NUL, no lone surrogate, bounded."""
    cleaned = text.replace("\x00", "\\0").encode("utf-8", "backslashreplace").decode("utf-8")
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def valid_device_id(device_id: str) -> bool:
    return _DEVICE_ID.fullmatch(device_id) is not None


def valid_kind(kind: str) -> bool:
    return _KIND.fullmatch(kind) is not None


class Refusal(Exception):
    """A request HQ refuses: raised anywhere, answered as its Problem with its status."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        expected_seq: int | None = None,
        acked_seq: int | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status or STATUS_OF.get(code, 400)
        self.problem = Problem(
            error=code, message=safe_text(message), expected_seq=expected_seq, acked_seq=acked_seq
        )

    @property
    def code(self) -> str:
        return self.problem.error

    @classmethod
    def from_protocol(cls, exc: ProtocolError) -> Refusal:
        return cls(exc.code, str(exc))

    def __str__(self) -> str:
        return f"{self.problem.error}: {self.problem.message}"
