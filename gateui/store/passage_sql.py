"""The gate's save path in plain SQL: what judging a passage needs, in one read, and the
entry and presence writes (store.rows says why not the ORM's unit of work).

Every read is a primary-key or indexed-equality lookup; the watch list is folded into the
subject's row by a correlated subquery on its indexed column.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from gateui.store.changelog import TAIL_SQL
from gateui.store.db import SqlTx
from gateui.store.models import (
    AppUser,
    Entry,
    Person,
    Presence,
    SiteSetting,
    Vehicle,
    WatchEntry,
)
from gateui.store.rows import RowInserter, converter, table_of

_ENTRY = RowInserter(table_of(Entry))
_SINCE = converter(table_of(Presence), "since")
# Table names as the models declare them (SQLModel's default is the lower-cased class name).
_PERSON, _VEHICLE, _WATCH, _PRESENCE, _USER, _SETTING = (
    table_of(m).name for m in (Person, Vehicle, WatchEntry, Presence, AppUser, SiteSetting)
)


class SubjectFacts(NamedTuple):
    """A person or vehicle as the gate judges it at save time (a named tuple: built on
    every save, cheaper than a frozen dataclass)."""

    id: str
    label: str  # the person's name, the vehicle's plate
    id_number: str | None  # people only
    kind: str
    status: str
    watch: tuple[str, ...]  # reasons of active watch-list entries, in index order
    present_entry_id: str | None  # the entry that put them on site, if they are


# A watch entry matches on the full ID number (never an empty one) or on the plate key.
# The person's columns (parameter: the presence key), for both reads of a person below.
_PERSON_COLUMNS = f"""p.name, p.id_number, p.kind, p.status,
       CASE WHEN ifnull(p.id_number, '') = '' THEN '[]' ELSE
           (SELECT json_group_array(w.reason) FROM {_WATCH} AS w
            WHERE w.id_number = p.id_number AND w.active = 1) END,
       (SELECT r.entry_id FROM {_PRESENCE} AS r WHERE r.subject_key = ?)"""
_PERSON_SQL = f"SELECT {_PERSON_COLUMNS} FROM {_PERSON} AS p WHERE p.id = ?"
_VEHICLE_SQL = f"""
SELECT v.plate, v.kind, v.status,
       (SELECT json_group_array(w.reason) FROM {_WATCH} AS w
        WHERE w.plate_key = v.plate_key AND w.active = 1),
       (SELECT r.entry_id FROM {_PRESENCE} AS r WHERE r.subject_key = ?)
FROM {_VEHICLE} AS v WHERE v.id = ?
"""
# The gate's save reads everything it needs before writing in this one statement: the
# person as above, the change log's tail (changelog.TAIL_SQL, one index seek each for its
# two columns) and a site setting row (the checklist): ~8 µs instead of ~14 µs for three
# statements, each a round trip through the sqlite3 module.
_PERSON_SAVE_SQL = f"""
SELECT {_PERSON_COLUMNS},
       (SELECT seq FROM ({TAIL_SQL})), (SELECT hash FROM ({TAIL_SQL})),
       s.cursor, s.value
FROM {_PERSON} AS p LEFT JOIN {_SETTING} AS s ON s.key = ?
WHERE p.id = ?
"""
_PRESENCE_SQL = f"SELECT entry_id FROM {_PRESENCE} WHERE subject_key = ?"
_SET_PRESENCE_SQL = (
    f"INSERT INTO {_PRESENCE} (subject_key, entry_id, since) VALUES (?, ?, ?)"
    " ON CONFLICT (subject_key) DO UPDATE SET entry_id = excluded.entry_id,"
    " since = excluded.since"
)
_CLEAR_PRESENCE_SQL = f"DELETE FROM {_PRESENCE} WHERE subject_key = ?"
_USER_SQL = f"SELECT role, active FROM {_USER} WHERE id = ?"
_SETTING_SQL = f"SELECT cursor, value FROM {_SETTING} WHERE key = ?"


def _reasons(watch: str) -> tuple[str, ...]:
    # Most people are on no watch list: skip the JSON parser for its empty array.
    return () if watch == "[]" else tuple(json.loads(watch))


def presence_key(subject: str, subject_id: str) -> str:
    return f"{subject[0]}:{subject_id}"


def person_facts(tx: SqlTx, person_id: str) -> SubjectFacts | None:
    key = presence_key("person", person_id)
    row = tx.conn.execute(_PERSON_SQL, (key, person_id)).fetchone()
    if row is None:
        return None
    name, id_number, kind, status, watch, present = row
    return SubjectFacts(person_id, name, id_number, kind, status, _reasons(watch), present)


class SaveFacts(NamedTuple):
    """`person_save_facts`: the person, and what else the save needs, read at once."""

    person: SubjectFacts
    tail: tuple[int | None, str | None]  # the device's newest change (None: no change yet)
    setting: tuple[int, str] | None  # (cursor, value) of the setting asked for, if any


def person_save_facts(
    tx: SqlTx, person_id: str, device_id: str, setting_key: str
) -> SaveFacts | None:
    """`person_facts`, the change log's tail for `device_id` (for changelog.remember_tail)
    and `setting_row(setting_key)`, in one statement; None if there is no such person."""
    key = presence_key("person", person_id)
    params = (key, device_id, device_id, setting_key, person_id)
    row = tx.conn.execute(_PERSON_SAVE_SQL, params).fetchone()
    if row is None:
        return None
    name, id_number, kind, status, watch, present, seq, link_hash, cursor, value = row
    person = SubjectFacts(person_id, name, id_number, kind, status, _reasons(watch), present)
    setting = None if cursor is None else (int(cursor), str(value))
    return SaveFacts(person, (seq, link_hash), setting)


def vehicle_facts(tx: SqlTx, vehicle_id: str) -> SubjectFacts | None:
    key = presence_key("vehicle", vehicle_id)
    row = tx.conn.execute(_VEHICLE_SQL, (key, vehicle_id)).fetchone()
    if row is None:
        return None
    plate, kind, status, watch, present = row
    return SubjectFacts(vehicle_id, plate, None, kind, status, _reasons(watch), present)


def present_entry_id(tx: SqlTx, subject: str, subject_id: str) -> str | None:
    row = tx.conn.execute(_PRESENCE_SQL, (presence_key(subject, subject_id),)).fetchone()
    return None if row is None else str(row[0])


def user_role(tx: SqlTx, user_id: str) -> tuple[str, bool] | None:
    """(role, active) of a user, None if there is no such user."""
    row = tx.conn.execute(_USER_SQL, (user_id,)).fetchone()
    return None if row is None else (str(row[0]), bool(row[1]))


def setting_row(tx: SqlTx, key: str) -> tuple[int, str] | None:
    """(cursor, value) of a site setting HQ published (e.g. the checklist), None if none."""
    row = tx.conn.execute(_SETTING_SQL, (key,)).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def insert_entry(tx: SqlTx, values: dict[str, Any]) -> None:
    """One entry row; `values` holds every column of table entry."""
    _ENTRY.insert(tx.conn, values)


def set_present(tx: SqlTx, key: str, entry_id: str, since: datetime) -> None:
    tx.conn.execute(_SET_PRESENCE_SQL, (key, entry_id, _SINCE(since)))


def clear_present(tx: SqlTx, key: str) -> None:
    tx.conn.execute(_CLEAR_PRESENCE_SQL, (key,))
