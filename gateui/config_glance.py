"""A glance at the terminal's settings and site file with the standard library only.

`gateui` paints its login screen before it loads pydantic (about 80 ms of CPU, a quarter of
the start; scripts/bench_cold.py), as it paints it before it opens the database
(`gateui.services.startup`). The first screen needs few facts: where the data is, the
language, the theme, the site's name and time zone, this terminal's checkpoint and its idle
lock. `glance_start` reads exactly those from the environment and the TOML file, and only
when every one of them is plainly valid as written: a value pydantic would coerce or refuse,
an unreadable file, an unknown checkpoint, an ambiguous variable, all answer None, and the
terminal then validates everything before its first screen, as it always did.

When the glance succeeds, `gateui.config` still validates the whole file (behind the login
screen, before the database opens); a file it refuses stops the terminal with the same
message and exit code as before. The defaults below are the single source of
`gateui.config.SiteConfig`'s defaults, and a test checks that a glance and a validation of
the same file agree.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import platformdirs

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
ENV_PREFIX = "GATEUI_"
SITE_FILE_NAME = "site.toml"
DB_FILE_NAME = "gate.db"

DEFAULT_SITE_NAME = "演示矿区"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_LANGUAGE: Language = "zh"
DEFAULT_CHECKPOINTS = (("N1", "北门"), ("S1", "南门"))
DEFAULT_IDLE_LOCK_SECONDS = 300
MIN_IDLE_LOCK_SECONDS = 10


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("gateui", appauthor=False))


class CheckpointNamed(Protocol):
    @property
    def name(self) -> str: ...


class FirstScreenSite(Protocol):
    """What the app reads of the site before its database is open: a `SiteConfig`, or a
    `SiteFace` glanced from the same file."""

    @property
    def name(self) -> str: ...
    @property
    def zone(self) -> ZoneInfo: ...
    @property
    def high_contrast(self) -> bool: ...
    @property
    def idle_lock_seconds(self) -> int: ...
    def checkpoint(self, code: str | None) -> CheckpointNamed: ...


@dataclass(frozen=True)
class CheckpointFace:
    code: str
    name: str


@dataclass(frozen=True)
class SiteFace:
    """The first screen's share of a site file, with `SiteConfig`'s names for it."""

    name: str
    timezone: str
    language: Language
    high_contrast: bool
    idle_lock_seconds: int
    checkpoints: tuple[CheckpointFace, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def checkpoint(self, code: str | None) -> CheckpointFace:
        """The checkpoint of that code (the first for None); the glance made sure it exists."""
        return next(c for c in self.checkpoints if code is None or c.code == code)


@dataclass(frozen=True)
class StartGlance:
    """Everything `gateui` needs to paint its first screen."""

    home: Path
    config_path: Path
    lang: Language
    checkpoint_code: str
    site: SiteFace

    @property
    def db_path(self) -> Path:
        return self.home / DB_FILE_NAME


def _environment(environ: Mapping[str, str]) -> dict[str, str] | None:
    """GATEUI_* variables by lower-cased name, as pydantic-settings reads them (case
    insensitive); None when two spellings of one name disagree."""
    found: dict[str, str] = {}
    for key, value in environ.items():
        name = key.lower()
        if not name.startswith(ENV_PREFIX.lower()):
            continue
        if found.get(name, value) != value:
            return None
        found[name] = value
    return found


def _site_table(path: Path) -> dict[str, Any] | None:
    """The file's site table ({} for the default file that is not there), None if doubtful."""
    if not path.exists():
        return {} if path.name == SITE_FILE_NAME else None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    site = data.get("site", data)
    return site if isinstance(site, dict) else None


def _exact(table: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    """The value if it has exactly that type (bool is not an int here), else a marker."""
    value = table.get(key, default)
    return value if type(value) is kind else _DOUBTFUL


_DOUBTFUL = object()


def _checkpoints(table: dict[str, Any]) -> tuple[CheckpointFace, ...] | None:
    if "checkpoints" not in table:
        return tuple(CheckpointFace(code, name) for code, name in DEFAULT_CHECKPOINTS)
    raw = table["checkpoints"]
    if type(raw) is not list or not raw:
        return None
    faces: list[CheckpointFace] = []
    for item in raw:
        if type(item) is not dict:
            return None
        code, name = item.get("code"), item.get("name")
        if type(code) is not str or type(name) is not str:
            return None
        faces.append(CheckpointFace(code, name))
    if len({c.code for c in faces}) != len(faces):
        return None
    return tuple(faces)


def glance_site(table: dict[str, Any]) -> SiteFace | None:
    """The first screen's facts of a site table, None unless all are plainly valid."""
    name = _exact(table, "name", str, DEFAULT_SITE_NAME)
    timezone = _exact(table, "timezone", str, DEFAULT_TIMEZONE)
    language = table.get("language", DEFAULT_LANGUAGE)
    high_contrast = _exact(table, "high_contrast", bool, False)
    idle = _exact(table, "idle_lock_seconds", int, DEFAULT_IDLE_LOCK_SECONDS)
    checkpoints = _checkpoints(table)
    if _DOUBTFUL in (name, timezone, high_contrast, idle) or checkpoints is None:
        return None
    if language not in LANGUAGES or idle < MIN_IDLE_LOCK_SECONDS:
        return None
    try:
        ZoneInfo(timezone)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None
    return SiteFace(name, timezone, language, high_contrast, idle, checkpoints)


def glance_start(
    data_dir: Path | None = None,
    config: Path | None = None,
    lang: str | None = None,
    checkpoint: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> StartGlance | None:
    """The first screen's facts from the root options (as `gateui.cli.fast_options` parsed
    them), the environment and the site file, resolved as `gateui.cli.env.Env` resolves
    them; None for anything doubtful."""
    env = _environment(os.environ if environ is None else environ)
    if env is None:
        return None
    home_var = env.get("gateui_home")
    env_lang = env.get("gateui_lang")
    if home_var == "" or (env_lang is not None and env_lang not in LANGUAGES):
        return None
    home = data_dir or (Path(home_var) if home_var is not None else default_data_dir())
    config_path = config or home / SITE_FILE_NAME
    table = _site_table(config_path)
    site = None if table is None else glance_site(table)
    if site is None:
        return None
    chosen = lang or env_lang or site.language
    if chosen not in LANGUAGES:
        return None
    code = checkpoint or env.get("gateui_checkpoint")
    if code is not None and code not in {c.code for c in site.checkpoints}:
        return None
    language: Language = "en" if chosen == "en" else "zh"
    return StartGlance(home, config_path, language, site.checkpoint(code).code, site)
