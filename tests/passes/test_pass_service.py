"""Passes through the services: keys, issuing files, a real decoder, checks at the gate."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import png  # type: ignore[import-untyped]
import pypdf
import pytest
import zxingcpp
from pypdf.generic import ContentStream
from sqlmodel import select

from gateui.domain import passes as tokens
from gateui.domain.errors import ValidationError
from gateui.errors import GateUIError
from gateui.services import passes, registry
from gateui.store.models import ChangeLog
from gateui.store.pass_models import IssuedPass, PassKey
from tests.conftest import GateFixture


def decode(pixels: bytes, width: int, height: int) -> list[str]:
    """Decode QR codes from 8-bit grey pixels with zxing-cpp (a decoder nobody here wrote)."""
    view = memoryview(pixels).cast("B", (height, width))
    return [
        r.text
        for r in zxingcpp.read_barcodes(
            view, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
    ]


def decode_png(path: Path) -> list[str]:
    width, height, rows, info = png.Reader(filename=str(path)).asDirect()
    assert info["planes"] == 1  # greyscale, as qrcode's pure PNG factory writes
    scale = 255 // (2 ** info["bitdepth"] - 1)
    pixels = bytes(v * scale for row in rows for v in row)
    return decode(pixels, width, height)


def issue(
    gate: GateFixture, tmp_path: Path, *names: str, days: int = 30
) -> list[passes.IssuedPassView]:
    now = gate.clock()
    ids = [gate.people[n] for n in names]
    return passes.issue_passes(gate.ctx, ids, None, now, now + timedelta(days=days), tmp_path)


@pytest.fixture
def site_key(pgate: GateFixture) -> str:
    return passes.create_site_key(pgate.ctx, "北门发证")


def test_site_key_is_held_listed_and_logged_without_its_private_half(
    pgate: GateFixture, site_key: str
) -> None:
    (view,) = passes.list_keys(pgate.ctx)
    assert (view.key_id, view.origin, view.can_issue, view.revoked) == (
        site_key,
        "site",
        True,
        False,
    )
    with pgate.ctx.db.read() as s:
        log = s.exec(select(ChangeLog).where(ChangeLog.kind == "pass_key.added")).one()
        payload = json.loads(log.payload)
        assert payload["key_id"] == site_key and "private_key" not in payload
        row = s.get(PassKey, site_key)
        assert row is not None and row.private_key is not None
    assert passes.add_key(pgate.ctx, row.public_key) == site_key  # holding it twice: no-op


def test_bad_keys_are_refused(pgate: GateFixture) -> None:
    with pytest.raises(ValidationError) as info:
        passes.add_key(pgate.ctx, "not a key")
    assert info.value.code == "pass.bad_public_key"
    one, two = tokens.generate_private_key(), tokens.generate_private_key()
    with pytest.raises(ValidationError) as info:
        passes.add_key(
            pgate.ctx,
            tokens.public_key_to_text(one.public_key()),
            origin="site",
            private_key=tokens.private_key_to_text(two),
        )
    assert info.value.code == "pass.key_mismatch"
    with pytest.raises(GateUIError) as err:
        issue(pgate, pgate.ctx.db.path.parent, "张露")
    assert err.value.code == "pass.no_signing_key"


def test_png_decodes_with_zxing_to_the_exact_token_that_verifies(
    pgate: GateFixture, site_key: str, tmp_path: Path
) -> None:
    issued = issue(pgate, tmp_path, "张露", "单雄信")
    assert [v.name for v in issued] == ["张露", "单雄信"]
    for v in issued:
        assert v.png_path.exists() and v.key_id == site_key
        assert decode_png(v.png_path) == [v.token]
        check = passes.verify_scanned_pass(pgate.ctx, decode_png(v.png_path)[0])
        assert check.ok and check.person is not None and check.person.id == v.person_id
        assert check.person.name == v.name and check.reason is None
    assert not list(tmp_path.glob(".*.tmp"))
    with pgate.ctx.db.read() as s:
        rows = s.exec(select(IssuedPass)).all()
        assert sorted(r.ref for r in rows) == sorted(v.person_id for v in issued)
        kinds = s.exec(select(ChangeLog.kind).where(ChangeLog.kind == "pass.issued")).all()
        assert len(kinds) == 2


def _render_pdf_page(page: pypdf.PageObject, reader: pypdf.PdfReader, dpi: int = 150) -> bytes:
    """Rasterize the filled rectangles of a page (all the QR codes are), white elsewhere."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    w, h = int(width * dpi / 72), int(height * dpi / 72)
    canvas = bytearray(b"\xff" * (w * h))
    pending: list[tuple[float, float, float, float]] = []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"re":
            pending.append(tuple(float(v) for v in operands))  # type: ignore[arg-type]
        elif op == b"f":
            for x, y, rw, rh in pending:
                x0, x1 = round(x * dpi / 72), round((x + rw) * dpi / 72)
                y0, y1 = round((height - y - rh) * dpi / 72), round((height - y) * dpi / 72)
                for row in range(y0, y1):
                    canvas[row * w + x0 : row * w + x1] = b"\x00" * (x1 - x0)
            pending = []
        elif op in (b"S", b"n"):
            pending = []  # card outlines are stroked, not filled
    return bytes(canvas)


