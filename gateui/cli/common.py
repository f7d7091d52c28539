"""What every command shares: the global options, the environment they resolve to, and the
one way user errors end a command (a message in the user's language, exit code 1).

The global options are accepted both before the command (`gateui --lang en export …`) and
after it (`gateui export … --lang en`); the latter wins.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, cast

import pydantic
import typer

from gateui.config import AppSettings, Language, SiteConfig, load_site_config
from gateui.errors import ConfigError, GateUIError
from gateui.i18n import Translator

if TYPE_CHECKING:  # SQLAlchemy loads with these; `gateui` alone must start without them
    from gateui.services.context import GateContext

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Data directory (gate.db, site.toml). Default: $GATEUI_HOME, else the user data dir.",
        show_default=False,
        file_okay=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Site TOML file. Default: <data-dir>/site.toml.",
        show_default=False,
        dir_okay=False,
    ),
]
LangOpt = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="Language of messages: zh or en. Default: $GATEUI_LANG, else the site's.",
        case_sensitive=False,
        show_default=False,
    ),
]
CheckpointOpt = Annotated[
    str | None,
    typer.Option(
        "--checkpoint",
        help="Checkpoint code of this terminal. Default: the site's first.",
        show_default=False,
    ),
]


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


def _argv_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _first_error(exc: pydantic.ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ()))
    return f"GATEUI_{where.upper()}: {err.get('msg', '')}" if where else str(err.get("msg", ""))


def root_options(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Options) else Options()


def echo_err(text: str) -> None:
    typer.echo(text, err=True)


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


def fail(t: Translator, key: str, /, **params: Any) -> NoReturn:
    echo_err(t(key, **params))
    raise typer.Exit(EXIT_ERROR)


@contextmanager
def command_env(ctx: typer.Context, **local: Any) -> Iterator[Env]:
    """Resolve the options of a command and turn every GateUIError into exit code 1."""
    opts = Options(**local).over(root_options(ctx))
    env: Env | None = None
    try:
        env = Env(opts)
        yield env
    except GateUIError as exc:
        lang = env.fallback_lang() if env is not None else _env_lang(opts)
        report_error(Translator(lang), exc)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        if env is not None:
            env.close()


def run_app(app: typer.Typer) -> None:
    """Run the typer app as a program: unexpected errors get one line, not a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException as exc:  # the last resort of a program that must not crash loudly
        if os.environ.get("GATEUI_DEBUG"):
            traceback.print_exc()
        t = Translator(_env_lang(Options(lang=_argv_lang(sys.argv[1:]))))
        detail = t("error.unexpected", detail=f"{type(exc).__name__}: {exc}")
        echo_err(t("cli.error_line", title=t("error.title"), message=detail))
        echo_err(t("cli.debug_hint"))
        sys.exit(EXIT_ERROR)
