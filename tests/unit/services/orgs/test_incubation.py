"""Incubation: the stage machine through the service, the records kept inside it, the
registration-readiness checklist and its packet, and the pipeline board."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pdfplumber
import pytest

from app.domain.errors import ConflictError, FormErrors, ValidationError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import INCUBATION_MOVES, IncubationState
from app.domain.orgs.kinds import OrgKind
from app.domain.transitions import IllegalTransition
from app.services.orgs import documents, incubation, registration
from app.store.models import AuditLog, Organization, OrgTransition

S = IncubationState
D = dt.date

@pytest.fixture(autouse=True)
def _attachments_in_tmp(monkeypatch, tmp_path):
    """On PostgreSQL attachments go under the user's data folder: keep tests out of it."""
    monkeypatch.setattr(documents, "default_data_dir", lambda: tmp_path / "data")



def new_org(name: str = "青苗社工服务中心", kind: OrgKind = OrgKind.SOCIAL_GROUP,
            **kw) -> int:
    return registration.create(OrgDraft(name=name, kind=kind, **kw)).id


def put_in(org_id: int, state: IncubationState) -> None:
    """Walk the organization along the table to `state` (one day per step)."""
    path = {S.APPLIED: [S.APPLIED], S.UNDER_REVIEW: [S.APPLIED, S.UNDER_REVIEW],
            S.ADMITTED: [S.APPLIED, S.UNDER_REVIEW, S.ADMITTED],
            S.REJECTED: [S.APPLIED, S.UNDER_REVIEW, S.REJECTED],
            S.INCUBATING: [S.APPLIED, S.UNDER_REVIEW, S.ADMITTED, S.INCUBATING],
            S.GRADUATED: [S.APPLIED, S.UNDER_REVIEW, S.ADMITTED, S.INCUBATING, S.GRADUATED],
            S.EXITED: [S.APPLIED, S.UNDER_REVIEW, S.ADMITTED, S.INCUBATING, S.EXITED]}[state]
    for n, step in enumerate(path):
        incubation.move(org_id, step, D(2024, 1, 1) + dt.timedelta(days=n))


def test_a_move_is_kept_dated_and_audited(register):
    oid = new_org()
    rec = incubation.move(oid, S.APPLIED, D(2024, 3, 1), note="社区推荐")
    assert rec.incubation_state is S.APPLIED and rec.incubation_since == D(2024, 3, 1)
    assert rec.version == 2
    rec = incubation.move(oid, S.UNDER_REVIEW, D(2024, 3, 5), expected_version=2)
    moves = [(t.machine, t.from_state, t.to_state, t.on, t.actor)
             for t in OrgTransition.select().where(OrgTransition.org == oid)
             .order_by(OrgTransition.id)]
    assert moves == [("incubation", None, "applied", D(2024, 3, 1), "tester"),
                     ("incubation", "applied", "under_review", D(2024, 3, 5), "tester")]
    assert AuditLog.select().where(AuditLog.action == "incubation_move").count() == 2


@pytest.mark.parametrize("start", [None, *S])
def test_every_illegal_move_is_refused_and_nothing_is_written(register, start):
    oid = new_org()
    if start is not None:
        put_in(oid, start)
    allowed = {S.APPLIED} if start is None else INCUBATION_MOVES[start]
    before = (OrgTransition.select().count(), AuditLog.select().count(),
              Organization.get_by_id(oid).version)
    for target in S:
        if target in allowed:
            continue
        with pytest.raises(IllegalTransition) as exc:
            incubation.move(oid, target, D(2025, 1, 1))
        assert "孵化" in exc.value.message and target.label in exc.value.message
    row = Organization.get_by_id(oid)
    assert (OrgTransition.select().count(), AuditLog.select().count(), row.version) == before
    assert row.incubation_state == (str(start) if start else None)


def test_stale_version_and_backdated_move_are_refused(register):
    oid = new_org()
    rec = incubation.move(oid, S.APPLIED, D(2024, 3, 1))
    with pytest.raises(ConflictError):
        incubation.move(oid, S.UNDER_REVIEW, D(2024, 3, 2), expected_version=rec.version - 1)
    with pytest.raises(ValidationError, match="不能早于"):
        incubation.move(oid, S.UNDER_REVIEW, D(2024, 2, 1))
    assert registration.get(oid).incubation_state is S.APPLIED


