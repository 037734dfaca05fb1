"""The project panel: its tabs fill from the services for the project shown, lifecycle moves
and payments go through dialogs, refusals are shown in Chinese (an over-payment with its
figures), and every table passes Qt's model checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.hours import ActivityDraft
from app.domain.projects.kinds import Grade, IndicatorLevel1, IndicatorLevel2
from app.domain.projects.lifecycle import ProjectStatus
from app.services.hours import activities as hours_activities
from app.services.hours import records
from app.services.projects import evaluation, indicators, milestones, money, registration
from app.ui.projects.detail import ProjectDetail


@pytest.fixture
def detail(qtbot, populated) -> ProjectDetail:
    widget = ProjectDetail()
    qtbot.addWidget(widget)
    widget.resize(620, 800)
    widget.show()
    return widget


def ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_overview_and_tabs_fill_for_the_project_shown(qtbot, qtmodeltester, detail, populated):
    pid = populated["青少年成长陪伴服务项目"]
    detail.show_project(pid)
    v = detail.values
    assert "青少年成长陪伴服务项目" in detail.title.text()
    assert v["status"].text().startswith("服务中")
    assert v["contract"].text() == "¥180,000.00（壹拾捌万元整）"
    assert v["paid"].text().startswith("¥72,000.00") and "40.0%" in v["paid"].text()
    assert detail.paid_bar.value() == 400
    assert not detail.standing.isVisibleTo(detail)
    assert [a.text() for a in detail.move_menu.actions()] == ["中期评估", "结项验收", "已终止"]
    assert detail.timeline_model.rowCount() >= 4  # three moves and a payment
    money_tab = detail.money_tab
    assert money_tab.tranche_model.rowCount() == 3
    second = money_tab.tranche_model.row(1)
    assert second.overdue and money_tab.tranche_model.flagged(second)  # drawn in red
    assert money_tab.payment_model.rowCount() == 1
    assert "¥72,000.00" in money_tab.summary.text()
    assert detail.indicators_tab.model.rowCount() == 4
    level1 = [detail.indicators_tab.model.data(detail.indicators_tab.model.index(r, 0))
              for r in range(4)]
    assert level1 == ["产出指标", "", "", "满意度指标"]  # grouped as printed
    assert "100" in detail.indicators_tab.totals.text()
    for model in (detail.timeline_model, money_tab.tranche_model, money_tab.payment_model,
                  money_tab.budget_model, detail.indicators_tab.model,
                  detail.milestones_tab.model, detail.evaluations_tab.model,
                  detail.activities_tab.model, detail.documents_tab.model):
        qtmodeltester.check(model)


def test_contractor_standing_is_shown_in_red(qtbot, detail, populated):
    pid = populated["社区居家养老服务项目"]
    record = registration.get(pid)
    draft = record.draft
    draft.contractor_id = populated["心桥心理咨询中心"]
    registration.update(pid, draft, record.version, contractor_reason="唯一承接方")
    detail.show_project(pid)
    assert "活动异常名录" in detail.standing.text()
    assert "唯一承接方" in detail.standing.text()
    assert detail.standing.isVisibleTo(detail)


def test_lifecycle_move_through_its_dialog(qtbot, detail, populated):
    shown = populated["社区健康促进项目"]  # procurement, no contractor yet
    other = populated["社区居家养老服务项目"]
    detail.show_project(shown)
    dialog = detail.open_move(ProjectStatus.CONTRACTED)
    ok(dialog)
    assert dialog.isVisible()
    assert "签约前请先选择承接主体" in dialog.error_text()  # what signing still needs
    dialog.close()
    dialog = detail.open_move(ProjectStatus.TERMINATED)
    dialog.set_value("on", dt.date.today())
    dialog.set_value("note", "预算调整，项目取消")
    with qtbot.waitSignal(detail.changed):
        ok(dialog)
    assert registration.get(shown).status is ProjectStatus.TERMINATED
    assert registration.get(other).status is ProjectStatus.DRAFT
    assert detail.project_id == shown
    assert detail.values["status"].text().startswith("已终止")
    assert not detail.move_button.isEnabled()  # nothing leaves 已终止
    assert "预算调整" in " ".join(e.detail for e in detail.timeline_model.rows)


def test_a_move_dated_before_the_current_stage_is_refused_at_the_date(qtbot, detail,
                                                                        populated):
    detail.show_project(populated["社区居家养老服务项目"])
    dialog = detail.open_move(ProjectStatus.PROCUREMENT)
    dialog.set_value("on", dt.date(2000, 1, 1))
    ok(dialog)
    assert "不能早于" in dialog.error_text("on")


def test_a_payment_through_the_dialog_and_an_overpayment_refused(qtbot, detail, populated):
    pid = populated["青少年成长陪伴服务项目"]
    detail.show_project(pid)
    tab = detail.money_tab
    assert tab.pay_button.isEnabled()
    dialog = tab.open_payment()
    assert "¥108,000.00" in dialog.findChild(type(tab.summary), "summary").text()
    dialog.set_value("amount_fen", "54000")
    dialog.set_value("note", "中期款")
    with qtbot.waitSignal(detail.changed):
        ok(dialog)
    assert money.summary(pid).paid_fen == 12_600_000
    assert tab.payment_model.rowCount() == 2
    assert tab.tranche_model.row(1).status_label == "已支付"

    dialog = tab.open_payment()
    dialog.set_value("amount_fen", "60,000.00")
    ok(dialog)
    assert dialog.isVisible()
    message = dialog.error_text("amount_fen")
    assert "¥180,000.00" in message and "¥126,000.00" in message and "¥60,000.00" in message
    assert "超出¥6,000.00" in message
    assert money.summary(pid).paid_fen == 12_600_000  # nothing paid
    dialog.set_value("amount_fen", "abc")
    ok(dialog)
    assert dialog.error_text("amount_fen")
    dialog.close()


def test_payment_plan_and_budget_lines(qtbot, detail, populated):
    pid = populated["青少年成长陪伴服务项目"]
    detail.show_project(pid)
    tab = detail.money_tab
    plan = tab.open_plan()
    assert len(plan.rows) == 3
    plan.set_row(3, share="40", condition="结项后")
    ok(plan)
    assert "超过合同金额" in plan.error_text()
    plan.set_row(2, amount="36000", condition="中期评估合格后")
    plan.set_row(3, amount="72000", condition="结项验收合格后",
                 due_on=dt.date.today() + dt.timedelta(days=90))
    with qtbot.waitSignal(detail.changed):
        ok(plan)
    assert [t.planned_fen for t in money.tranches(pid)] == [7_200_000, 3_600_000, 7_200_000]

    budget = tab.open_budget()
    budget.inputs["fiscal"]["initial"].setText("200000")
    budget.inputs["fiscal"]["adjusted"].setText("180000")
    budget.inputs["fiscal"]["weight"].setText("20")
    budget.inputs["fiscal"]["score"].setText("25")
    ok(budget)
    assert "不能超过权重" in budget.error_text()
    budget.inputs["fiscal"]["score"].setText("18")
    budget.inputs["own"]["initial"].setText("2万")
    ok(budget)
    assert "单位资金" in budget.error_text()
    budget.inputs["own"]["initial"].setText("20000")
    with qtbot.waitSignal(detail.changed):
        ok(budget)
    lines = money.budget_lines(pid)
    assert [b.source_label for b in lines] == ["财政资金", "单位资金"]
    assert lines[0].executed_fen == 7_200_000  # the paid total
    assert tab.budget_model.rowCount() == 2


def test_indicator_editor_limits_level2_and_saves(qtbot, detail, populated):
    pid = populated["青少年成长陪伴服务项目"]
    detail.show_project(pid)
    tab = detail.indicators_tab
    dialog = tab.open_editor(None)
    dialog.set_value("level1", IndicatorLevel1.OUTCOME)
    assert dialog.values()["level2"] is IndicatorLevel2.SOCIAL  # moved under 效益指标
    dialog.set_value("name", "家长认可度提升")
    dialog.set_value("weight", "10")
    ok(dialog)
    assert "权重合计" in dialog.error_text()  # 110 in all
    dialog.close()
    tab.view.selectRow(3)
    edit = tab.edit_current()
    assert edit.values()["name"] == "服务对象满意度"
    edit.set_value("weight", "20")
    edit.set_value("score", "25")
    ok(edit)
    assert "不能超过权重" in edit.error_text("score")
    edit.set_value("score", "19")
    with qtbot.waitSignal(detail.changed):
        ok(edit)
    assert indicators.score_total(pid) == Decimal("78.00")
    dialog = tab.open_editor(None)
    dialog.set_value("level1", IndicatorLevel1.OUTCOME)
    dialog.set_value("name", "家长认可度提升")
    dialog.set_value("weight", "10")
    with qtbot.waitSignal(detail.changed):
        ok(dialog)
    assert tab.model.rowCount() == 5
    assert "效益指标" in [tab.model.data(tab.model.index(r, 0)) for r in range(5)]


def test_milestones_evaluation_activities_and_documents(qtbot, qtmodeltester, detail, populated,
                                                         tmp_path, make_volunteer):
    pid = populated["青少年成长陪伴服务项目"]
    detail.show_project(pid)
    tab = detail.milestones_tab
    dialog = tab.open_add()
    ok(dialog)
    assert dialog.error_text("name")  # a name is needed
    dialog.set_value("name", "中期评估")
    dialog.set_value("due_on", dt.date.today() - dt.timedelta(days=3))
    with qtbot.waitSignal(detail.changed):
        ok(dialog)
    assert tab.model.rowCount() == 1 and tab.model.row(0).overdue
    tab.view.selectRow(0)
    done = tab.open_complete()
    with qtbot.waitSignal(detail.changed):
        ok(done)
    assert milestones.milestones(pid)[0].done_on == dt.date.today()

    evals = detail.evaluations_tab
    dialog = evals.open_record()
    dialog.set_value("evaluator", "华中评估中心")
    dialog.inputs["score"].setText("86.5")
    assert dialog.values()["grade"] is Grade.GOOD  # suggested from the score
    dialog.inputs["score"].setText("93")
    assert dialog.values()["grade"] is Grade.EXCELLENT
    dialog.set_value("grade", Grade.GOOD)
    dialog.inputs["grade"].activated.emit(dialog.inputs["grade"].currentIndex())
    dialog.inputs["score"].setText("94")
    assert dialog.values()["grade"] is Grade.GOOD  # chosen by hand: kept
    dialog.set_value("problems", "个案记录不够完整")
    with qtbot.waitSignal(detail.changed):
        ok(dialog)
    line = evaluation.evaluations(pid)[0]
    assert line.grade is Grade.GOOD and line.score == Decimal("94.00")
    assert "个案记录" in evals.details.text()

    now = dt.datetime.now().replace(second=0, microsecond=0)
    act = hours_activities.create(ActivityDraft(
        name="青少年周末成长营", starts_at=now - dt.timedelta(hours=5),
        ends_at=now - dt.timedelta(hours=1), place="和平社区"))
    volunteer = make_volunteer()
    rec = records.add_manual(volunteer.id, act.id, act.starts_at,
                             act.starts_at + dt.timedelta(hours=3), "带领小组活动")
    records.approve([rec.id])
    acts = detail.activities_tab
    picker = acts.open_picker()
    picker.search.setText("成长营")
    picker.refresh()
    assert picker.model.rowCount() == 1
    qtmodeltester.check(picker.model)
    with qtbot.waitSignal(detail.changed):
        ok(picker)
    assert acts.model.rowCount() == 1
    assert acts.model.row(0).volunteers == 1
    assert "3.0" in acts.total.text()
    acts.view.selectRow(0)
    with qtbot.waitSignal(detail.changed):
        assert acts.unlink_current()
    assert acts.model.rowCount() == 0

    source = tmp_path / "服务合同.txt"
    source.write_text("甲方：区民政局", encoding="utf-8")
    docs = detail.documents_tab
    docs.kind.setCurrentText("合同")
    assert docs.attach(source) is not None
    assert docs.model.rowCount() == 1 and docs.model.row(0).problem == ""
    assert docs.model.row(0).line.kind == "合同"
    assert any("服务合同" in e.title for e in detail.timeline_model.rows)

