"""The annual report filled from the register, read back from the PDF; batches into a folder."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind, PneForm, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.domain.volunteer import IdType, VolunteerDraft
from app.services.common.progress import Cancelled
from app.services.orgs import annual_report, registration
from app.services.volunteers import registration as volunteers
from app.store.models import (
    Activity,
    OrgAgreement,
    Organization,
    OrgCreditEntry,
    OrgEvaluation,
    OrgInspection,
    OrgMentor,
    OrgRating,
    OrgService,
    OrgTransition,
    OrgYearFigures,
    ServiceRecord,
    Training,
    TrainingAttendance,
)
from reports.annual_report import OrgKind as ReportKind

CODE = "51420000MJH200395N"
PNE_CODE = "52420000MJH233402K"
TODAY = dt.date(2026, 3, 1)


def org(name: str = "夕阳红志愿服务协会", code: str = CODE, kind: OrgKind = OrgKind.SOCIAL_GROUP,
        status: LegalStatus = LegalStatus.REGISTERED, on: dt.date = dt.date(2020, 5, 1),
        **kw) -> int:
    draft = OrgDraft(name=name, kind=kind, credit_code=code, legal_representative="黄志强",
                     registration_authority="武汉市江岸区民政局", street="解放路街道",
                     certificate_number="鄂岸社证字第0123号", address="解放路100号",
                     service_field=ServiceField.ELDERLY, capital_fen=3_000_000, **kw)
    return registration.create(draft, status, on, authority="武汉市江岸区民政局").id


def person(i: int) -> int:
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{'甲乙丙丁戊己庚辛'[i]}", id_type=IdType.PASSPORT, id_number=f"E1234567{i}",
        sex="F", birth_date=dt.date(1980, 1, 1), phone=f"1380013800{i}",
        registered_on=dt.date(2024, 1, 5))).id


def activity(org_id: int | None, name: str, start: dt.datetime, **kw) -> int:
    return Activity.create(name=name, org_id=org_id, starts_at=start,
                           ends_at=start + dt.timedelta(hours=3), place="和平社区活动室",
                           **kw).id


def served(vol: int, act: int, minutes: int, start: dt.datetime, **kw) -> ServiceRecord:
    return ServiceRecord.create(volunteer=vol, activity=act, kind=kw.pop("kind", "manual"),
                                status=kw.pop("status", "approved"), started_at=start,
                                minutes=minutes, **kw)


def history(oid: int) -> None:
    """A year (2025) of an organization's life, plus some noise around it."""
    rec = registration.get(oid)
    registration.update(oid, OrgDraft(**{**_fields(rec.draft), "address": "胜利街8号"}),
                        rec.version, today=dt.date(2025, 4, 10))
    OrgYearFigures.create(
        org=oid, year=2025, staff_full_time=3, staff_part_time=5, members_units=12,
        members_individuals=230, activity_overview="全年开展敬老助老服务。",
        meetings=json.dumps([{"kind": "会员大会", "held_on": "2025-01-18",
                              "charter_rule": "每年至少召开1次",
                              "attendance": "应到200人，实到186人",
                              "content": "审议年度工作报告"}]),
        finance=json.dumps({"balance": {"total_assets": [8_000_000, 9_500_000],
                                        "total_net_assets": [8_000_000, 9_500_000]},
                            "activity": {"donation": [1_200_000, 300_000]}}),
        remarks="上年度年检意见已整改。")
    a, b, c = person(0), person(1), person(2)
    start = dt.datetime(2025, 10, 29, 9)
    act = activity(oid, "重阳敬老活动", start, category="敬老助老")
    served(a, act, 120, start)
    served(b, act, 90, start)
    gone = served(c, act, 60, start)
    served(c, act, -60, start, kind="reversal", reverses=gone.id)
    served(a, act, 45, start, status="pending")
    activity(oid, "上年度的活动", dt.datetime(2024, 12, 20, 9))
    activity(oid, "取消的活动", dt.datetime(2025, 6, 1, 9), status="cancelled")
    activity(None, "别人的活动", dt.datetime(2025, 7, 1, 9))
    for y, result in ((2021, "pass"), (2022, "basic_pass"), (2023, "fail")):
        OrgInspection.create(org=oid, year=y, submitted_on=dt.date(y + 1, 4, 20), result=result)
    for day, to_state in ((dt.date(2024, 3, 1), "applied"), (dt.date(2024, 4, 1), "under_review"),
                          (dt.date(2024, 5, 1), "admitted"), (dt.date(2024, 6, 1), "incubating"),
                          (dt.date(2026, 1, 15), "graduated")):
        OrgTransition.create(org=oid, machine="incubation", to_state=to_state, on=day)
    Organization.update(incubation_state="graduated").where(Organization.id == oid).execute()
    OrgAgreement.create(org=oid, starts_on=dt.date(2024, 6, 1), ends_on=dt.date(2025, 12, 31),
                        original_end=dt.date(2025, 5, 31))
    OrgMentor.create(org=oid, name="李明导师", starts_on=dt.date(2024, 6, 1))
    training = Training.create(title="社会组织财务管理培训", held_on=dt.date(2025, 3, 15))
    TrainingAttendance.create(training=training, org=oid, attendees=2, names="王芳、李娜")
    OrgService.create(org=oid, kind="small_grant", on=dt.date(2025, 2, 1),
                      description="种子资金", amount_fen=500_000)
    OrgEvaluation.create(org=oid, kind="periodic", on=dt.date(2025, 6, 30), score=88.5,
                         evaluator="市社会组织评估中心", conclusion="良好")
    OrgRating.create(org=oid, rating="3A", rated_on=dt.date(2023, 12, 1),
                     valid_until=dt.date(2028, 11, 30))
    OrgCreditEntry.create(org=oid, list_kind="abnormal", listed_on=dt.date(2024, 6, 30),
                          reason="2023年度年检不合格", removed_on=dt.date(2024, 12, 1))


