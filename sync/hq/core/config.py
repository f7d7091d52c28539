"""Settings of the HQ receiver, from GATEUI_HQ_* environment variables or passed in.

The same settings object drives `create_hq_app`, the admin functions and `serve`; `serve`
hands it to uvicorn's worker processes through the environment (see `to_env`).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "GATEUI_HQ_"


def default_database_url() -> str:
    path = Path(platformdirs.user_data_dir("gateui", appauthor=False)) / "hq.db"
    return f"sqlite:///{path}"


class HQSettings(BaseSettings):
    """How one HQ installation runs. Every field has a default, so `HQSettings()` works."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    database_url: str = Field(default_factory=default_database_url)
    """SQLAlchemy URL of HQ's database (GATEUI_HQ_DATABASE_URL). A plain file path means
    an SQLite file; production uses `postgresql+psycopg://user@host/db`."""

    public_url: str = ""
    """The URL sites use to reach this HQ, e.g. `https://hq.example.com`; put into the
    enrollment QR code so a terminal needs only to scan it. Empty: the QR holds the code."""

    enroll_code_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    """How long a new enrollment code stays valid when the caller gives no TTL."""

    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    """Largest request body accepted, compressed or not (larger: 413 too_large)."""

    pull_page_limit: int = Field(default=2_000, ge=1, le=10_000)
    """Most reference items one pull page may carry (the client's `limit` is capped)."""

    admin_token: str = ""
    """A bearer token that lets a monitor read `GET /status` for every device. Empty:
    `/status` answers each device about itself only."""

    sql_echo: bool = False
    """Log every SQL statement (debugging only)."""

    @field_validator("database_url")
    @classmethod
    def _path_means_sqlite(cls, value: str) -> str:
        value = value.strip()
        for plain in ("postgresql://", "postgres://"):
            if value.startswith(plain):  # the driver HQ ships with is psycopg 3
                return "postgresql+psycopg://" + value[len(plain) :]
        if "://" in value:
            return value
        return f"sqlite:///{Path(value).expanduser().resolve()}"

    def to_env(self) -> dict[str, str]:
        """These settings as environment variables, for worker processes to read back."""
        return {
            ENV_PREFIX + name.upper(): str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in self.model_dump().items()
        }
