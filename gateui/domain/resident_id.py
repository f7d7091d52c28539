"""Chinese resident ID numbers (GB 11643-1999), validated the way a gate needs.

Refusing a real person's number is a serious fault at a gate, so only what is certainly
wrong is an error: length, characters, checksum and an impossible birth date. The region
code is checked against stdnum's table of county codes, but only as a warning: the table
refuses many real numbers (a county code created after its holder's birth year, such as
Xin'an County's 410323 from 1983), so stdnum's own validate() is deliberately not used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from gateui.domain.errors import ValidationError

ID_LENGTH = 18
FIRST_GENERATION_LENGTH = 15
EARLIEST_BIRTH_YEAR = 1900
MASK_CHAR = "*"
VISIBLE_SUFFIX = 4

_DIGITS = frozenset("0123456789")
_CHECK_CHARS = _DIGITS | {"X"}
_WHITESPACE = re.compile(r"\s+")
_FRAGMENT = re.compile(r"[0-9]{3,5}[0-9X]")
_FULL_CANDIDATE = re.compile(r"[0-9]{14,19}[0-9X]")


@dataclass(frozen=True)
class ResidentId:
    """A resident ID number that passed every hard check."""

    number: str  # 18 characters, check character upper-case
    birth_date: date
    region_code: str  # first six digits: where the number was first issued
    is_female: bool  # the 17th digit is even for women
    warnings: tuple[str, ...] = ()  # codes from errors.WARNING_CODES


def _clean(text: str) -> str:
    # NFKC turns full-width digits and "Ｘ" (typed with a Chinese input method) into ASCII.
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).upper()


def parse_resident_id(text: str, today: date) -> ResidentId:
    """Validate a typed or scanned ID number; raise ValidationError when it is certainly wrong.

    `today` is the site's current date, passed in so the rule stays pure and testable.
    """
    number = _clean(text)
    if not number:
        raise ValidationError("id.empty")
    if len(number) == FIRST_GENERATION_LENGTH and set(number) <= _DIGITS:
        # The 15-digit first-generation cards stopped being valid in 2013.
        raise ValidationError("id.first_generation")
    if len(number) != ID_LENGTH:
        raise ValidationError("id.bad_length", length=len(number), expected=ID_LENGTH)
    for position, char in enumerate(number, start=1):
        allowed = _CHECK_CHARS if position == ID_LENGTH else _DIGITS
        if char not in allowed:
            raise ValidationError("id.bad_chars", char=char, position=position)
    # calc_check_digit reads the first 17 characters in base 13; they are ASCII digits here.
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        raise ValidationError("id.bad_checksum", expected=expected, found=number[-1])
    birth_date = _birth_date(number, today)
    region_code = number[:6]
    warnings = _region_warnings(region_code, birth_date.year)
    return ResidentId(
        number=number,
        birth_date=birth_date,
        region_code=region_code,
        is_female=int(number[16]) % 2 == 0,
        warnings=warnings,
    )


def _birth_date(number: str, today: date) -> date:
    try:
        birth_date: date = ric.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError("id.bad_date", date_text=number[6:14]) from None
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError("id.date_before_1900", birth_date=birth_date.isoformat())
    if birth_date > today:
        raise ValidationError("id.future_date", birth_date=birth_date.isoformat())
    return birth_date


def _region_warnings(region_code: str, birth_year: int) -> tuple[str, ...]:
    """Warn about a region code stdnum does not know, or did not know in the birth year.

    Reads stdnum's cn/loc table directly instead of calling ric.get_birth_place(), which
    cannot tell "unknown" from "not in use that year" and raises KeyError (not a stdnum
    ValidationError) for a known province with an unknown county, e.g. 419999.
    """
    county_ranges = _county_entries(region_code)
    if not county_ranges:
        return ("id.unknown_region",)
    if any(_in_use(entry, birth_year) for entry in county_ranges):
        return ()
    return ("id.region_not_in_use",)


def _county_entries(region_code: str) -> list[str]:
    parts = numdb.get("cn/loc").info(region_code)
    props = {key: value for _part, part_props in parts for key, value in part_props.items()}
    county = props.get("county")
    return county.split(",") if isinstance(county, str) and county else []


def _in_use(entry: str, year: int) -> bool:
    # Entries look like "新安县" (always in use) or "[1983-]新安县" / "[-2010]崇文区" /
    # "[1983-1997]…": the years the code was assigned to that county.
    if not entry.startswith("["):
        return True
    years = entry[1:].split("]", 1)[0]
    start, _, end = years.partition("-")
    if start.isdigit() and year < int(start):
        return False
    return not (end.isdigit() and year > int(end))


def mask_id(number: str) -> str:
    """Hide all but the last four characters, e.g. "**************123X", for screens and logs."""
    if len(number) <= VISIBLE_SUFFIX:
        return number
    return MASK_CHAR * (len(number) - VISIBLE_SUFFIX) + number[-VISIBLE_SUFFIX:]


def looks_like_id_fragment(text: str) -> bool:
    """True for a 4-6 character suffix query such as "1234" or "02X": how guards search."""
    return _FRAGMENT.fullmatch(_clean(text)) is not None


def is_full_id_candidate(text: str) -> bool:
    """True when the text is an attempt at a whole number (15-20 digits, last may be X).

    Such text should go to parse_resident_id, whose errors say what is wrong with it,
    rather than be used as a search fragment.
    """
    return _FULL_CANDIDATE.fullmatch(_clean(text)) is not None


def make_resident_id(region: str, birth_date: date, serial3: int) -> str:
    """Build a valid number from its parts, computing the check character.

    For the demo seeder and tests; raises ValueError (a programming error) on bad parts.
    """
    if len(region) != 6 or not set(region) <= _DIGITS:
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= serial3 <= 999:
        raise ValueError(f"serial3 must be 0..999, got {serial3}")
    if not 0 < birth_date.year <= 9999:
        raise ValueError(f"birth year out of range: {birth_date.year}")
    body = f"{region}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{serial3:03d}"
    # calc_check_digit ignores the last character: pass a placeholder.
    return body + ric.calc_check_digit(body + "0")
