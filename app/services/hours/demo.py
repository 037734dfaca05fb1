"""Demo service hours, so the 服务时长, 审核, 统计, shop and cards screens of a demo register
show a year of real-looking work: activities over the past twelve months, kiosk scans and
manual entries, most approved with their points, the last weeks still pending (some flagged:
short stays, forgotten check-outs), a few rejected, one reversed; shop goods received and
redeemed, cards for a few hundred volunteers and a couple of certificates.

Everything goes through the hours, points, shop, cards and certificate services, so the
volunteers' totals, the points ledger, the monthly roll-up, stock and the audit trail agree
exactly as for real work. The whole part is one transaction (the services' own are
savepoints inside it): a few seconds for the first-start register of 1,000 volunteers.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from app.domain import hours as rules
from app.domain.errors import ValidationError
from app.domain.hours import ActivityDraft, Flag, Kind, RecordStatus
from app.domain.volunteer import Status
from app.services.cards import issuing as cards
from app.services.common import audit
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.hours import activities, certificates
from app.services.hours import records as service_records
from app.services.points import shop
from app.services.volunteers.demo import areas
from app.store.db import bulk_insert, tuples, writing
from app.store.models import ServiceRecord, Volunteer, utcnow

ACTIVITIES = 40           # over the past year, about one a week at the busy times
PENDING_DAYS = 21         # activities this recent are not yet reviewed
LIVE = 4                  # the latest activities are scanned one by one through the kiosk's path
CARDS = 300               # volunteers given a card
CORE = 120                # regulars who come to most activities (for stars and certificates)
DEMO_BY = "演示数据"
KINDS = (  # (name, category, hours)
    ("敬老院陪伴助老", "助老", 3), ("社区环境清洁", "环保", 2),
    ("文明交通劝导", "文明劝导", 2), ("四点半课堂作业辅导", "文化", 2),
    ("助残康复陪护", "助残", 3), ("垃圾分类宣传督导", "环保", 2),
    ("应急救护培训与演练", "应急救援", 4), ("社区义诊服务", "助老", 3),
    ("邻里议事协助", "社区治理", 2), ("困境儿童关爱探访", "扶弱", 3),
    ("图书角整理与阅读推广", "文化", 2), ("独居老人入户探访", "助老", 2),
)
ORGANIZERS = ("历下区志愿者协会", "历下区社会组织孵化中心", "解放路街道社工站", "千佛山街道办事处",
              "泉城路阳光社会工作服务中心")
GOODS = (("毛巾", 3, "条"), ("洗衣液", 6, "瓶"), ("食用油", 10, "桶"), ("大米（5公斤）", 15, "袋"),
         ("雨伞", 8, "把"), ("保温杯", 12, "个"), ("志愿者马甲", 5, "件"), ("笔记本", 2, "本"))
RECORD_COLUMNS = ("volunteer_id", "activity_id", "kind", "status", "started_at", "ended_at",
                  "minutes", "content", "flags", "reason", "recorded_by", "decided_by",
                  "created_at", "version")
MANUAL_NOTES = ("忘带志愿者证，现场负责人确认", "扫码机故障，按签到表补录",
                "外出服务点位，负责人确认")


@dataclass(frozen=True)
class HoursDemoResult:
    activities: int
    records: int
    pending: int
    approved: int
    rejected: int
    redemptions: int
    cards: int
    certificates: int


def _activity_starts(rng: random.Random, now: dt.datetime) -> list[dt.datetime]:
    """When each past activity began, oldest first, days apart (so none overlap)."""
    out = []
    for i in range(ACTIVITIES):
        days_ago = 362 - i * 9 - rng.randrange(0, 4)
        day = (now - dt.timedelta(days=max(days_ago, 2))).date()
        out.append(dt.datetime.combine(day, dt.time(rng.choice((9, 14)))))
    return out


def generate(seed: int = 1, state: ProgressState | None = None,
             now: dt.datetime | None = None) -> HoursDemoResult:
    """Add a year of demo hours for the register's active volunteers (none: nothing)."""
    state = state or NullProgress()
    now = (now or service_records.local_now()).replace(microsecond=0)
    rng = random.Random(seed)
    with writing():
        people = [int(v) for (v,) in tuples(Volunteer.select(Volunteer.id).where(
            Volunteer.status == str(Status.ACTIVE)).order_by(Volunteer.id))]
        if not people:
            return HoursDemoResult(0, 0, 0, 0, 0, 0, 0, 0)
        core = people[:min(CORE, len(people))]
        places = [f"{community}活动室" for _d, _s, community in areas()]
        made: list[tuple[int, dt.datetime]] = []
        for k, start in enumerate(_activity_starts(rng, now)):
            check(state)
            name, category, hours = KINDS[k % len(KINDS)]
            capacity = rng.choice((30, 40, 50))
            act = activities.create(ActivityDraft(
                name=name, starts_at=start, ends_at=start + dt.timedelta(hours=hours),
                organizer=rng.choice(ORGANIZERS), place=rng.choice(places), category=category,
                capacity=capacity))
            _attend(rng, act.id, act.starts_at, act.ends_at, capacity, core, people, now,
                    live=k >= ACTIVITIES - LIVE)
            made.append((act.id, act.ends_at))
            state.set_progress(k + 1, ACTIVITIES + 3, "正在生成演示服务时长")
        service_records.close_forgotten(now)  # forgotten check-outs: flagged auto_checkout
        upcoming = (now + dt.timedelta(days=7)).replace(hour=9, minute=0, second=0)
        activities.create(ActivityDraft(
            name="社区志愿服务日", starts_at=upcoming, ends_at=upcoming + dt.timedelta(hours=3),
            organizer=ORGANIZERS[1], place=places[0], category="社区治理", capacity=60))
        reviewed_before = now - dt.timedelta(days=PENDING_DAYS)
        for aid, ends in made:
            if ends < reviewed_before:
                activities.close(aid, now)
        approved, rejected = _review(rng, reviewed_before)
        state.set_progress(ACTIVITIES + 1, ACTIVITIES + 3, "正在生成演示积分兑换")
        redeemed = _shop(rng, core)
        issued = cards.ensure_cards(people[:CARDS], issued_by=DEMO_BY)
        state.set_progress(ACTIVITIES + 2, ACTIVITIES + 3, "正在生成演示证件")
        certified = _certificates(core, now.date())
        pending = service_records.count_pending()
        records = ServiceRecord.select().count()
    state.set_progress(ACTIVITIES + 3, ACTIVITIES + 3, "正在生成演示服务时长")
    return HoursDemoResult(len(made) + 1, records, pending, approved, rejected, redeemed,
                           issued, certified)


