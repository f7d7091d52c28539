"""Mobile numbers with the decorations people type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.errors import ValidationError
from gateui.domain.phones import parse_mobile


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "(138)00138000",
        "+86 138 0013 8000",
        "+86-13800138000",
        "(+86)13800138000",
        "0086 13800138000",
        "8613800138000",
        "１３８００１３８０００",
    ],
)
def test_accepted_ways_of_typing(text: str) -> None:
    assert parse_mobile(text) == "13800138000"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "phone.empty"),
        (" - ", "phone.empty"),
        ("1380013800a", "phone.bad_chars"),
        ("+1 555 0100", "phone.bad_chars"),
        ("1380013800", "phone.bad_length"),
        ("138001380001", "phone.bad_length"),
        ("12800138000", "phone.bad_prefix"),
        ("23800138000", "phone.bad_prefix"),
        # "86" plus 9 digits is an 11-digit number that is not a mobile, not a prefix.
        ("86138001380", "phone.bad_prefix"),
    ],
)
def test_refused_numbers(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_mobile(text)
    assert caught.value.code == code


@given(st.text())
def test_any_text_parses_or_raises_validation_error(text: str) -> None:
    try:
        number = parse_mobile(text)
    except ValidationError:
        return
    assert len(number) == 11 and number.isdigit() and number[0] == "1"


@given(
    st.from_regex(r"\A1[3-9][0-9]{9}\Z"),
    st.sampled_from(["", "+86", "+86 ", "0086", "86", "(+86)"]),
    st.sampled_from(["", " ", "-"]),
)
def test_valid_numbers_survive_any_usual_decoration(
    number: str, prefix: str, separator: str
) -> None:
    typed = prefix + number[:3] + separator + number[3:7] + separator + number[7:]
    assert parse_mobile(typed) == number
