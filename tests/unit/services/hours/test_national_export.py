"""Hours for the national volunteer information system: which records, in which columns,
text kept as text, and records exported before marked and asked about."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.domain.hours import ActivityDraft
from app.domain.volunteer import VolunteerDraft
from app.services.common import settings
from app.services.hours import activities
from app.services.hours import national_export as national
from app.services.hours import records as service_records
from app.services.hours.national_export import Layout, LayoutColumn, Selection
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, NationalExport

DAY = dt.date(2026, 3, 5)
START = dt.datetime.combine(DAY, dt.time(9, 0))


def person(name: str, id_number: str) -> int:
    return volunteers.register(VolunteerDraft(
        name=name, id_number=id_number, phone="13800138000",
        registered_on=dt.date(2026, 1, 5)), today=dt.date(2026, 1, 5)).id


def manual(vid: int, aid: int, start: dt.datetime, minutes: int,
           content: str = "服务") -> int:
    return service_records.add_manual(vid, aid, start, start + dt.timedelta(minutes=minutes),
                                      content).id


@pytest.fixture
def data(register):
    """One activity on 5 March: 王芳 130 min and 李四 60 min approved, 张三 pending, 赵六
    approved then reversed; another activity on 20 March with 王芳 90 min approved."""
    act = activities.create(ActivityDraft(name="社区助老", starts_at=START,
                                          ends_at=START + dt.timedelta(hours=4),
                                          organizer="和平社区"))
    later = activities.create(ActivityDraft(
        name="=HYPERLINK(\"x\")", starts_at=START + dt.timedelta(days=15),
        ends_at=START + dt.timedelta(days=15, hours=3)))
    wang = person("王芳", "110105199001010010")
    li = person("李四", "11010519491231002X")
    zhang = person("张三", "440524188001010014")
    zhao = person("赵六", "110105200001010016")
    ids = {
        "wang": manual(wang, act.id, START, 130, "陪老人聊天"),
        "li": manual(li, act.id, START + dt.timedelta(minutes=30), 60, "-打扫"),
        "zhao": manual(zhao, act.id, START, 45),
        "wang_later": manual(wang, later.id, START + dt.timedelta(days=15), 90),
    }
    service_records.approve(ids.values())
    ids["zhang"] = manual(zhang, act.id, START, 120)  # pending: not exported
    service_records.reverse(ids["zhao"], "登记错人")
    return act, later, ids


def sheet_rows(path):
    book = openpyxl.load_workbook(path)
    return book.active, [[c.value for c in row] for row in book.active.iter_rows()]


def test_only_approved_standing_records_of_the_activity(data, tmp_path):
    act, _later, ids = data
    assert national.preview(Selection(activity_id=act.id)) == national.ExportPreview(2, 190, 0)
    result = national.export(tmp_path / "a.xlsx", Selection(activity_id=act.id))
    assert (result.rows, result.minutes, result.exported_before) == (2, 190, 0)
    assert result.record_ids == tuple(sorted((ids["wang"], ids["li"])))
    sheet, rows = sheet_rows(tmp_path / "a.xlsx")
    assert rows[0] == ["志愿者姓名", "证件类型", "证件号码", "服务日期", "开始时间", "结束时间",
                       "服务时长（小时）", "活动名称"]
    assert rows[1:] == [
        ["王芳", "居民身份证", "110105199001010010", "2026-03-05", "09:00", "11:10", 2.17,
         "社区助老"],
        ["李四", "居民身份证", "11010519491231002X", "2026-03-05", "09:30", "10:30", 1,
         "社区助老"]]
    assert sheet["C2"].data_type == "s" and sheet["C2"].number_format == "@"


def test_a_date_range_takes_every_activity_served_in_it(data, tmp_path):
    _act, _later, ids = data
    selection = Selection(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    result = national.export(tmp_path / "m.xlsx", selection)
    assert set(result.record_ids) == {ids["wang"], ids["li"], ids["wang_later"]}
    only_early = national.preview(Selection(date_from=DAY, date_to=DAY))
    assert only_early.records == 2


def test_text_that_looks_like_a_formula_stays_text(data, tmp_path):
    _act, later, _ids = data
    layout = Layout("含内容", (LayoutColumn("活动", "activity"), LayoutColumn("内容", "content"),
                              LayoutColumn("分钟", "minutes"), LayoutColumn("备注", "")))
    national.save_layout(layout)
    national.export(tmp_path / "f.xlsx", Selection(activity_id=later.id), "含内容")
    sheet, rows = sheet_rows(tmp_path / "f.xlsx")
    assert rows[1] == ['=HYPERLINK("x")', "服务", 90, None]
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["C2"].data_type == "n"


def test_exported_records_are_marked_and_re_export_asks(data, tmp_path):
    act, _later, ids = data
    national.export(tmp_path / "1.xlsx", Selection(activity_id=act.id))
    assert NationalExport.select().count() == 2
    marks = national.marks([ids["wang"], ids["zhang"]])
    assert list(marks) == [ids["wang"]] and marks[ids["wang"]].times == 1
    # A month export now overlaps: it asks, and writes nothing until told.
    month = Selection(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert national.preview(month).exported_before == 2
    with pytest.raises(national.AlreadyExportedError) as asked:
        national.export(tmp_path / "2.xlsx", month)
    assert (asked.value.count, asked.value.total) == (2, 3)
    assert not (tmp_path / "2.xlsx").exists()
    only_new = national.export(tmp_path / "2.xlsx", month, skip_exported=True)
    assert (only_new.rows, only_new.skipped) == (1, 2)
    assert only_new.record_ids == (ids["wang_later"],)
    again = national.export(tmp_path / "3.xlsx", month, include_exported=True)
    assert (again.rows, again.exported_before) == (3, 3)
    assert national.marks([ids["wang"]])[ids["wang"]].times == 2
    assert national.marks([ids["wang"]])[ids["wang"]].file_name == "3.xlsx"
    audits = AuditLog.select().where(AuditLog.action == "export_national").count()
    assert audits == 3
    # Everything exported: skipping leaves nothing, which is said.
    with pytest.raises(ValidationError):
        national.export(tmp_path / "4.xlsx", month, skip_exported=True)


def test_a_reversal_after_export_drops_the_record_from_the_next(data, tmp_path):
    act, _later, ids = data
    national.export(tmp_path / "1.xlsx", Selection(activity_id=act.id))
    service_records.reverse(ids["li"], "时长有误")
    assert national.preview(Selection(activity_id=act.id)) == national.ExportPreview(1, 130, 1)


def test_layouts_are_saved_adjusted_and_restored(register):
    assert [x.name for x in national.layouts()] == [national.PRESET_NAME]
    assert national.layout().preset
    adjusted = Layout(national.PRESET_NAME, (
        *national.DEFAULT_PRESET.columns, LayoutColumn("组织单位", "organizer")))
    national.save_layout(adjusted)
    national.save_layout(Layout(" 省平台 ", (LayoutColumn("姓名", "name"),
                                            LayoutColumn("身份证号", "id_number"))))
    assert [x.name for x in national.layouts()] == [national.PRESET_NAME, "省平台"]
    assert national.layout().headers[-1] == "组织单位"
    assert national.layout("省平台").headers == ("姓名", "身份证号")
    assert "省平台" in settings.get(settings.HOURS_EXPORT_LAYOUTS)
    national.delete_layout(national.PRESET_NAME)  # restores the default columns
    assert national.layout() == national.DEFAULT_PRESET
    national.delete_layout("省平台")
    with pytest.raises(NotFoundError):
        national.layout("省平台")


@pytest.mark.parametrize(("columns", "message"), [
    ((), "至少要有一列"),
    ((LayoutColumn("", "name"),), "没有列名"),
    ((LayoutColumn("姓名", "name"), LayoutColumn("姓名", "phone")), "重复"),
    ((LayoutColumn("姓名", "nickname"),), "无法识别"),
])
def test_a_bad_layout_is_refused(register, columns, message):
    with pytest.raises(ValidationError, match=message):
        national.save_layout(Layout("坏方案", columns))
    with pytest.raises(ValidationError, match="名称"):
        national.save_layout(Layout("  ", (LayoutColumn("姓名", "name"),)))


def test_a_selection_needs_an_activity_or_a_whole_range(register, tmp_path):
    with pytest.raises(ValidationError):
        national.preview(Selection(date_from=DAY))
    with pytest.raises(ValidationError):
        national.preview(Selection(date_from=DAY, date_to=DAY - dt.timedelta(days=1)))
    with pytest.raises(ValidationError, match="没有可导出"):
        national.export(tmp_path / "x.xlsx", Selection(date_from=DAY, date_to=DAY))


def test_every_field_maps(data, tmp_path):
    act, _later, _ids = data
    every = Layout("全部", tuple(LayoutColumn(label, key) for key, label in
                               national.FIELDS.items()))
    national.save_layout(every)
    national.export(tmp_path / "all.xlsx", Selection(activity_id=act.id), "全部")
    _sheet, rows = sheet_rows(tmp_path / "all.xlsx")
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["志愿者编号"].startswith("V") or first["志愿者编号"]
    assert first["开始日期时间"] == "2026-03-05 09:00"
    assert first["结束日期时间"] == "2026-03-05 11:10"
    assert first["服务时长（分钟）"] == 130
    assert first["组织单位"] == "和平社区"
    assert first["服务内容"] == "陪老人聊天"
    assert first["手机号码"] == "13800138000"
    assert national.hours_value(125) == 2.08 and national.hours_value(60) == 1.0


def test_an_activity_that_does_not_exist_is_said(register, tmp_path):
    with pytest.raises(NotFoundError, match="找不到活动（404）"):
        national.preview(Selection(activity_id=404))
    with pytest.raises(NotFoundError, match="找不到活动"):
        national.export(tmp_path / "x.xlsx", Selection(activity_id=404))
    assert not (tmp_path / "x.xlsx").exists()
