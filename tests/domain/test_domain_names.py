"""Names: one normal form, and pinyin initials a guard can type without an input method."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from gateui.domain.errors import ValidationError
from gateui.domain.names import (
    MAX_KEY_VARIANTS,
    MAX_NAME_LENGTH,
    full_pinyin_keys,
    looks_like_pinyin_query,
    normalize_name,
    pinyin_initial_keys,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  张露 ", "张露"),
        ("張露", "张露"),
        ("劉德華", "刘德华"),
        ("张 三", "张三"),  # typed to align surname and given name
        ("阿卜杜拉•艾力", "阿卜杜拉·艾力"),
        ("阿卜杜拉 . 艾力", "阿卜杜拉·艾力"),
        ("阿卜杜拉・艾力", "阿卜杜拉·艾力"),
        ("John   Smith", "John Smith"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
        ("J. Smith", "J. Smith"),
        ("Ｊｏｈｎ", "John"),
        # Standard simplified characters OpenCC would otherwise fold away.
        ("周乾", "周乾"),
        ("於梨华", "於梨华"),
        ("李昇", "李昇"),
        ("張昇", "张昇"),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "name.empty"),
        ("   ", "name.empty"),
        ("张3", "name.has_digits"),
        ("张３", "name.has_digits"),
        ("张@露", "name.bad_chars"),
        ("张\x00露", "name.bad_chars"),
        ("张" * (MAX_NAME_LENGTH + 1), "name.too_long"),
    ],
)
def test_refused_names(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_name(text)
    assert caught.value.code == code


def test_chinese_numerals_are_not_digits() -> None:
    assert normalize_name("张一山") == "张一山"


def test_zhang_lu_is_found_by_zl() -> None:
    assert pinyin_initial_keys("张露")[0] == "zl"
    assert "zhanglu" in full_pinyin_keys("张露")


@pytest.mark.parametrize(
    ("name", "surname_first", "everyday_reading"),
    [
        ("单田芳", "stf", "dtf"),
        ("曾国藩", "zgf", "cgf"),
        ("解缙", "xj", "jj"),
        ("仇英", "qy", "cy"),
        ("区志", "oz", "qz"),
        ("查良镛", "zly", "cly"),
        ("翟志刚", "zzg", "dzg"),
        ("乐嘉", "yj", "lj"),
    ],
)
def test_surname_reading_comes_first_and_everyday_reading_stays(
    name: str, surname_first: str, everyday_reading: str
) -> None:
    keys = pinyin_initial_keys(name)
    assert keys[0] == surname_first
    assert everyday_reading in keys


@pytest.mark.parametrize(
    ("name", "first_key"),
    [("万俟卨", "mqx"), ("尉迟恭", "ycg"), ("单于丹", "cyd"), ("长孙无忌", "zswj")],
)
def test_compound_surnames(name: str, first_key: str) -> None:
    assert pinyin_initial_keys(name)[0] == first_key


def test_two_character_name_is_not_read_as_compound_surname() -> None:
    # 单于 alone is surname 单 (shan) and given name 于.
    assert pinyin_initial_keys("单于")[0] == "sy"


def test_full_pinyin_uses_surname_reading_and_v_for_u_umlaut() -> None:
    assert full_pinyin_keys("单田芳")[0] == "shantianfang"
    assert full_pinyin_keys("吕布")[0] == "lvbu"


def test_latin_and_transliterated_names() -> None:
    assert pinyin_initial_keys("John Smith") == ["js"]
    assert full_pinyin_keys("John Smith") == ["johnsmith"]
    assert pinyin_initial_keys("阿卜杜拉·艾力")[0] == "abdlal"


def test_variants_are_capped() -> None:
    # Every character of this name has several readings.
    keys = pinyin_initial_keys("单于仇查朴乐区解")
    assert len(keys) == MAX_KEY_VARIANTS
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zl", True),
        (" ZL ", True),
        ("zhanglu", True),
        ("z1", False),
        ("张l", False),
        ("", False),
        ("z l", False),
        ("ｚｌ", False),
    ],
)
def test_looks_like_pinyin_query(text: str, expected: bool) -> None:
    assert looks_like_pinyin_query(text) is expected


# --- properties -----------------------------------------------------------------------------

common_hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text())
def test_normalize_name_raises_only_validation_error_and_is_idempotent(text: str) -> None:
    try:
        name = normalize_name(text)
    except ValidationError:
        return
    assert name == name.strip() and name
    assert normalize_name(name) == name


@given(st.text())
def test_pinyin_keys_never_raise_and_are_lower_case_ascii(text: str) -> None:
    for keys in (pinyin_initial_keys(text), full_pinyin_keys(text)):
        assert len(keys) <= MAX_KEY_VARIANTS
        assert len(set(keys)) == len(keys)
        assert all(key.isascii() and key.isalpha() and key == key.lower() for key in keys)


@given(st.text(alphabet=common_hanzi, min_size=1, max_size=4))
def test_initials_use_only_first_letters_pypinyin_knows(name: str) -> None:
    # Per character: names are read character by character, not as dictionary phrases.
    per_char = [
        pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="ignore") for char in name
    ]
    readable = [groups[0] for groups in per_char if groups and groups[0]]
    keys = pinyin_initial_keys(name)
    if not readable:
        assert keys == []
        return
    assert keys
    assert all(len(key) == len(readable) for key in keys)
    for key in keys:
        assert all(letter in group for letter, group in zip(key, readable, strict=True))
    if len(name) <= 2:
        # Only the first character can carry a surname reading; the rest read as usual.
        assert keys[0][1:] == "".join(group[0] for group in readable[1:])
