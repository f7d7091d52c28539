"""Pass tokens: round trip, every refusal by its reason, any input refused cleanly, QR size."""

from __future__ import annotations

import base64
import string
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gateui.domain import passes as p
from gateui.domain.errors import ValidationError
from gateui.i18n import CATALOG

KEY = p.private_key_from_text("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
KEY_ID = p.key_id_for(KEY.public_key())
OTHER = p.private_key_from_text("HxwdHhscGRoXGBkaExQVFhESExQNDg8QCQoLDAUGBwg=")
KEYS = {KEY_ID: KEY.public_key()}
START = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
END = START + timedelta(days=30)
NOW = START + timedelta(days=1)
PERSON_ID = "1A2B3C4D5E-12"  # a registry id as devices make them
ID_NUMBER = "41032319750101101X"


def token(ref: str = PERSON_ID, ref_kind: p.RefKind = "id", **kw: object) -> str:
    args: dict[str, object] = {
        "subject": "person",
        "ref_kind": ref_kind,
        "ref": ref,
        "valid_from": START,
        "valid_until": END,
    }
    args.update(kw)
    return p.issue_token(KEY, KEY_ID, **args)  # type: ignore[arg-type]


def refused(text: str, keys: Mapping[str, Ed25519PublicKey] = KEYS, now: datetime = NOW) -> str:
    with pytest.raises(ValidationError) as info:
        p.verify_token(text, keys, now)
    return info.value.code


def test_round_trip_and_alphabet() -> None:
    text = token()
    assert text.startswith("GP1") and set(text) <= set(string.ascii_uppercase + string.digits)
    got = p.verify_token(text, KEYS, NOW)
    assert got == p.VerifiedPass("person", "id", PERSON_ID, START, END, KEY_ID)


def test_id_number_and_plate_references_round_trip() -> None:
    got = p.verify_token(token(ID_NUMBER, "id_number"), KEYS, NOW)
    assert (got.ref_kind, got.ref) == ("id_number", ID_NUMBER)
    plate = p.verify_token(token("A12345", "plate_key", subject="vehicle"), KEYS, NOW)
    assert (plate.subject, plate.ref_kind, plate.ref) == ("vehicle", "plate_key", "A12345")


def test_wedge_scanner_typing_is_accepted() -> None:
    text = token()
    # Caps Lock on, a stray space and the Enter the scanner appends.
    assert p.verify_token(" " + text.lower() + "\r\n", KEYS, NOW).ref == PERSON_ID
    assert p.looks_like_pass(text.lower()) and p.looks_like_pass(text[:30])
    assert not p.looks_like_pass(ID_NUMBER) and not p.looks_like_pass("GT1001")


def test_validity_bounds_are_minute_exact() -> None:
    text = token(valid_from=START + timedelta(seconds=59))  # cut to the minute
    assert p.verify_token(text, KEYS, START).valid_from == START
    assert refused(text, now=START - timedelta(seconds=1)) == "pass.not_yet_valid"
    assert refused(text, now=END) == "pass.expired"
    assert p.verify_token(text, KEYS, END - timedelta(seconds=1)).valid_until == END


def test_unknown_key_and_forgery() -> None:
    text = token()
    assert refused(text, keys={}) == "pass.unknown_key"
    # A forger without the private key signs with their own key but claims ours.
    forged = p.issue_token(OTHER, KEY_ID, "person", "id", "INTRUDER-1", START, END)
    assert refused(forged) == "pass.bad_signature"
    # Someone swaps the subject of a genuine pass, keeping its signature.
    genuine = token("1A2B3C4D5E-13")
    raw = bytearray(base64.b32decode(genuine[3:] + "=" * (-len(genuine[3:]) % 8)))
    raw[-65] ^= 0x01  # last character of the reference: ...-13 becomes ...-12
    assert refused(p._encode(bytes(raw))) == "pass.bad_signature"


@pytest.mark.parametrize(
    "text",
    ["", "GP1", "GP1AAAA", "ID41032319750101101X", "豫A12345", "GP1" + "A" * 300, "GP1!!!!"],
)
def test_garbage_is_malformed(text: str) -> None:
    assert refused(text) == "pass.malformed"


def test_every_truncation_is_refused() -> None:
    text = token()
    for n in range(len(text)):
        assert refused(text[:n]) in ("pass.malformed", "pass.unknown_key"), n
    # A truncation long enough to hold a key id is still malformed, not "unknown key".
    assert refused(text[:-1]) == "pass.malformed"


@settings(max_examples=300)
@given(st.text())
def test_any_text_is_refused_with_a_validation_error(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        p.verify_token(text, KEYS, NOW)
    assert info.value.code in ("pass.malformed", "pass.unknown_key", "pass.bad_signature")


@settings(max_examples=300)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=100, max_size=200))
def test_any_base32_after_the_prefix_is_refused(body: str) -> None:
    with pytest.raises(ValidationError) as info:
        p.verify_token("GP1" + body, KEYS, NOW)
    assert info.value.code in ("pass.malformed", "pass.unknown_key", "pass.bad_signature")