def test_reviews_are_checked_by_field(register):
    oid = new_org()
    with pytest.raises(FormErrors) as exc:
        incubation.record_review(oid, expert_score=Decimal("101"), notice_from=D(2024, 3, 10),
                                 notice_to=D(2024, 3, 1))
    assert set(exc.value.errors) == {"expert_score", "notice_to"}
    assert "0到100" in exc.value.errors["expert_score"]
    line = incubation.record_review(oid, first_review_on=D(2024, 3, 2),
                                    expert_score=Decimal("86.5"), experts="王教授、李老师",
                                    notice_from=D(2024, 3, 5), notice_to=D(2024, 3, 11))
    assert incubation.reviews(oid) == [line]
    assert line.expert_score == Decimal("86.5")
    fixed = incubation.record_review(oid, expert_score=Decimal("88"), review_id=line.id,
                                     notice_from=D(2024, 3, 5), notice_to=D(2024, 3, 11))
    assert fixed.expert_score == Decimal("88.0") and len(incubation.reviews(oid)) == 1


def test_agreement_extension_keeps_the_history(register):
    oid = new_org()
    assert incubation.agreement(oid) is None
    with pytest.raises(ValidationError):
        incubation.extend_agreement(oid, D(2025, 6, 30), "需要更多时间")
    with pytest.raises(ValidationError):
        incubation.sign_agreement(oid, D(2024, 4, 1), D(2024, 4, 1))
    incubation.sign_agreement(oid, D(2024, 4, 1), D(2025, 3, 31), space="A203工位")
    with pytest.raises(ValidationError, match="延期原因"):
        incubation.extend_agreement(oid, D(2025, 6, 30), " ")
    with pytest.raises(ValidationError, match="应晚于"):
        incubation.extend_agreement(oid, D(2025, 3, 1), "提前")
    line = incubation.extend_agreement(oid, D(2025, 6, 30), "登记材料尚在审批", D(2025, 3, 20))
    assert (line.starts_on, line.original_end, line.ends_on) == (
        D(2024, 4, 1), D(2025, 3, 31), D(2025, 6, 30))
    assert line.extensions == (incubation.Extension(D(2025, 3, 31), D(2025, 6, 30),
                                                    "登记材料尚在审批", D(2025, 3, 20)),)
    assert incubation.agreement(oid) == line
    assert line.days_left(D(2025, 6, 20)) == 10 and line.days_left(D(2025, 7, 1)) == -1


def test_mentors_trainings_services_evaluations(register):
    a, b = new_org(), new_org("夕阳红协会")
    incubation.add_mentor(a, "刘 洋", "财务管理", D(2024, 4, 1))
    assert [m.name for m in incubation.mentors(a)] == ["刘洋"]
    with pytest.raises(FormErrors):
        incubation.add_mentor(a, "")
    t1 = incubation.create_training("项目书写作", D(2024, 5, 10), trainer="陈老师", minutes=180)
    t2 = incubation.create_training("财务规范", D(2024, 6, 1))
    incubation.record_attendance(t1.id, a, 2, "张三、李四")
    incubation.record_attendance(t1.id, a, 3, "张三、李四、王五")  # corrected, not doubled
    incubation.record_attendance(t1.id, b)
    incubation.record_attendance(t2.id, b)
    assert [(t.title, t.attendees) for t in incubation.trainings(a)] == [("项目书写作", 3)]
    assert [(t.title, t.attendees, t.organizations) for t in incubation.all_trainings()] == [
        ("财务规范", 1, 1), ("项目书写作", 4, 2)]
    with pytest.raises(FormErrors) as exc:
        incubation.add_service(a, "small_grant", D(2024, 6, 1))
    assert "amount_fen" in exc.value.errors
    with pytest.raises(FormErrors):
        incubation.add_service(a, "cash", D(2024, 6, 1))
    grant = incubation.add_service(a, "small_grant", D(2024, 6, 1), "启动资金", 500000)
    assert grant.kind_label == "小额资助" and incubation.services(a) == [grant]
    assert incubation.SERVICE_KINDS["registration_help"] == "登记协助"
    with pytest.raises(FormErrors):
        incubation.add_evaluation(a, "exit", D(2024, 9, 1), Decimal("-1"))
    ev = incubation.add_evaluation(a, "periodic", D(2024, 9, 1), Decimal("78"), "评估组")
    assert ev.kind_label == "阶段评估" and incubation.evaluations(a) == [ev]


