"""`gateui import people|vehicles FILE`: the good rows in one transaction, every bad row named."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl

from gateui.domain.resident_id import make_resident_id
from tests.cli.conftest import Invoke


def rid(i: int) -> str:
    return make_resident_id("410323", date(1985, 1, 1 + i), 101 + 2 * i)


def bad_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def people(gateui: Invoke) -> dict[str, dict[str, object]]:
    out = gateui("export", "people", "-f", "jsonl", "--full-id")
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    return {str(r["id_number"]): r for r in rows}


def bad_lines(stderr: str) -> set[int]:
    return {int(n) for n in re.findall(r"^第 (\d+) 行，", stderr, re.M)}


def write_csv(path: Path, text: str, bom: bool = False) -> Path:
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def test_csv_with_good_and_bad_rows_imports_exactly_the_good_ones(
    gateui: Invoke, tmp_path: Path
) -> None:
    csv_file = write_csv(
        tmp_path / "people.csv",
        "姓名,身份证号,手机,类别,单位\n"
        f"张露,{rid(1)},138 0013 8000,员工,综采一队\n"  # line 2: good
        f"王二,{bad_checksum(rid(2))},,访客,\n"  # line 3: bad checksum
        f"李四,{rid(3)},12345,employee,机电科\n"  # line 4: bad phone
        f",{rid(4)},,family,\n"  # line 5: no name
        f"赵六,{rid(5)},,astronaut,\n"  # line 6: unknown kind
        f"陈七,{rid(1)},,visitor,\n"  # line 7: same ID as line 2
        "\n"  # line 8: blank, skipped
        f"单雄,{rid(6).lower()},+86 139-0000-1111,司机,运输队\n",  # line 9: good (x typed lower)
        bom=True,
    )
    result = gateui("import", "people", str(csv_file))
    assert result.exit_code == 1
    assert bad_lines(result.stderr) == {3, 4, 5, 6, 7}
    assert "校验位" in result.stderr and "与第 2 行重复" in result.stderr
    assert "第 3, 4, 5, 6, 7 行" in result.stderr
    imported = people(gateui)
    assert set(imported) == {rid(1), rid(6).upper()}
    assert imported[rid(1)]["phone"] == "13800138000" and imported[rid(1)]["kind"] == "employee"
    assert imported[rid(6).upper()]["kind"] == "driver"


def test_clean_file_exits_zero_and_reimport_updates(gateui: Invoke, tmp_path: Path) -> None:
    text = "name,id_number,phone,kind,unit,card_code\n"
    text += f"Zhang Lu,{rid(1)},13800138000,employee,Fully mechanized team 1,GT0001\n"
    text += f"曾国华,{rid(2)},,contractor,外委单位,\n"
    # Born before Xin'an County's code (1983) existed: valid, imported with a remark.
    old = make_resident_id("410323", date(1962, 5, 1), 35)
    text += f"解放,{old},,visitor,,\n"
    csv_file = write_csv(tmp_path / "p.csv", text)
    first = gateui("import", "people", str(csv_file), "--lang", "en")
    assert first.exit_code == 0, first.output
    assert "3 added, 0 updated" in first.stdout
    assert first.stderr.startswith("Note: 1 row(s) imported with a remark on the ID number")
    assert "(lines 4)" in first.stderr
    write_csv(csv_file, text.replace("外委单位", "中煤五建"))
    second = gateui("import", "people", str(csv_file), "--lang", "en")
    assert second.exit_code == 0 and "0 added, 3 updated" in second.stdout
    assert people(gateui)[rid(2)]["unit"] == "中煤五建"


def test_xlsx_import_with_numbers_in_cells(gateui: Invoke, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["*姓名", "身份证号码", "手机号", "人员类别", "部门", "备注"])
    ws.append(["张露", rid(1), 13800138000, "职工", "综采一队", "x"])  # phone typed as a number
    ws.append(["李四", "41032319800", None, "家属", None, None])  # line 3: too short
    ws.append([None, None, None, None, None, None])  # blank line 4
    ws.append(["王五", rid(3), None, "外委", "外委单位", None])
    path = tmp_path / "people.xlsx"
    wb.save(path)
    result = gateui("import", "people", str(path))
    assert result.exit_code == 1
    assert bad_lines(result.stderr) == {3}
    assert "已忽略无法识别的列：备注" in result.stderr  # named, not silently dropped
    imported = people(gateui)
    assert set(imported) == {rid(1), rid(3)}
    assert imported[rid(1)]["phone"] == "13800138000"


def test_unreadable_files_import_nothing_and_say_why(gateui: Invoke, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(f"姓名,身份证号,类别\n张露,{rid(1)},员工\n".encode("gbk"))
    old_excel = tmp_path / "old.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"PK\x03\x04 not really a zip")
    no_id = write_csv(tmp_path / "no_id.csv", "姓名,手机,类别\n张露,13800138000,员工\n")
    empty = write_csv(tmp_path / "empty.csv", "")
    cases = {
        tmp_path / "missing.csv": "无法读取文件",
        gbk: "不是 UTF-8 编码",
        old_excel: "旧版 Excel",
        fake_xlsx: "不是有效的 .xlsx 文件",
        no_id: "缺少必需的列：id_number/身份证号",
        empty: "是空文件",
    }
    for path, message in cases.items():
        result = gateui("import", "people", str(path))
        assert result.exit_code == 1, path
        assert message in result.stderr, (path, result.stderr)
        assert "未导入任何数据" in result.stderr
        assert "Traceback" not in result.output
    assert people(gateui) == {}


def test_english_messages_with_lang_en(gateui: Invoke, tmp_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "p.csv", f"name,id_number,kind\nA Li,{bad_checksum(rid(1))},visitor\n"
    )
    result = gateui("--lang", "en", "import", "people", str(csv_file))
    assert result.exit_code == 1
    assert "line 2, ID number:" in result.stderr and "check character" in result.stderr
    assert "1 row(s) had errors and were not imported (lines 2)" in result.stderr
    missing = gateui("import", "people", str(tmp_path / "nope.csv"), "--lang", "en")
    assert "Cannot import; nothing was imported" in missing.stderr


def test_default_kind_option_and_its_validation(gateui: Invoke, tmp_path: Path) -> None:
    csv_file = write_csv(tmp_path / "p.csv", f"姓名,身份证号\n张露,{rid(1)}\n")
    assert gateui("import", "people", str(csv_file)).exit_code == 1  # no kind column
    assert gateui("import", "people", str(csv_file), "--kind", "astronaut").exit_code == 2
    assert gateui("import", "people", str(csv_file), "--kind", "员工").exit_code == 0
    assert people(gateui)[rid(1)]["kind"] == "employee"


def test_vehicles_with_drivers_plates_in_any_form(gateui: Invoke, tmp_path: Path) -> None:
    drivers = write_csv(tmp_path / "d.csv", f"姓名,身份证号,类别\n刘师傅,{rid(1)},司机\n")
    assert gateui("import", "people", str(drivers)).exit_code == 0
    csv_file = write_csv(
        tmp_path / "v.csv",
        "车牌,类别,单位,司机身份证号\n"
        f"豫C·12345,运煤车,洛阳鑫源运输,{rid(1)}\n"  # 2 good, with a driver
        "豫c1234挂,coal_truck,,\n"  # 3 good: a trailer, lower case
        "豫A12345D,car,机电科,\n"  # 4 good: new energy (large format)
        "豫I12345,car,,\n"  # 5 bad: letter I
        f"晋A54321,truck,,{rid(9)}\n"  # 6 bad: driver not registered
        "c12345,truck,,\n"  # 7 bad: same plate as line 2 (without province)
        "豫B88888,spaceship,,\n",  # 8 bad: kind
    )
    result = gateui("import", "vehicles", str(csv_file))
    assert result.exit_code == 1
    assert bad_lines(result.stderr) == {5, 6, 7, 8}
    assert "该司机尚未登记" in result.stderr
    out = gateui("export", "vehicles", "-f", "jsonl")
    cars = {r["plate"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert set(cars) == {"豫C12345", "豫C1234挂", "豫A12345D"}
    assert cars["豫C12345"]["driver_name"] == "刘师傅"


def test_real_process_exit_code_and_no_traceback(home: Path, tmp_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "p.csv", f"姓名,身份证号,类别\n张露,{bad_checksum(rid(1))},员工\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gateui.cli import main; main()",
            "import",
            "people",
            str(csv_file),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "line 2, ID number:" in proc.stderr and "Traceback" not in proc.stderr
    usage = subprocess.run(
        [sys.executable, "-c", "from gateui.cli import main; main()", "import", "planets", "x"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert usage.returncode == 2
