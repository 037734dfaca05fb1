"""An organization's whole life, read back as a timeline, newest first, in Chinese."""

import datetime as dt
from decimal import Decimal

import pytest

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState as S
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import documents, incubation, inspections, legal, registration
from app.services.orgs.timeline import timeline

D = dt.date
CODE = "51420000MJH200395N"

@pytest.fixture(autouse=True)
def _attachments_in_tmp(monkeypatch, tmp_path):
    """On PostgreSQL attachments go under the user's data folder: keep tests out of it."""
    monkeypatch.setattr(documents, "default_data_dir", lambda: tmp_path / "data")



def test_a_full_life_in_order(register, tmp_path):
    oid = registration.create(OrgDraft(name="青苗社工服务中心", kind=OrgKind.SOCIAL_GROUP,
                                       credit_code=CODE)).id
    incubation.move(oid, S.APPLIED, D(2020, 1, 6), note="社区推荐")
    incubation.move(oid, S.UNDER_REVIEW, D(2020, 1, 10))
    incubation.record_review(oid, expert_review_on=D(2020, 1, 15), expert_score=Decimal("86"),
                             experts="王教授")
    incubation.move(oid, S.ADMITTED, D(2020, 1, 20))
    incubation.sign_agreement(oid, D(2020, 2, 1), D(2021, 1, 31), "A203")
    incubation.move(oid, S.INCUBATING, D(2020, 2, 2))
    training = incubation.create_training("项目书写作", D(2020, 3, 5), trainer="陈老师")
    incubation.record_attendance(training.id, oid, 2)
    incubation.add_service(oid, "small_grant", D(2020, 4, 1), "启动资金", 500000)
    incubation.add_evaluation(oid, "periodic", D(2020, 9, 1), Decimal("80"))
    incubation.extend_agreement(oid, D(2021, 6, 30), "登记审批中", D(2021, 1, 10))
    legal.move(oid, LegalStatus.REGISTERED, D(2021, 3, 5), authority="武汉市民政局")
    incubation.add_evaluation(oid, "exit", D(2021, 6, 20), Decimal("90"))
    incubation.move(oid, S.GRADUATED, D(2021, 6, 30))
    inspections.record(oid, 2021, submitted_on=D(2022, 4, 20), result=InspectionResult.PASS,
                       concluded_on=D(2022, 6, 15), today=D(2025, 1, 1))
    entry = inspections.list_entry(oid, CreditListKind.ABNORMAL, D(2023, 7, 1), "未参加年检")
    inspections.remove_entry(entry.id, D(2023, 9, 1), "已补报")
    inspections.rate(oid, Rating.A3, D(2024, 5, 1), "评估机构")

    events = timeline(oid)
    assert [(e.on, e.title) for e in events] == [
        (D(2024, 5, 1), "等级评估：3A级"),
        (D(2023, 9, 1), "移出活动异常名录"),
        (D(2023, 7, 1), "列入活动异常名录"),
        (D(2022, 6, 15), "年检：2021年度 合格"),
        (D(2021, 6, 30), "孵化：孵化中 → 已出壳"),
        (D(2021, 6, 20), "出壳评估"),
        (D(2021, 3, 5), "登记状态：未登记 → 已登记（武汉市民政局）"),
        (D(2021, 1, 10), "孵化协议延期"),
        (D(2020, 9, 1), "阶段评估"),
        (D(2020, 4, 1), "孵化服务：小额资助"),
        (D(2020, 3, 5), "参加培训：项目书写作"),
        (D(2020, 2, 2), "孵化：已入驻 → 孵化中"),
        (D(2020, 2, 1), "签订孵化协议"),
        (D(2020, 1, 20), "孵化：评审中 → 已入驻"),
        (D(2020, 1, 15), "专家评审"),
        (D(2020, 1, 10), "孵化：申请入驻 → 评审中"),
        (D(2020, 1, 6), "孵化：申请入驻"),
    ]
    by_title = {e.title: e for e in events}
    assert by_title["孵化协议延期"].detail == "由2021年1月31日延至2021年6月30日；登记审批中"
    assert by_title["孵化服务：小额资助"].detail == "金额5000.00元；启动资金"
    assert by_title["专家评审"].detail == "得分86.0；评审专家：王教授"
    assert by_title["孵化：申请入驻"].detail == "社区推荐"
    assert {e.actor for e in events} == {"tester"}


def test_changes_and_documents_appear(register, tmp_path):
    rec = registration.create(OrgDraft(name="老年书画研究会", kind=OrgKind.SOCIAL_GROUP))
    draft = rec.draft
    draft.address = "解放路1号"
    registration.update(rec.id, draft, rec.version, today=D(2024, 2, 1))
    source = tmp_path / "charter.pdf"
    source.write_bytes(b"%PDF")
    documents.attach(rec.id, source, "章程")
    events = timeline(rec.id)
    titles = [e.title for e in events]
    assert "变更登记事项：住所" in titles and "添加附件：章程" in titles
    change = next(e for e in events if e.kind == "change")
    assert change.on == D(2024, 2, 1) and change.detail == "（空） → 解放路1号"
