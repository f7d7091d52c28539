"""Printing passes: QR images (PNG, terminal half-blocks) and the printable A4 sheet.

QR codes use error correction M and alphanumeric mode (see gateui.domain.passes): a pass
for a registry id fits QR version 6 (41x41 modules). PNGs are written with qrcode's pure
PNG factory (needs `pypng`, no Pillow). The printable sheet is a small PDF written here:
QR codes as vector rectangles (sharp at any printer resolution) and text in STSong-Light,
one of the CJK fonts every PDF reader provides, so no font file has to ship or be embedded.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import qrcode
from qrcode.image.pure import PyPNGImage

QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QR_BOX_PIXELS = 8  # pixels per module in the PNG: about 330 px for version 6
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


# --- QR images ------------------------------------------------------------------------------


def _qr(text: str, border: int = QR_BORDER, **options: Any) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=border, **options)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_version(text: str) -> int:
    return int(_qr(text).version)


def qr_modules(text: str) -> list[list[bool]]:
    """The QR's dark modules, row by row, without quiet zone."""
    return [[bool(m) for m in row] for row in _qr(text, border=0).get_matrix()]


def qr_png(text: str) -> bytes:
    buf = io.BytesIO()
    _qr(text, box_size=QR_BOX_PIXELS, image_factory=PyPNGImage).make_image().save(buf)
    return buf.getvalue()


def terminal_qr(text: str, invert: bool = False) -> str:
    """The QR in half-block characters (two modules per character cell, with quiet zone).

    Dark modules are drawn as blocks; on a terminal with light text on a dark background,
    pass invert=True so the code is dark-on-light as phone scanners expect.
    """
    out = io.StringIO()
    _qr(text).print_ascii(out=out, invert=invert)
    return out.getvalue()


# --- the printable sheet: a minimal PDF, eight passes to an A4 page ----------------------


@dataclass(frozen=True)
class PassLabel:
    token: str
    lines: tuple[str, ...]  # name, unit, masked ID, valid from, valid until, site and key


_PAGE_W, _PAGE_H, _COLS, _ROWS = 595.28, 841.89, 2, 4
_QR_PT = 150.0  # QR side including its quiet zone: about 1 mm per module for version 6
_SIZES = (16, 11, 11, 10, 10, 8)
_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
    b"/DescendantFonts [4 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
    b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R "
    b"/DW 1000 /W [1 95 500] >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
)


def _fit(text: str, size: float, width: float) -> str:
    """Cut text to the card's width (CJK a full em, ASCII half an em)."""
    used, out = 0.0, ""
    for ch in text:
        used += size * (0.5 if ch.isascii() else 1.0)
        if used > width:
            return out[:-1] + "…"
        out += ch
    return out


def _card(label: PassLabel, x0: float, y0: float, w: float, h: float) -> list[str]:
    ops = [f"0.7 G 0.5 w {x0 + 4:.2f} {y0 + 4:.2f} {w - 8:.2f} {h - 8:.2f} re S 0 g"]
    modules = qr_modules(label.token)
    m = _QR_PT / (len(modules) + 2 * QR_BORDER)
    left, top = x0 + 12 + QR_BORDER * m, y0 + (h + _QR_PT) / 2 - QR_BORDER * m
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            ops.append(
                f"{left + start * m:.3f} {top - (r + 1) * m:.3f} {(c - start) * m:.3f} {m:.3f} re"
            )
    ops.append("f")
    tx, ty = x0 + 24 + _QR_PT, y0 + h - 48
    for text, size in zip(label.lines, _SIZES, strict=False):
        if text:
            hex_text = _fit(text, size, w - _QR_PT - 36).encode("utf-16-be").hex().upper()
            ops.append(f"BT /F1 {size} Tf {tx:.2f} {ty:.2f} Td <{hex_text}> Tj ET")
        ty -= size * 1.9
    return ops


def sheet_pdf(labels: Sequence[PassLabel]) -> bytes:
    """A4 pages of pass cards (QR, name, unit, masked ID, validity) ready to print and cut."""
    per_page = _COLS * _ROWS
    pages = [labels[i : i + per_page] for i in range(0, len(labels), per_page)] or [[]]
    objects: list[bytes] = [b"", b"", *_FONT]  # 1 catalog and 2 page tree filled in below
    kids = []
    w, h = _PAGE_W / _COLS, _PAGE_H / _ROWS
    for page in pages:
        ops: list[str] = []
        for i, label in enumerate(page):
            col_, row = i % _COLS, i // _COLS
            ops += _card(label, col_ * w, _PAGE_H - (row + 1) * h, w, h)
        stream = zlib.compress("\n".join(ops).encode("ascii"))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream)
        )
        content_no = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (_PAGE_W, _PAGE_H, content_no)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%b] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
