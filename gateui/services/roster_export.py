"""The roster leaves the terminal: text, CSV and XLSX files, and QR pages for a phone.

Reads only. Files are written to a temporary name beside the target, flushed and renamed
(`reports.write_atomically`), so a reader never sees half a file; an unwritable target
raises ExportError("export.cannot_write") naming the path and the cause.

QR pages: a phone's camera (or WeChat) reads a QR's text with no network, but only plain
UTF-8 text is useful to it - a compressed payload would need an app to unpack. A week of
Chinese names is far more than one QR a 80x24 terminal can show (version 6, 134 bytes at
level L), so the text is split into pages filled to capacity, each marked "[n/N]", sized
to the space the screen has; a larger terminal gets fewer, bigger pages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import qrcode

from gateui.config import Language
from gateui.domain.errors import ValidationError
from gateui.i18n import Translator
from gateui.services.context import GateContext
from gateui.services.reports import ExportError, write_atomically
from gateui.services.roster_grid import roster_view
from gateui.services.roster_publish import render_text, shift_name
from gateui.services.roster_views import RosterGridView

FORMATS = ("text", "csv", "xlsx")
EXTENSIONS = {"text": "txt", "csv": "csv", "xlsx": "xlsx"}
QR_QUIET_ZONE = 2  # modules of light margin on screen (the standard's 4 costs too much room)
_QR_LEVEL = qrcode.constants.ERROR_CORRECT_L  # a screen is clean; capacity matters more
_COLUMNS = (
    "date",
    "weekday",
    "shift",
    "start",
    "end",
    "checkpoint",
    "checkpoint_name",
    "guards",
    "required",
    "assigned",
    "short",
    "locked",
    "problems",
)


def export_dir(ctx: GateContext) -> Path:
    """Where the terminal writes exports: `exports/` beside the gate database (created)."""
    folder = ctx.db.path.parent / "exports"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            "export.cannot_write", path=str(folder), detail=exc.strerror or str(exc)
        ) from exc
    return folder


def file_name(first: date, last: date, fmt: str) -> str:
    return f"roster-{first:%Y%m%d}-{last:%Y%m%d}.{EXTENSIONS.get(fmt, fmt)}"


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError("roster.export.bad_format", format=fmt, formats=", ".join(FORMATS))


def _safe(value: Any) -> Any:
    """A name or note must not become a formula in a spreadsheet (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def roster_rows(t: Translator, grid: RosterGridView) -> list[list[Any]]:
    """One row per cell (day x shift x checkpoint), with a header row in the language."""
    names = t("roster.publish.name_separator")
    problem_sep = "；" if t.lang == "zh" else "; "
    rows: list[list[Any]] = [[t(f"roster.export.col.{c}") for c in _COLUMNS]]
    for day in grid.days:
        for heading in grid.shifts:
            for code, cp_name in grid.checkpoints:
                cell = grid.cell(day, heading.code, code)
                problems = problem_sep.join(t(v.code, **v.params) for v in cell.violations)
                rows.append(
                    [
                        day.isoformat(),
                        t(f"roster.weekday.{day.weekday()}"),
                        shift_name(t, heading),
                        heading.start,
                        heading.end,
                        code,
                        cp_name,
                        names.join(g.name for g in cell.guards),
                        cell.required,
                        len(cell.guards),
                        cell.short_by,
                        t("roster.export.yes") if cell.locked else "",
                        problems,
                    ]
                )
    return rows


def _csv(rows: Sequence[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([[_safe(v) for v in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Chinese


def _xlsx(t: Translator, grid: RosterGridView, rows: Sequence[Sequence[Any]]) -> bytes:
    """Two sheets: the roster as people read it (days down, checkpoint x shift across), and
    the list of cells (one row each) for sorting and filtering."""
    from openpyxl import Workbook  # ~0.1 s to import: only when a spreadsheet is asked for
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    sheet = wb.active
    sheet.title = t("roster.export.sheet_grid")
    header = [t("roster.export.col.date"), t("roster.export.col.weekday")]
    for _code, cp_name in grid.checkpoints:
        header += [f"{cp_name} {shift_name(t, h)} {h.start}–{h.end}" for h in grid.shifts]
    sheet.append(header)
    names = t("roster.publish.name_separator")
    for day in grid.days:
        line: list[Any] = [day.isoformat(), t(f"roster.weekday.{day.weekday()}")]
        for code, _name in grid.checkpoints:
            for h in grid.shifts:
                cell = grid.cell(day, h.code, code)
                text = names.join(g.name for g in cell.guards)
                if cell.is_short:
                    text += t("roster.publish.short", count=cell.short_by)
                line.append(_safe(text))
        sheet.append(line)
    for column in sheet.iter_cols(min_row=1, max_row=1):
        for item in column:
            item.font = Font(bold=True)
            item.alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = "C2"
    listing = wb.create_sheet(t("roster.export.sheet_list"))
    for row in rows:
        listing.append([_safe(v) for v in row])
    for item in listing[1]:
        item.font = Font(bold=True)
    listing.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def roster_bytes(
    ctx: GateContext,
    first: date,
    last: date,
    fmt: str = "csv",
    checkpoint: str | None = None,
    lang: Language | None = None,
) -> bytes:
    """The roster of first..last as text (the work-group message), CSV or XLSX bytes."""
    _check_format(fmt)
    t = Translator(lang or ctx.site.language)
    grid = roster_view(ctx, first, last, checkpoint)
    if fmt == "text":
        return (render_text(t, grid, ctx.site.name) + "\n").encode("utf-8")
    if fmt == "csv":
        return _csv(roster_rows(t, grid))
    return _xlsx(t, grid, roster_rows(t, grid))


def export_roster(
    ctx: GateContext,
    path: Path,
    first: date,
    last: date,
    fmt: str = "csv",
    checkpoint: str | None = None,
    lang: Language | None = None,
) -> Path:
    """Write the roster file; nothing half-written is ever left at `path`."""
    return write_atomically(path, roster_bytes(ctx, first, last, fmt, checkpoint, lang))


# --- QR pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QrPage:
    text: str
    modules: tuple[tuple[bool, ...], ...]
    """Dark modules row by row, without the quiet zone."""


def _qr(text: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=_QR_LEVEL, border=0)
    qr.add_data(text.encode("utf-8"), optimize=0)
    return qr


def _fits(text: str, version: int) -> bool:
    try:
        return int(_qr(text).best_fit()) <= version
    except qrcode.exceptions.DataOverflowError:
        return False


def qr_version_for(side: int) -> int:
    """The largest QR version whose modules plus quiet zone fit `side` modules (0: none)."""
    inner = side - 2 * QR_QUIET_ZONE
    return max(0, min(40, (inner - 17) // 4))


def _byte_capacity(version: int) -> int:
    """Bytes of UTF-8 text one QR of `version` holds (binary mode, level L)."""
    lo, hi = 0, 3000
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _fits("a" * mid, version):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, room: int) -> tuple[str, str]:
    """The longest head of `text` within `room` bytes (whole characters), and the rest."""
    used = 0
    for i, char in enumerate(text):
        used += _size(char)
        if used > room:
            return text[:i], text[i:]
    return text, ""


def _pack(lines: list[str], capacity: int) -> list[str]:
    """Fill pages up to `capacity` bytes. A line that does not fit starts the next page,
    unless more than a third of this one is still free: then it is cut to fill it."""
    pages: list[str] = []
    current = ""
    for line in lines:
        piece = f"\n{line}" if current else line
        if _size(current + piece) <= capacity:
            current += piece
            continue
        if current and capacity - _size(current) < capacity // 3:
            pages.append(current)
            current, piece = "", line
        while _size(current + piece) > capacity:
            head, piece = _cut(piece, capacity - _size(current))
            pages.append(current + head)
            current = ""
        current += piece
    if current or not pages:
        pages.append(current)
    return pages


def qr_pages(text: str, side: int) -> list[QrPage]:
    """The text as QR pages, each fitting `side` modules with its quiet zone.

    Pages are filled to capacity (a long line may continue on the next page) and, when
    there are several, start with "[n/N]" so they can be put back in order on the phone.
    Raises ValidationError("roster.qr.no_room") when even the smallest QR cannot fit.
    """
    version = qr_version_for(side)
    reserve = _size("[999/999]\n")
    capacity = _byte_capacity(version) - reserve if version >= 1 else 0
    if capacity < 8:
        raise ValidationError("roster.qr.no_room", side=side)
    chunks = _pack(text.strip("\n").split("\n"), capacity)
    total = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, 1):
        page = f"[{number}/{total}]\n{chunk}" if total > 1 else chunk
        qr = _qr(page)
        qr.make(fit=True)
        modules = tuple(tuple(bool(m) for m in row) for row in qr.get_matrix())
        pages.append(QrPage(page, modules))
    return pages
