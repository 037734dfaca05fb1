"""The organization and project areas' service and domain messages in the English interface:
real refusals of the domain rules and the services come out in English (user data kept as
typed), no area pattern is dead, and the organization editor and the project form show an
English message at their fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from app.domain.errors import (
    ConflictError,
    DuplicateError,
    FormErrors,
    NotFoundError,
    ValidationError,
)
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import INCUBATION, IncubationState, check_agreement
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind, Rating
from app.domain.orgs.legal_status import (
    LegalStatus,
    check_certificate_period,
    check_legal_move,
)
from app.domain.orgs.uscc import check_character, organization_check_character, parse_uscc
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import IndicatorLevel1, IndicatorLevel2, PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus, check_move
from app.domain.projects.money import parse_yuan
from app.domain.transitions import IllegalTransition
from app.services.common.sheet_reading import ImportFileError
from app.services.orgs import annual_report, incubation, inspections, legal, readiness, year_figures
from app.services.orgs import importing as org_import
from app.services.orgs import registration as orgs
from app.services.projects import (
    evaluation,
    indicators,
    lifecycle,
    milestones,
    money,
    registration,
)
from app.services.projects.indicators import IndicatorDraft
from app.services.projects.money import BudgetLineDraft, TrancheDraft
from app.ui.common import service_text
from app.ui.common.service_text import shown
from tests.gui.common.english import english_of

TODAY = dt.date.today()
KIND_DIGITS = {OrgKind.SOCIAL_GROUP: "1", OrgKind.PRIVATE_NON_ENTERPRISE: "2",
               OrgKind.FOUNDATION: "3", OrgKind.COMMUNITY: "9"}

Sample = tuple[str, tuple[str, ...]]   # a Chinese message, the user data inside it






def code_for(kind: OrgKind, seq: int, department: str = "5") -> str:
    """A valid credit code of `kind` (civil affairs unless `department`)."""
    body = f"MJH{seq:05d}"
    first17 = f"{department}{KIND_DIGITS[kind]}420000{body}{organization_check_character(body)}"
    return first17 + check_character(first17)


def refusals(call: Callable[[], object], *typed: str) -> list[Sample]:
    """Every message `call` refuses with (it must refuse)."""
    try:
        call()
    except FormErrors as exc:
        return [(text, typed) for text in exc.errors.values()]
    except (ValidationError, DuplicateError, IllegalTransition, ImportFileError) as exc:
        return [(getattr(exc, "message", None) or str(exc), typed)]
    except (NotFoundError, ConflictError) as exc:
        return [(str(exc), typed)]
    raise AssertionError(f"{call} raised nothing")


# ---------------------------------------------------------------- the domain, no register

def domain_messages() -> list[Sample]:
    out: list[Sample] = []
    good = code_for(OrgKind.SOCIAL_GROUP, 1)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    bad_org = good[:16] + ("0" if good[16] != "0" else "1") + good[17]
    for code in ("5142\u06630000", "51420", good[:5] + "I" + good[6:], good[:5] + "*"
                 + good[6:], "51ABCDEF" + good[8:], bad_check, bad_org):
        out += refusals(lambda c=code: parse_uscc(c))
    out += refusals(lambda: parse_uscc(""))
    drafts = (
        OrgDraft(name="", capital_fen=-1, founded_on=TODAY + dt.timedelta(days=3),
                 certificate_valid_from=dt.date(2024, 1, 1),
                 certificate_valid_to=dt.date(2023, 1, 1), contact_phone="12",
                 post_code="12", email="x@", legal_representative="张" * 41),
        OrgDraft(name="甲", kind=OrgKind.SOCIAL_GROUP, credit_code=bad_check),
        OrgDraft(name="甲", kind=OrgKind.SOCIAL_GROUP, credit_code=bad_org),
    )
    for draft in drafts:
        out += refusals(lambda d=draft: d.validated(), "张" * 41)
    out += refusals(lambda: OrgDraft(name="甲", kind=OrgKind.SOCIAL_GROUP).validated(
        code_required=True))
    for kind, code in ((OrgKind.SOCIAL_GROUP, code_for(OrgKind.SOCIAL_GROUP, 2, "9")),
                       (OrgKind.SOCIAL_GROUP, code_for(OrgKind.FOUNDATION, 3)),
                       (OrgKind.SOCIAL_GROUP, code_for(OrgKind.SOCIAL_GROUP, 4, "Y"))):
        out += [(w, ()) for w in OrgDraft(kind=kind, credit_code=code).warnings()]
    start = dt.date(2026, 3, 1)
    out += refusals(lambda: check_agreement(start, start))
    out += refusals(lambda: check_certificate_period(start, start))
    for current, target in ((IncubationState.GRADUATED, IncubationState.APPLIED),
                            (IncubationState.APPLIED, IncubationState.APPLIED),
                            (IncubationState.APPLIED, IncubationState.INCUBATING)):
        out += refusals(lambda c=current, t=target: INCUBATION.check_move(c, t))
    out += refusals(lambda: check_legal_move(LegalStatus.FILED, LegalStatus.REGISTERED,
                                             OrgKind.COMMUNITY))
    out += refusals(lambda: check_legal_move(LegalStatus.DEREGISTERED, LegalStatus.FILED,
                                             OrgKind.SOCIAL_GROUP))
    out += refusals(lambda: check_move(ProjectStatus.DRAFT, ProjectStatus.CLOSED))
    out += refusals(lambda: ProjectDraft(name="", budget_fen=0, contract_amount_fen=0,
                                         starts_on=start, ends_on=start,
                                         signed_on=start + dt.timedelta(days=1),
                                         lead="李" * 41).validated(), "李" * 41)
    out += refusals(lambda: ProjectDraft(name="项目", purchaser_id=1,
                                         method=PurchaseMethod.INQUIRY).validated())
    out += refusals(lambda: ProjectDraft(name="项目", purchaser_id=1,
                                         method=PurchaseMethod.INQUIRY, budget_fen=100,
                                         contract_amount_fen=200).validated())
    out += [(w, ()) for w in ProjectDraft(starts_on=start,
                                          ends_on=dt.date(2030, 3, 2)).warnings()]
    for text in ("", "1.234", "-5", "0", "9" * 20):
        out += refusals(lambda t=text: parse_yuan(t, allow_zero=False))
    return out


# ---------------------------------------------------------------- the services, real register

def _org(name: str, kind: OrgKind = OrgKind.SOCIAL_GROUP, seq: int | None = None,
         status: LegalStatus = LegalStatus.UNREGISTERED, on: dt.date | None = None) -> int:
    code = code_for(kind, seq) if seq is not None else ""
    return orgs.create(OrgDraft(name=name, kind=kind, credit_code=code), status,
                       legal_on=on).id


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["组织名称", "组织类型", "统一社会信用代码", "登记/备案", "登记/备案日期",
                  "单位形式", "服务领域", "注册资金（元）"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def org_service_messages(tmp_path: Path) -> list[Sample]:
    out: list[Sample] = []
    year = TODAY.year
    registered_on = dt.date(year - 4, 3, 1)
    held = _org("阳光社工服务中心", OrgKind.PRIVATE_NON_ENTERPRISE, 11,
                LegalStatus.REGISTERED, registered_on)
    code = orgs.get(held).draft.credit_code
    out += refusals(lambda: orgs.create(OrgDraft(name="重复", kind=OrgKind.SOCIAL_GROUP,
                                                 credit_code=code_for(
                                                     OrgKind.PRIVATE_NON_ENTERPRISE, 11))),
                    "阳光社工服务中心")
    out += refusals(lambda: orgs.get(999999))
    out += refusals(lambda: orgs.get_by_code("51420000MJH999999X"))
    out += refusals(lambda: orgs.update(held, orgs.get(held).draft, 999))

    team = _org("邻里互助队", OrgKind.SOCIAL_GROUP)
    out += refusals(lambda: legal.move(team, LegalStatus.REGISTERED, TODAY))
    out += refusals(lambda: legal.move(held, LegalStatus.DEREGISTERED, dt.date(2000, 1, 1)))
    out += refusals(lambda: legal.move(team, LegalStatus.FILED, TODAY, expected_version=99))

    out += refusals(lambda: incubation.move(team, IncubationState.INCUBATING, TODAY))
    incubation.move(team, IncubationState.APPLIED, TODAY)
    out += refusals(lambda: incubation.move(team, IncubationState.UNDER_REVIEW,
                                            TODAY - dt.timedelta(days=30)))
    out += refusals(lambda: incubation.record_review(
        team, expert_score=Decimal(120), notice_to=TODAY))
    out += refusals(lambda: incubation.record_review(
        team, notice_from=TODAY, notice_to=TODAY - dt.timedelta(days=1)))
    out += refusals(lambda: incubation.record_review(team, review_id=999999))
    out += refusals(lambda: incubation.extend_agreement(team, TODAY, ""))
    out += refusals(lambda: incubation.extend_agreement(team, TODAY, "场地未落实"))
    out += refusals(lambda: incubation.sign_agreement(team, TODAY, TODAY))
    incubation.sign_agreement(team, TODAY, TODAY + dt.timedelta(days=365))
    out += refusals(lambda: incubation.extend_agreement(team, TODAY, "场地未落实"))
    out += refusals(lambda: incubation.add_mentor(team, "", starts_on=TODAY,
                                                  ends_on=TODAY - dt.timedelta(days=1)))
    out += refusals(lambda: incubation.create_training("", TODAY, minutes=-5))
    training = incubation.create_training("财务管理", TODAY).id
    out += refusals(lambda: incubation.record_attendance(training, team, attendees=0))
    out += refusals(lambda: incubation.record_attendance(999999, team))
    out += refusals(lambda: incubation.add_service(team, "bogus", TODAY, amount_fen=-1))
    out += refusals(lambda: incubation.add_service(team, "small_grant", TODAY))
    out += refusals(lambda: incubation.add_evaluation(team, "bogus", TODAY))

    community = _org("彩虹儿童之家", OrgKind.COMMUNITY)
    young = _org("新成立协会", OrgKind.SOCIAL_GROUP, 12, LegalStatus.REGISTERED,
                 dt.date(year - 1, 3, 1))
    pne = _org("年末登记服务社", OrgKind.PRIVATE_NON_ENTERPRISE, 13, LegalStatus.REGISTERED,
               dt.date(year - 1, 11, 1))
    gone = _org("已注销协会", OrgKind.SOCIAL_GROUP, 14, LegalStatus.REGISTERED,
                dt.date(year - 6, 1, 5))
    legal.move(gone, LegalStatus.DEREGISTERED, dt.date(year - 3, 6, 1))
    out += refusals(lambda: inspections.record(community, year - 1))
    out += refusals(lambda: inspections.record(team, year - 1))
    out += refusals(lambda: inspections.record(young, year - 2))
    out += refusals(lambda: inspections.record(gone, year - 1))
    out += refusals(lambda: inspections.record(pne, year - 1))
    out += refusals(lambda: inspections.record(held, year - 1,
                                               submitted_on=TODAY + dt.timedelta(days=2)))
    out += refusals(lambda: inspections.record(held, year - 1,
                                               submitted_on=dt.date(year - 1, 1, 2)))
    out += refusals(lambda: inspections.record(held, year - 1, result=InspectionResult.PASS))
    out += refusals(lambda: inspections.record(held, year - 1, submitted_on=TODAY,
                                               concluded_on=TODAY - dt.timedelta(days=1)))
    out += refusals(lambda: inspections.list_entry(held, CreditListKind.ABNORMAL, TODAY, ""))
    entry = inspections.list_entry(held, CreditListKind.ABNORMAL,
                                   TODAY - dt.timedelta(days=10), "未按时报送年度报告")
    out += refusals(lambda: inspections.list_entry(held, CreditListKind.ABNORMAL, TODAY,
                                                   "又一次"))
    out += refusals(lambda: inspections.remove_entry(999999, TODAY, "已整改"))
    out += refusals(lambda: inspections.remove_entry(entry.id, TODAY, ""))
    out += refusals(lambda: inspections.remove_entry(entry.id, TODAY - dt.timedelta(days=20),
                                                     "已整改"))
    inspections.remove_entry(entry.id, TODAY, "已整改")
    out += refusals(lambda: inspections.remove_entry(entry.id, TODAY, "已整改"))
    for org in (community, team, young, gone):
        out += refusals(lambda o=org: inspections.rate(o, Rating.A3, TODAY))
    out += [(p, ("未按时报送年度报告",)) for p in inspections.standing(gone).problems]
    inspections.record(held, year - 1, submitted_on=TODAY, result=InspectionResult.FAIL,
                       concluded_on=TODAY)
    out += [(p, ()) for p in inspections.standing(held).problems]
    inspections.list_entry(held, CreditListKind.SERIOUS, TODAY, "弄虚作假")
    out += refusals(lambda: inspections.rate(held, Rating.A3, TODAY))
    out += refusals(lambda: year_figures.save(year_figures.YearFigures(team, year + 1)))

    out += refusals(lambda: readiness.tick(team, "不存在", TODAY), "不存在")
    out += refusals(lambda: readiness.build_packet(team, tmp_path / "packet"))
    out += refusals(lambda: year_figures.save(year_figures.YearFigures(
        held, year + 1, staff_full_time=-1, staff_part_time=10**9,
        members_units=Decimal("2.5"),  # type: ignore[arg-type]  # a slip of a caller
        activity_overview="活" * 3000,
        meetings=(year_figures.Meeting("", dt.date(year - 9, 1, 1)),),
        balance={"bogus": (1, 1), "total_assets": (-1, 1)},
        activity={"donation": (10**16, 0)})))
    out += refusals(lambda: annual_report.check_year(TODAY.year + 1))
    result = annual_report.render_batch(year - 1, tmp_path / "reports", [team, 999999])
    out += [(text, ("邻里互助队",)) for text in result.skipped]

    path = _sheet(tmp_path / "台账.xlsx", [
        ["甲协会", "协会", "", "", "", "", "", ""],
        ["乙服务社", "民非", "", "注册了", "", "公司", "种地", "很多"],
        ["丙之家", "社区社会组织", code_for(OrgKind.COMMUNITY, 21), "登记", "", "", "", "-5"],
        ["丁协会", "社会团体", code_for(OrgKind.SOCIAL_GROUP, 22), "登记",
         TODAY + dt.timedelta(days=5), "", "", ""],
        ["戊协会", "社会团体", code_for(OrgKind.SOCIAL_GROUP, 23), "登记", "", "", "", ""],
        ["己协会", "社会团体", code_for(OrgKind.SOCIAL_GROUP, 23), "登记", "", "", "", ""],
        ["庚中心", "民办非企业单位", code, "登记", "", "", "", ""],
        ["邻里互助队", "社会团体", "", "", "", "", "", ""],
        ["辛队", "社会团体", "", "", "", "", "", ""],
        ["辛队", "社会团体", "", "", "", "", "", ""],
    ])
    preview = org_import.read(path)
    names = ("甲协会", "乙服务社", "丙之家", "丁协会", "戊协会", "己协会", "庚中心",
             "阳光社工服务中心", "邻里互助队", "辛队", "协会", "注册了", "公司", "种地", "很多")
    out += [(p.reason, names) for p in (*preview.problems, *preview.warnings)]
    out += [(w, names) for r in preview.valid for w in r.warnings]
    return out


def project_service_messages() -> list[Sample]:
    out: list[Sample] = []
    purchaser = registration.save_purchaser("江岸区民政局").id
    out += refusals(lambda: registration.save_purchaser(""))
    out += refusals(lambda: registration.save_purchaser("江岸区民政局"), "江岸区民政局")
    bad = _org("心桥心理咨询中心", OrgKind.PRIVATE_NON_ENTERPRISE, 31, LegalStatus.REGISTERED,
               dt.date(TODAY.year - 3, 3, 1))
    inspections.list_entry(bad, CreditListKind.ABNORMAL, TODAY - dt.timedelta(days=30),
                           "未按时报送年度报告")
    good = _org("阳光助老服务社", OrgKind.PRIVATE_NON_ENTERPRISE, 32, LegalStatus.REGISTERED,
                TODAY)   # registered this year: no inspection due yet
    start = TODAY - dt.timedelta(days=60)
    base = {"name": "社区居家养老服务项目", "purchaser_id": purchaser,
            "method": PurchaseMethod.CONSULTATION, "budget_fen": 50_000_000,
            "starts_on": start, "ends_on": start + dt.timedelta(days=364)}
    out += refusals(lambda: registration.create(ProjectDraft(**base, contractor_id=bad)),
                    "未按时报送年度报告")
    out += refusals(lambda: registration.create(ProjectDraft(**base, contractor_id=999999)))
    out += refusals(lambda: registration.create(ProjectDraft(**{**base,
                                                                "purchaser_id": 999999})))
    pid = registration.create(ProjectDraft(**base, contractor_id=good), today=start).id
    out += refusals(lambda: registration.get(999999))
    out += refusals(lambda: registration.get_by_number("P0000"))
    out += refusals(lambda: registration.update(pid, registration.get(pid).draft, 999))
    out += refusals(lambda: lifecycle.move(pid, ProjectStatus.CLOSED, TODAY))
    lifecycle.move(pid, ProjectStatus.PROCUREMENT, start)
    out += refusals(lambda: lifecycle.move(pid, ProjectStatus.CONTRACTED, start))
    out += refusals(lambda: lifecycle.move(pid, ProjectStatus.TERMINATED,
                                           start - dt.timedelta(days=1)))
    out += refusals(lambda: lifecycle.move(pid, ProjectStatus.TERMINATED, TODAY,
                                           expected_version=999))
    out += refusals(lambda: money.pay(pid, 100, TODAY))
    out += refusals(lambda: money.set_tranches(pid, [TrancheDraft(planned_fen=100)]))
    out += refusals(lambda: money.set_tranches(pid, [TrancheDraft(share=Decimal(10))]))
    draft = registration.get(pid).draft
    draft.contract_amount_fen, draft.signed_on = 48_000_000, start
    registration.update(pid, draft, registration.get(pid).version)
    lifecycle.move(pid, ProjectStatus.CONTRACTED, start)
    draft = registration.get(pid).draft
    draft.contract_amount_fen = None
    registration.update(pid, draft, registration.get(pid).version)
    out += refusals(lambda: money.pay(pid, 100, TODAY))
    draft.contract_amount_fen = 48_000_000
    registration.update(pid, draft, registration.get(pid).version)
    bare = registration.create(ProjectDraft(**base), today=start).id
    lifecycle.move(bare, ProjectStatus.PROCUREMENT, start)
    out += refusals(lambda: lifecycle.move(bare, ProjectStatus.CONTRACTED, start))
    out += refusals(lambda: money.set_tranches(pid, [
        TrancheDraft(), TrancheDraft(share=Decimal(0)), TrancheDraft(planned_fen=0),
        TrancheDraft(planned_fen=100, condition="条" * 300)]))
    out += refusals(lambda: money.set_tranches(pid, [TrancheDraft(planned_fen=50_000_000)]))
    out += refusals(lambda: money.pay(pid, 0, TODAY))
    out += refusals(lambda: money.pay(pid, 10**17, TODAY))
    out += refusals(lambda: money.pay(pid, 60_000_000, TODAY))
    out += refusals(lambda: money.pay(pid, 100, start - dt.timedelta(days=1)))
    out += refusals(lambda: money.pay(pid, 100, TODAY, tranche_id=999999))
    money.set_tranches(pid, [TrancheDraft(planned_fen=20_000_000),
                             TrancheDraft(planned_fen=28_000_000)])
    money.pay(pid, 20_000_000, TODAY)
    out += refusals(lambda: money.set_tranches(pid, []))
    out += refusals(lambda: money.set_tranches(pid, [TrancheDraft(planned_fen=100),
                                                     TrancheDraft(planned_fen=100)]))
    draft = registration.get(pid).draft
    draft.contract_amount_fen = 100
    out += refusals(lambda: registration.update(pid, draft, registration.get(pid).version))
    draft.contract_amount_fen = None
    out += refusals(lambda: registration.update(pid, draft, registration.get(pid).version))
    out += refusals(lambda: money.set_budget_lines(pid, [
        BudgetLineDraft("bogus"), BudgetLineDraft("fiscal"), BudgetLineDraft("fiscal"),
        BudgetLineDraft("own", initial_fen=-1),
        BudgetLineDraft("other", weight=Decimal(120))]))
    out += refusals(lambda: money.set_budget_lines(pid, [
        BudgetLineDraft("fiscal", score=Decimal(-1)),
        BudgetLineDraft("own", weight=Decimal(5), score=Decimal(8))]))
    out += refusals(lambda: milestones.add_milestone(pid, ""))
    out += refusals(lambda: milestones.add_milestone(pid, "节" * 300))
    out += refusals(lambda: milestones.add_milestone(999999, "中期"))
    out += refusals(lambda: milestones.complete(999999, TODAY))
    mid = milestones.add_milestone(pid, "中期评估").id
    out += refusals(lambda: milestones.complete(mid, TODAY + dt.timedelta(days=3)))
    out += refusals(lambda: indicators.set_indicators(pid, [
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.SOCIAL, ""),
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUANTITY, "人数",
                       unit="人" * 100, weight=Decimal(120), score=Decimal(-1)),
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUANTITY, "次数",
                       weight=Decimal(5), score=Decimal(8))]), "人" * 100)
    out += refusals(lambda: indicators.set_indicators(pid, [
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUANTITY, "人数",
                       weight=Decimal(60)),
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUALITY, "质量",
                       weight=Decimal(60))]))
    out += refusals(lambda: evaluation.record_evaluation(pid, "bogus", TODAY,
                                                         evaluator="评" * 300,
                                                         score=Decimal(120)))
    out += refusals(lambda: evaluation.record_evaluation(999999, "final", TODAY))
    return out


# Real messages whose register state is costly to reach here, as the services word them
# (and the user data in each).
SAMPLES: list[Sample] = [
    ("写入的社会组织与读回的记录对不上，未写入任何数据", ()),
    ("读取之后已有2个代码被登记（51420000MJH000238、51420000MJH000246），"
     "未导入任何数据，请重新读取文件", ()),
    ("导入期间有人登记了相同统一社会信用代码的组织，未导入任何数据，请重新读取文件", ()),
    ("所选附件不属于该组织", ()),
    ("统一社会信用代码重复", ()), ("已注销", ()), ("金额格式不正确", ()),
    ("评价得分应为数字", ()), ("请填写评价日期", ()),
    ("第1项：请选择一级指标", ()), ("第1项：请选择二级指标", ()),
    ("第2项：权重应为数字", ()), ("第2项：得分应为数字", ()),
    ("第1期：付款比例应为数字", ()),
    ("项目处于“草稿”状态，不能付款（签约后、结项前方可付款）", ()),
    ("找不到该项目节点（12）", ()),
    ("该活动已被其他人修改，请重新打开后再操作", ()),
    ("活动“社区义诊”已关联项目P2026001 社区居家养老服务项目，请先在该项目中取消关联",
     ("社区义诊", "社区居家养老服务项目")),
    ("第2行会议：召开时间2019年3月1日不在2025年度内", ()),
    ("资产负债表“资产总计”应填写两栏金额", ()),
    ("资产负债表“资产总计”的金额应为整数分，不能是1.5", ()),
    ("请选择年检结论", ()),
]


# ---------------------------------------------------------------- (c) Chinese: identity

def test_chinese_interface_leaves_area_messages_alone() -> None:
    assert service_text.language() == "zh_CN"
    for message, _typed in [*domain_messages(), *SAMPLES]:
        assert shown(message) == message


# ---------------------------------------------------------------- (a) English

def test_domain_refusals_read_in_english(english) -> None:
    samples = domain_messages()
    assert len(samples) > 40
    for message, typed in samples:
        english_of(message, *typed)
    assert english_of("统一社会信用代码应为18位，现在是5位") == \
        "The unified social credit code has 5 characters; it needs 18."
    assert english_of("请填写组织名称") == "Please fill in: Organization name."


def test_listed_service_messages_read_in_english(english) -> None:
    for message, typed in SAMPLES:
        english_of(message, *typed)


def test_org_services_refuse_in_english(register, english, tmp_path) -> None:
    samples = org_service_messages(tmp_path)
    assert len(samples) > 50
    for message, typed in samples:
        english_of(message, *typed)
    assert any(shown(m).startswith("The incubation state cannot become")
               for m, _ in samples)


def test_project_services_refuse_in_english(register, english) -> None:
    samples = project_service_messages()
    assert len(samples) > 40
    for message, typed in samples:
        english_of(message, *typed)
    assert any(shown(m).startswith("The contractor has these problems: On the list of "
                                   "abnormal activity since") for m, _ in samples)


def test_every_area_pattern_renders_a_real_message(register, tmp_path) -> None:
    used: set[str] = set()
    samples = [*domain_messages(), *SAMPLES, *org_service_messages(tmp_path),
               *project_service_messages()]
    for message, _typed in samples:
        used |= service_text.renderings_used(message)
    dead = {r.pattern.pattern for r in service_text.AREA_RENDERINGS} - used
    assert not dead, sorted(dead)


# ---------------------------------------------------------------- (b) the two forms

def test_org_editor_in_english_shows_an_english_field_error(qtbot, register, english) -> None:
    from app.ui.orgs.editor import OrgEditor

    editor = OrgEditor()
    qtbot.addWidget(editor)
    editor.show()
    good = code_for(OrgKind.SOCIAL_GROUP, 41)
    qtbot.keyClicks(editor.credit_code, good[:17] + ("0" if good[17] != "0" else "1"))
    assert not editor.save()
    assert editor.error_text("name") == "Please fill in: Organization name."
    assert editor.error_text("credit_code").startswith(
        "The 18th check character of the unified social credit code is wrong")
    assert editor.override.isVisibleTo(editor)   # the reason box still opens in English


def test_project_form_in_english_shows_an_english_field_error(qtbot, register,
                                                             english) -> None:
    from app.ui.projects.editor import ProjectEditor

    registration.save_purchaser("江岸区民政局")
    editor = ProjectEditor()
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.money["budget_fen"], "abc")
    assert not editor.save()
    assert editor.error_text("name") == "Please fill in: Project name."
    assert editor.error_text("budget_fen") == \
        "“abc” is not a valid amount; enter a number with at most two decimals."