def test_checklist_depends_on_kind_and_supervisor(register):
    community = new_org("幸福里邻里互助会", OrgKind.COMMUNITY)
    direct = new_org("青年志愿者协会")
    supervised = new_org("老年书画研究会", supervisor_unit="区文化和旅游局")
    c = incubation.checklist(community)
    assert c.packet == "filing" and not c.complete
    assert [line.item for line in c.items if line.required] == [
        "charter", "founding_minutes", "representative_documents", "address_proof"]
    assert next(line.label for line in c.items) == "章程草案"
    d = incubation.checklist(direct)
    assert d.packet == "registration"
    assert [line.item for line in d.items if not line.required] == ["supervisor_consent"]
    s = incubation.checklist(supervised)
    assert all(line.required for line in s.items)
    for item in ("charter", "founding_minutes", "representative_documents", "address_proof"):
        incubation.tick(community, item, D(2024, 5, 1))
    assert incubation.checklist(community).complete
    incubation.untick(community, "charter")
    again = incubation.checklist(community)
    assert not again.complete and again.items[0].done_on is None
    with pytest.raises(ValidationError):
        incubation.tick(community, "photo", D(2024, 5, 1))


def test_packet_refused_until_complete_then_a_zip_with_index(register, tmp_path):
    oid = new_org("青苗社工服务中心", OrgKind.PRIVATE_NON_ENTERPRISE)
    charter = tmp_path / "章程.docx"
    charter.write_bytes(b"charter text " * 100)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    doc1 = documents.attach(oid, charter, "章程草案")
    doc2 = documents.attach(oid, minutes, "成立会议纪要")
    incubation.tick(oid, "charter", D(2024, 5, 1), document_id=doc1.id)
    out = tmp_path / "packet.zip"
    with pytest.raises(ValidationError) as exc:
        incubation.build_packet(oid, out)
    assert "成立会议纪要" in exc.value.message and "住所证明" in exc.value.message
    assert "章程草案" not in exc.value.message and not out.exists()
    incubation.tick(oid, "founding_minutes", D(2024, 5, 2), document_id=doc2.id)
    for item in ("representative_documents", "address_proof", "capital_proof"):
        incubation.tick(oid, item, D(2024, 5, 3), note="纸质件")
    assert incubation.build_packet(oid, out, today=D(2024, 5, 6)) == out
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "00-材料清单.pdf" in names
        assert "01-章程草案-章程.docx" in names and "02-成立会议纪要-minutes.pdf" in names
        assert zf.read("01-章程草案-章程.docx") == charter.read_bytes()
        pdf = zf.read("00-材料清单.pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        text = "".join(p.extract_text() for p in doc.pages)
    assert "登记申请材料清单" in text and "青苗社工服务中心" in text
    assert "验资报告/资金证明" in text and "已备" in text and "2024年5月3日" in text


def test_pipeline_counts_and_days_in_stage(register):
    a, b, c = new_org("甲"), new_org("乙"), new_org("丙")
    new_org("丁")  # never applied
    incubation.move(a, S.APPLIED, D(2024, 5, 1))
    incubation.move(b, S.APPLIED, D(2024, 4, 1))
    for step, day in ((S.APPLIED, 1), (S.UNDER_REVIEW, 2), (S.ADMITTED, 3),
                      (S.INCUBATING, 4)):
        incubation.move(c, step, D(2024, 1, day))
    incubation.sign_agreement(c, D(2024, 1, 4), D(2025, 1, 3))
    cols = incubation.pipeline(D(2024, 6, 1))
    assert [(col.state, col.label, col.count) for col in cols] == [
        (S.APPLIED, "申请入驻", 2), (S.UNDER_REVIEW, "评审中", 0), (S.ADMITTED, "已入驻", 0),
        (S.INCUBATING, "孵化中", 1)]
    assert [(card.name, card.days_in_stage) for card in cols[0].cards] == [("乙", 61), ("甲", 31)]
    assert cols[3].cards[0].agreement_ends_on == D(2025, 1, 3)
