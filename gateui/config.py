"""Settings of one terminal (environment) and of one site (a TOML file).

`AppSettings` comes from the environment (GATEUI_*), `SiteConfig` from the site's TOML file
given with --config or found as `site.toml` in the data directory. Both are injected into
the app factory, the CLI and the tests alike (posting's pattern).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateui.config_glance import (
    DB_FILE_NAME,
    DEFAULT_CHECKPOINTS,
    DEFAULT_IDLE_LOCK_SECONDS,
    DEFAULT_LANGUAGE,
    DEFAULT_SITE_NAME,
    DEFAULT_TIMEZONE,
    MIN_IDLE_LOCK_SECONDS,
    SITE_FILE_NAME,
    Language,
    default_data_dir,
)
from gateui.domain.permits import PermitConfig
from gateui.domain.roster.config import RosterConfig
from gateui.errors import ConfigError

__all__ = ["AppSettings", "CheckpointConfig", "Language", "SiteConfig", "load_site_config"]


class AppSettings(BaseSettings):
    """Per-terminal settings, read from GATEUI_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="GATEUI_", extra="ignore")

    home: Path = Field(default_factory=default_data_dir)
    """Data directory holding gate.db and site.toml (GATEUI_HOME)."""

    lang: Language | None = None
    """Interface language; overrides the site file's language when set (GATEUI_LANG)."""

    checkpoint: str | None = None
    """Code of the checkpoint this terminal stands at; defaults to the site's first."""

    @property
    def db_path(self) -> Path:
        return self.home / DB_FILE_NAME


class CheckpointConfig(BaseModel):
    code: str
    """Short code printed on reports, e.g. "N1"."""
    name: str
    """Name shown on screen, e.g. "北门"."""


class SiteConfig(BaseModel):
    """What a site's TOML file says. Every field has a default, so an empty file works."""

    code: str = "SITE"
    """Site code used by HQ to tell sites apart."""
    name: str = DEFAULT_SITE_NAME
    """Site name shown in the header."""
    timezone: str = DEFAULT_TIMEZONE
    """Zone in which times are shown and shifts are cut; storage is always UTC."""
    language: Language = DEFAULT_LANGUAGE
    """Default interface language of the site."""
    checkpoints: list[CheckpointConfig] = Field(
        default_factory=lambda: [
            CheckpointConfig(code=code, name=name) for code, name in DEFAULT_CHECKPOINTS
        ]
    )
    """The site's gates."""
    checklist: list[dict[str, Any]] | None = None
    """Checklist items; None means the default "two checks, one question" set."""
    idle_lock_seconds: int = Field(default=DEFAULT_IDLE_LOCK_SECONDS, ge=MIN_IDLE_LOCK_SECONDS)
    """The gate screen locks after this many seconds without a key press."""
    pin_max_failures: int = Field(default=5, ge=1)
    """Wrong PINs in a row before the account is locked for a while."""
    pin_lockout_seconds: int = Field(default=300, ge=1)
    """How long a locked account stays locked."""
    high_contrast: bool = False
    """Use the high-contrast theme (sunlight, Linux console)."""
    permits: PermitConfig = Field(default_factory=PermitConfig)
    """Who needs a two-signature exit permit to leave the site."""
    privacy_days: int = Field(default=90, ge=1)
    """Days after which `gateui privacy purge` replaces the health answers and full ID
    numbers of entries HQ has acknowledged by markers (counts and passages stay)."""
    roster: RosterConfig = Field(default_factory=RosterConfig)
    """Shift pattern, cover per checkpoint and shift, and the roster's rules."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _unique_checkpoints(self) -> SiteConfig:
        codes = [c.code for c in self.checkpoints]
        if not codes:
            raise ValueError("a site needs at least one checkpoint")
        if len(set(codes)) != len(codes):
            raise ValueError("checkpoint codes must be unique")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def checkpoint(self, code: str | None) -> CheckpointConfig:
        if code is None:
            return self.checkpoints[0]
        for cp in self.checkpoints:
            if cp.code == code:
                return cp
        raise ConfigError("config.unknown_checkpoint", code=code)


def load_site_config(path: Path | None) -> SiteConfig:
    """Read a site file; a missing default file means the defaults."""
    if path is None or not path.exists():
        if path is not None and path.name != SITE_FILE_NAME:
            raise ConfigError("config.missing_file", path=str(path))
        return SiteConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return SiteConfig.model_validate(data.get("site", data))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config.bad_toml", path=str(path), detail=str(exc)) from exc
    except ValidationError as exc:
        raise ConfigError("config.invalid", path=str(path), detail=str(exc)) from exc