FLIP_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567019"


@settings(max_examples=500)
@given(st.data())
def test_changing_any_one_character_is_refused(data: st.DataObject) -> None:
    text = token(data.draw(st.sampled_from([PERSON_ID, "X", "人员-7"])))
    i = data.draw(st.integers(0, len(text) - 1))
    new = data.draw(st.sampled_from(FLIP_ALPHABET).filter(lambda c: c != text[i]))
    with pytest.raises(ValidationError) as info:
        p.verify_token(text[:i] + new + text[i + 1 :], KEYS, NOW)
    assert info.value.code in ("pass.malformed", "pass.unknown_key", "pass.bad_signature")


@settings(max_examples=100)
@given(
    subject=st.sampled_from(["person", "vehicle"]),
    ref=st.text(min_size=1, max_size=20).filter(lambda s: len(s.encode()) <= 64),
    start=st.datetimes(datetime(2020, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    minutes=st.integers(1, 2**24 - 1),
)
def test_round_trip_property(subject: p.Subject, ref: str, start: datetime, minutes: int) -> None:
    until = start + timedelta(minutes=minutes)
    text = p.issue_token(KEY, KEY_ID, subject, "id", ref, start, until)
    got = p.verify_token(text, KEYS, start.replace(second=0, microsecond=0))
    assert (got.subject, got.ref, got.key_id) == (subject, ref, KEY_ID)
    assert got.valid_from == start.replace(second=0, microsecond=0)


def test_impossible_issue_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        token(valid_until=START)
    with pytest.raises(ValueError):
        token("41032319750101101", "id_number")
    with pytest.raises(ValueError):
        p.issue_token(KEY, "nothex!!", "person", "id", "x", START, END)
    with pytest.raises(ValueError):
        token(valid_from=START.replace(tzinfo=None))
    with pytest.raises(ValueError):
        token("A12345", "plate_key")  # a person is not named by a plate


def test_key_text_round_trip_and_bad_key_text() -> None:
    priv = p.generate_private_key()
    text = p.private_key_to_text(priv)
    again = p.private_key_from_text(text)
    assert p.key_id_for(again.public_key()) == p.key_id_for(priv.public_key())
    pub = p.public_key_from_text(p.public_key_to_text(priv.public_key()))
    assert len(p.key_id_for(pub)) == 8
    for bad in ("", "not base64!", "AAAA"):
        with pytest.raises(ValidationError) as info:
            p.public_key_from_text(bad)
        assert info.value.code == "pass.bad_public_key"


def test_every_refusal_has_both_texts() -> None:
    for code in ("malformed", "unknown_key", "bad_signature", "expired", "not_yet_valid"):
        zh, en = CATALOG[f"pass.{code}"]
        assert zh and en


def _version(text: str, level: int) -> int:
    qr = qrcode.QRCode(error_correction=level)
    qr.add_data(text)
    qr.make(fit=True)
    assert qr.data_list[0].mode == qrcode.util.MODE_ALPHA_NUM
    return int(qr.version)


def test_qr_stays_small() -> None:
    # What the README states: a person pass is QR version 6 at error correction M
    # (41x41 modules), version 8 at Q; an ID-number pass is no larger.
    m, q = qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_Q
    person = token()
    assert len(person) == 147  # 90 bytes: 12 fixed + 14 reference + 64 signature
    assert (_version(person, m), _version(person, q)) == (6, 8)
    assert _version(token(ID_NUMBER, "id_number"), m) <= 6
    assert _version(token("1A2B3C4D5E-99999"), m) == 6  # the longest device id of a year
