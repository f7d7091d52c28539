"""Plates as guards type them: any case, any separator, with or without the province."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.errors import ValidationError
from gateui.domain.plates import PROVINCES, Plate, parse_plate


def code_of(text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_plate(text)
    return caught.value.code


def test_there_are_31_distinct_provinces() -> None:
    assert len(set(PROVINCES)) == len(PROVINCES) == 31


@pytest.mark.parametrize(
    "text",
    [
        "豫A12345",
        "豫a12345",
        " 豫 A 12345 ",
        "豫A-12345",
        "豫A·12345",
        "豫A•12345",
        "豫A.12345",
        "豫Ａ１２３４５",
    ],
)
def test_ways_of_typing_an_ordinary_plate(text: str) -> None:
    plate = parse_plate(text)
    assert plate == Plate("豫", "A", "12345", is_new_energy=False, is_trailer=False)
    assert plate.display == "豫A12345"
    assert plate.search_key == "A12345"


def test_plate_without_province_keeps_none_and_the_same_search_key() -> None:
    plate = parse_plate("a 12345")
    assert plate.province is None
    assert plate.display == "A12345"
    assert plate.search_key == parse_plate("豫A12345").search_key


def test_ordinary_plate_with_letters_in_the_body() -> None:
    assert parse_plate("晋kx8h21").display == "晋KX8H21"


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("京AD12345", "京AD12345"),
        ("粤bfa1234", "粤BFA1234"),
        ("沪A12345D", "沪A12345D"),
        ("A12345F", "A12345F"),
    ],
)
def test_new_energy_plates(text: str, display: str) -> None:
    plate = parse_plate(text)
    assert plate.is_new_energy and not plate.is_trailer
    assert plate.display == display


def test_trailer_plate() -> None:
    plate = parse_plate("晋k 1234 挂")
    assert plate == Plate("晋", "K", "1234挂", is_new_energy=False, is_trailer=True)
    assert plate.display == "晋K1234挂"
    assert plate.search_key == "K1234挂"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "plate.empty"),
        (" - ", "plate.empty"),
        ("使A12345", "plate.bad_province"),
        ("豫", "plate.bad_format"),
        ("豫112345", "plate.bad_format"),
        ("豫A12#45", "plate.bad_format"),
        ("豫A1234警", "plate.bad_format"),
        ("豫A12挂34", "plate.bad_format"),
        ("豫豫A12345", "plate.bad_format"),
        ("豫I12345", "plate.bad_letter_io"),
        ("豫A1O345", "plate.bad_letter_io"),
        ("豫Ai2345", "plate.bad_letter_io"),
        ("豫A1234", "plate.bad_length"),
        ("豫A1234567", "plate.bad_length"),
        ("豫A", "plate.bad_length"),
        ("豫A123456", "plate.bad_new_energy"),
        ("豫AD1234F", "plate.bad_new_energy"),
        ("豫A1D2345", "plate.bad_new_energy"),
        ("豫AE12345", "plate.bad_new_energy"),
        ("粤BF1A234", "plate.bad_new_energy"),
        ("豫A12345挂", "plate.bad_trailer"),
        ("豫A123挂", "plate.bad_trailer"),
    ],
)
def test_refused_plates(text: str, code: str) -> None:
    assert code_of(text) == code


def test_letter_io_error_points_at_the_character() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_plate("豫A1O345")
    assert caught.value.params == {"char": "O"}


# --- properties -----------------------------------------------------------------------------

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY_CHARS = LETTERS + "0123456789"
provinces = st.one_of(st.none(), st.sampled_from(PROVINCES))
letters = st.sampled_from(LETTERS)
ordinary_bodies = st.text(alphabet=BODY_CHARS, min_size=5, max_size=5)
separators = st.sampled_from(["", " ", "-", "·", "•", ".", "  "])


@given(st.text())
def test_any_text_parses_or_raises_validation_error(text: str) -> None:
    try:
        plate = parse_plate(text)
    except ValidationError:
        return
    assert plate.letter in LETTERS
    assert len(plate.body) in (5, 6)


@given(provinces, letters, ordinary_bodies, separators, st.booleans())
def test_ordinary_plates_parse_however_they_are_typed(
    province: str | None, letter: str, body: str, separator: str, lower: bool
) -> None:
    typed = f"{province or ''}{letter}{separator}{body}"
    plate = parse_plate(typed.lower() if lower else typed)
    assert (plate.province, plate.letter, plate.body) == (province, letter, body)
    assert parse_plate(plate.display) == plate
    assert plate.search_key == letter + body


@given(
    provinces,
    letters,
    st.one_of(
        st.from_regex(r"\A[DF][A-HJ-NP-Z0-9][0-9]{4}\Z"),
        st.from_regex(r"\A[0-9]{5}[DF]\Z"),
    ),
)
def test_new_energy_plates_round_trip(province: str | None, letter: str, body: str) -> None:
    plate = parse_plate(f"{province or ''}{letter}{body}")
    assert plate.is_new_energy
    assert parse_plate(plate.display) == plate


@given(
    letters,
    st.text(alphabet=BODY_CHARS, min_size=5, max_size=5),
    st.sampled_from("IO"),
    st.integers(0, 4),
)
def test_i_and_o_are_refused_anywhere_in_the_body(
    letter: str, body: str, bad: str, position: int
) -> None:
    typed = letter + body[:position] + bad + body[position + 1 :]
    assert code_of(typed) == "plate.bad_letter_io"
