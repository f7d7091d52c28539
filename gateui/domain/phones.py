"""Mainland mobile numbers: 11 digits, 1 then 3-9, as people type them."""

from __future__ import annotations

import re
import unicodedata

from gateui.domain.errors import ValidationError

MOBILE_LENGTH = 11
COUNTRY_CODE = "86"

# Characters people put between digit groups: "138 0013 8000", "138-0013-8000", "(+86)…".
_PUNCTUATION = re.compile(r"[\s\-().]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def parse_mobile(text: str) -> str:
    """Return the bare 11-digit number, or raise ValidationError saying what is wrong."""
    number = _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text))
    if not number:
        raise ValidationError("phone.empty")
    number = _without_country_code(number)
    for char in number:
        if char not in "0123456789":
            raise ValidationError("phone.bad_chars", char=char)
    if len(number) != MOBILE_LENGTH:
        raise ValidationError("phone.bad_length", length=len(number), expected=MOBILE_LENGTH)
    if not _MOBILE.fullmatch(number):
        raise ValidationError("phone.bad_prefix", prefix=number[:2])
    return number


def _without_country_code(number: str) -> str:
    if number.startswith("+" + COUNTRY_CODE):
        return number[1 + len(COUNTRY_CODE) :]
    if number.startswith("00" + COUNTRY_CODE):
        return number[2 + len(COUNTRY_CODE) :]
    # A bare "86" is only a prefix when it leaves exactly 11 digits: 86xxxxxxxxx alone
    # is an (invalid) 11-digit number, not a country code.
    if number.startswith(COUNTRY_CODE) and len(number) == len(COUNTRY_CODE) + MOBILE_LENGTH:
        return number[len(COUNTRY_CODE) :]
    return number
