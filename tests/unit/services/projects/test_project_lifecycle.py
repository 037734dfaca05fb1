"""The project lifecycle: every move the table refuses, the rules of signing, the history and
the timeline (moves, milestones, payments, evaluations, attachments), newest first."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from app.domain.errors import ConflictError, FormErrors, ValidationError
from app.domain.projects.lifecycle import LIFECYCLE, ProjectStatus
from app.domain.transitions import IllegalTransition
from app.services.common.attachments import attachments_dir
from app.services.projects import documents, evaluation, lifecycle, milestones, money, registration
from app.services.projects.money import TrancheDraft
from app.store.models import AuditLog, ProjectTransition

TODAY = dt.date(2026, 4, 1)
SIGNED = dt.date(2026, 4, 10)




def test_every_move_outside_the_table_is_refused(register, kit):
    pid = kit.new_project()
    refused = [(a, b) for a, b in itertools.product(ProjectStatus, repeat=2)
               if not LIFECYCLE.allows(a, b)]
    assert len(refused) > 60
    for current, target in refused:
        registration.Project.update(status=str(current)).where(
            registration.Project.id == pid).execute()
        with pytest.raises(IllegalTransition) as exc:
            lifecycle.move(pid, target, dt.date(2026, 5, 1))
        assert f"不能从“{current.label}”改为“{target.label}”" in exc.value.message
    assert ProjectTransition.select().count() == 0


def test_the_whole_way_to_closed(register, kit):
    pid = kit.new_project()
    path = [(ProjectStatus.PROCUREMENT, dt.date(2026, 4, 2)),
            (ProjectStatus.CONTRACTED, dt.date(2026, 4, 10)),
            (ProjectStatus.IN_SERVICE, dt.date(2026, 5, 1)),
            (ProjectStatus.FINAL_ACCEPTANCE, dt.date(2026, 9, 1)),  # no mid-term: allowed
            (ProjectStatus.EVALUATED, dt.date(2026, 10, 1)),
            (ProjectStatus.CLOSED, dt.date(2026, 10, 1))]
    version = registration.get(pid).version
    for target, on in path:
        rec = lifecycle.move(pid, target, on, expected_version=version)
        assert (rec.status, rec.status_since, rec.version) == (target, on, version + 1)
        version = rec.version
    lines = lifecycle.history(pid)
    assert [(x.from_label, x.to_label) for x in lines] == [
        ("草稿", "采购中"), ("采购中", "已签约"), ("已签约", "服务中"), ("服务中", "结项验收"),
        ("结项验收", "已评价"), ("已评价", "已结项")]
    assert lines[0].from_state is ProjectStatus.DRAFT and lines[0].actor == "tester"
    with pytest.raises(IllegalTransition, match="最终状态"):
        lifecycle.move(pid, ProjectStatus.TERMINATED, dt.date(2026, 10, 2))
    assert AuditLog.select().where(AuditLog.action == "project_move").count() == 6


def test_signing_needs_a_contractor_an_amount_and_a_date(register, kit):
    pid = kit.new_project(contract_fen=None, with_contractor=False, signed_on=None)
    lifecycle.move(pid, ProjectStatus.PROCUREMENT, dt.date(2026, 4, 2))
    with pytest.raises(FormErrors) as exc:
        lifecycle.move(pid, ProjectStatus.CONTRACTED, dt.date(2026, 4, 10))
    assert exc.value.errors == {"contractor_id": "签约前请先选择承接主体",
                                "contract_amount_fen": "签约前请先填写合同金额",
                                "signed_on": "签约前请先填写合同签订日期"}
    assert registration.get(pid).status is ProjectStatus.PROCUREMENT


def test_dates_and_versions_are_checked(register, kit):
    pid = kit.new_project()
    rec = lifecycle.move(pid, ProjectStatus.PROCUREMENT, dt.date(2026, 4, 5))
    with pytest.raises(ValidationError) as exc:
        lifecycle.move(pid, ProjectStatus.CONTRACTED, dt.date(2026, 4, 4))
    assert exc.value.message == "变更日期不能早于当前状态“采购中”的开始日期（2026年4月5日）"
    with pytest.raises(ConflictError):
        lifecycle.move(pid, ProjectStatus.CONTRACTED, dt.date(2026, 4, 10),
                       expected_version=rec.version - 1)
    assert lifecycle.move(pid, ProjectStatus.CONTRACTED, dt.date(2026, 4, 10), "  签约  ",
                          expected_version=rec.version).status is ProjectStatus.CONTRACTED
    assert lifecycle.history(pid)[-1].note == "签约"


def test_the_timeline_newest_first(register, tmp_path, kit):
    pid = kit.signed_project()
    money.set_tranches(pid, [TrancheDraft(share=Decimal(40)), TrancheDraft(share=Decimal(60))])
    lifecycle.move(pid, ProjectStatus.IN_SERVICE, dt.date(2026, 5, 1), "开班")
    money.pay(pid, 19_200_000, dt.date(2026, 5, 1), note="首期款")
    stone = milestones.add_milestone(pid, "完成需求调研", dt.date(2026, 5, 20))
    milestones.complete(stone.id, dt.date(2026, 5, 25))
    evaluation.record_evaluation(pid, "mid_term", dt.date(2026, 8, 1), "江城评估中心",
                                 Decimal("86.5"), conclusion="进展良好")
    source = tmp_path / "合同.pdf"
    source.write_bytes(b"%PDF contract")
    documents.attach(pid, source, kind="合同")
    events = lifecycle.timeline(pid)
    assert events[0].kind == "document" and events[0].title == "添加附件：合同"  # today
    kinds = [(e.on, e.kind, e.title) for e in events[1:]]
    assert kinds == [
        (dt.date(2026, 8, 1), "evaluation", "中期评估：良好（86.5分）"),
        (dt.date(2026, 5, 25), "milestone", "完成节点：完成需求调研"),
        (dt.date(2026, 5, 1), "payment", "付款：¥192,000.00"),  # same day: after the move
        (dt.date(2026, 5, 1), "status", "项目状态：已签约 → 服务中"),
        (dt.date(2026, 4, 10), "status", "项目状态：采购中 → 已签约"),
        (dt.date(2026, 4, 2), "status", "项目状态：草稿 → 采购中"),
    ]
    by_kind = {e.kind: e for e in events}
    assert by_kind["payment"].detail == "第1期；首期款" and by_kind["payment"].actor == "tester"
    assert by_kind["milestone"].detail == "计划2026年5月20日，逾期5天完成"
    assert by_kind["evaluation"].detail == "评价机构：江城评估中心；进展良好"
    assert by_kind["evaluation"].actor == "tester" == by_kind["milestone"].actor
    assert by_kind["document"].detail == "合同.pdf"
    assert attachments_dir().exists()
