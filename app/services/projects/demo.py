"""Demo purchased-service projects, so the projects area, its report and the home page show
something real: every lifecycle state, purchasers, contractors from the organization
register, budgets and contracts, 40/30/30 tranches paid as far as the state allows (never
beyond the contract), budget lines, 8–15 indicators over the three levels, milestones,
evaluations for evaluated and closed projects, and linked activities whose volunteers have
approved hours.

Rows go in through the driver's bulk path, a batch of projects per transaction. The service
records are inserted pending and then approved through `hours.records.approve`, so the
volunteers' totals, the points ledger and the audit trail agree exactly as for real work.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.hours import ActivityStatus, Kind, RecordStatus
from app.domain.orgs.legal_status import LegalStatus
from app.domain.pinyin import name_keys
from app.domain.projects.kinds import IndicatorLevel1, IndicatorLevel2, PurchaseMethod, grade_for
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.volunteer import Status
from app.services.common import audit, numbering
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.projects.registration import PROJECT, format_number, purchaser_id_for
from app.store.db import bulk_insert, tuples, writing
from app.store.models import (
    Activity,
    Organization,
    Project,
    ServiceRecord,
    Tranche,
    Volunteer,
    utcnow,
)

S = ProjectStatus
L1, L2 = IndicatorLevel1, IndicatorLevel2
PURCHASERS = ("历下区民政局", "历下区财政局", "解放路街道办事处", "千佛山街道办事处",
              "历下区残疾人联合会", "历下区卫生健康局", "共青团历下区委员会", "历下区妇女联合会",
              "历下区教育和体育局", "历下区司法局")
SERVICES = (("社区居家养老服务", "辖区60周岁以上老年人", "助老"),
            ("困境儿童关爱服务", "困境儿童及其家庭", "扶弱"),
            ("残疾人康复与就业支持", "持证残疾人", "助残"),
            ("社区心理健康服务", "社区居民", "社区治理"),
            ("青少年成长陪伴", "辖区青少年", "文化"),
            ("垃圾分类宣传督导", "社区居民", "环保"),
            ("社区矫正对象帮教", "社区矫正对象", "帮教"),
            ("邻里互助与社区营造", "社区居民", "社区治理"),
            ("老年助餐服务", "高龄独居老人", "助老"),
            ("应急救护培训", "社区居民与志愿者", "应急救援"))
# (level1, level2, name, unit, target) — the three-level system of DOMAIN.md §7
INDICATORS = (
    (L1.OUTPUT, L2.QUANTITY, "服务人数", "人", "300"),
    (L1.OUTPUT, L2.QUANTITY, "开展活动场次", "场", "24"),
    (L1.OUTPUT, L2.QUANTITY, "入户探访次数", "次", "480"),
    (L1.OUTPUT, L2.QUANTITY, "志愿服务时长", "小时", "1200"),
    (L1.OUTPUT, L2.QUALITY, "服务档案完整率", "%", "≥95"),
    (L1.OUTPUT, L2.QUALITY, "个案结案率", "%", "≥90"),
    (L1.OUTPUT, L2.TIMELINESS, "服务按期完成率", "%", "100"),
    (L1.OUTPUT, L2.TIMELINESS, "问题响应时间", "小时", "≤24"),
    (L1.OUTPUT, L2.COST, "人均服务成本", "元", "≤800"),
    (L1.OUTCOME, L2.SOCIAL, "服务对象生活状况改善率", "%", "≥80"),
    (L1.OUTCOME, L2.SOCIAL, "社区参与度提升", "%", "≥20"),
    (L1.OUTCOME, L2.SUSTAINABILITY, "培育社区骨干", "人", "15"),
    (L1.OUTCOME, L2.SUSTAINABILITY, "形成服务模式或手册", "项", "1"),
    (L1.SATISFACTION, L2.SERVICE_SATISFACTION, "服务对象满意度", "%", "≥90"),
    (L1.SATISFACTION, L2.SERVICE_SATISFACTION, "购买主体满意度", "%", "≥90"),
)
MILESTONES = ("项目启动会", "需求调研与评估", "中期评估", "服务总结", "结项验收")
CONDITIONS = ("合同签订后支付", "中期评估合格后支付", "结项验收合格后支付")
SHARES = (Decimal("40.00"), Decimal("30.00"), Decimal("30.00"))
AREAS = ("全域", "解放路街道", "千佛山街道", "泉城路街道")
LEADS = ("王丽", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "孙婷")
EVALUATORS = ("济南市社会工作评估中心", "山东省社会组织评估院", "历下区公益服务评估所")
PATH = (S.DRAFT, S.PROCUREMENT, S.CONTRACTED, S.IN_SERVICE, S.MID_TERM, S.FINAL_ACCEPTANCE,
        S.EVALUATED, S.CLOSED)
WITH_ACTIVITIES = {S.IN_SERVICE, S.MID_TERM, S.FINAL_ACCEPTANCE, S.EVALUATED, S.CLOSED}
WEIGHTS = ((S.DRAFT, 5), (S.PROCUREMENT, 6), (S.CONTRACTED, 8), (S.IN_SERVICE, 25),
           (S.MID_TERM, 10), (S.FINAL_ACCEPTANCE, 8), (S.EVALUATED, 8), (S.CLOSED, 25),
           (S.TERMINATED, 5))
DEMO_ORGS = 40  # made first when the register has no organizations
DEMO_VOLUNTEERS = 300  # made first when it has no active volunteers


Step = tuple[ProjectStatus | None, ProjectStatus, dt.date]  # (from, to, on) of one move


@dataclass(frozen=True)
class DemoResult:
    projects: int
    first_number: str
    last_number: str
    activities: int
    records: int
    minutes: int


@dataclass
class _Plan:
    """One project's row and its children, before the project has an id."""

    row: dict[str, Any]
    path: list[Step]
    children: dict[str, list[tuple]] = field(default_factory=dict)
    activities: list[tuple[str, dt.datetime, int]] = field(default_factory=list)

    def add(self, table: str, *values: Any) -> None:
        self.children.setdefault(table, []).append(values)


