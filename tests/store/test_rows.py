"""store.rows: the save path's shortcuts give exactly what SQLAlchemy and pydantic give."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter
from sqlalchemy.dialects import sqlite

from gateui.store.models import ChangeLog, Entry, Presence
from gateui.store.rows import converter, json_datetime, table_of
from gateui.store.types import UTCDateTime

_PYDANTIC = TypeAdapter(datetime)
_SQLITE = sqlite.dialect()
# SQLAlchemy's own conversion, made afresh: what the ORM would store.
_STORED = UTCDateTime().dialect_impl(_SQLITE).bind_processor(_SQLITE)
_aware = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@given(_aware)
def test_utc_timestamps_are_written_as_pydantic_writes_them(at: datetime) -> None:
    assert json_datetime(at) == _PYDANTIC.dump_python(at, mode="json")


def test_other_zones_still_go_through_pydantic() -> None:
    for tz in (timezone(timedelta(hours=8)), ZoneInfo("UTC"), ZoneInfo("Asia/Shanghai")):
        at = datetime(2026, 11, 20, 9, 30, 0, 120, tzinfo=tz)
        assert json_datetime(at) == _PYDANTIC.dump_python(at, mode="json")


@given(_aware, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_a_timestamp_is_stored_as_the_column_type_stores_it(at: datetime, minutes: int) -> None:
    """The shared converter of UTCDateTime columns, asked twice about one object (as a save
    does for its entry, presence and change) or about an equal one in another zone."""
    assert _STORED is not None
    convert = converter(table_of(Entry), "at")
    text = convert(at)
    assert text == _STORED(at)
    assert convert(at) == text
    assert converter(table_of(Presence), "since")(at) == text
    assert converter(table_of(ChangeLog), "at")(at) == text
    other = at.astimezone(timezone(timedelta(minutes=minutes)))
    assert convert(other) == text


def test_threads_never_get_another_timestamps_text() -> None:
    convert = converter(table_of(Entry), "at")
    base = datetime(2026, 11, 20, tzinfo=UTC)
    wrong: list[datetime] = []

    def work(offset: int) -> None:
        for i in range(2_000):
            at = base + timedelta(seconds=offset * 10_000 + i)
            if convert(at) != at.strftime("%Y-%m-%d %H:%M:%S.%f"):  # years > 999
                wrong.append(at)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