def test_printable_sheet_is_a_pdf_with_names_and_qr_codes_that_decode(
    pgate: GateFixture, site_key: str, tmp_path: Path
) -> None:
    names = ["张露", "单雄信", "曾小贤", "陈丽华"]
    issued = issue(pgate, tmp_path, *names)
    reader = pypdf.PdfReader(tmp_path / passes.SHEET_NAME, strict=True)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    text = page.extract_text()
    for v in issued:
        assert v.masked_id is not None and v.masked_id[-4:] in text
        assert v.name in text and "综采一队" in text
    dpi = 150
    pixels = _render_pdf_page(page, reader, dpi)
    width = int(float(page.mediabox.width) * dpi / 72)
    height = int(float(page.mediabox.height) * dpi / 72)
    assert sorted(decode(pixels, width, height)) == sorted(v.token for v in issued)


def test_sheet_takes_eight_passes_a_page(pgate: GateFixture, site_key: str, tmp_path: Path) -> None:
    ids = [pgate.people["张露"]] * 9
    now = pgate.clock()
    passes.issue_passes(pgate.ctx, ids, site_key, now, now + timedelta(days=1), tmp_path)
    assert len(pypdf.PdfReader(tmp_path / passes.SHEET_NAME, strict=True).pages) == 2


def _terminal_pixels(art: str, invert: bool) -> tuple[bytes, int, int]:
    """Turn half-block text back into pixels: each character cell is 1 module x 2 modules."""
    top = {" ": 0, "\xa0": 0, "▀": 1, "▄": 0, "█": 1}
    bottom = {" ": 0, "\xa0": 0, "▀": 0, "▄": 1, "█": 1}
    lines = [line for line in art.split("\n") if line]
    scale, width = 6, len(lines[0])
    rows: list[bytes] = []
    for line in lines:
        for part in (top, bottom):
            dark = [part[c] ^ invert for c in line]
            row = bytes(0 if d else 255 for d in dark for _ in range(scale))
            rows += [row] * scale
    return b"".join(rows), width * scale, len(rows)


@pytest.mark.parametrize("invert", [False, True])
def test_terminal_qr_decodes(pgate: GateFixture, site_key: str, invert: bool) -> None:
    with pgate.ctx.db.read() as s:
        key_id, private = passes._signing_key(s, None)
    now = pgate.clock()
    text = tokens.issue_token(
        private, key_id, "person", "id", pgate.people["张露"], now, now + timedelta(hours=1)
    )
    art = passes.terminal_qr(text, invert=invert)
    assert set(art) <= set(" \xa0▀▄█\n")
    pixels, width, height = _terminal_pixels(art, invert)
    assert decode(pixels, width, height) == [text]


def test_refusals_at_the_gate(pgate: GateFixture, site_key: str, tmp_path: Path) -> None:
    ctx = pgate.ctx
    (v,) = issue(pgate, tmp_path, "曾小贤", days=1)
    assert passes.verify_scanned_pass(ctx, v.token).ok
    garbage = passes.verify_scanned_pass(ctx, v.token[:40])
    assert (garbage.ok, garbage.reason, garbage.person) == (False, "pass.malformed", None)
    forged = tokens.issue_token(
        tokens.generate_private_key(), site_key, "person", "id", v.person_id, v.valid_from,
        v.valid_until,
    )  # fmt: skip
    assert passes.verify_scanned_pass(ctx, forged).reason == "pass.bad_signature"
    stranger = tokens.generate_private_key()
    unknown = tokens.issue_token(
        stranger, tokens.key_id_for(stranger.public_key()), "person", "id", v.person_id,
        v.valid_from, v.valid_until,
    )  # fmt: skip
    check = passes.verify_scanned_pass(ctx, unknown)
    assert check.reason == "pass.unknown_key" and check.params["key_id"]
    # The subject's status or a watch-list entry suspends the pass, with the card shown.
    registry.set_person_status(ctx, v.person_id, "barred", "停职", pgate.leader_id)
    check = passes.verify_scanned_pass(ctx, v.token)
    assert (check.ok, check.reason, check.params) == (
        False,
        "pass.revoked_status",
        {"status": "barred"},
    )
    assert check.person is not None and check.person.name == "曾小贤"
    registry.set_person_status(ctx, v.person_id, "normal", None, pgate.leader_id)
    registry.add_watch(ctx, "欠款未结", id_number=pgate.id_numbers["曾小贤"])
    check = passes.verify_scanned_pass(ctx, v.token)
    assert check.reason == "pass.revoked_watch" and "欠款未结" in check.params["reason"]
    # Time: the pass runs out; the card is still shown with the reason.
    pgate.clock.advance(24 * 3600)
    check = passes.verify_scanned_pass(ctx, v.token)
    assert check.reason == "pass.expired" and check.person is not None
    assert check.params["valid_until"] == v.valid_until.astimezone(ctx.site.zone).strftime(
        "%Y-%m-%d %H:%M"
    )


