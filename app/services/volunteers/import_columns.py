"""The columns a volunteer spreadsheet may have — the template's own headers and the names
communities actually use for them — and how to find them in a sheet (a title row above the
header, 序号, empty and 合计 rows), so a roster is read as sent instead of retyped.

Finding the table and reading cells is the same for every importer
(`app.services.common.sheet_reading`); this module gives it the volunteer columns and keeps
the names the volunteer importer and its tests use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.volunteer import EDUCATION_LEVELS, ID_TYPE_LABELS, POLITICAL_STATUSES, IdType
from app.services.common import import_preview
from app.services.common.sheet_reading import (
    EXCEL_SUFFIXES,
    HEADER_SEARCH_ROWS,
    IGNORED,
    LOST_DIGITS_FROM,
    TOTAL_WORDS,
    BadCell,
    Column,
    ColumnTable,
    ImportFileError,
    cell_date,
    cell_text,
    data_rows,
)
from app.services.common.sheet_reading import find_header as _find_header

__all__ = [
    "BY_FIELD", "COLUMNS", "EXCEL_SUFFIXES", "HEADER_SEARCH_ROWS", "ID_TYPE_FROM_TEXT",
    "IGNORED", "LOST_DIGITS_FROM", "NOTES_SHEET", "NO_TEXT", "TABLE", "TEMPLATE_ROWS",
    "TEMPLATE_SHEET", "TOTAL_WORDS", "YES_TEXT", "BadCell", "Column", "ImportFileError",
    "cell_bool", "cell_date", "cell_text", "field_for", "find_header",
    "id_cell_text", "people_rows", "write_template",
]


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("志愿者姓名", "名字"), "必填。", width=10),
    Column("sex", "性别", (), "男或女；居民身份证可留空，由号码推出。", choices=("男", "女"),
           width=6),
    Column("id_type", "证件类型", (), "留空即居民身份证。",
           choices=tuple(ID_TYPE_LABELS.values()), width=14),
    Column("id_number", "身份证号码",
           ("身份证号", "身份证", "证件号码", "证件号", "公民身份号码", "身份证件号码"),
           "必填。18位，末位可为X。请保持文本格式，存成数字会丢失后几位。", text=True, width=22),
    Column("birth_date", "出生日期", ("出生年月", "生日"),
           "仅非身份证件填写，如2001-05-20；居民身份证由号码推出。", width=12, date=True),
    Column("phone", "联系电话",
           ("手机", "手机号码", "手机号", "电话", "电话号码", "联系方式", "移动电话"),
           "必填。11位手机号码。", text=True, width=14),
    Column("district", "所属区", ("区", "区县", "所属区县", "区(县)"), "选填。", width=10),
    Column("street", "所属街道", ("街道", "街道(镇)", "乡镇街道", "所属街道(镇)"),
           "选填。若无此列，“××街道××社区”会自动拆开。", width=16),
    Column("community", "所属社区", ("社区", "社区(村)", "所在社区", "社区名称"), "选填。",
           width=16),
    Column("skills", "技能特长", ("技能", "特长", "专业技能"), "选填。", width=14),
    Column("service_preferences", "服务意向", ("服务意愿", "服务类别", "服务方向", "意向服务"),
           "选填，多项用顿号分开。", width=14),
    Column("available_time", "可服务时间", ("服务时间", "空闲时间"), "选填，如周末。", width=12),
    Column("political_status", "政治面貌", (), "选填。", choices=POLITICAL_STATUSES, width=12),
    Column("education", "学历", ("文化程度",), "选填。", choices=EDUCATION_LEVELS, width=10),
    Column("employer", "工作单位/学校", ("工作单位", "学校", "单位", "就读学校", "工作单位或学校"),
           "选填。", width=18),
    Column("emergency_contact", "紧急联系人", (), "选填。", width=10),
    Column("emergency_phone", "紧急联系电话", ("紧急联系人电话",), "选填，11位手机号码。",
           text=True, width=14),
    Column("guardian_name", "监护人姓名", ("监护人",), "未满18岁必填。", width=10),
    Column("guardian_id_number", "监护人身份证号码", ("监护人身份证号", "监护人证件号码"),
           "未满18岁必填。", text=True, width=22),
    Column("guardian_phone", "监护人电话", ("监护人联系电话", "监护人手机"),
           "未满18岁必填，11位手机号码。", text=True, width=14),
    Column("guardian_consent", "监护人同意", ("监护人是否同意",),
           "未满18岁须填“是”。", choices=("是", "否"), width=10),
    Column("registered_on", "登记日期", ("注册日期", "报名日期", "加入日期"),
           "选填，如2026-07-01；留空即导入当天。", width=12, date=True),
    Column("remarks", "备注", (), "选填。", width=16),
)

_REQUIRED = frozenset({"name", "id_number", "phone"})
TABLE = ColumnTable(COLUMNS, identifying=frozenset({"name", "id_number"}), required=_REQUIRED,
                    what="志愿者")
BY_FIELD = TABLE.by_field


def field_for(header: object) -> str | None:
    """The draft field a header names, IGNORED for 序号, None if unknown.

    "身份证号码（18位）" and "*姓名" are recognised: a note in brackets and a required-mark
    are dropped before the lookup.
    """
    return TABLE.field_for(header)


ID_TYPE_FROM_TEXT: dict[str, IdType] = {
    **{label: kind for kind, label in ID_TYPE_LABELS.items()},
    **{str(kind): kind for kind in IdType},
    "身份证": IdType.RESIDENT, "居民身份证": IdType.RESIDENT, "二代身份证": IdType.RESIDENT,
    "港澳通行证": IdType.HK_MACAO, "回乡证": IdType.HK_MACAO, "港澳居民居住证": IdType.HK_MACAO,
    "台胞证": IdType.TAIWAN, "台湾通行证": IdType.TAIWAN, "台湾居民居住证": IdType.TAIWAN,
    "其他": IdType.OTHER,
}

YES_TEXT = frozenset({"是", "同意", "已同意", "有", "√", "✓", "Y", "YES", "TRUE", "1", "T"})
NO_TEXT = frozenset({"否", "不同意", "无", "×", "N", "NO", "FALSE", "0", "F", ""})


def id_cell_text(value: object) -> str:
    """An ID-number cell as text; refuses a number Excel has rounded.

    Raises:
        BadCell: the cell holds a number of 16 or more digits (the last ones are zeros now).
    """
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and abs(value) >= LOST_DIGITS_FROM:
        raise BadCell(
            f"身份证号码被Excel存成了数字，后几位已丢失（显示为{float(value):.5E}）："
            "请把该列设为文本格式后重新填写号码")
    return cell_text(value)


def cell_bool(value: object, what: str) -> bool:
    """是/否, 同意, √, Y/N, TRUE/FALSE, 1/0; empty means no.

    Raises:
        BadCell: any other text.
    """
    text = cell_text(value).strip().upper()
    if text in YES_TEXT:
        return True
    if text in NO_TEXT:
        return False
    raise BadCell(f"{what}应填“是”或“否”，现在是“{cell_text(value)}”")


# ---------------------------------------------------------------- finding the table

def find_header(path: Path) -> tuple[str, list[list[Any]], int, dict[int, str]]:
    """The sheet, its rows, the header row's index and its column map."""
    return _find_header(path, TABLE)


def people_rows(rows: list[list[Any]], start: int, cols: dict[int, str]) -> list[int]:
    """Indexes of rows that are people: not empty, not a 合计 row."""
    return data_rows(rows, start, cols, ("name",))


TEMPLATE_SHEET = "志愿者登记"
NOTES_SHEET = import_preview.NOTES_SHEET
TEMPLATE_ROWS = import_preview.TEMPLATE_ROWS


def write_template(path: Path) -> None:
    """The import template: Chinese headers, ID and phone columns stored as text (so Excel
    does not turn an ID into 3.70105E+17), drop-down lists, and a sheet explaining each
    column."""
    import_preview.write_template(
        Path(path), TABLE, TEMPLATE_SHEET,
        "可以直接导入社区自己的花名册：表头可在前几行，“序号”列、空行和"
        "“合计”行会被忽略；导入前会逐行检查并列出有问题的行。")
