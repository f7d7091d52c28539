"""The environment of one command, without typer: `gateui` alone starts the gate terminal
through `gateui.cli.main`'s fast path, which must not load typer, click or the commands,
nor pydantic until its first screen is painted (`gateui.config_glance`): this module loads
`gateui.config` only when an `Env` is made.

`gateui.cli.common` re-exports all of this to the commands.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from gateui.config_glance import Language
from gateui.errors import ConfigError, GateUIError
from gateui.i18n import Translator

if TYPE_CHECKING:  # pydantic and SQLAlchemy load with these, after the first screen
    import pydantic

    from gateui.config import SiteConfig
    from gateui.services.context import GateContext

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass(frozen=True)
class Options:
    data_dir: Path | None = None
    config: Path | None = None
    lang: str | None = None
    checkpoint: str | None = None

    def over(self, base: Options) -> Options:
        """These options, falling back to `base` (the ones given before the command)."""
        return Options(
            **{f.name: getattr(self, f.name) or getattr(base, f.name) for f in fields(self)}
        )


class Env:
    """The resolved environment of one command; the site file and database open lazily."""

    def __init__(self, opts: Options) -> None:
        import pydantic

        from gateui.config import AppSettings

        self.opts = opts
        self._site: SiteConfig | None = None
        self._gate: GateContext | None = None
        try:
            self.settings = AppSettings(home=opts.data_dir) if opts.data_dir else AppSettings()
        except pydantic.ValidationError as exc:
            raise ConfigError("cli.bad_environment", detail=_first_error(exc)) from exc
        self.config_path = opts.config or self.settings.home / "site.toml"
        self.config_given = opts.config is not None

    @property
    def site(self) -> SiteConfig:
        if self._site is None:
            from gateui.config import load_site_config

            self._site = load_site_config(self.config_path)
        return self._site

    @property
    def lang(self) -> Language:
        chosen = self.opts.lang or self.settings.lang
        if chosen is not None:
            return cast(Language, chosen.lower())
        return self.site.language

    @property
    def t(self) -> Translator:
        return Translator(self.lang)

    @property
    def checkpoint(self) -> str | None:
        return self.opts.checkpoint or self.settings.checkpoint

    def gate(self, create: bool = True) -> GateContext:
        """Open (create or upgrade) the gate database of this data directory.

        With create=False a missing database is an error: reading commands must not
        invent an empty site because of a mistyped --data-dir.
        """
        if self._gate is None:
            site = self.site  # a broken site file is reported first
            if not create and not self.settings.db_path.exists():
                raise ConfigError("cli.no_database", path=str(self.settings.db_path))
            from gateui.services.context import open_gate

            self._gate = open_gate(self.settings.db_path, site, self.checkpoint)
        return self._gate

    def close(self) -> None:
        if self._gate is not None:
            self._gate.db.dispose()
            self._gate = None

    def fallback_lang(self) -> Language:
        """The language for an error raised while the site file itself may be unreadable."""
        try:
            return self.lang
        except GateUIError:
            return _env_lang(self.opts)


def _env_lang(opts: Options) -> Language:
    chosen = (opts.lang or os.environ.get("GATEUI_LANG") or "zh").lower()
    return "en" if chosen == "en" else "zh"


def _first_error(exc: pydantic.ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ()))
    return f"GATEUI_{where.upper()}: {err.get('msg', '')}" if where else str(err.get("msg", ""))


def echo_err(text: str) -> None:
    # What typer.echo(text, err=True) does for plain text, without loading click.
    print(text, file=sys.stderr, flush=True)


def report_error(t: Translator, exc: GateUIError) -> None:
    title, message = t.error(exc)
    echo_err(t("cli.error_line", title=title, message=message))
    from gateui.services.registry import FormError

    if isinstance(exc, FormError):
        for name, err in exc.fields.items():
            echo_err(f"  {field_label(t, name)}: {t(err.code, **err.params)}")


def field_label(t: Translator, name: str) -> str:
    key = f"cli.field.{name}"
    return t(key) if t.has(key) else name


def report_unexpected(exc: BaseException) -> NoReturn:
    """The last resort of a program that must not crash loudly: one line, exit code 1."""
    if os.environ.get("GATEUI_DEBUG"):
        traceback.print_exception(exc)
    t = Translator(_env_lang(Options(lang=_argv_lang(sys.argv[1:]))))
    detail = t("error.unexpected", detail=f"{type(exc).__name__}: {exc}")
    echo_err(t("cli.error_line", title=t("error.title"), message=detail))
    echo_err(t("cli.debug_hint"))
    sys.exit(EXIT_ERROR)


def _argv_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None
