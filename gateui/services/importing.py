"""Importing people and vehicles from CSV or XLSX files: all good rows, one transaction.

Every row is read and validated first; the good rows are then written by one
`upsert_people` / `upsert_vehicles` call (one transaction with its change log), and every
bad row comes back with its line number and reason. A file that cannot be read, is in an
unknown format or lacks a required column raises ImportFileError and imports nothing.
Line numbers are the ones a spreadsheet shows: the header is line 1.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from gateui.domain.errors import ValidationError
from gateui.domain.resident_id import parse_resident_id
from gateui.errors import GateUIError
from gateui.services.context import GateContext
from gateui.services.registry import (
    FormError,
    PersonForm,
    ValidPerson,
    ValidVehicle,
    upsert_people,
    upsert_vehicles,
    validate_person,
    validate_vehicle,
)
from gateui.store.models import Person

_FORMULA_STARTS = ("=", "+", "-", "@")
_CHUNK = 500  # IN (...) lists stay well below SQLite's variable limit

# Header spellings (compared after _norm_header) -> field. English and Chinese.
# fmt: off
PEOPLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "姓名", "名字"),
    "id_number": ("idnumber", "idno", "idcard", "residentid", "身份证号", "身份证号码", "身份证",
                  "证件号", "证件号码", "公民身份号码"),
    "phone": ("phone", "mobile", "tel", "手机", "手机号", "手机号码", "电话", "联系电话"),
    "kind": ("kind", "type", "category", "类别", "人员类别", "类型", "人员类型"),
    "unit": ("unit", "department", "dept", "company", "单位", "部门", "所在单位", "工作单位"),
    "card_code": ("cardcode", "card", "passcode", "卡号", "通行证号", "通行卡号", "出入证号"),
}
VEHICLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "plate": ("plate", "plateno", "platenumber", "车牌", "车牌号", "车牌号码"),
    "kind": ("kind", "type", "category", "类别", "车辆类别", "车型", "车辆类型"),
    "unit": ("unit", "company", "owner", "单位", "所属单位", "车主单位"),
    "driver_id_number": ("driveridnumber", "driverid", "driver", "司机身份证号", "驾驶员身份证号",
                         "司机身份证", "驾驶员身份证", "司机身份证号码", "驾驶员身份证号码"),
}
PEOPLE_REQUIRED = ("name", "id_number")
VEHICLE_REQUIRED = ("plate",)

# Kinds as people write them in spreadsheets -> the registry's codes.
PERSON_KIND_LABELS = {
    "员工": "employee", "职工": "employee", "本矿职工": "employee", "正式工": "employee",
    "家属": "family", "职工家属": "family", "family_member": "family",
    "外协": "contractor", "外委": "contractor", "外包": "contractor", "承包商": "contractor",
    "外委人员": "contractor", "外协人员": "contractor",
    "访客": "visitor", "来访": "visitor", "来访人员": "visitor", "外来人员": "visitor",
    "司机": "driver", "驾驶员": "driver",
}
VEHICLE_KIND_LABELS = {
    "运煤车": "coal_truck", "煤车": "coal_truck", "拉煤车": "coal_truck", "货车": "truck",
    "卡车": "truck", "小车": "car", "轿车": "car", "小汽车": "car", "小轿车": "car",
    "面包车": "van", "客车": "bus", "大巴": "bus", "通勤车": "bus", "其他": "other",
}
# fmt: on


class ImportFileError(GateUIError):
    """The file as a whole cannot be imported; nothing was written."""

    title_key = "import.file_error_title"


@dataclass(frozen=True)
class RowProblem:
    """One reason why a line was not imported (or, as a warning, was imported with a note)."""

    line: int
    field: str | None  # the import field ("id_number", "plate"…), None for the whole row
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    rows: int  # data rows read (blank lines are skipped)
    created: int
    updated: int
    problems: tuple[RowProblem, ...]
    warnings: tuple[RowProblem, ...]
    ignored_columns: tuple[str, ...]

    @property
    def bad_lines(self) -> tuple[int, ...]:
        return tuple(sorted({p.line for p in self.problems}))

    @property
    def imported(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)


# ----------------------------------------------------------------------------- reading


def _norm_header(text: str) -> str:
    return re.sub(r"[\s_\-/*:：()（）]+", "", text).lower()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number in Excel
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_table(path: Path) -> Table:
    """Read a CSV (UTF-8 with or without BOM, UTF-16 with BOM) or XLSX file's first sheet."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError(
            "import.cannot_read", path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("import.old_excel", path=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ImportFileError("import.not_excel", path=str(path))
    return _read_csv(path, head)


def _read_xlsx(path: Path) -> Table:
    import openpyxl  # imported here: only imports of spreadsheets pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError("import.not_excel", path=str(path)) from exc
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise ImportFileError("import.empty_file", path=str(path))
        lines = [
            (n, [_cell_text(v) for v in values])
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        wb.close()
    return _to_table(path, lines)


def _read_csv(path: Path, head: bytes) -> Table:
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError("import.not_utf8", path=str(path), line=_line_of(path, exc)) from exc
    except OSError as exc:
        raise ImportFileError(
            "import.cannot_read", path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    if "\x00" in text:
        raise ImportFileError("import.not_text", path=str(path))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            lines.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            "import.bad_csv", path=str(path), line=start, detail=str(exc)
        ) from exc
    return _to_table(path, lines)


def _line_of(path: Path, exc: UnicodeDecodeError) -> int:
    return exc.object[: exc.start].count(b"\n") + 1 if isinstance(exc.object, bytes) else 0


def _to_table(path: Path, lines: list[tuple[int, list[str]]]) -> Table:
    filled = [(n, cells) for n, cells in lines if any(cells)]
    if not filled:
        raise ImportFileError("import.empty_file", path=str(path))
    (_, header), rows = filled[0], filled[1:]
    return Table(header=header, rows=rows)


def map_columns(
    table: Table, aliases: dict[str, tuple[str, ...]], required: Iterable[str]
) -> tuple[dict[str, int], tuple[str, ...]]:
    """Field -> column index, and the names of ignored columns; raise if one is missing."""
    lookup = {_norm_header(a): f for f, names in aliases.items() for a in names}
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(table.header):
        fld = lookup.get(_norm_header(title))
        if fld is None:
            if title:
                ignored.append(title)
            continue
        if fld in found:
            raise ImportFileError(
                "import.duplicate_column", column=title, other=table.header[found[fld]]
            )
        found[fld] = index
    missing = [f for f in required if f not in found]
    if missing:
        raise ImportFileError(
            "import.missing_columns",
            columns=", ".join(f + "/" + _chinese_alias(aliases[f]) for f in missing),
            found=", ".join(h for h in table.header if h),
        )
    return found, tuple(ignored)


def _chinese_alias(names: tuple[str, ...]) -> str:
    return next((n for n in names if not n.isascii()), names[0])


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    text = cells[index].strip() if index is not None and index < len(cells) else ""
    # "'=…" is how exports (and spreadsheets) keep text from becoming a formula.
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA_STARTS else text


def _kind(raw: str, labels: dict[str, str], default: str | None) -> str:
    text = raw.strip()
    if not text:
        return default or ""
    return labels.get(text, text.lower())


def _form_problems(line: int, exc: FormError) -> list[RowProblem]:
    return [RowProblem(line, f, e.code, dict(e.params)) for f, e in exc.fields.items()]


# ------------------------------------------------------------------------------ people


def import_people(ctx: GateContext, path: Path, default_kind: str | None = None) -> ImportReport:
    """Import people (insert or update by ID number); `default_kind` fills empty kinds."""
    table = read_table(path)
    columns, ignored = map_columns(
        table, PEOPLE_COLUMNS, PEOPLE_REQUIRED + (() if default_kind else ("kind",))
    )
    today = ctx.now().astimezone(ctx.site.zone).date()
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    good: list[tuple[int, ValidPerson]] = []
    seen_ids: dict[str, int] = {}
    seen_cards: dict[str, int] = {}
    for line, cells in table.rows:
        form = PersonForm(
            name=_cell(cells, columns, "name"),
            id_number=_cell(cells, columns, "id_number"),
            phone=_cell(cells, columns, "phone"),
            kind=_kind(_cell(cells, columns, "kind"), PERSON_KIND_LABELS, default_kind),
            unit=_cell(cells, columns, "unit"),
            card_code=_cell(cells, columns, "card_code"),
        )
        try:
            valid = validate_person(form, today, require_id=True, require_phone=False)
        except FormError as exc:
            problems += _form_problems(line, exc)
            continue
        assert valid.id_number is not None  # require_id=True
        row_problems = [
            _duplicate(line, name, seen[value])
            for name, value, seen in (
                ("id_number", valid.id_number, seen_ids),
                ("card_code", valid.card_code, seen_cards),
            )
            if value and value in seen
        ]
        if row_problems:
            problems += row_problems
            continue
        seen_ids[valid.id_number] = line
        if valid.card_code:
            seen_cards[valid.card_code] = line
        warnings += [RowProblem(line, "id_number", w) for w in valid.warnings]
        good.append((line, valid))
    good = _drop_taken_cards(ctx, good, problems)
    created = updated = 0
    if good:
        created, updated = upsert_people(ctx, [v for _, v in good], origin="import")
    return ImportReport(
        len(table.rows), created, updated, _sorted(problems), _sorted(warnings), ignored
    )


def _drop_taken_cards(
    ctx: GateContext, good: list[tuple[int, ValidPerson]], problems: list[RowProblem]
) -> list[tuple[int, ValidPerson]]:
    """Refuse rows whose card code already belongs to someone else (unique in the registry)."""
    cards = [v.card_code for _, v in good if v.card_code]
    owners: dict[str, str | None] = {}
    with ctx.db.read() as s:
        for i in range(0, len(cards), _CHUNK):
            stmt = select(Person.card_code, Person.id_number).where(
                col(Person.card_code).in_(cards[i : i + _CHUNK])
            )
            owners.update({card: number for card, number in s.exec(stmt) if card})
    kept = []
    for line, v in good:
        if v.card_code in owners and owners[v.card_code] != v.id_number:
            problems.append(
                RowProblem(line, "card_code", "import.card_taken", {"card": v.card_code})
            )
        else:
            kept.append((line, v))
    return kept


def _duplicate(line: int, name: str, other: int) -> RowProblem:
    return RowProblem(line, name, "import.duplicate_in_file", {"other": other})


def _sorted(items: list[RowProblem]) -> tuple[RowProblem, ...]:
    return tuple(sorted(items, key=lambda p: p.line))


# ---------------------------------------------------------------------------- vehicles


def import_vehicles(ctx: GateContext, path: Path, default_kind: str | None = None) -> ImportReport:
    """Import vehicles (insert or update by plate); drivers are named by their ID number."""
    table = read_table(path)
    columns, ignored = map_columns(
        table, VEHICLE_COLUMNS, VEHICLE_REQUIRED + (() if default_kind else ("kind",))
    )
    today = ctx.now().astimezone(ctx.site.zone).date()
    problems: list[RowProblem] = []
    parsed: list[tuple[int, str, str, str, str | None]] = []
    for line, cells in table.rows:
        driver_text = _cell(cells, columns, "driver_id_number")
        driver_number = None
        if driver_text:
            try:
                driver_number = parse_resident_id(driver_text, today).number
            except ValidationError as exc:
                problems.append(RowProblem(line, "driver_id_number", exc.code, dict(exc.params)))
        kind = _kind(_cell(cells, columns, "kind"), VEHICLE_KIND_LABELS, default_kind)
        plate, unit = _cell(cells, columns, "plate"), _cell(cells, columns, "unit")
        parsed.append((line, plate, kind, unit, driver_number))
    drivers = person_ids_by_number(ctx, [d for *_, d in parsed if d])
    good: list[ValidVehicle] = []
    seen: dict[str, int] = {}
    bad_driver_lines = {p.line for p in problems}
    for line, plate, kind, unit, driver_number in parsed:
        row_problems: list[RowProblem] = []
        driver_id = drivers.get(driver_number) if driver_number else None
        if driver_number and driver_id is None:
            row_problems.append(RowProblem(line, "driver_id_number", "import.driver_unknown"))
        try:
            valid = validate_vehicle(plate, kind, unit, driver_id)
        except FormError as exc:
            row_problems += _form_problems(line, exc)
            valid = None
        if valid is not None and valid.plate_key in seen:
            row_problems.append(_duplicate(line, "plate", seen[valid.plate_key]))
        problems += row_problems
        if valid is None or row_problems or line in bad_driver_lines:
            continue
        seen[valid.plate_key] = line
        good.append(valid)
    created = updated = 0
    if good:
        created, updated = upsert_vehicles(ctx, good)
    return ImportReport(len(table.rows), created, updated, _sorted(problems), (), ignored)


def person_ids_by_number(ctx: GateContext, numbers: list[str]) -> dict[str, str]:
    """ID number -> person id for the registered ones among `numbers`."""
    found: dict[str, str] = {}
    with ctx.db.read() as s:
        for i in range(0, len(numbers), _CHUNK):
            stmt = select(Person.id_number, Person.id).where(
                col(Person.id_number).in_(numbers[i : i + _CHUNK])
            )
            found.update({number: pid for number, pid in s.exec(stmt) if number})
    return found


def read_records(path: Path, what: str) -> list[tuple[int, dict[str, str]]]:
    """(line, {field: text}) of a people or vehicles file, kinds mapped to codes.

    For importers elsewhere (HQ's registry) that validate rows themselves.
    """
    columns_of, required, labels = (
        (PEOPLE_COLUMNS, PEOPLE_REQUIRED, PERSON_KIND_LABELS)
        if what == "people"
        else (VEHICLE_COLUMNS, VEHICLE_REQUIRED, VEHICLE_KIND_LABELS)
    )
    table = read_table(path)
    columns, _ignored = map_columns(table, columns_of, required)
    out = []
    for line, cells in table.rows:
        record = {name: _cell(cells, columns, name) for name in columns}
        if record.get("kind"):
            record["kind"] = labels.get(record["kind"], record["kind"])
        out.append((line, {k: v for k, v in record.items() if v}))
    return out
