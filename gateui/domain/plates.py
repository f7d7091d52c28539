"""Chinese vehicle plates (GA 36-2018), as guards type them and scanners read them.

People type plates with or without the province character, with or without separators,
in upper or lower case. A plate is stored with whatever province was given and looked up
by its search key (letter + body), so "a12345" finds "豫A12345".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gateui.domain.errors import ValidationError

# The 31 provincial-level abbreviations of the mainland.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
TRAILER_SUFFIX = "挂"
ORDINARY_BODY_LENGTH = 5
NEW_ENERGY_BODY_LENGTH = 6
TRAILER_BODY_LENGTH = 4  # four characters, then 挂

# I and O are never used on plates: they would be read as 1 and 0.
_PLATE_LETTERS = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ")
_BODY_CHARS = _PLATE_LETTERS | frozenset("0123456789")
_SEPARATORS = re.compile(r"[\s\-·•・‧∙⋅.]+")
# Small new-energy cars: D (pure electric) or F (other new energy) first, then a letter or
# digit, then four digits. Large new-energy vehicles: five digits, then D or F.
_SMALL_NEW_ENERGY = re.compile(r"[DF][A-HJ-NP-Z0-9][0-9]{4}")
_LARGE_NEW_ENERGY = re.compile(r"[0-9]{5}[DF]")


@dataclass(frozen=True)
class Plate:
    province: str | None  # one of PROVINCES, or None when the guard did not type it
    letter: str  # the issuing authority's letter, A-Z without I and O
    body: str  # 5 characters, 6 for new energy, or 4 + 挂 for a trailer
    is_new_energy: bool
    is_trailer: bool

    @property
    def display(self) -> str:
        """The plate as painted, e.g. "豫A12345", or "A12345" without a province."""
        return f"{self.province or ''}{self.letter}{self.body}"

    @property
    def search_key(self) -> str:
        """Letter + body without the province: what lookups match on."""
        return f"{self.letter}{self.body}"


def _clean(text: str) -> str:
    # NFKC folds full-width letters and digits typed with a Chinese input method.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def parse_plate(text: str) -> Plate:
    """Parse a plate typed in any of the usual ways; raise ValidationError if impossible."""
    plate = _clean(text)
    if not plate:
        raise ValidationError("plate.empty")
    province: str | None = None
    if plate[0] in PROVINCES:
        province, plate = plate[0], plate[1:]
    elif not plate[0].isascii():
        raise ValidationError("plate.bad_province", char=plate[0])
    if not plate:
        raise ValidationError("plate.bad_format", text=text.strip())
    letter, body = plate[0], plate[1:]
    if letter in "IO":
        raise ValidationError("plate.bad_letter_io", char=letter)
    if letter not in _PLATE_LETTERS:
        raise ValidationError("plate.bad_format", text=text.strip())
    is_trailer = body.endswith(TRAILER_SUFFIX)
    serial = body[: -len(TRAILER_SUFFIX)] if is_trailer else body
    for char in serial:
        if char in "IO":
            raise ValidationError("plate.bad_letter_io", char=char)
        if char not in _BODY_CHARS:
            raise ValidationError("plate.bad_format", text=text.strip())
    if is_trailer:
        if len(serial) != TRAILER_BODY_LENGTH:
            raise ValidationError("plate.bad_trailer", body=body)
        return Plate(province, letter, body, is_new_energy=False, is_trailer=True)
    if len(body) == NEW_ENERGY_BODY_LENGTH:
        if not (_SMALL_NEW_ENERGY.fullmatch(body) or _LARGE_NEW_ENERGY.fullmatch(body)):
            raise ValidationError("plate.bad_new_energy", body=body)
        return Plate(province, letter, body, is_new_energy=True, is_trailer=False)
    if len(body) != ORDINARY_BODY_LENGTH:
        raise ValidationError("plate.bad_length", length=len(body))
    return Plate(province, letter, body, is_new_energy=False, is_trailer=False)
