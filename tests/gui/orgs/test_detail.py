"""The organization panel: its tabs fill from the services, moves go through dialogs onto
the organization shown, refusals are shown in Chinese, reports render and preview."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import documents, incubation, inspections, registration
from app.ui.orgs.detail import OrgDetail
from app.ui.orgs.dialogs import FieldDialog


@pytest.fixture
def detail(qtbot, populated) -> OrgDetail:
    widget = OrgDetail()
    qtbot.addWidget(widget)
    widget.resize(560, 760)
    widget.show()
    return widget


def ok(qtbot, dialog: FieldDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_tabs_fill_for_the_organization_shown(qtbot, detail, populated, tmp_path):
    org_id = populated["心桥心理咨询中心"]
    inspections.record(org_id, 2025, submitted_on=dt.date(2026, 5, 10),
                       result=InspectionResult.PASS)
    inspections.list_entry(org_id, CreditListKind.ABNORMAL, dt.date(2026, 6, 30), "未按时报送")
    detail.show_org(org_id)
    assert detail.title.text() == "心桥心理咨询中心"
    assert detail.values["incubation"].text().startswith("孵化中")
    assert "活动异常名录" in detail.warning.text() and detail.warning.isVisibleTo(detail)
    assert detail.timeline_model.rowCount() >= 5
    dates = [r.on for r in detail.timeline_model.rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert "二楼办公室" in detail.incubation_tab.agreement_label.text()
    assert len(detail.incubation_tab.checks) == 6
    assert detail.inspection_tab.history.rowCount() >= 1
    assert detail.inspection_tab.entries.rowCount() == 1
    assert detail.documents_tab.model.rowCount() == 0

    source = tmp_path / "章程.txt"
    source.write_text("第一条 本会名称……", encoding="utf-8")
    assert detail.documents_tab.attach(source) is not None
    assert detail.documents_tab.model.rowCount() == 1
    assert detail.documents_tab.model.row(0).problem == ""
    documents.path_for(detail.documents_tab.model.row(0).line.id).write_text("改过", "utf-8")
    detail.reload()
    assert detail.documents_tab.model.row(0).problem  # the hash check failed, shown


def test_a_long_remark_does_not_push_the_year_out_of_sight(qtbot, detail, populated):
    """The inspection table scrolled sideways and the year showed as "25"."""
    from PySide6.QtCore import Qt

    from app.ui.orgs.inspection_tab import MAX_COLUMN

    org_id = populated["心桥心理咨询中心"]
    remark = "年检材料补正两次，" * 12
    inspections.record(org_id, 2025, submitted_on=dt.date(2026, 5, 10),
                       result=InspectionResult.PASS, remarks=remark)
    detail.show_org(org_id)
    tab = detail.inspection_tab
    view = tab.history_view
    header = view.horizontalHeader()
    last = header.count() - 1                  # stretches into what room is left
    assert all(header.sectionSize(c) <= MAX_COLUMN for c in range(last))
    assert header.sectionSize(last) <= max(MAX_COLUMN, view.viewport().width())
    assert view.columnViewportPosition(0) == 0
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance("2025")
    remarks = tab.history.columnCount() - 1
    row = next(r for r in range(tab.history.rowCount()) if tab.history.rows[r].year == 2025)
    assert tab.history.data(tab.history.index(row, remarks),
                            Qt.ItemDataRole.ToolTipRole) == remark.strip()


def test_the_credit_list_fits_the_panel_with_its_removal_reason_in_sight(
        qtbot, detail, populated):
    """At the panel's default width the credit list scrolled sideways and 移出原因 sat
    behind the scrollbar."""
    from PySide6.QtCore import Qt

    org_id = populated["心桥心理咨询中心"]
    entry = inspections.list_entry(org_id, CreditListKind.ABNORMAL, dt.date(2025, 6, 30),
                                   "未按规定时限报送2024年度工作报告，经催告仍未改正",
                                   "武汉市民政局")
    removal = "已补报年度工作报告并经登记管理机关审核通过"
    inspections.remove_entry(entry.id, dt.date(2026, 3, 1), removal)
    detail.show_org(org_id)
    tab = detail.inspection_tab
    detail.tabs.setCurrentWidget(tab)
    view = tab.entries_view
    qtbot.waitUntil(lambda: view.isVisible() and view.viewport().width() > 0)
    last = tab.entries.columnCount() - 1
    assert view.horizontalScrollBar().maximum() == 0
    assert view.columnViewportPosition(last) + view.columnWidth(last) \
        <= view.viewport().width()
    assert view.columnWidth(last) >= view.fontMetrics().horizontalAdvance("已补报")
    assert tab.entries.data(tab.entries.index(0, last), Qt.ItemDataRole.ToolTipRole) == removal
    assert tab.entries.data(tab.entries.index(0, 2), Qt.ItemDataRole.ToolTipRole) == \
        "未按规定时限报送2024年度工作报告，经催告仍未改正"


def test_incubation_move_through_the_dialog_lands_on_the_org_shown(qtbot, detail, populated):
    shown = populated["彩虹儿童之家"]          # under review
    other = populated["明德助学基金会"]
    detail.show_org(shown)
    menu = [a.text() for a in detail.incubation_menu.actions()]
    assert menu == ["已入驻", "未通过"]       # from next_states
    dialog = detail.open_incubation_move(IncubationState.ADMITTED)
    assert dialog is not None
    dialog.set_value("note", "专家评审通过")
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    assert registration.get(shown).incubation_state is IncubationState.ADMITTED
    assert registration.get(other).incubation_state is IncubationState.ADMITTED  # unchanged
    assert detail.org_id == shown
    assert detail.values["incubation"].text().startswith("已入驻")
    assert "专家评审通过" in " ".join(r.detail for r in detail.timeline_model.rows)


def test_an_illegal_move_is_refused_with_its_reason(qtbot, detail, populated):
    detail.show_org(populated["阳光助老服务社"])  # applied
    dialog = detail.open_incubation_move(IncubationState.GRADUATED)
    assert not dialog.submit()
    assert "孵化状态不能从" in dialog.error_text()
    assert dialog.isVisible()
    dialog.reject()

    community = populated["彩虹儿童之家"]
    detail.show_org(community)
    legal_menu = [a.text() for a in detail.legal_menu.actions()]
    assert "已登记" not in legal_menu  # a community organization is only filed
    dialog = detail.open_legal_move(LegalStatus.REGISTERED)
    assert not dialog.submit()
    assert "社区社会组织" in dialog.error_text()
    assert registration.get(community).legal_status is LegalStatus.FILED
    dialog.reject()

    detail.show_org(populated["阳光助老服务社"])
    dialog = detail.open_incubation_move(IncubationState.UNDER_REVIEW)
    dialog.set_value("on", dt.date(2000, 1, 1))  # before the stage began
    assert not dialog.submit()
    assert "不能早于" in dialog.error_text("on")


def test_legal_registration_asks_for_the_certificate(qtbot, detail, make_org):
    record = make_org("待登记的协会", OrgKind.SOCIAL_GROUP, 77)
    detail.show_org(record.id)
    dialog = detail.open_legal_move(LegalStatus.REGISTERED)
    dialog.set_value("certificate_number", "鄂民证字第0001号")
    dialog.set_value("valid_from", dt.date(2026, 1, 1))
    dialog.set_value("valid_to", dt.date(2025, 1, 1))
    assert not dialog.submit()
    assert dialog.error_text("valid_to") or dialog.error_text()
    dialog.set_value("valid_to", dt.date(2031, 1, 1))
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    after = registration.get(record.id)
    assert after.legal_status is LegalStatus.REGISTERED
    assert after.draft.certificate_number == "鄂民证字第0001号"
    assert "已登记" in detail.values["legal_status"].text()


def test_inspection_credit_list_rating_and_checklist(qtbot, detail, make_org, populated):
    old = make_org("老牌协会", OrgKind.SOCIAL_GROUP, 55, LegalStatus.REGISTERED,
                   dt.date(2018, 3, 1))
    detail.show_org(old.id)
    tab = detail.inspection_tab
    assert any(r.overdue for r in tab.history.rows)  # missing years are listed, overdue
    dialog = tab.open_inspection()
    dialog.set_value("year", 2024)
    dialog.set_value("submitted_on", dt.date(2025, 5, 20))
    dialog.set_value("result", InspectionResult.BASIC_PASS)
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    line = next(r for r in inspections.history(old.id) if r.year == 2024)
    assert line.result is InspectionResult.BASIC_PASS

    dialog = tab.open_list_entry()
    dialog.set_value("reason", "未按规定参加年检")
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    assert detail.warning.isVisibleTo(detail)
    tab.entries_view.selectRow(0)
    dialog = tab.open_remove_entry()
    dialog.set_value("reason", "已补报")
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    assert not any(e.active for e in inspections.credit_entries(old.id))

    dialog = tab.open_rating()
    dialog.set_value("rating", Rating.A4)
    dialog.set_value("rated_on", dt.date(2024, 6, 1))
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    assert registration.get(old.id).rating is Rating.A4
    assert tab.ratings.rowCount() == 1

    detail.show_org(populated["邻里守望互助会"])
    box = detail.incubation_tab.checks["charter"]
    box.setChecked(True)
    done = {line.item: line.done_on for line in
            incubation.checklist(populated["邻里守望互助会"]).items}
    assert done["charter"] == dt.date.today()


def test_annual_report_renders_and_previews(qtbot, detail, populated, tmp_path):
    org_id = populated["心桥心理咨询中心"]
    detail.show_org(org_id)
    dialog = detail.annual.ask_year(org_id)
    assert dialog.values()["year"] == dt.date.today().year - 1
    dialog.set_value("year", 2025)
    with qtbot.waitSignal(dialog.succeeded):
        ok(qtbot, dialog)
    qtbot.waitUntil(lambda: detail.annual.preview is not None, timeout=30_000)
    preview = detail.annual.preview
    assert preview.images and "2025" in preview.windowTitle()
    preview.close()

    task = detail.annual.batch(2025, tmp_path / "reports", [org_id, populated["明德助学基金会"]])
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    written = sorted(p.name for p in (tmp_path / "reports").glob("*.pdf"))
    assert len(written) == 2 and all("2025年度报告" in n for n in written)
    assert detail.annual.box is not None
