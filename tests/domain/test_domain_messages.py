"""Every domain message code is reachable, listed, and has Chinese and English texts."""

from __future__ import annotations

import pickle
import re
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import ric

from gateui.domain import checklist, names, phones, plates, resident_id
from gateui.domain.errors import (
    ALL_MESSAGE_CODES,
    ERROR_CODES,
    WARNING_CODES,
    ValidationError,
)
from gateui.errors import GateUIError
from gateui.i18n.domain_messages import DOMAIN_MESSAGES

TODAY = date(2024, 5, 1)


def _id_with_date(yyyymmdd: str) -> str:
    body = "110105" + yyyymmdd + "002"
    return body + ric.calc_check_digit(body + "0")


def _config(**changes: Any) -> list[dict[str, Any]]:
    item = {"key": "health_code", "kind": "choice", "options": ["green", "red"], "normal": "green"}
    return [item | changes]


def _temperature_config(**changes: Any) -> list[dict[str, Any]]:
    return [{"key": "temperature", "kind": "temperature"} | changes]


ITEMS = checklist.default_checklist()
ANSWERS = checklist.normal_answers(ITEMS)

# One input that triggers each error code, so no code is dead and every text is formatted
# with the params the domain really sends.
TRIGGERS: dict[str, Callable[[], object]] = {
    "id.empty": lambda: resident_id.parse_resident_id(" ", TODAY),
    "id.first_generation": lambda: resident_id.parse_resident_id("110105491231002", TODAY),
    "id.bad_length": lambda: resident_id.parse_resident_id("1101051949", TODAY),
    "id.bad_chars": lambda: resident_id.parse_resident_id("1101051949123100X2", TODAY),
    "id.bad_checksum": lambda: resident_id.parse_resident_id("110105194912310021", TODAY),
    "id.bad_date": lambda: resident_id.parse_resident_id(_id_with_date("19490230"), TODAY),
    "id.future_date": lambda: resident_id.parse_resident_id(_id_with_date("20300101"), TODAY),
    "id.date_before_1900": lambda: resident_id.parse_resident_id(_id_with_date("18990101"), TODAY),
    "plate.empty": lambda: plates.parse_plate(""),
    "plate.bad_province": lambda: plates.parse_plate("使A12345"),
    "plate.bad_format": lambda: plates.parse_plate("豫1"),
    "plate.bad_letter_io": lambda: plates.parse_plate("豫O12345"),
    "plate.bad_length": lambda: plates.parse_plate("豫A123"),
    "plate.bad_new_energy": lambda: plates.parse_plate("豫A123456"),
    "plate.bad_trailer": lambda: plates.parse_plate("豫A12挂"),
    "phone.empty": lambda: phones.parse_mobile(""),
    "phone.bad_chars": lambda: phones.parse_mobile("138x"),
    "phone.bad_length": lambda: phones.parse_mobile("138"),
    "phone.bad_prefix": lambda: phones.parse_mobile("11800138000"),
    "name.empty": lambda: names.normalize_name(""),
    "name.too_long": lambda: names.normalize_name("a" * 51),
    "name.has_digits": lambda: names.normalize_name("a1"),
    "name.bad_chars": lambda: names.normalize_name("a#"),
    "temperature.empty": lambda: checklist.parse_temperature(""),
    "temperature.bad_format": lambda: checklist.parse_temperature("x"),
    "temperature.out_of_range": lambda: checklist.parse_temperature("43"),
    "checklist.missing_answer": lambda: checklist.decide(ITEMS, {}),
    "checklist.bad_answer": lambda: checklist.decide(ITEMS, ANSWERS | {"mask": "maybe"}),
    "checklist.unexpected_answer": lambda: checklist.decide(ITEMS, ANSWERS | {"x": "y"}),
    "checklist_config.empty": lambda: checklist.checklist_from_config([]),
    "checklist_config.not_a_mapping": lambda: checklist.checklist_from_config([1]),  # type: ignore[list-item]
    "checklist_config.missing_field": lambda: checklist.checklist_from_config([{"key": "a"}]),
    "checklist_config.unknown_field": lambda: checklist.checklist_from_config(_config(x=1)),
    "checklist_config.bad_field_type": lambda: checklist.checklist_from_config(_config(normal=1)),
    "checklist_config.bad_key": lambda: checklist.checklist_from_config(_config(key="A")),
    "checklist_config.duplicate_key": lambda: checklist.checklist_from_config(_config() * 2),
    "checklist_config.unknown_kind": lambda: checklist.checklist_from_config(_config(kind="x")),
    "checklist_config.too_few_options": lambda: checklist.checklist_from_config(
        _config(options=["green"])
    ),
    "checklist_config.duplicate_option": lambda: checklist.checklist_from_config(
        _config(options=["green", "red", "red"])
    ),
    "checklist_config.bad_option": lambda: checklist.checklist_from_config(
        _config(options=["green", "RED"])
    ),
    "checklist_config.bad_yesno_options": lambda: checklist.checklist_from_config(
        _config(kind="yesno", options=["green", "red"])
    ),
    "checklist_config.normal_not_an_option": lambda: checklist.checklist_from_config(
        _config(normal="blue")
    ),
    "checklist_config.unknown_option": lambda: checklist.checklist_from_config(
        _config(deny=["blue"])
    ),
    "checklist_config.normal_not_admitted": lambda: checklist.checklist_from_config(
        _config(refer=["green"])
    ),
    "checklist_config.deny_refer_overlap": lambda: checklist.checklist_from_config(
        _config(deny=["red"], refer=["red"])
    ),
    "checklist_config.bad_number": lambda: checklist.checklist_from_config(
        _temperature_config(min="low")
    ),
    "checklist_config.bad_range": lambda: checklist.checklist_from_config(
        _temperature_config(min="40")
    ),
    "checklist_config.bad_outcome": lambda: checklist.checklist_from_config(
        _temperature_config(fever_outcome="ignore")
    ),
}


