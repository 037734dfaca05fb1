"""Demo organizations with ten years of history, so every organization screen shows something
real: every type, every legal status and incubation stage, inspections passed, failed and
overdue, ratings about to expire, agreements about to end, credit-list entries, and a few
attached documents (a charter and founding minutes, copied in and hashed like any file).

Credit codes pass both GB 32100 and GB 11714 checks and carry the kind digit of their type;
they are fictitious. Everything is drawn from one `random.Random(seed)`, so a seed gives the
same register; rows go in through the driver's bulk path, a batch per transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.inspection import inspection_due, years_due
from app.domain.orgs.kinds import InspectionResult, OrgKind, PneForm, Rating, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.periods import add_years, fmt_date
from app.domain.orgs.rating import eligible_from, rating_valid_until
from app.domain.orgs.uscc import ALPHABET, EXPECTED_KIND_DIGIT, check_character
from app.domain.orgs.uscc import organization_check_character as org_check
from app.services.common import audit
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.orgs import bulk, documents
from app.services.volunteers.demo import AREA_CODES, DISTRICT, SURNAMES, areas
from app.store.db import bulk_insert, database, is_sqlite, writing
from app.store.models import Organization, utcnow

YEARS = 10
AUTHORITY = f"{DISTRICT}民政局"
THEMES = ("夕阳红", "邻里", "阳光", "银龄", "四点半课堂", "红色宣讲", "书香", "爱心助残",
          "垃圾分类", "平安", "心理关爱", "法律援助", "儿童友好", "非遗传承", "绿色环保", "助餐",
          "康复", "青少年成长", "巾帼", "暖心", "乐龄", "和美", "同心", "善行", "健康")
SUFFIXES = {
    OrgKind.SOCIAL_GROUP: ("协会", "联合会", "研究会", "促进会"),
    OrgKind.PRIVATE_NON_ENTERPRISE: ("服务中心", "社会工作服务中心", "服务社", "发展中心"),
    OrgKind.FOUNDATION: ("基金会", "慈善基金会", "公益基金会"),
    OrgKind.COMMUNITY: ("志愿服务队", "读书会", "合唱团", "舞蹈队", "互助会", "议事会",
                        "巡逻队", "文体队"),
}
KIND_CYCLE = (OrgKind.COMMUNITY, OrgKind.SOCIAL_GROUP, OrgKind.PRIVATE_NON_ENTERPRISE,
              OrgKind.COMMUNITY, OrgKind.FOUNDATION, OrgKind.PRIVATE_NON_ENTERPRISE,
              OrgKind.SOCIAL_GROUP, OrgKind.COMMUNITY, OrgKind.PRIVATE_NON_ENTERPRISE,
              OrgKind.SOCIAL_GROUP)
STAGES = (None, IncubationState.INCUBATING, None, IncubationState.APPLIED,
          IncubationState.GRADUATED, None, IncubationState.UNDER_REVIEW,
          IncubationState.INCUBATING, IncubationState.ADMITTED, None, IncubationState.REJECTED,
          IncubationState.EXITED, IncubationState.GRADUATED)
PATHS = {
    IncubationState.APPLIED: ("applied",),
    IncubationState.UNDER_REVIEW: ("applied", "under_review"),
    IncubationState.ADMITTED: ("applied", "under_review", "admitted"),
    IncubationState.REJECTED: ("applied", "under_review", "rejected"),
    IncubationState.INCUBATING: ("applied", "under_review", "admitted", "incubating"),
    IncubationState.GRADUATED: ("applied", "under_review", "admitted", "incubating",
                                "graduated"),
    IncubationState.EXITED: ("applied", "under_review", "admitted", "incubating", "exited"),
}
TRAININGS = ("社会组织登记实务", "项目书撰写", "财务管理与票据规范", "志愿者管理", "公益项目设计",
             "年检年报填报", "品牌传播", "政府购买服务申报", "社区需求调研", "党建引领社会组织发展")
CHECKLIST = ("charter", "founding_minutes", "representative_documents", "address_proof",
             "capital_proof", "supervisor_consent")
MENTORS = ("刘敏", "陈建华", "张晓东", "王海燕", "赵志强", "孙丽", "周文")
EXPERTISE = ("项目管理", "财务", "法律", "社会工作", "筹资", "传播")
CHANGE_ITEMS = (("住所", "address"), ("法定代表人", "legal_representative"),
                ("业务范围", "business_scope"))

_REVIEW = ("org_id", "first_review_on", "first_review_opinion", "expert_review_on",
           "expert_score", "experts", "notice_from", "notice_to", "conclusion", "created_at")
_AGREEMENT = ("org_id", "starts_on", "ends_on", "original_end", "space", "extensions",
              "created_at")
_MENTOR = ("org_id", "name", "expertise", "starts_on", "ends_on")
_ATTEND = ("training_id", "org_id", "attendees", "names")
_SERVICE = ("org_id", "kind", '"on"', "description", "amount_fen")
_EVALUATION = ("org_id", "kind", '"on"', "score", "evaluator", "conclusion")
_CHECK = ("org_id", "item", "done_on", "note")
_INSPECTION = ("org_id", "year", "supervisor_submitted_on", "submitted_on", "result",
               "concluded_on", "remarks", "updated_at")
_CREDIT = ("org_id", "list_kind", "listed_on", "reason", "authority", "removed_on",
           "removal_reason")
_RATING = ("org_id", "rating", "rated_on", "valid_until", "evaluator")
_CHANGE = ("org_id", "item", "before", "after", "approved_on", '"on"')
_CHILDREN = {"org_transition": bulk.TRANSITION_COLUMNS, "org_review": _REVIEW,
             "org_agreement": _AGREEMENT, "org_mentor": _MENTOR,
             "training_attendance": _ATTEND, "org_service": _SERVICE,
             "org_evaluation": _EVALUATION, "org_checklist_item": _CHECK,
             "org_inspection": _INSPECTION, "org_credit_entry": _CREDIT,
             "org_rating": _RATING, "org_change": _CHANGE}


@dataclass(frozen=True)
class DemoResult:
    organizations: int
    first_id: int
    last_id: int


@dataclass
class _Plan:
    """One organization and its history; child rows lack their org_id until it is known."""

    row: tuple
    children: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, table: str, *values: Any) -> None:
        self.children.setdefault(table, []).append(values)


class _Maker:
    """Draws organizations one after another from one random stream."""

    def __init__(self, rng: random.Random, today: dt.date, taken_codes: set[str],
                 trainings: list[tuple[int, dt.date]]) -> None:
        self.rng = rng
        self.today = today
        self.codes = taken_codes
        self.names: set[str] = set()
        self.areas = areas()
        self.trainings = trainings
        self.now = utcnow()
        self.actor = audit.current_actor()

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def code(self, kind: OrgKind) -> str:
        while True:
            body = "MJ" + "".join(self.rng.choice(ALPHABET) for _ in range(6))
            first17 = f"5{EXPECTED_KIND_DIGIT[kind]}{self.rng.choice(AREA_CODES)}"
            first17 += body + org_check(body)
            code = first17 + check_character(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, kind: OrgKind, street: str, community: str) -> str:
        rng = self.rng
        for attempt in range(20):
            place = community if kind is OrgKind.COMMUNITY else (
                DISTRICT if attempt < 5 or rng.random() < 0.5 else street)
            text = f"{place}{rng.choice(THEMES)}{rng.choice(SUFFIXES[kind])}"
            if text not in self.names:
                break
        else:
            text = f"{text}（{len(self.names)}）"
        self.names.add(text)
        return text

    # -- one organization -------------------------------------------------------------------

    def make(self, i: int) -> _Plan:
        rng, today = self.rng, self.today
        kind = KIND_CYCLE[i % len(KIND_CYCLE)]
        district, street, community = rng.choice(self.areas)
        founded = self.day_between(today - dt.timedelta(days=365 * YEARS),
                                   today - dt.timedelta(days=200))
        status, moves = self._legal(i, kind, founded)
        supervisor = "" if kind is OrgKind.COMMUNITY or rng.random() < 0.6 else \
            rng.choice(("区教育局", "区卫生健康局", "区文化和旅游局", "区残联", "区妇联"))
        if kind is OrgKind.COMMUNITY:
            supervisor = f"{street}办事处"
        registered = any(to == LegalStatus.REGISTERED for _, to, _ in moves)
        name = self.name(kind, street, community)
        person = rng.choice(SURNAMES) + rng.choice(("志强", "秀英", "建国", "海燕", "丽", "敏"))
        valid_from = valid_to = None
        reg_on = next((on for _, to, on in moves if to == LegalStatus.REGISTERED), None)
        if reg_on is not None:
            cycles = max(0, (today - reg_on).days // (365 * 5))
            valid_from = add_years(reg_on, 5 * cycles)
            valid_to = add_years(valid_from, 5) - dt.timedelta(days=1)
        draft = OrgDraft(
            name=name, kind=kind,
            pne_form=PneForm.LEGAL_PERSON if kind is OrgKind.PRIVATE_NON_ENTERPRISE else None,
            service_field=rng.choice(list(ServiceField)),
            credit_code=self.code(kind) if registered else "",
            certificate_number=f"{DISTRICT[:2]}民证字第{rng.randrange(10000, 99999)}号"
            if registered else "",
            legal_representative=person, supervisor_unit=supervisor,
            registration_authority=AUTHORITY if registered else
            (f"{street}办事处" if status is LegalStatus.FILED else ""),
            address=f"{street[:-2]}{rng.randrange(1, 300)}号", district=district, street=street,
            community=community, contact_person=person,
            contact_phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            capital_fen=(rng.choice((30_000, 50_000, 100_000, 2_000_000)) * 100
                         if registered else None),
            business_scope="开展社区服务、志愿服务和公益活动" if registered else "",
            founded_on=founded, certificate_valid_from=valid_from, certificate_valid_to=valid_to)
        legal = self._legal_columns(moves)
        stage = STAGES[i % len(STAGES)]
        plan = _Plan(())
        for frm, to, on in moves:
            plan.add("org_transition", "legal", str(frm), str(to), on, _authority(to, street),
                     "", self.actor, self.now)
        since = self._incubation(plan, i, stage) if stage is not None else None
        rating: tuple[str, dt.date | None] = ("", None)
        if reg_on is not None:
            dereg = legal.get("deregistered_on")
            self._inspections(plan, i, kind, reg_on, dereg, bool(supervisor))
            rating = self._ratings(plan, i, reg_on, dereg)
            self._changes(plan, draft, reg_on)
        plan.row = bulk.org_values(draft, status, None, self.now,
                                   incubation=(str(stage) if stage else None, since),
                                   rating=rating, extra_legal=legal)
        return plan

    def _legal(self, i: int, kind: OrgKind, founded: dt.date
               ) -> tuple[LegalStatus, list[tuple[LegalStatus, LegalStatus, dt.date]]]:
        """The legal moves: 先备案、后登记 for some, deregistration for a few."""
        today = self.today
        u, f, r, d = (LegalStatus.UNREGISTERED, LegalStatus.FILED, LegalStatus.REGISTERED,
                      LegalStatus.DEREGISTERED)
        roll = (i // len(KIND_CYCLE)) % 10
        first = self.day_between(founded + dt.timedelta(days=20), founded + dt.timedelta(days=120))
        if kind is OrgKind.COMMUNITY:
            if roll == 0:
                return u, []
            if roll == 5 and first + dt.timedelta(days=400) < today:
                gone = self.day_between(first + dt.timedelta(days=400), today)
                return d, [(u, f, first), (f, d, gone)]
            return f, [(u, f, first)]
        if roll == 0:
            return u, []
        moves: list[tuple[LegalStatus, LegalStatus, dt.date]] = []
        if roll in (2, 6):  # filed with the street first, registered later
            moves.append((u, f, first))
            first = self.day_between(first + dt.timedelta(days=180),
                                     first + dt.timedelta(days=900))
            moves.append((f, r, min(first, today - dt.timedelta(days=30))))
        else:
            moves.append((u, r, first))
        reg_on = moves[-1][2]
        if roll == 4 and reg_on + dt.timedelta(days=730) < today:
            moves.append((r, d, self.day_between(reg_on + dt.timedelta(days=730), today)))
        return moves[-1][1], moves

    @staticmethod
    def _legal_columns(moves: list[tuple[LegalStatus, LegalStatus, dt.date]]) -> dict:
        data: dict[str, Any] = {}
        for _, to, on in moves:
            data.update({"legal_status": str(to), "legal_since": on})
            key = {LegalStatus.FILED: "filed_on", LegalStatus.REGISTERED: "registered_on",
                   LegalStatus.DEREGISTERED: "deregistered_on"}[to]
            data[key] = on
        return data

    # -- incubation -------------------------------------------------------------------------

    def _incubation(self, plan: _Plan, i: int, stage: IncubationState) -> dt.date:
        rng, today = self.rng, self.today
        steps = PATHS[stage]
        if stage in (IncubationState.APPLIED, IncubationState.UNDER_REVIEW):
            applied = today - dt.timedelta(days=rng.randrange(3, 60))
        elif stage in (IncubationState.ADMITTED, IncubationState.REJECTED):
            applied = today - dt.timedelta(days=rng.randrange(60, 400))
        elif stage is IncubationState.INCUBATING:
            soon = i % 2 == 1
            applied = today - dt.timedelta(days=(rng.randrange(350, 380) if soon
                                                 else rng.randrange(70, 300)))
        else:
            applied = today - dt.timedelta(days=rng.randrange(500, 365 * (YEARS - 1)))
        dates = [applied]
        for step in steps[1:]:
            gap = {"under_review": (7, 20), "admitted": (20, 45), "rejected": (20, 45),
                   "incubating": (5, 20), "graduated": (300, 400), "exited": (60, 250)}[step]
            dates.append(min(dates[-1] + dt.timedelta(days=rng.randrange(*gap)), today))
        previous: str | None = None
        for step, on in zip(steps, dates, strict=True):
            plan.add("org_transition", "incubation", previous, step, on, "", "",
                     self.actor, self.now)
            previous = step
        if len(steps) >= 2:
            self._review(plan, stage, dates[1])
        if "incubating" in steps:
            self._incubated(plan, i, stage, dates[steps.index("incubating")], dates[-1])
        return dates[-1]

    def _review(self, plan: _Plan, stage: IncubationState, start: dt.date) -> None:
        rng = self.rng
        done = stage is not IncubationState.UNDER_REVIEW
        expert_on = start + dt.timedelta(days=7) if done else None
        score = Decimal(rng.randrange(600, 960)) / 10 if done else None
        if stage is IncubationState.REJECTED and score is not None:
            score = Decimal(rng.randrange(450, 590)) / 10
        notice = (start + dt.timedelta(days=10), start + dt.timedelta(days=15)) \
            if done and stage is not IncubationState.REJECTED else (None, None)
        conclusion = ("" if not done else "评审未通过：服务方案尚不成熟，建议半年后再申请"
                      if stage is IncubationState.REJECTED else "同意入驻孵化")
        plan.add("org_review", start, "材料齐全，同意提交专家评审", expert_on, score,
                 "、".join(rng.sample(MENTORS, 3)) if done else "", *notice, conclusion,
                 self.now)

    def _incubated(self, plan: _Plan, i: int, stage: IncubationState, start: dt.date,
                   last: dt.date) -> None:
        rng, today = self.rng, self.today
        end = add_years(start, 1)
        if stage is IncubationState.INCUBATING and i % 2 == 1:
            end = today + dt.timedelta(days=rng.randrange(1, 30))  # ends within 30 days
        elif stage is IncubationState.INCUBATING and end <= today:
            end = today + dt.timedelta(days=rng.randrange(31, 200))
        plan.add("org_agreement", start, end, end, f"孵化基地{rng.randrange(101, 320)}室工位",
                 "", self.now)
        stop = min(end, today) if stage is IncubationState.INCUBATING else last
        plan.add("org_mentor", rng.choice(MENTORS), rng.choice(EXPERTISE), start, stop)
        plan.add("org_service", "space", start, "提供办公工位和会议室", 0)
        if rng.random() < 0.6:
            plan.add("org_service", "registration_help", self.day_between(start, stop),
                     "协助准备登记材料", 0)
        if rng.random() < 0.5:
            plan.add("org_service", "small_grant", self.day_between(start, stop),
                     "社区公益微创投小额资助", rng.choice((5_000, 10_000, 20_000, 50_000)) * 100)
        held = [tid for tid, on in self.trainings if start <= on <= stop]
        for tid in rng.sample(held, min(len(held), rng.randrange(1, 5))):
            plan.add("training_attendance", tid, rng.randrange(1, 4), "")
        middle = start + (stop - start) / 2
        if middle < today and (stop - start).days > 90:
            plan.add("org_evaluation", "periodic", middle, Decimal(rng.randrange(700, 950)) / 10,
                     "孵化基地评估组", "按计划推进")
        if stage in (IncubationState.GRADUATED, IncubationState.EXITED):
            passed = stage is IncubationState.GRADUATED
            plan.add("org_evaluation", "exit", last,
                     Decimal(rng.randrange(800, 980) if passed else rng.randrange(500, 700)) / 10,
                     "第三方评估机构", "达到出壳标准" if passed else "中途退出：骨干流失")
        for item in CHECKLIST[:rng.randrange(2, len(CHECKLIST) + 1)]:
            plan.add("org_checklist_item", item, self.day_between(start, stop), "")

    # -- yearly records ----------------------------------------------------------------------

    def _inspections(self, plan: _Plan, i: int, kind: OrgKind, reg_on: dt.date,
                     dereg: dt.date | None, has_supervisor: bool) -> None:
        rng, today = self.rng, self.today
        years = [y for y in years_due(kind, reg_on, dereg, has_supervisor, today)
                 if y >= today.year - YEARS]
        listed: dt.date | None = None
        for year in years:
            due = inspection_due(kind, reg_on, dereg, has_supervisor, year)
            assert due is not None
            latest = year == today.year - 1
            skip = (latest and i % 4 == 1) or (year == today.year - 2 and i % 9 == 2) \
                or rng.random() < 0.03
            if skip:  # not submitted: due soon before the deadline, overdue after
                if due.deadline < today and listed is None and i % 2 == 0:
                    listed = due.deadline + dt.timedelta(days=rng.randrange(30, 90))
                    if listed <= today:
                        self._credit(plan, i, listed,
                                     f"{year}年度年检未在{fmt_date(due.deadline)}前提交")
                continue
            roll = rng.random()
            result = (InspectionResult.FAIL if roll < 0.05 else InspectionResult.BASIC_PASS
                      if roll < 0.15 else InspectionResult.PASS)
            submitted = due.deadline - dt.timedelta(days=rng.randrange(5, 60))
            if submitted > today:
                submitted = today - dt.timedelta(days=1)
            concluded: dt.date | None = submitted + dt.timedelta(days=rng.randrange(20, 60))
            if concluded is not None and concluded > today:
                concluded, result_value = None, None
            else:
                result_value = str(result)
            plan.add("org_inspection", year,
                     submitted - dt.timedelta(days=30) if due.supervisor_deadline else None,
                     submitted, result_value, concluded, "", self.now)
            if result_value == InspectionResult.FAIL and listed is None and concluded:
                listed = concluded + dt.timedelta(days=15)
                if listed <= today:
                    self._credit(plan, i, listed, f"{year}年度年检结论为不合格")

    def _credit(self, plan: _Plan, i: int, listed: dt.date, reason: str) -> None:
        today = self.today
        removed = None
        if i % 3 == 0:
            removed = self.day_between(listed + dt.timedelta(days=30), today)
        plan.add("org_credit_entry", "abnormal", listed, reason, AUTHORITY, removed,
                 "已补报年检材料并整改，经审核移出" if removed else "")
        if removed is None and add_years(listed, 2) <= today and i % 5 == 0:
            plan.add("org_credit_entry", "serious", add_years(listed, 2),
                     f"自{fmt_date(listed)}列入活动异常名录满两年未改正", AUTHORITY, None, "")

    def _ratings(self, plan: _Plan, i: int, reg_on: dt.date, dereg: dt.date | None
                 ) -> tuple[str, dt.date | None]:
        rng, today = self.rng, self.today
        start = eligible_from(reg_on)
        end = dereg or today
        if start > end or i % 3 != 0:
            return "", None
        expiring = add_years(today, -5) + dt.timedelta(days=rng.randrange(2, 88))
        if i % 2 == 0 and start <= expiring <= end:
            rated = expiring  # valid for fewer than 90 more days
        else:
            rated = self.day_between(start, end)
        grade = rng.choice(list(Rating))
        plan.add("org_rating", str(grade), rated, rating_valid_until(rated),
                 f"{DISTRICT}社会组织评估委员会")
        if dereg is not None:
            return "", None
        return str(grade), rated

    def _changes(self, plan: _Plan, draft: OrgDraft, reg_on: dt.date) -> None:
        rng = self.rng
        if rng.random() > 0.25:
            return
        item, name = rng.choice(CHANGE_ITEMS)
        on = self.day_between(reg_on + dt.timedelta(days=60), self.today)
        before = {"address": f"{draft.street[:-2]}{rng.randrange(300, 500)}号",
                  "legal_representative": rng.choice(SURNAMES) + "国强",
                  "business_scope": "开展社区服务"}[name]
        plan.add("org_change", item, before, getattr(draft, name), on, on)


def _authority(status: LegalStatus, street: str) -> str:
    return f"{street}办事处" if status is LegalStatus.FILED else AUTHORITY


def _insert(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    if is_sqlite():
        rows = [tuple(str(v) if isinstance(v, Decimal) else v for v in r) for r in rows]
        rows = [bulk._for_driver(r) for r in rows]
    bulk_insert(table, columns, rows)


def _trainings(rng: random.Random, today: dt.date) -> list[tuple[int, dt.date]]:
    """The centre's trainings over ten years (eight a year), shared by the organizations;
    those already in the register are reused."""
    found = database.execute_sql("SELECT id, held_on FROM training ORDER BY id").fetchall()
    if found:
        return [(tid, on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)))
                for tid, on in found]
    rows = []
    for year in range(today.year - YEARS, today.year + 1):
        for k in range(8):
            held = dt.date(year, 1 + k * 3 // 2, rng.randrange(1, 28))
            if held <= today:
                rows.append((f"{rng.choice(TRAININGS)}（第{k + 1}期）", held,
                             rng.choice(MENTORS), "孵化基地培训室", 120))
    _insert("training", ("title", "held_on", "trainer", "place", "minutes"), rows)
    return _trainings(rng, today)


DOCUMENTS = (
    ("章程", "章程", "{name}章程\n\n第一章　总则\n\n第一条　本组织名称为{name}。\n"
                   "第二条　本组织是在{district}开展社区服务和公益活动的非营利性社会组织。\n"),
    ("成立大会会议纪要", "会议纪要", "{name}成立大会会议纪要\n\n时间：{founded}\n"
                               "出席：发起人及会员代表\n议题：通过章程，选举理事会和负责人。\n"),
)
DEMO_DOCUMENTS = 10
"""Organizations (spread over the run) that get the DOCUMENTS attached: each file is copied
into the attachments folder and hashed, one transaction each, so a handful, not all."""


def _attach_documents(ids: Sequence[int], state: ProgressState) -> int:
    """Attach the demo documents to DEMO_DOCUMENTS of `ids`; returns the files attached."""
    chosen = list(ids)[::max(1, len(ids) // DEMO_DOCUMENTS)][:DEMO_DOCUMENTS]
    rows = (Organization.select(Organization.id, Organization.name, Organization.founded_on)
            .where(Organization.id.in_(chosen)).order_by(Organization.id))
    attached = 0
    with tempfile.TemporaryDirectory(prefix="yilian-demo-") as folder:
        for org in rows:
            check(state)
            founded = fmt_date(org.founded_on) if org.founded_on else ""
            for title, kind, text in DOCUMENTS:
                path = Path(folder) / f"{title}.txt"
                path.write_text(text.format(name=org.name, district=DISTRICT, founded=founded),
                                encoding="utf-8")
                documents.attach(org.id, path, title=title, kind=kind)
                attached += 1
    return attached


def generate(count: int, seed: int = 1, state: ProgressState | None = None,
             today: dt.date | None = None, batch: int = 2_000) -> DemoResult:
    """Add `count` demo organizations with their history; each batch is one transaction.

    Raises:
        Cancelled: the state asked to stop (the batches written so far stay).
    """
    state = state or NullProgress()
    today = today or dt.date.today()
    rng = random.Random(seed)
    with writing():
        trainings = _trainings(rng, today)
        taken = {c for (c,) in database.execute_sql(
            "SELECT credit_code FROM organization WHERE credit_code IS NOT NULL").fetchall()}
    maker = _Maker(rng, today, taken, trainings)
    done, first, last = 0, 0, 0
    made: list[int] = []
    while done < count:
        check(state)
        size = min(batch, count - done)
        plans = [maker.make(done + k) for k in range(size)]
        with writing():
            ids = bulk.insert_organizations([p.row for p in plans])
            for table, columns in _CHILDREN.items():
                rows = [(oid, *values) for oid, p in zip(ids, plans, strict=True)
                        for values in p.children.get(table, ())]
                if table == "training_attendance":
                    rows = [(r[1], r[0], *r[2:]) for r in rows]
                _insert(table, columns, rows)
            audit.record("demo", "organization", f"{ids[0]}..{ids[-1]}", None,
                         {"count": size, "seed": seed})
        first = first or ids[0]
        last = ids[-1]
        made.extend(ids)
        done += size
        state.set_progress(done, count, "正在生成演示社会组织")
    _attach_documents(made, state)
    return DemoResult(done, first, last)
