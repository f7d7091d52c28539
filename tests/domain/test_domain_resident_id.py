"""Resident ID numbers: hard errors only for what is certainly wrong, warnings for regions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric

from gateui.domain.errors import ValidationError
from gateui.domain.resident_id import (
    ResidentId,
    is_full_id_candidate,
    looks_like_id_fragment,
    make_resident_id,
    mask_id,
    parse_resident_id,
)

TODAY = date(2024, 5, 1)
# The example number printed in GB 11643 and many textbooks.
TEXTBOOK_NUMBER = "11010519491231002X"


def code_of(text: str, today: date = TODAY) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id(text, today)
    return caught.value.code


def test_textbook_number_parses_into_its_parts() -> None:
    parsed = parse_resident_id(TEXTBOOK_NUMBER, TODAY)
    assert parsed == ResidentId(
        number=TEXTBOOK_NUMBER,
        birth_date=date(1949, 12, 31),
        region_code="110105",
        is_female=True,  # 17th digit 2 is even
        warnings=(),
    )


def test_lower_case_x_spaces_and_full_width_digits_are_accepted() -> None:
    assert parse_resident_id(" 110105 19491231 002x ", TODAY).number == TEXTBOOK_NUMBER
    full_width = "１１０１０５１９４９１２３１００２ｘ"
    assert parse_resident_id(full_width, TODAY).number == TEXTBOOK_NUMBER


def test_odd_seventeenth_digit_is_male() -> None:
    number = make_resident_id("110105", date(1980, 1, 1), 1)
    assert parse_resident_id(number, TODAY).is_female is False


def test_xin_an_county_number_from_before_1983_is_accepted_with_a_warning() -> None:
    # 410323 (Xin'an County) dates from 1983; stdnum's validate() refuses older holders.
    number = make_resident_id("410323", date(1965, 3, 8), 123)
    assert not ric.is_valid(number)  # the stdnum behaviour this module works around
    parsed = parse_resident_id(number, TODAY)
    assert parsed.region_code == "410323"
    assert parsed.warnings == ("id.region_not_in_use",)


def test_xin_an_county_number_from_after_1983_has_no_warning() -> None:
    number = make_resident_id("410323", date(1990, 3, 8), 123)
    assert parse_resident_id(number, TODAY).warnings == ()


@pytest.mark.parametrize("region", ["999999", "419999", "000000"])
def test_unknown_region_is_a_warning_not_an_error(region: str) -> None:
    # 419999: a known province with an unknown county, on which stdnum's
    # get_birth_place raises KeyError rather than a stdnum error.
    number = make_resident_id(region, date(1990, 1, 1), 5)
    assert parse_resident_id(number, TODAY).warnings == ("id.unknown_region",)


def test_length_characters_checksum_are_hard_errors() -> None:
    assert code_of("") == "id.empty"
    assert code_of("   ") == "id.empty"
    assert code_of("11010519491231002") == "id.bad_length"
    assert code_of("11010519491231002XX") == "id.bad_length"
    assert code_of("110105491231002") == "id.first_generation"
    assert code_of("1101051949123100X2") == "id.bad_chars"
    assert code_of("11010519491231002A") == "id.bad_chars"
    assert code_of("110105194912310021") == "id.bad_checksum"


def test_bad_chars_names_the_character_and_its_position() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id("1101051949A231002X", TODAY)
    assert caught.value.params == {"char": "A", "position": 11}


def test_checksum_error_gives_expected_character() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id("110105194912310021", TODAY)
    assert caught.value.params == {"expected": "X", "found": "1"}


def test_impossible_dates_are_hard_errors() -> None:
    # Numbers with a correct checksum but an impossible date: made by hand, since
    # make_resident_id only takes real dates.
    def with_date(yyyymmdd: str) -> str:
        body = "110105" + yyyymmdd + "002"
        return body + ric.calc_check_digit(body + "0")

    assert code_of(with_date("19490230")) == "id.bad_date"
    assert code_of(with_date("19491301")) == "id.bad_date"
    assert code_of(with_date("00000101")) == "id.bad_date"
    assert code_of(with_date("18991231")) == "id.date_before_1900"
    assert parse_resident_id(with_date("19000101"), TODAY).birth_date == date(1900, 1, 1)


def test_birth_date_in_the_future_is_refused_but_today_is_fine() -> None:
    assert code_of(make_resident_id("110105", date(2024, 5, 2), 1)) == "id.future_date"
    born_today = make_resident_id("110105", TODAY, 1)
    assert parse_resident_id(born_today, TODAY).birth_date == TODAY


def test_mask_id_shows_only_the_last_four() -> None:
    assert mask_id(TEXTBOOK_NUMBER) == "**************002X"
    assert mask_id("12345") == "*2345"
    assert mask_id("123") == "123"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", True),
        ("002X", True),
        ("02x", False),
        ("12345", True),
        ("123456", True),
        ("1234567", False),
        ("12X4", False),
        ("abcd", False),
        (" 002x ", True),
        ("", False),
    ],
)
def test_looks_like_id_fragment(text: str, expected: bool) -> None:
    assert looks_like_id_fragment(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TEXTBOOK_NUMBER, True),
        ("11010519491231002x", True),
        ("110105491231002", True),  # 15 digits: parse it to explain it is outdated
        ("1101051949123100", True),
        ("13800138000", False),  # a mobile number
        ("002X", False),
        ("1101051949123100212", True),  # one digit too many: say so
        ("11010519491231002X1", False),
        ("110105194912310021234", False),
        ("11010519491A31002X", False),
    ],
)
def test_is_full_id_candidate(text: str, expected: bool) -> None:
    assert is_full_id_candidate(text) is expected


def test_make_resident_id_refuses_bad_parts() -> None:
    with pytest.raises(ValueError):
        make_resident_id("11010", date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_resident_id("110105", date(1990, 1, 1), 1000)


# --- properties -----------------------------------------------------------------------------

regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999)


@given(st.text())
def test_any_text_parses_or_raises_validation_error(text: str) -> None:
    try:
        parsed = parse_resident_id(text, TODAY)
    except ValidationError:
        return
    assert len(parsed.number) == 18


@given(regions, birth_dates, serials)
def test_every_made_number_parses_back_to_its_parts(
    region: str, birth_date: date, serial: int
) -> None:
    number = make_resident_id(region, birth_date, serial)
    parsed = parse_resident_id(number, TODAY)
    assert parsed.number == number
    assert parsed.region_code == region
    assert parsed.birth_date == birth_date
    assert parsed.is_female == (serial % 2 == 0)
    assert set(parsed.warnings) <= {"id.unknown_region", "id.region_not_in_use"}


@given(regions, birth_dates, serials, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught_by_the_checksum(
    region: str, birth_date: date, serial: int, position: int, replacement: str
) -> None:
    number = make_resident_id(region, birth_date, serial)
    assume(number[position] != replacement)
    assume(replacement != "X" or position == 17)
    mutated = number[:position] + replacement + number[position + 1 :]
    assert code_of(mutated) == "id.bad_checksum"


def _is_valid_by_the_rules(number: str) -> bool:
    """An independent statement of the rules, for comparison."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    if number[17] != "10X98765432"[total % 11]:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born.year >= 1900 and born <= TODAY


@given(
    st.text(alphabet="0123456789", min_size=17, max_size=17),
    st.sampled_from("0123456789X"),
)
def test_accepts_exactly_the_numbers_the_rules_allow(body: str, check: str) -> None:
    number = body + check
    try:
        parse_resident_id(number, TODAY)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == _is_valid_by_the_rules(number)


@given(regions, birth_dates, serials)
def test_rule_oracle_agrees_on_valid_numbers(region: str, birth_date: date, serial: int) -> None:
    # Random 17-digit bodies rarely hold a real date; this keeps the oracle honest on the
    # numbers that should pass.
    assert _is_valid_by_the_rules(make_resident_id(region, birth_date, serial))
