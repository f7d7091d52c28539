"""What every command shares: the global options, the environment they resolve to, and the
one way user errors end a command (a message in the user's language, exit code 1).

The global options are accepted both before the command (`gateui --lang en export …`) and
after it (`gateui export … --lang en`); the latter wins. Each is declared once, below; a
command takes those it accepts as one `opts: Options` parameter (`global_options`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar, cast

import typer

from gateui.cli.env import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Env,
    Options,
    _env_lang,
    echo_err,
    field_label,
    report_error,
    report_unexpected,
)
from gateui.config import Language
from gateui.errors import GateUIError
from gateui.i18n import Translator

if TYPE_CHECKING:  # SQLAlchemy loads with these; `gateui` alone must start without them
    from gateui.services.context import GateContext
    from gateui.services.views import UserView

# Re-exported: the commands take all of these from here.
__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Env",
    "Options",
    "echo_err",
    "field_label",
    "report_error",
]

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
LeaderPinOpt = Annotated[
    str | None,
    typer.Option("--pin", help="The leader's PIN; asked for (hidden) if absent."),
]

OptionName = Literal["data_dir", "config", "lang", "checkpoint"]
_GLOBAL_OPTIONS: dict[OptionName, Any] = {
    "data_dir": DataDirOpt,
    "config": ConfigOpt,
    "lang": LangOpt,
    "checkpoint": CheckpointOpt,
}
Command = TypeVar("Command", bound=Callable[..., None])


def global_options(*names: OptionName) -> Callable[[Command], Command]:
    """Give a command the global options `names` (default: all four) in place of its
    `opts: Options` parameter, so that each option is declared once (above) and the
    command receives them as one `Options`.

    typer reads a command's parameters through inspect.signature, which honours
    `__signature__`: typer sees the options themselves where `opts` stands, and the help
    and the parsing are those of a command that lists them in its own signature. The
    command's annotations are resolved here, so the names they use must be defined above it.
    """
    chosen = names or tuple(_GLOBAL_OPTIONS)

    def decorate(command: Command) -> Command:
        signature = inspect.signature(command, eval_str=True)
        params = list(signature.parameters.values())
        at = next(i for i, p in enumerate(params) if p.name == "opts")
        options = [
            params[at].replace(name=name, annotation=_GLOBAL_OPTIONS[name], default=None)
            for name in chosen
        ]
        params[at : at + 1] = options

        @functools.wraps(command)
        def with_options(*args: Any, **kwargs: Any) -> None:
            given = {name: kwargs.pop(name, None) for name in chosen}
            command(*args, opts=Options(**given), **kwargs)

        shown = signature.replace(parameters=params)
        with_options.__signature__ = shown  # type: ignore[attr-defined]
        with_options.__annotations__ = {p.name: p.annotation for p in params} | {
            "return": signature.return_annotation
        }
        return cast(Command, with_options)

    return decorate


def root_options(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Options) else Options()


def fail(t: Translator, key: str, /, **params: Any) -> NoReturn:
    """End the command: the message `key` in the user's language on stderr, exit code 1."""
    echo_err(t(key, **params))
    raise typer.Exit(EXIT_ERROR)


def signing_leader(gate: GateContext, t: Translator, badge: str, pin: str | None) -> UserView:
    """The leader who signs a command by badge and PIN (asked for, hidden, when not given);
    a wrong PIN or a user who is no leader is a GateUIError, the attempt recorded."""
    from gateui.services.auth import verify_leader

    if pin is None:
        pin = typer.prompt(t("cli.leader_pin_prompt"), hide_input=True)
    return verify_leader(gate, badge.strip(), pin.strip())


@contextmanager
def command_env(ctx: typer.Context, local: Options | None = None) -> Iterator[Env]:
    """Resolve the options of a command (its own `local` ones over those given before it)
    and turn every GateUIError into exit code 1."""
    opts = (local or Options()).over(root_options(ctx))
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
        report_unexpected(exc)
