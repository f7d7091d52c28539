"""Validation errors and warnings of the domain, as stable message codes.

A code such as "id.bad_checksum" is a key the i18n layer turns into Chinese or English
text; the error's params fill that text's placeholders. Codes are part of the contract
with gateui/i18n/domain_messages.py, which must have a text for every code listed here.
"""

from __future__ import annotations

from typing import Any

from gateui.errors import GateUIError


class ValidationError(GateUIError, ValueError):
    """Input that breaks a domain rule. Raised, never returned.

    Subclasses ValueError so generic callers (parsers, pydantic validators) treat it as
    bad input, and GateUIError so the UI shows it like every other user-facing problem.
    """

    title_key = "error.validation_title"

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle through their args, which would drop the keyword params;
        # rebuild through a helper so an error survives a process boundary intact.
        return (_rebuild_validation_error, (self.code, self.params))


def _rebuild_validation_error(code: str, params: dict[str, Any]) -> ValidationError:
    return ValidationError(code, **params)


ERROR_CODES: tuple[str, ...] = (
    # resident ID numbers
    "id.empty",
    "id.first_generation",
    "id.bad_length",
    "id.bad_chars",
    "id.bad_checksum",
    "id.bad_date",
    "id.future_date",
    "id.date_before_1900",
    # plates
    "plate.empty",
    "plate.bad_province",
    "plate.bad_format",
    "plate.bad_letter_io",
    "plate.bad_length",
    "plate.bad_new_energy",
    "plate.bad_trailer",
    # mobile numbers
    "phone.empty",
    "phone.bad_chars",
    "phone.bad_length",
    "phone.bad_prefix",
    # names
    "name.empty",
    "name.too_long",
    "name.has_digits",
    "name.bad_chars",
    # body temperature
    "temperature.empty",
    "temperature.bad_format",
    "temperature.out_of_range",
    # answering the checklist
    "checklist.missing_answer",
    "checklist.bad_answer",
    "checklist.unexpected_answer",
    # a checklist published by HQ that cannot be used
    "checklist_config.empty",
    "checklist_config.not_a_mapping",
    "checklist_config.missing_field",
    "checklist_config.unknown_field",
    "checklist_config.bad_field_type",
    "checklist_config.bad_key",
    "checklist_config.duplicate_key",
    "checklist_config.unknown_kind",
    "checklist_config.too_few_options",
    "checklist_config.duplicate_option",
    "checklist_config.bad_option",
    "checklist_config.bad_yesno_options",
    "checklist_config.normal_not_an_option",
    "checklist_config.unknown_option",
    "checklist_config.normal_not_admitted",
    "checklist_config.deny_refer_overlap",
    "checklist_config.bad_number",
    "checklist_config.bad_range",
    "checklist_config.bad_outcome",
)

# Warnings are returned alongside a valid result (e.g. ResidentId.warnings), never raised,
# and carry no params: the UI has the parsed value to show next to the text.
WARNING_CODES: tuple[str, ...] = (
    "id.unknown_region",
    "id.region_not_in_use",
)

ALL_MESSAGE_CODES: tuple[str, ...] = ERROR_CODES + WARNING_CODES