def _attend(rng: random.Random, activity_id: int, starts: dt.datetime, ends: dt.datetime,
            capacity: int, core: list[int], people: list[int], now: dt.datetime,
            live: bool) -> None:
    """Kiosk scans for the people who came, and a manual entry or two.

    `live`: scan through `record_scan` as the kiosk does. Older activities write the same
    outcome (the domain's counting rules, pending) by the bulk path, since a year of scans one
    by one would take seconds; `approve` then moves totals, points and the roll-up alike.
    """
    wanted = rng.randint(capacity // 2, capacity - 3)
    came = set(rng.sample(core, min(len(core), wanted * 3 // 5)))
    while len(came) < min(wanted, len(people)):
        came.add(rng.choice(people))
    length = ends - starts
    manual = set(rng.sample(sorted(came), min(len(came), rng.randint(0, 2))))
    policy = service_records.hours_policy()
    created = utcnow()
    rows = []
    for vid in sorted(came - manual):
        check_in = starts - dt.timedelta(minutes=rng.randint(0, 20))
        roll = rng.random()
        out: dt.datetime | None = None
        if roll >= 0.05:  # below: forgot to scan out, closed at the end and flagged
            out = (starts + length * rng.uniform(0.1, 0.45) if roll < 0.10  # left early
                   else ends + dt.timedelta(minutes=rng.randint(-10, 15)))
            out = out.replace(microsecond=0)
        if live:
            service_records.record_scan(vid, activity_id, check_in, station="一号机")
            if out is not None:
                service_records.record_scan(vid, activity_id, out, station="一号机")
            continue
        counted = rules.count_scanned(check_in, out or ends, starts, ends, 0, policy,
                                      auto=out is None)
        rows.append((vid, activity_id, str(Kind.SCANNED), str(RecordStatus.PENDING), check_in,
                     out or ends, counted.minutes, "", ",".join(counted.flags), "", DEMO_BY,
                     "", created, 1))
    if rows:
        bulk_insert("service_record", RECORD_COLUMNS, rows)
        audit.record("demo", "service_record", f"activity {activity_id}", None,
                     {"records": len(rows)})
    for vid in sorted(manual):
        begin = starts + dt.timedelta(minutes=rng.choice((0, 0, 15, 30)))
        service_records.add_manual(vid, activity_id, begin, ends, rng.choice(MANUAL_NOTES),
                                   recorded_by=DEMO_BY, now=now)


def _review(rng: random.Random, before: dt.datetime) -> tuple[int, int]:
    """Staff's decisions on everything older than the last weeks: short stays and a few
    manual entries rejected, the rest approved (with their points); one record reversed."""
    rows = tuples(ServiceRecord.select(ServiceRecord.id, ServiceRecord.kind,
                                       ServiceRecord.flags)
                  .where((ServiceRecord.status == RecordStatus.PENDING)
                         & (ServiceRecord.started_at < before))
                  .order_by(ServiceRecord.id))
    short = [rid for rid, _kind, flags in rows if Flag.SHORT_STAY in flags.split(",")]
    doubtful = [rid for rid, kind, _flags in rows if kind == Kind.MANUAL and rng.random() < 0.2]
    rejected = service_records.reject(short, "在场时间不足活动时长的规定比例，经核实不计时长",
                                      decided_by=DEMO_BY)
    rejected += service_records.reject(doubtful, "签到表上无此人，经负责人核实未参加",
                                       decided_by=DEMO_BY)
    chosen = set(short) | set(doubtful)
    result = service_records.approve([rid for rid, _k, _f in rows if rid not in chosen],
                                     decided_by=DEMO_BY)
    first = (ServiceRecord.select(ServiceRecord.id)
             .where((ServiceRecord.status == RecordStatus.APPROVED) & (ServiceRecord.minutes > 0))
             .order_by(ServiceRecord.id).scalar())
    if first is not None:
        service_records.reverse(int(first), "同一活动重复登记，冲正一条", decided_by=DEMO_BY)
    return result.approved, rejected


def _shop(rng: random.Random, core: list[int]) -> int:
    """Goods received into the charity shop and a few redemptions by the regulars."""
    goods = []
    for name, price, unit in GOODS:
        good = shop.create_good(name, price, unit)
        shop.receive(good.id, rng.choice((20, 30, 50, 100)), "爱心企业捐赠")
        goods.append(good)
    made = 0
    for vid in rng.sample(core, min(len(core), 40)):
        balance = int(Volunteer.select(Volunteer.points_balance)
                      .where(Volunteer.id == vid).scalar() or 0)
        affordable = [g for g in goods if g.points_price <= balance]
        if not affordable:
            continue
        good = rng.choice(affordable)
        try:
            shop.redeem(vid, [(good.id, 1)], actor=DEMO_BY)
        except ValidationError:
            continue  # out of stock or below the minimum hours: not a demo's concern
        made += 1
    return made


def _certificates(core: list[int], today: dt.date) -> int:
    """Certificates for the two regulars with the most approved hours."""
    best = [int(v) for (v,) in tuples(
        Volunteer.select(Volunteer.id).where(Volunteer.id.in_(core) & (
            Volunteer.approved_minutes > 0))
        .order_by(Volunteer.approved_minutes.desc(), Volunteer.id).limit(2))]
    for vid in best:
        certificates.issue(vid, today - dt.timedelta(days=365), today, today=today)
    return len(best)
