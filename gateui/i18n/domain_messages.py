"""Chinese and English texts for the domain's message codes and checklist labels.

Keys are the codes of gateui.domain.errors.ALL_MESSAGE_CODES plus the checklist's label
keys; values are (Simplified Chinese, English) templates whose {placeholders} are the
params the domain puts on the error.
"""

from __future__ import annotations

DOMAIN_MESSAGES: dict[str, tuple[str, str]] = {
    # title of every gateui.domain.errors.ValidationError
    "error.validation_title": ("输入有误", "Invalid input"),
    # resident ID numbers
    "id.empty": ("请输入身份证号码", "Enter the ID number"),
    "id.first_generation": (
        "15位旧身份证已停用，请出示18位身份证",
        "15-digit ID cards are no longer valid; ask for the 18-digit card",
    ),
    "id.bad_length": (
        "身份证号码应为{expected}位，输入了{length}位",
        "An ID number has {expected} characters; {length} were entered",
    ),
    "id.bad_chars": (
        "身份证号码第{position}位“{char}”无效：只能是数字，最后一位可以是X",
        "Character {position} of the ID number, “{char}”, is invalid: "
        "only digits, and X as the last character",
    ),
    "id.bad_checksum": (
        "身份证号码校验位不符（应为{expected}，输入为{found}），请核对号码",
        "The ID number's check character is wrong ({found}, expected {expected}); check the number",
    ),
    "id.bad_date": (
        "身份证号码中的出生日期{date_text}不存在",
        "The birth date in the ID number, {date_text}, does not exist",
    ),
    "id.future_date": (
        "身份证号码中的出生日期{birth_date}晚于今天",
        "The birth date in the ID number, {birth_date}, is in the future",
    ),
    "id.date_before_1900": (
        "身份证号码中的出生日期{birth_date}早于1900年",
        "The birth date in the ID number, {birth_date}, is before 1900",
    ),
    "id.unknown_region": (
        "地区代码未收录（号码校验通过，可以登记）",
        "Unknown region code (the number is valid and can be registered)",
    ),
    "id.region_not_in_use": (
        "地区代码在出生年份尚未启用或已撤销（号码校验通过，可以登记）",
        "The region code was not in use in the birth year "
        "(the number is valid and can be registered)",
    ),
    # plates
    "plate.empty": ("请输入车牌号", "Enter the plate number"),
    "plate.bad_province": (
        "“{char}”不是省份简称",
        "“{char}” is not a province abbreviation",
    ),
    "plate.bad_format": ("车牌号“{text}”格式不正确", "“{text}” is not a plate number"),
    "plate.bad_letter_io": (
        "车牌不使用字母“{char}”（I和O），是否为数字1或0？",
        "Plates never use the letter “{char}” (I or O); did you mean 1 or 0?",
    ),
    "plate.bad_length": (
        "车牌号码部分应为5位（新能源6位），输入了{length}位",
        "A plate has 5 characters after the letter (6 for new energy); {length} were entered",
    ),
    "plate.bad_new_energy": (
        "“{body}”不是有效的新能源号牌：小型车以D或F开头，大型车以D或F结尾",
        "“{body}” is not a new-energy plate: small vehicles start with D or F, "
        "large ones end with D or F",
    ),
    "plate.bad_trailer": (
        "挂车号牌应为4位加“挂”字，输入了“{body}”",
        "A trailer plate has 4 characters and then 挂; “{body}” was entered",
    ),
    # mobile numbers
    "phone.empty": ("请输入手机号码", "Enter the mobile number"),
    "phone.bad_chars": (
        "手机号码中不能有“{char}”",
        "A mobile number cannot contain “{char}”",
    ),
    "phone.bad_length": (
        "手机号码应为{expected}位，输入了{length}位",
        "A mobile number has {expected} digits; {length} were entered",
    ),
    "phone.bad_prefix": (
        "手机号码应以13至19开头，输入的是{prefix}",
        "A mobile number starts with 13 to 19, not {prefix}",
    ),
    # names
    "name.empty": ("请输入姓名", "Enter the name"),
    "name.too_long": (
        "姓名过长（{length}个字符，最多{max}个）",
        "The name is too long ({length} characters, at most {max})",
    ),
    "name.has_digits": ("姓名中不能有数字", "A name cannot contain digits"),
    "name.bad_chars": ("姓名中不能有“{char}”", "A name cannot contain “{char}”"),
    # body temperature
    "temperature.empty": ("请输入体温", "Enter the temperature"),
    "temperature.bad_format": (
        "“{text}”不是体温，请输入如36.5",
        "“{text}” is not a temperature; enter e.g. 36.5",
    ),
    "temperature.out_of_range": (
        "体温{value}℃不在{min}至{max}℃之间，请重新测量",
        "{value} °C is outside {min} to {max} °C; measure again",
    ),
    # answering the checklist
    "checklist.missing_answer": ("检查项“{key}”尚未填写", "Checklist item “{key}” is unanswered"),
    "checklist.bad_answer": (
        "检查项“{key}”没有“{answer}”这个选项",
        "Checklist item “{key}” has no option “{answer}”",
    ),
    "checklist.unexpected_answer": (
        "检查表中没有“{key}”这一项",
        "The checklist has no item “{key}”",
    ),
    # a checklist published by HQ that cannot be used
    "checklist_config.empty": ("检查表为空或格式错误", "The checklist is empty or malformed"),
    "checklist_config.not_a_mapping": (
        "检查表第{key}项格式错误",
        "Checklist item {key} is malformed",
    ),
    "checklist_config.missing_field": (
        "检查项“{key}”缺少“{field}”",
        "Checklist item “{key}” lacks “{field}”",
    ),
    "checklist_config.unknown_field": (
        "检查项“{key}”有未知字段“{field}”",
        "Checklist item “{key}” has an unknown field “{field}”",
    ),
    "checklist_config.bad_field_type": (
        "检查项“{key}”的“{field}”类型错误",
        "Checklist item “{key}” has a wrong type for “{field}”",
    ),
    "checklist_config.bad_key": (
        "检查项名称“{key}”无效（小写字母、数字、下划线）",
        "Checklist item name “{key}” is invalid (lower-case letters, digits, underscores)",
    ),
    "checklist_config.duplicate_key": (
        "检查项“{key}”重复",
        "Checklist item “{key}” appears twice",
    ),
    "checklist_config.unknown_kind": (
        "检查项“{key}”的类型“{kind}”未知",
        "Checklist item “{key}” has an unknown kind “{kind}”",
    ),
    "checklist_config.too_few_options": (
        "检查项“{key}”至少需要两个选项",
        "Checklist item “{key}” needs at least two options",
    ),
    "checklist_config.duplicate_option": (
        "检查项“{key}”的选项“{option}”重复",
        "Checklist item “{key}” lists option “{option}” twice",
    ),
    "checklist_config.bad_option": (
        "检查项“{key}”的选项名称“{option}”无效",
        "Checklist item “{key}” has an invalid option name “{option}”",
    ),
    "checklist_config.bad_yesno_options": (
        "是否题“{key}”的选项只能是yes和no",
        "Yes/no item “{key}” can only have the options yes and no",
    ),
    "checklist_config.normal_not_an_option": (
        "检查项“{key}”的正常答案“{normal}”不是选项之一",
        "Checklist item “{key}”: the normal answer “{normal}” is not an option",
    ),
    "checklist_config.unknown_option": (
        "检查项“{key}”引用了不存在的选项“{option}”",
        "Checklist item “{key}” refers to a missing option “{option}”",
    ),
    "checklist_config.normal_not_admitted": (
        "检查项“{key}”的正常答案“{normal}”会导致拒绝或上报",
        "Checklist item “{key}”: the normal answer “{normal}” would deny or refer",
    ),
    "checklist_config.deny_refer_overlap": (
        "检查项“{key}”的选项“{option}”同时为拒绝和上报",
        "Checklist item “{key}”: option “{option}” both denies and refers",
    ),
    "checklist_config.bad_number": (
        "检查项“{key}”的数值“{value}”无效",
        "Checklist item “{key}” has an invalid number “{value}”",
    ),
    "checklist_config.bad_range": (
        "检查项“{key}”的体温范围或阈值不合理",
        "Checklist item “{key}” has an impossible temperature range or threshold",
    ),
    "checklist_config.bad_outcome": (
        "检查项“{key}”的发热处理“{outcome}”无效（deny或refer）",
        "Checklist item “{key}” has an invalid fever outcome “{outcome}” (deny or refer)",
    ),
    # checklist labels: "checklist.<key>" and "checklist.<key>.<option>"
    "checklist.fever": ("发热", "Fever"),
    "checklist.health_code": ("健康码", "Health code"),
    "checklist.health_code.green": ("绿码", "Green"),
    "checklist.health_code.yellow": ("黄码", "Yellow"),
    "checklist.health_code.red": ("红码", "Red"),
    "checklist.travel_code": ("行程卡", "Travel code"),
    "checklist.travel_code.normal": ("正常", "Normal"),
    "checklist.travel_code.risk_area": ("14天内到过风险地区", "Risk area in the last 14 days"),
    "checklist.travel_question": (
        "14天内是否到过风险地区或接触过风险人员？",
        "Have you been to a risk area or had contact in the last 14 days?",
    ),
    "checklist.travel_question.yes": ("是", "Yes"),
    "checklist.travel_question.no": ("否", "No"),
    "checklist.temperature": ("体温", "Temperature"),
    "checklist.mask": ("佩戴口罩", "Wearing a mask"),
    "checklist.mask.yes": ("是", "Yes"),
    "checklist.mask.no": ("否", "No"),
}