def _fields(draft: OrgDraft) -> dict:
    return {name: getattr(draft, name) for name in registration.DRAFT_FIELDS}


def text_of(pdf: bytes, tmp_path: Path, name: str = "r.pdf") -> list[str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_data_comes_from_the_register(register):
    oid = org()
    history(oid)
    data = annual_report.data_for(oid, 2025, TODAY)
    assert data.number == f"NB2025-{oid:05d}" and data.report_date == TODAY
    assert data.org.kind is ReportKind.SOCIAL_GROUP and data.org.credit_code == CODE
    assert data.org.sector == "养老" and data.org.address == "胜利街8号"
    assert data.org.individual_members == 230
    assert [(c.item, c.before, c.after) for c in data.changes] == [
        ("住所", "解放路100号", "胜利街8号")]
    assert [a.name for a in data.activities] == ["重阳敬老活动"]
    assert [(v.volunteers, v.minutes) for v in data.volunteer_lines] == [(2, 210)]
    assert (data.staff.volunteers, data.staff.volunteer_minutes) == (2, 210)
    assert (data.staff.full_time, data.staff.part_time) == (3, 5)
    assert data.meetings[0].held_on == dt.date(2025, 1, 18)
    assert data.finance is not None
    assert data.finance.balance.total_assets.end_fen == 9_500_000
    assert data.finance.activity.donation.total_fen == 1_500_000
    assert [(r.year, r.result) for r in data.inspections] == [
        (2020, "未参检"), (2021, "合格"), (2022, "基本合格"), (2023, "不合格"), (2024, "未参检")]
    inc = data.incubation
    assert inc is not None and inc.stage == "孵化中"  # graduated only in 2026
    assert inc.mentors == ("李明导师",) and inc.trainings[0].attendance.startswith("2人参加")
    assert "小额资助" in inc.services[0] and "5,000.00元" in inc.services[0]
    assert inc.evaluations[0].result.startswith("88.5分")
    assert data.rating is not None and data.rating.grade == "3A级"
    assert data.credit_entries[0].list_name == "活动异常名录"
    assert data.projects == ()


def test_the_printed_report_reads_back(register, tmp_path):
    oid = org()
    history(oid)
    pages = text_of(annual_report.render(oid, 2025), tmp_path)
    text = "\n".join(pages)
    assert "夕阳红志愿服务协会" in pages[0] and CODE in pages[0] and "2025年度" in pages[0]
    assert f"NB2025-{oid:05d}" in pages[0]
    for expected in ("住所", "胜利街8号", "重阳敬老活动", "3.5", "基本合格", "不合格",
                     "2021年度 合格", "李明导师", "社会组织财务管理培训", "3A级",
                     "活动异常名录", "95,000.00", "会员大会"):
        assert expected in text, expected
    assert "别人的活动" not in text and "取消的活动" not in text


def test_kinds_map_to_their_layouts(register):
    pne = org("阳光养老服务中心", PNE_CODE, OrgKind.PRIVATE_NON_ENTERPRISE,
              pne_form=PneForm.LEGAL_PERSON)
    community = org("和平社区读书会", "", OrgKind.COMMUNITY, LegalStatus.FILED)
    data = annual_report.data_for(pne, 2025, TODAY)
    assert data.org.kind is ReportKind.PRIVATE_NON_ENTERPRISE and data.org.form == "法人"
    assert data.incubation is None and data.finance is None
    assert annual_report.data_for(community, 2025, TODAY).org.kind is ReportKind.COMMUNITY
    assert annual_report.data_for(community, 2025, TODAY).inspections == ()


def test_a_year_without_figures_prints_blanks(register, tmp_path):
    """No figures entered for the year: staff and meetings are unknown (blank, ruled rows),
    not 0 staff and "本年度未召开"."""
    oid = org()
    data = annual_report.data_for(oid, 2025, TODAY)
    assert (data.staff.full_time, data.staff.part_time, data.meetings) == (None, None, None)
    text = "\n".join(text_of(annual_report.render(oid, 2025), tmp_path))
    assert "本年度未召开" not in text and "None" not in text


def test_unknown_org_and_bad_year_are_refused(register):
    oid = org()
    with pytest.raises(NotFoundError):
        annual_report.data_for(oid + 99, 2025)
    with pytest.raises(ValidationError, match="报告年度"):
        annual_report.data_for(oid, dt.date.today().year + 1)


class StopAfter:
    """Cancels once `n` reports are done."""

    def __init__(self, n: int) -> None:
        self.n, self.done = n, 0

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        self.done = done

    def is_cancelled(self) -> bool:
        return self.done >= self.n


def test_a_batch_writes_one_pdf_per_reportable_org(register, tmp_path):
    ids = [org(), org("阳光养老服务中心", PNE_CODE, OrgKind.PRIVATE_NON_ENTERPRISE),
           org("和平社区读书会", "", OrgKind.COMMUNITY, LegalStatus.FILED)]
    loose = org("筹备中的兴趣小组: a/b", "", OrgKind.COMMUNITY, LegalStatus.UNREGISTERED)
    history(ids[0])
    result = annual_report.render_batch(2025, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert result.written == 3 and result.skipped == () and result.folder == tmp_path / "out"
    assert files == sorted([f"{CODE}-夕阳红志愿服务协会-2025年度报告.pdf",
                            f"{PNE_CODE}-阳光养老服务中心-2025年度报告.pdf",
                            f"{ids[2]}-和平社区读书会-2025年度报告.pdf"])
    for name in files:
        assert (tmp_path / "out" / name).read_bytes().startswith(b"%PDF")
    chosen = annual_report.render_batch(2025, tmp_path / "chosen", [loose, ids[1], 999])
    assert chosen.written == 1
    assert chosen.skipped == ("筹备中的兴趣小组: a/b：2025年度未登记或备案，不出具年度报告",
                              "内部编号999：找不到该社会组织")
    assert annual_report.file_name("", loose, "筹备中的兴趣小组: a/b", 2025) == \
        f"{loose}-筹备中的兴趣小组_ a_b-2025年度报告.pdf"


def test_a_cancelled_batch_leaves_only_whole_files(register, tmp_path):
    for i, code in enumerate((CODE, PNE_CODE, "53420000MJH2448303")):
        org(f"组织{i}", code, (OrgKind.SOCIAL_GROUP, OrgKind.PRIVATE_NON_ENTERPRISE,
                                OrgKind.FOUNDATION)[i])
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        annual_report.render_batch(2025, out, state=StopAfter(2))
    files = list(out.iterdir())
    assert len(files) == 2 and all(p.suffix == ".pdf" for p in files)
    for path in files:
        with pdfplumber.open(path) as doc:
            assert len(doc.pages) > 3


def test_a_long_history_paginates(register, tmp_path):
    oid = org()
    vol = person(0)
    for i in range(80):
        start = dt.datetime(2025, 1, 1, 9) + dt.timedelta(days=4 * i)
        act = activity(oid, f"第{i + 1}次社区服务活动", start, category="社区服务")
        served(vol, act, 60 + i, start)
    for y in range(2020, 2025):
        OrgInspection.create(org=oid, year=y, submitted_on=dt.date(y + 1, 3, 1), result="pass")
    pages = text_of(annual_report.render(oid, 2025), tmp_path)
    text = "\n".join(pages)
    assert len(pages) >= 12
    assert "第80次社区服务活动" in text and f"共 {len(pages) - 1} 页" in pages[-1]
    heads = [p for p in pages if "第1次社区服务活动" in p or "第60次社区服务活动" in p]
    assert heads and all("活动名称" in p or "服务活动（项目）" in p for p in heads)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pages_render_to_png(register, tmp_path):
    oid = org()
    history(oid)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(annual_report.render(oid, 2025))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "4", "-l", "5", str(pdf),
                    str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 2