def test_every_error_code_has_a_trigger() -> None:
    assert set(TRIGGERS) == set(ERROR_CODES)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_trigger_raises_its_code_and_both_texts_format(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TRIGGERS[code]()
    error = caught.value
    assert error.code == code
    zh, en = DOMAIN_MESSAGES[code]
    for text in (zh, en):
        formatted = text.format(**error.params)
        assert "{" not in formatted


def test_codes_are_unique_and_split_into_errors_and_warnings() -> None:
    assert len(set(ALL_MESSAGE_CODES)) == len(ALL_MESSAGE_CODES)
    assert set(ALL_MESSAGE_CODES) == set(ERROR_CODES) | set(WARNING_CODES)
    assert not set(ERROR_CODES) & set(WARNING_CODES)


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_code_and_checklist_label_has_both_texts() -> None:
    wanted = set(ALL_MESSAGE_CODES) | set(checklist.label_keys(ITEMS)) | {checklist.FEVER_CODE}
    missing = sorted(wanted - set(DOMAIN_MESSAGES))
    assert missing == []
    for key, (zh, en) in DOMAIN_MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert _placeholders(zh) == _placeholders(en), key


def test_warnings_have_no_placeholders() -> None:
    for code in WARNING_CODES:
        zh, en = DOMAIN_MESSAGES[code]
        assert _placeholders(zh) == _placeholders(en) == set()


def test_every_code_written_in_the_domain_source_is_listed() -> None:
    # Catches a new ValidationError("...") whose code was not added to errors.py.
    domain = Path(checklist.__file__).parent
    prefixes = {code.split(".")[0] for code in ALL_MESSAGE_CODES}
    alternatives = "|".join(sorted(prefixes))
    pattern = re.compile(rf'"((?:{alternatives})\.[a-z_]+)"')
    found = {
        match
        for path in domain.glob("*.py")
        if path.name != "errors.py"
        for match in pattern.findall(path.read_text(encoding="utf-8"))
    }
    label_like = {checklist.FEVER_CODE}
    assert found - label_like <= set(ALL_MESSAGE_CODES)
    assert "id.bad_checksum" in found  # the scan itself works


def test_validation_error_is_a_value_error_and_a_gateui_error_that_pickles() -> None:
    error = ValidationError("id.bad_checksum", expected="X", found="1")
    assert isinstance(error, ValueError)
    assert isinstance(error, GateUIError)
    assert error.title_key in DOMAIN_MESSAGES
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.params) == ("id.bad_checksum", {"expected": "X", "found": "1"})