_CHILDREN = {
    "project_transition": ("project_id", "from_state", "to_state", "\"on\"", "note", "actor", "at"),
    "tranche": ("project_id", "seq", "planned_fen", "share", "condition", "due_on"),
    "budget_line": ("project_id", "source", "initial_fen", "adjusted_fen", "executed_fen",
                    "weight", "score", "reason"),
    "indicator": ("project_id", "seq", "level1", "level2", "name", "unit", "target", "actual",
                  "weight", "score", "deviation"),
    "milestone": ("project_id", "name", "due_on", "done_on", "note"),
    "project_evaluation": ("project_id", "kind", "evaluator", "score", "grade", "\"on\"",
                           "conclusion", "problems", "suggestions", "remarks"),
}
PROJECT_COLUMNS = ("number", "name", "name_initials", "name_pinyin", "purchaser_id",
                   "contractor_id", "contractor_warning", "method", "budget_fen",
                   "contract_amount_fen", "paid_fen", "signed_on", "starts_on", "ends_on",
                   "service_area", "target_group", "content", "lead", "finance_lead",
                   "evaluator", "status", "status_since", "remarks", "created_at",
                   "updated_at", "version")


class _Maker:
    def __init__(self, rng: random.Random, today: dt.date, purchasers: list[int],
                 contractors: list[tuple[int, str]]) -> None:
        self.rng, self.today = rng, today
        self.purchasers, self.contractors = purchasers, contractors
        self.now = utcnow()

    def state(self, i: int) -> ProjectStatus:
        if i < len(WEIGHTS):  # every state at least once
            return WEIGHTS[i][0]
        return self.rng.choices([s for s, _ in WEIGHTS], [w for _, w in WEIGHTS])[0]

    def _dates(self, state: ProjectStatus) -> tuple[dt.date, dt.date]:
        """(service start, service end) placed so the state fits today."""
        rng, today = self.rng, self.today
        days = rng.choice((180, 270, 365, 365, 365))
        offset = {S.DRAFT: rng.randint(60, 150), S.PROCUREMENT: rng.randint(20, 90),
                  S.CONTRACTED: rng.randint(1, 30), S.IN_SERVICE: -rng.randint(20, days // 2),
                  S.MID_TERM: -(days // 2 + rng.randint(0, 20)),
                  S.FINAL_ACCEPTANCE: -(days + rng.randint(1, 30)),
                  S.EVALUATED: -(days + rng.randint(30, 90)),
                  S.CLOSED: -(days + rng.randint(60, 1000)),
                  S.TERMINATED: -rng.randint(30, days + 300)}[state]
        start = today + dt.timedelta(days=offset)
        return start, start + dt.timedelta(days=days - 1)

    def make(self, i: int) -> _Plan:
        rng, today = self.rng, self.today
        state = self.state(i)
        service, group, category = rng.choice(SERVICES)
        contractor_id, contractor = rng.choice(self.contractors)
        start, end = self._dates(state)
        budget = rng.randrange(50, 801) * 1000_00
        stop = rng.choice(PATH[:5]) if state == S.TERMINATED else None
        contracted = (state not in (S.DRAFT, S.PROCUREMENT) if stop is None
                      else PATH.index(stop) >= PATH.index(S.CONTRACTED))
        amount = budget - rng.randrange(0, budget // 10 // 100_00 + 1) * 100_00 \
            if contracted else None
        signed = start - dt.timedelta(days=rng.randint(5, 20)) if contracted else None
        path = self._path(state, start, end, signed, stop)
        row = {
            "purchaser_id": rng.choice(self.purchasers), "contractor_id": contractor_id,
            "contractor_warning": "", "method": str(rng.choice(list(PurchaseMethod))),
            "budget_fen": budget, "contract_amount_fen": amount, "paid_fen": 0,
            "signed_on": signed, "starts_on": start, "ends_on": end,
            "service_area": "历下区" + rng.choice(AREAS),
            "target_group": group,
            "content": f"面向{group}开展{service}，包括需求评估、个案服务、小组活动和社区活动。",
            "lead": rng.choice(LEADS), "finance_lead": rng.choice(LEADS),
            "evaluator": rng.choice(EVALUATORS) if state in (S.EVALUATED, S.CLOSED) else "",
            "status": str(state), "status_since": path[-1][2], "remarks": "演示数据",
            "created_at": self.now, "updated_at": self.now, "version": 1,
            "_year": path[0][2].year}
        # Named as purchasers name them: year, district and street, service (the
        # contractor's name cut short read as nonsense: 历下区和美发社区居家养老…).
        area = str(row["service_area"])
        street = "" if area == "历下区全域" else area.removeprefix("历下区")
        name = f"{start.year}年历下区{street}{service}项目"
        initials, full = name_keys(name)
        row.update(name=name, name_initials=initials, name_pinyin=full.replace(" ", ""))
        plan = _Plan(row, path)
        for frm, to, on in path:
            plan.add("project_transition", None if frm is None else str(frm), str(to), on,
                     "", "演示数据", self.now)
        reached = {to for _f, to, _on in path}
        if amount is not None and signed is not None:
            self._money(plan, state, reached, amount, signed, start, end)
        self._budget(plan, budget, amount or 0, state)
        self._indicators(plan, reached)
        self._milestones(plan, start, end, reached)
        self._evaluations(plan, reached, start, end)
        if state in WITH_ACTIVITIES or (state == S.TERMINATED and S.IN_SERVICE in reached):
            last = min(end, today - dt.timedelta(days=1))
            for k in range(rng.randint(1, 3)):
                span = max(1, (last - start).days)
                day = start + dt.timedelta(days=rng.randrange(span))
                at = dt.datetime.combine(day, dt.time(rng.choice((9, 14)), 0))
                plan.activities.append((f"{service}·第{k + 1}场", at, rng.randint(5, 15)))
        plan.row["_category"] = category
        plan.row["_contractor"] = contractor
        return plan

    def _path(self, state: ProjectStatus, start: dt.date, end: dt.date,
              signed: dt.date | None, stop: ProjectStatus | None) -> list[Step]:
        today = self.today
        created = min(start, signed or start) - dt.timedelta(days=self.rng.randint(30, 60))
        created = min(created, today)
        when = {S.DRAFT: created, S.PROCUREMENT: created + dt.timedelta(days=7),
                S.CONTRACTED: signed or created, S.IN_SERVICE: start,
                S.MID_TERM: start + (end - start) / 2, S.FINAL_ACCEPTANCE: end,
                S.EVALUATED: end + dt.timedelta(days=25), S.CLOSED: end + dt.timedelta(days=50)}
        if stop is not None:
            steps = list(PATH[:PATH.index(stop) + 1])
        else:
            steps = list(PATH[:PATH.index(state) + 1])
        out: list[Step] = []
        previous: ProjectStatus | None = None
        for step in steps:
            if step == S.MID_TERM and state not in (S.MID_TERM, S.TERMINATED) \
                    and self.rng.random() < 0.2:
                continue  # short projects skip the mid-term review
            on = min(when[step], today)
            if out:
                on = max(on, out[-1][2])
            out.append((previous, step, on))
            previous = step
        if state == S.TERMINATED:
            on = min(max(out[-1][2] + dt.timedelta(days=20), out[-1][2]), today)
            out.append((previous, S.TERMINATED, on))
        return out

    def _money(self, plan: _Plan, state: ProjectStatus, reached: set[ProjectStatus],
               amount: int, signed: dt.date, start: dt.date, end: dt.date) -> None:
        first = amount * 40 // 100
        second = amount * 30 // 100
        planned = (first, second, amount - first - second)
        dues = (signed + dt.timedelta(days=15), start + (end - start) / 2 + dt.timedelta(days=15),
                end + dt.timedelta(days=30))
        # how many tranches the state has earned, paid in full
        paid_count = {S.CONTRACTED: self.rng.choice((0, 1)), S.IN_SERVICE: 1,
                      S.MID_TERM: self.rng.choice((1, 2)), S.FINAL_ACCEPTANCE: 2,
                      S.EVALUATED: self.rng.choice((2, 3)), S.CLOSED: 3,
                      S.TERMINATED: 1 if S.IN_SERVICE in reached else 0}[state]
        paid_total = 0
        for seq, (fen, share, cond, due) in enumerate(
                zip(planned, SHARES, CONDITIONS, dues, strict=True), start=1):
            plan.add("tranche", seq, fen, share, cond, due)
            if seq <= paid_count:
                on = min(due + dt.timedelta(days=self.rng.randint(0, 10)), self.today)
                plan.add("payment", seq, on, fen, CONDITIONS[seq - 1], "演示数据", self.now)
                paid_total += fen
        plan.row["paid_fen"] = paid_total

    def _budget(self, plan: _Plan, budget: int, amount: int, state: ProjectStatus) -> None:
        own = budget // 10 if self.rng.random() < 0.5 else 0
        done = state in (S.EVALUATED, S.CLOSED)
        executed = plan.row["paid_fen"]
        for source, initial, spent, weight in (
                ("fiscal", budget, executed, Decimal("10.00")),
                ("own", own, own * executed // max(amount, 1), Decimal("5.00")),
                ("other", 0, 0, Decimal("0.00"))):
            if source == "other" and not done:
                continue
            score = (weight * Decimal(spent) / Decimal(initial)).quantize(Decimal("0.01")) \
                if done and initial else None
            plan.add("budget_line", source, initial, initial, spent, weight, score,
                     "" if not done or spent >= initial else "部分活动以志愿服务形式开展，节约资金")

    def _indicators(self, plan: _Plan, reached: set[ProjectStatus]) -> None:
        rng = self.rng
        count = rng.randint(8, 15)
        # one of each first level, then the rest at random, kept in the table's order
        picks = {0, 9, 13} | set(rng.sample(range(len(INDICATORS)), count - 3))
        while len(picks) < count:
            picks.add(rng.randrange(len(INDICATORS)))
        chosen = sorted(picks)[:count]
        share = (Decimal("85") / len(chosen)).quantize(Decimal("0.01"))
        measured = S.FINAL_ACCEPTANCE in reached
        for seq, k in enumerate(chosen, start=1):
            # The last indicator takes the rounding, so indicators and budget make exactly 100.
            weight = share if seq < len(chosen) else Decimal("85") - share * (len(chosen) - 1)
            level1, level2, name, unit, target = INDICATORS[k]
            actual, score, deviation = "", None, ""
            if measured:
                ratio = rng.uniform(0.85, 1.15)
                digits = "".join(ch for ch in target if ch.isdigit())
                actual = str(round(int(digits) * ratio)) if digits else target
                score = (weight * Decimal(str(min(ratio, 1.0)))).quantize(Decimal("0.01"))
                if ratio < 1:
                    deviation = "部分服务对象外出或住院，服务次数未达预期；下一周期提前排期。"
            plan.add("indicator", seq, str(level1), str(level2), name, unit, target, actual,
                     weight, score, deviation)

    def _milestones(self, plan: _Plan, start: dt.date, end: dt.date,
                    reached: set[ProjectStatus]) -> None:
        span = (end - start).days
        for k, name in enumerate(MILESTONES):
            due = start + dt.timedelta(days=span * k // (len(MILESTONES) - 1))
            done = due + dt.timedelta(days=self.rng.randint(-3, 7))
            finished = (S.CLOSED in reached or S.EVALUATED in reached
                        or (S.IN_SERVICE in reached and done < self.today and k < 4))
            plan.add("milestone", name, due, done if finished and done <= self.today else None,
                     "")

    def _evaluations(self, plan: _Plan, reached: set[ProjectStatus], start: dt.date,
                     end: dt.date) -> None:
        rng = self.rng
        if S.MID_TERM in reached:
            on = min(start + (end - start) / 2 + dt.timedelta(days=10), self.today)
            score = Decimal(rng.randint(70, 95))
            plan.add("project_evaluation", "mid_term", rng.choice(EVALUATORS), score,
                     str(grade_for(float(score))), on, "项目按计划推进，阶段目标基本完成。",
                     "服务记录不够及时。", "加强过程记录，按月报送服务台账。", "")
        if S.EVALUATED in reached:
            on = min(end + dt.timedelta(days=20), self.today)
            score = Decimal(rng.randint(62, 97)) + Decimal(rng.choice((0, 5))) / 10
            grade = grade_for(float(score))
            plan.add("project_evaluation", "final", plan.row["evaluator"] or EVALUATORS[0],
                     score, str(grade), on, f"项目综合得分{score}分，评价等级为{grade.label}。",
                     "个别指标未完全达成。", "总结服务模式，扩大覆盖面。", "")


def _ensure_people(seed: int, state: ProgressState, today: dt.date) -> None:
    """Organizations to contract and volunteers to serve, made first if there are none."""
    if not Organization.select().exists():
        from app.services.orgs import demo as org_demo

        org_demo.generate(DEMO_ORGS, seed=seed, state=state, today=today)
    if not Volunteer.select().where(Volunteer.status == str(Status.ACTIVE)).exists():
        from app.services.volunteers import demo as volunteer_demo

        volunteer_demo.generate(DEMO_VOLUNTEERS, seed=seed, state=state, today=today)


def _contractors() -> list[tuple[int, str]]:
    rows = tuples(Organization.select(Organization.id, Organization.name)
                  .where(Organization.legal_status == str(LegalStatus.REGISTERED))
                  .order_by(Organization.id))
    return [(int(i), str(n)) for i, n in rows] or [
        (int(i), str(n)) for i, n in tuples(Organization.select(
            Organization.id, Organization.name).order_by(Organization.id))]


def _insert(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if rows:
        bulk_insert(table, columns, rows)


def _write(plans: list[_Plan], rng: random.Random, volunteers: list[int],
           taken: set[tuple[int, dt.datetime]]) -> tuple[list[int], list[str], int]:
    """One batch in the caller's transaction: projects, children, activities and pending
    records. Returns (record ids, numbers, activities)."""
    for year in sorted({p.row["_year"] for p in plans}):
        mine = [p for p in plans if p.row["_year"] == year]
        first = numbering.reserve(f"{PROJECT}-{year}", len(mine))
        for k, plan in enumerate(mine):
            plan.row["number"] = format_number(year, first + k)
    _insert("project", PROJECT_COLUMNS, [tuple(p.row[c] for c in PROJECT_COLUMNS)
                                         for p in plans])
    numbers = [p.row["number"] for p in plans]
    id_of = dict(tuples(Project.select(Project.number, Project.id)
                        .where(Project.number.in_(numbers))))
    for table, columns in _CHILDREN.items():
        _insert(table, columns, [(id_of[p.row["number"]], *values) for p in plans
                                 for values in p.children.get(table, ())])
    tranche_of = {(int(p), int(q)): int(t) for t, p, q in tuples(
        Tranche.select(Tranche.id, Tranche.project, Tranche.seq)
        .where(Tranche.project.in_(list(id_of.values()))))}
    _insert("payment", ("project_id", "tranche_id", "paid_on", "amount_fen", "note", "actor",
                        "at"),
            [(id_of[p.row["number"]], tranche_of[(id_of[p.row["number"]], seq)], *rest)
             for p in plans for seq, *rest in p.children.get("payment", ())])
    now = utcnow()
    activity_rows = []
    for p in plans:
        pid = id_of[p.row["number"]]
        for name, at, _people in p.activities:
            activity_rows.append((name, p.row["_contractor"], p.row["service_area"], at,
                                  at + dt.timedelta(hours=3), p.row["_category"], 30, pid,
                                  p.row["contractor_id"], str(ActivityStatus.CLOSED), now, 1))
    _insert("activity", ("name", "organizer", "place", "starts_at", "ends_at", "category",
                         "capacity", "project_id", "org_id", "status", "created_at", "version"),
            activity_rows)
    acts = tuples(Activity.select(Activity.id, Activity.project_id, Activity.starts_at)
                  .where(Activity.project_id.in_(list(id_of.values())))
                  .order_by(Activity.id))
    wanted = {(id_of[p.row["number"]], at): people for p in plans
              for _n, at, people in p.activities}
    records = []
    for aid, pid, raw_start in acts:
        starts = (dt.datetime.fromisoformat(raw_start) if isinstance(raw_start, str)
                  else raw_start)
        people = wanted.get((pid, starts), 0)
        for vid in rng.sample(volunteers, min(people, len(volunteers))):
            if (vid, starts) in taken:
                continue  # one volunteer, one activity at a time
            taken.add((vid, starts))
            minutes = rng.choice((120, 150, 165, 180))
            records.append((vid, aid, str(Kind.SCANNED), str(RecordStatus.PENDING), starts,
                            starts + dt.timedelta(minutes=minutes), minutes, "", "", "",
                            "演示数据", "", now, 1))
    first_id = (ServiceRecord.select(ServiceRecord.id).order_by(ServiceRecord.id.desc())
                .scalar() or 0)
    _insert("service_record", ("volunteer_id", "activity_id", "kind", "status", "started_at",
                               "ended_at", "minutes", "content", "flags", "reason",
                               "recorded_by", "decided_by", "created_at", "version"), records)
    ids = [int(r) for (r,) in tuples(ServiceRecord.select(ServiceRecord.id).where(
        (ServiceRecord.id > first_id) & (ServiceRecord.recorded_by == "演示数据")))]
    audit.record("demo", PROJECT, f"{numbers[0]}..{numbers[-1]}", None,
                 {"count": len(plans), "activities": len(activity_rows),
                  "records": len(records)})
    return ids, numbers, len(activity_rows)


def generate(count: int, seed: int = 1, state: ProgressState | None = None,
             today: dt.date | None = None, batch: int = 500) -> DemoResult:
    """Add `count` demo projects with their money, indicators and hours.

    Each batch of projects is one transaction, then its records are approved in another
    (`hours.records.approve`). Raises Cancelled when the state asks to stop (the batches
    written so far stay).
    """
    from app.services.hours import records as service_records

    state = state or NullProgress()
    today = today or dt.date.today()
    rng = random.Random(seed)
    _ensure_people(seed, state, today)
    with writing():
        purchasers = [purchaser_id_for(name) for name in PURCHASERS]
    contractors = _contractors()
    volunteers = [int(v) for (v,) in tuples(Volunteer.select(Volunteer.id).where(
        Volunteer.status == str(Status.ACTIVE)).order_by(Volunteer.id))]
    maker = _Maker(rng, today, purchasers, contractors)
    taken: set[tuple[int, dt.datetime]] = set()
    done = activities = records = minutes = 0
    first = last = ""
    while done < count:
        check(state)
        size = min(batch, count - done)
        plans = [maker.make(done + k) for k in range(size)]
        with writing():
            ids, numbers, made = _write(plans, rng, volunteers, taken)
        approved = service_records.approve(ids, decided_by="演示数据")
        activities += made
        records += approved.approved
        minutes += approved.minutes
        first = min([first, *numbers]) if first else min(numbers)
        last = max([last, *numbers])
        done += size
        state.set_progress(done, count, "正在生成演示项目")
    return DemoResult(done, first, last, activities, records, minutes)
