"""`gateui import people|vehicles FILE` and `gateui export entries|people|vehicles`."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from gateui.cli.common import (
    EXIT_ERROR,
    Env,
    Options,
    command_env,
    echo_err,
    fail,
    field_label,
    global_options,
)
from gateui.i18n import Translator
from gateui.services import exporting, presence, reports
from gateui.services.importing import (
    PERSON_KIND_LABELS,
    VEHICLE_KIND_LABELS,
    ImportReport,
    import_people,
    import_vehicles,
)
from gateui.services.registry import PERSON_KINDS, VEHICLE_KINDS


class ImportWhat(StrEnum):
    people = "people"
    vehicles = "vehicles"


class ExportWhat(StrEnum):
    entries = "entries"
    people = "people"
    vehicles = "vehicles"
    muster = "muster"


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"


@global_options()
def import_command(
    ctx: typer.Context,
    what: Annotated[ImportWhat, typer.Argument(help="people or vehicles")],
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8) or XLSX file with a header row.")],
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Kind for rows without one (e.g. employee, coal_truck)."),
    ] = None,
    *,
    opts: Options,
) -> None:
    """Import people or vehicles: every good row in one transaction, every bad row reported.

    People columns: name/姓名, id_number/身份证号, phone/手机, kind/类别, unit/单位,
    card_code/卡号. Vehicle columns: plate/车牌, kind/类别, unit/单位,
    driver_id_number/司机身份证号. Exits 1 if any row was bad.
    """
    with command_env(ctx, opts) as env:
        t = env.t
        default_kind = _default_kind(t, what, kind)
        gate = env.gate()
        if what is ImportWhat.people:
            report = import_people(gate, file, default_kind)
        else:
            report = import_vehicles(gate, file, default_kind)
        _print_report(t, what, file, report)
        if report.problems:
            raise typer.Exit(EXIT_ERROR)


def _default_kind(t: Translator, what: ImportWhat, kind: str | None) -> str | None:
    if kind is None:
        return None
    labels, kinds = (
        (PERSON_KIND_LABELS, PERSON_KINDS)
        if what is ImportWhat.people
        else (VEHICLE_KIND_LABELS, VEHICLE_KINDS)
    )
    code = labels.get(kind.strip(), kind.strip().lower())
    if code not in kinds:
        raise typer.BadParameter(
            t("cli.import.bad_kind", kind=kind, kinds=", ".join(kinds)), param_hint="--kind"
        )
    return code


def _print_report(t: Translator, what: ImportWhat, file: Path, report: ImportReport) -> None:
    if report.ignored_columns:
        sep = "、" if t.lang == "zh" else ", "
        columns = sep.join(report.ignored_columns)
        echo_err(t("cli.import.ignored_columns", columns=columns))
    notes: dict[tuple[str | None, str], list[int]] = {}
    for w in report.warnings:
        notes.setdefault((w.field, w.code), []).append(w.line)
    for (name, code), lines in notes.items():
        echo_err(
            t(
                "cli.import.row_warning",
                count=len(lines),
                lines=_lines(lines),
                field=field_label(t, name or ""),
                message=t(code),
            )
        )
    for p in report.problems:
        label = field_label(t, p.field) if p.field else t("cli.import.row")
        echo_err(t("cli.import.row_error", line=p.line, field=label, message=t(p.code, **p.params)))
    typer.echo(
        t(
            f"cli.import.summary_{what.value}",
            file=str(file),
            rows=report.rows,
            created=report.created,
            updated=report.updated,
        )
    )
    if report.problems:
        bad = report.bad_lines
        echo_err(t("cli.import.bad_rows", count=len(bad), lines=_lines(bad)))


def _lines(lines: Sequence[int], most: int = 20) -> str:
    return ", ".join(str(n) for n in lines[:most]) + (" …" if len(lines) > most else "")


# ------------------------------------------------------------------------------ export


@global_options()
def export_command(
    ctx: typer.Context,
    what: Annotated[ExportWhat, typer.Argument(help="entries, people, vehicles or muster")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="csv or jsonl (muster: csv or xlsx)")
    ] = Format.csv,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only from this date on (YYYY-MM-DD, in the site's zone)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of standard output.", dir_okay=False
        ),
    ] = None,
    full_id: Annotated[
        bool, typer.Option("--full-id", help="Show ID numbers in full (masked by default).")
    ] = False,
    *,
    opts: Options,
) -> None:
    """Export entries (with corrections applied), people or vehicles as CSV or JSON lines.

    Times are UTC (ISO 8601) plus, for entries, local time in the site's zone.
    With --since, people and vehicles are those changed since that date.
    `muster` is who and what is on site now, as CSV or XLSX, written to --output or to
    a time-stamped file in the data directory.
    """
    with command_env(ctx, opts) as env:
        t = env.t
        if what is ExportWhat.muster:
            _export_muster(env, fmt, output)
            return
        if fmt is Format.xlsx:
            raise typer.BadParameter(t("cli.export.xlsx_muster_only"), param_hint="--format")
        since_day = _parse_day(t, since)
        gate = env.gate(create=False)
        start = exporting.start_of_day(gate, since_day) if since_day else None
        rows: Iterator[dict[str, Any]]
        if what is ExportWhat.entries:
            rows = exporting.iter_entries(gate, start, full_id=full_id)
        elif what is ExportWhat.people:
            rows = exporting.iter_people(gate, start, full_id=full_id)
        else:
            rows = exporting.iter_vehicles(gate, start)
        fields = exporting.FIELDS[what.value]
        if output is None:
            count = _write_stdout(rows, fields, fmt)
            echo_err(t(f"cli.export.done_{what.value}", count=count, file="-"))
        else:
            count = _write_file(env, output, rows, fields, fmt)
            typer.echo(t(f"cli.export.done_{what.value}", count=count, file=str(output)))


def _export_muster(env: Env, fmt: Format, output: Path | None) -> None:
    t = env.t
    if fmt is Format.jsonl:
        raise typer.BadParameter(t("cli.export.muster_formats"), param_hint="--format")
    gate = env.gate(create=False)
    path = output or env.settings.home / reports.export_file_name(gate, "muster", fmt.value)
    written = reports.export_muster(gate, path, fmt.value)
    people, vehicles = presence.on_site_counts(gate)
    typer.echo(t("cli.export.done_muster", people=people, vehicles=vehicles, file=str(written)))


def _parse_day(t: Translator, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(
            t("cli.export.bad_date", text=text), param_hint="--since"
        ) from None


def _write_stdout(rows: Iterator[dict[str, Any]], fields: tuple[str, ...], fmt: Format) -> int:
    try:
        count = _write(sys.stdout, rows, fields, fmt)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (head, less) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    return count


def _write_file(
    env: Env, path: Path, rows: Iterator[dict[str, Any]], fields: tuple[str, ...], fmt: Format
) -> int:
    """Write next to the target, then rename: a failed export never leaves half a file."""
    t = env.t
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    except OSError as exc:
        fail(t, "cli.export.cannot_write", file=str(path), detail=exc.strerror or str(exc))
    try:
        # A BOM lets spreadsheet programs recognise UTF-8 CSV; `gateui import` accepts it.
        encoding = "utf-8-sig" if fmt is Format.csv else "utf-8"
        with open(fd, "w", encoding=encoding, newline="") as fh:
            count = _write(fh, rows, fields, fmt)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        fail(t, "cli.export.cannot_write", file=str(path), detail=exc.strerror or str(exc))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return count


def _write(
    out: TextIO, rows: Iterator[dict[str, Any]], fields: tuple[str, ...], fmt: Format
) -> int:
    count = 0
    if fmt is Format.jsonl:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_csv_cell(row.get(f)) for f in fields])
        count += 1
    return count


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    # Free text typed at the gate must not become a formula in a spreadsheet (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text