def test_not_yet_valid_unknown_subject_and_revoked_key(
    pgate: GateFixture, site_key: str, tmp_path: Path
) -> None:
    ctx = pgate.ctx
    now = pgate.clock()
    ids = [pgate.people["张露"]]
    later = passes.issue_passes(ctx, ids, None, now + timedelta(days=2), now + timedelta(days=3),
                                tmp_path)  # fmt: skip
    assert passes.verify_scanned_pass(ctx, later[0].token).reason == "pass.not_yet_valid"
    with ctx.db.read() as s:
        key_id, private = passes._signing_key(s, None)
    ghost = tokens.issue_token(private, key_id, "person", "id", "NOBODY-1", now, now + timedelta(1))
    assert passes.verify_scanned_pass(ctx, ghost).reason == "pass.unknown_subject"
    passes.revoke_key(ctx, site_key)
    check = passes.verify_scanned_pass(ctx, later[0].token)
    assert (check.reason, check.params) == ("pass.key_revoked", {"key_id": site_key})
    with pytest.raises(GateUIError) as err:
        issue(pgate, tmp_path, "张露")
    assert err.value.code == "pass.no_signing_key"


def test_path_under_a_file_records_nothing_and_leaves_no_file(
    pgate: GateFixture, site_key: str, tmp_path: Path
) -> None:
    # Unwritable even for root (the CI user): a directory inside a regular file.
    (tmp_path / "a-file").write_text("x")
    _unwritable_check(pgate, tmp_path / "a-file" / "out")


def test_missing_directory_records_nothing(
    pgate: GateFixture, site_key: str, tmp_path: Path
) -> None:
    _unwritable_check(pgate, tmp_path / "no" / "such" / "dir")


def _unwritable_check(pgate: GateFixture, out_dir: Path) -> None:
    with pytest.raises(GateUIError) as err:
        issue(pgate, out_dir, "张露", "陈丽华")
    assert err.value.code == "export.cannot_write" and str(out_dir) in err.value.params["path"]
    with pgate.ctx.db.read() as s:
        assert s.exec(select(IssuedPass)).all() == []
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_bad_window_and_no_people(pgate: GateFixture, site_key: str, tmp_path: Path) -> None:
    now = pgate.clock()
    with pytest.raises(ValidationError) as info:
        passes.issue_passes(pgate.ctx, [pgate.people["张露"]], None, now, now, tmp_path)
    assert info.value.code == "pass.bad_window"
    assert passes.issue_passes(pgate.ctx, [], None, now, now + timedelta(1), tmp_path) == []
    assert not (tmp_path / passes.SHEET_NAME).exists()


def test_png_file_is_a_png(pgate: GateFixture, site_key: str, tmp_path: Path) -> None:
    (v,) = issue(pgate, tmp_path, "陈丽华")
    data = v.png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _, _ = png.Reader(file=io.BytesIO(data)).read()
    version = passes.qr_version(v.token)
    modules = 17 + 4 * version + 2 * passes.QR_BORDER
    assert (width, height) == (modules * passes.QR_BOX_PIXELS,) * 2


def test_sheet_failure_removes_the_pngs_already_written(
    pgate: GateFixture, site_key: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / passes.SHEET_NAME).mkdir(parents=True)  # the sheet cannot replace a directory
    with pytest.raises(GateUIError) as err:
        issue(pgate, out, "张露", "陈丽华")
    assert err.value.code == "export.cannot_write"
    assert [p.name for p in out.iterdir()] == [passes.SHEET_NAME]
    with pgate.ctx.db.read() as s:
        assert s.exec(select(IssuedPass)).all() == []
