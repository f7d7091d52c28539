"""What every `gateui hq …` command shares: the --db option and the HQ database it names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from gateui.cli.common import fail
from gateui.i18n import Translator
from sync.hq.core.config import HQSettings

if TYPE_CHECKING:  # the HQ tables load only when a command opens the database
    from sync.hq.db import HQDatabase

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or postgresql+psycopg:// URL ($GATEUI_HQ_DATABASE_URL)."
    ),
]


def hq_settings(db: str | None) -> HQSettings:
    """The settings of the HQ database `--db` names, else $GATEUI_HQ_DATABASE_URL's."""
    return HQSettings(database_url=db) if db else HQSettings()


@contextmanager
def open_hq(db: str | None, t: Translator) -> Iterator[HQDatabase]:
    """The HQ database `--db` names, upgraded to the newest schema and disposed on exit; a
    site or pass key that HQ's publishing refuses inside ends the command with a message
    in the user's language (exit code 1)."""
    from sync.hq.db import open_database
    from sync.hq.reference import UnknownSiteError
    from sync.hq.site_reference import PassKeyRevokedError, UnknownPassKeyError

    try:
        with open_database(hq_settings(db)) as hq:
            yield hq
    except UnknownSiteError as exc:
        fail(t, "cli.hq.unknown_site", site=exc.site)
    except PassKeyRevokedError as exc:
        fail(t, "cli.hq.key_was_revoked", key_id=exc.key_id)
    except UnknownPassKeyError as exc:
        fail(t, "cli.hq.no_such_key", key_id=exc.key_id)
