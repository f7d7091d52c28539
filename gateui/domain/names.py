"""People's names: one normal form for storing and matching, and pinyin keys for search.

Guards have no Chinese input method: they find a person by typing the pinyin initials of
the name ("zl" for 张露). Scanned names may mix traditional and simplified characters, so
names are folded to simplified before anything else.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

from opencc import OpenCC

from gateui.domain.errors import ValidationError

MAX_NAME_LENGTH = 50  # transliterated minority and foreign names run long
MAX_KEY_VARIANTS = 8  # polyphonic characters multiply; keep the most likely readings
NAME_DOT = "·"  # the separator of transliterated names on ID cards, e.g. 阿卜杜拉·艾力

# Characters OpenCC's t2s folds away although they are standard simplified characters
# used in mainland names (通用规范汉字表, 2013): 周乾 must not become 周干, nor 李昇 李升.
_KEEP_AS_IS = frozenset("乾於昇陞甦蒐劄")
_KEEP_AS_IS_SPLIT = re.compile(f"([{''.join(sorted(_KEEP_AS_IS))}])")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_DOT_VARIANTS = re.compile(r"\s*[·•・‧∙⋅]\s*")
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
_ASCII_DOT_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])\s*\.\s*(?=[{_HAN}])")
_WHITESPACE = re.compile(r"\s+")
_PUNCTUATION_IN_NAMES = frozenset(" ·-'.")
_TOKEN = re.compile(rf"[A-Za-z]+|[{_HAN}]")
_HAN_CHAR = re.compile(rf"[{_HAN}]")

# Surnames read differently from the character's everyday reading. pypinyin (0.55) has no
# surname mode (mozillazg/python-pinyin#297), so the common cases are listed here. Every
# other reading of the character is still offered, after this one.
_SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "乐正": ("yue", "zheng"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "查": ("zha",),
    "朴": ("piao",),
    "盖": ("ge",),
    "尉": ("wei",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "缪": ("miao",),
    "秘": ("bi",),
    "繁": ("po",),
    "种": ("chong",),
    "重": ("chong",),
    "乐": ("yue",),
    "牟": ("mou",),
    "华": ("hua",),
    "纪": ("ji",),
    "燕": ("yan",),
    "那": ("na",),
    "折": ("she",),
    "佴": ("nai",),
    "粘": ("nian",),
    "藏": ("zang",),
    "都": ("du",),
    "六": ("lu",),
    "薄": ("bo",),
    "贾": ("jia",),
    "柏": ("bai",),
    "宿": ("su",),
    "能": ("nai",),
    "召": ("shao",),
    "员": ("yun",),
    "句": ("gou",),
    "莘": ("shen",),
    "隗": ("wei",),
    "阚": ("kan",),
    "长": ("chang",),
    "车": ("che",),
    "祭": ("zhai",),
}


@cache
def _t2s() -> Any:
    # Built on first use: loading OpenCC's dictionaries takes a moment.
    return OpenCC("t2s")


def _to_simplified(text: str) -> str:
    parts = _KEEP_AS_IS_SPLIT.split(text)
    return "".join(part if part in _KEEP_AS_IS else str(_t2s().convert(part)) for part in parts)


def normalize_name(text: str) -> str:
    """The one form a name is stored and compared in; raise ValidationError if unusable."""
    name = unicodedata.normalize("NFKC", text)
    name = _to_simplified(name)
    name = _DOT_VARIANTS.sub(NAME_DOT, name)
    name = _ASCII_DOT_BETWEEN_HAN.sub(NAME_DOT, name)
    name = _SPACE_BETWEEN_HAN.sub("", name)  # "张 三" is typed to align; it is 张三
    name = _WHITESPACE.sub(" ", name).strip()
    if not name:
        raise ValidationError("name.empty")
    if any(char.isdecimal() for char in name):
        raise ValidationError("name.has_digits")
    for char in name:
        if char not in _PUNCTUATION_IN_NAMES and unicodedata.category(char)[0] not in "LM":
            raise ValidationError("name.bad_chars", char=char)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError("name.too_long", length=len(name), max=MAX_NAME_LENGTH)
    return name


def pinyin_initial_keys(name: str) -> list[str]:
    """Pinyin initials of a name, lower-case, most likely reading first: 张露 -> ["zl", ...].

    Polyphonic characters give several keys (at most MAX_KEY_VARIANTS); the surname's own
    reading comes first (单田芳 -> "stf" before "dtf"). Latin words give their initial.
    """
    readings = _readings_per_token(name)
    initials = [_unique([reading[0] for reading in options]) for options in readings]
    return _most_likely_joins(initials, MAX_KEY_VARIANTS)


def full_pinyin_keys(name: str) -> list[str]:
    """Whole toneless pinyin of a name without spaces (张露 -> "zhanglu"), ü written v."""
    return _most_likely_joins(_readings_per_token(name), MAX_KEY_VARIANTS)


def looks_like_pinyin_query(text: str) -> bool:
    """True when the text is only ASCII letters: a pinyin search rather than a name."""
    query = text.strip()
    return bool(query) and query.isascii() and query.isalpha()


def _readings_per_token(name: str) -> list[list[str]]:
    """Candidate readings of each Chinese character or Latin word, best first."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", name))
    head = _surname_readings(tokens)
    result: list[list[str]] = []
    for index, token in enumerate(tokens):
        if _HAN_CHAR.fullmatch(token):
            preferred = head[index] if index < len(head) else []
            options = _unique(preferred + _char_readings(token))
        else:
            options = [token.lower()]
        if options:  # a character pypinyin cannot read is skipped, not fatal
            result.append(options)
    return result


def _surname_readings(tokens: Sequence[str]) -> list[list[str]]:
    """Preferred readings for the first one or two tokens, if they form a known surname."""
    if not tokens:
        return []
    first, compound = tokens[0], "".join(tokens[:2])
    # A two-character name such as 单于 is surname 单 + given name 于, not the compound.
    if len(tokens) > 2 and compound in _SURNAME_READINGS:
        readings = _SURNAME_READINGS[compound]
        single = list(_SURNAME_READINGS.get(first, ()))
        return [[readings[0], *single], [readings[1]]]
    return [list(_SURNAME_READINGS.get(first, ()))]


@cache
def _char_readings(char: str) -> list[str]:
    # Imported on first use: loading its dictionaries takes a quarter of a second, which
    # the gate terminal's start should not pay (searching needs no readings, only writing).
    from pypinyin import Style, pinyin

    # errors="ignore" drops characters pypinyin has no reading for.
    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return [str(reading) for group in readings for reading in group if str(reading).isalpha()]


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _most_likely_joins(options: Sequence[Sequence[str]], limit: int) -> list[str]:
    """Join one option per position, fewest departures from each first option first.

    Best-first over the sum of option ranks, so a second reading of any one character is
    tried before second readings of two; the product of all readings is never built.
    """
    if not options:
        return []
    start = (0,) * len(options)
    frontier: list[tuple[int, tuple[int, ...]]] = [(0, start)]
    visited = {start}
    keys: list[str] = []
    while frontier and len(keys) < limit:
        cost, ranks = heapq.heappop(frontier)
        key = "".join(options[i][rank] for i, rank in enumerate(ranks))
        if key not in keys:
            keys.append(key)
        for i, rank in enumerate(ranks):
            if rank + 1 < len(options[i]):
                successor = (*ranks[:i], rank + 1, *ranks[i + 1 :])
                if successor not in visited:
                    visited.add(successor)
                    heapq.heappush(frontier, (cost + 1, successor))
    return keys
