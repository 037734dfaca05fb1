"""The annual work report (年度工作报告书) of an organization, filled from the register.

`data_for` gathers `reports.annual_report.AnnualReportData` for one organization and year;
`render_batch` prints a folder of them. Gathering is set-based: one query per table for a
whole chunk of organizations (`_gather`), so a batch of a thousand costs a few dozen queries,
not fifteen per organization; the single report goes through the same path with one id.

What comes from where:

* registration data: the `organization` row (a 社区社会组织 prints the 社会团体 layout);
* changes: `org_change` rows dated in the year;
* staff, members, meetings, finance, overview, remarks: `org_year_figures` for the year, as
  staff entered them (the JSON formats are under `_meetings` and `_finance`; an empty or
  unreadable finance prints the statements as ruled blanks);
* activities: `activity` rows the organization held that started in the year (not cancelled),
  with their volunteers and hours: approved service records, reversals netted out;
* incubation: the stage at the year's end (from the transitions), the agreement, mentors,
  trainings attended, services and evaluations of the year;
* inspections: every `org_inspection` up to the year, plus 未参检 for an owed year with no row
  whose deadline has passed; rating and credit-list entries as of the year's end;
* projects: none yet (`_projects` is the hook the government-purchase issue fills).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee as pw

from app.domain.errors import NotFoundError, ValidationError
from app.domain.hours import ActivityStatus, Kind, RecordStatus
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.inspection import inspection_due
from app.domain.orgs.kinds import (
    CreditListKind,
    InspectionResult,
    OrgKind,
    PneForm,
    Rating,
    ServiceField,
)
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.rating import rating_valid_until
from app.services.common import progress
from app.services.common.progress import NullProgress, ProgressState
from app.store.db import tuples
from app.store.models import (
    Activity,
    OrgAgreement,
    Organization,
    OrgChange,
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
from reports import annual_report as rpt

CHUNK = 500                 # organizations gathered per round of queries (IN lists stay small)
FIRST_YEAR = 1950
_KIND = {
    OrgKind.SOCIAL_GROUP: rpt.OrgKind.SOCIAL_GROUP,
    OrgKind.PRIVATE_NON_ENTERPRISE: rpt.OrgKind.PRIVATE_NON_ENTERPRISE,
    OrgKind.FOUNDATION: rpt.OrgKind.FOUNDATION,
    OrgKind.COMMUNITY: rpt.OrgKind.COMMUNITY,
}
SERVICE_LABELS = {"space": "办公场地", "registration_help": "登记协助", "small_grant": "小额资助",
                  "other": "其他服务"}
EVALUATION_LABELS = {"periodic": "阶段评估", "exit": "出壳评估"}
NOT_INSPECTED = "未参检"
UNDER_REVIEW = "审查中"
DEFAULT_ACTIVITY_KIND = "志愿服务"


@dataclass(frozen=True)
class BatchResult:
    """What a batch wrote: the count, why others were left out, and where."""

    written: int
    skipped: tuple[str, ...]
    folder: Path


# --- public API -----------------------------------------------------------------------------


def check_year(year: int, today: dt.date | None = None) -> None:
    """A report year is a past or the current calendar year.

    Raises:
        ValidationError: on `year`.
    """
    today = today or dt.date.today()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError("year", f"报告年度应在{FIRST_YEAR}年至{today.year}年之间，"
                                      f"不能是{year}年")


def data_for(org_id: int, year: int, today: dt.date | None = None) -> rpt.AnnualReportData:
    """Everything printed in the organization's report for `year`, dated `today`.

    Raises:
        NotFoundError: no such organization.
        ValidationError: the year is out of range.
    """
    today = today or dt.date.today()
    check_year(year, today)
    found = _gather([org_id], year, today)
    if org_id not in found:
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return found[org_id]


def render(org_id: int, year: int) -> bytes:
    """The report as PDF bytes (raises as `data_for`)."""
    return rpt.render_annual_report(data_for(org_id, year))


def batch_ids(year: int) -> list[int]:
    """Organizations that owe a report for `year`: registered or filed by the year's end and
    not deregistered before it began (this covers every one that owes an inspection for the
    year, and the filed community organizations the centre reports on), by credit code."""
    return [oid for (oid,) in tuples(
        Organization.select(Organization.id).where(_reportable(year))
        .order_by(Organization.credit_code, Organization.name_pinyin, Organization.id))]


def file_name(code: str, org_id: int, name: str, year: int) -> str:
    """`<code or id>-<name>-<year>年度报告.pdf`, safe on Windows, macOS and Linux."""
    clean = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .") or "组织"
    return f"{code or org_id}-{clean[:60]}-{year}年度报告.pdf"


def render_batch(year: int, out_dir: Path, org_ids: list[int] | None = None,
                 state: ProgressState | None = None) -> BatchResult:
    """One PDF per organization into `out_dir` (created if missing).

    `org_ids` None means `batch_ids(year)`; given ids that are unknown, or whose organization
    was neither registered nor filed during the year, are skipped with a reason. Each file is
    written beside its name and renamed into place, so a cancel or a failure leaves no
    half-written report (the reports already finished stay).

    Raises:
        ValidationError: the year is out of range.
        Cancelled: the state asked to stop.
        OSError: the folder cannot be written.
    """
    state = state or NullProgress()
    today = dt.date.today()
    check_year(year, today)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    skipped: list[str] = []
    if org_ids is None:
        wanted = batch_ids(year)
    else:
        wanted, skipped = _eligible(org_ids, year)
    total = len(wanted)
    written = 0
    state.set_progress(0, total, "正在生成年度报告")
    for chunk in _chunks(wanted, CHUNK):
        progress.check(state)
        gathered = _gather(chunk, year, today)
        for oid in chunk:
            progress.check(state)
            data = gathered[oid]
            pdf = rpt.render_annual_report(data)
            _write(out_dir / file_name(data.org.credit_code, oid, data.org.name, year), pdf)
            written += 1
            state.set_progress(written, total, "正在生成年度报告")
    return BatchResult(written, tuple(skipped), out_dir)


def _write(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: the target is whole or absent."""
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_bytes(content)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _reportable(year: int) -> pw.Expression:
    o = Organization
    end, start = dt.date(year, 12, 31), dt.date(year, 1, 1)
    on_record = ((o.registered_on <= end) | (o.filed_on <= end)
                 | (o.registered_on.is_null() & o.filed_on.is_null()
                    & o.legal_status.in_([str(LegalStatus.REGISTERED), str(LegalStatus.FILED)])))
    return on_record & (o.deregistered_on.is_null() | (o.deregistered_on >= start))


def _eligible(org_ids: Sequence[int], year: int) -> tuple[list[int], list[str]]:
    """The given ids that owe a report for `year`, in the given order, and why others not."""
    ok: set[int] = set()
    names: dict[int, str] = {}
    for chunk in _chunks(list(dict.fromkeys(org_ids)), CHUNK):
        for oid, name, code, reportable in tuples(Organization.select(
                Organization.id, Organization.name, Organization.credit_code,
                pw.Case(None, [(_reportable(year), 1)], 0))
                .where(Organization.id.in_(chunk))):
            names[oid] = f"{code} {name}" if code else name
            if reportable:
                ok.add(oid)
    wanted, skipped = [], []
    for oid in dict.fromkeys(org_ids):
        if oid in ok:
            wanted.append(oid)
        elif oid in names:
            skipped.append(f"{names[oid]}：{year}年度未登记或备案，不出具年度报告")
        else:
            skipped.append(f"内部编号{oid}：找不到该社会组织")
    return wanted, skipped


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# --- gathering --------------------------------------------------------------------------------


def _gather(org_ids: list[int], year: int, today: dt.date) -> dict[int, rpt.AnnualReportData]:
    """Report data for every known id of `org_ids` (at most a few hundred), one query per
    table."""
    orgs = {row.id: row for row in Organization.select().where(Organization.id.in_(org_ids))}
    ids = list(orgs)
    if not ids:
        return {}
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    y = OrgYearFigures
    figures = {row[0]: _Figures(*row[1:]) for row in tuples(
        y.select(y.org, y.staff_full_time, y.staff_part_time, y.members_units,
                 y.members_individuals, y.activity_overview, y.meetings, y.finance, y.remarks)
        .where(y.org.in_(ids) & (y.year == year)))}
    changes = _changes(ids, start, end)
    activities, lines, volunteers = _activities(ids, year)
    incubation = _incubation(orgs, start, end)
    inspections = _inspections(orgs, year, today)
    ratings = _ratings(orgs, end)
    credit = _credit_entries(ids, end)
    projects = _projects(ids, year)
    out = {}
    for oid, org in orgs.items():
        fig = figures.get(oid)
        people, minutes = volunteers.get(oid, (0, 0))
        out[oid] = rpt.AnnualReportData(
            org=_org_info(org, fig), year=year, report_date=today,
            number=f"NB{year}-{oid:05d}",
            staff=rpt.StaffInfo(full_time=fig.staff_full_time if fig else None,
                                part_time=fig.staff_part_time if fig else None,
                                volunteers=people, volunteer_minutes=minutes),
            changes=changes.get(oid, ()),
            meetings=_meetings(fig.meetings) if fig else None,
            finance=_finance(fig.finance) if fig else None,
            activity_overview=fig.activity_overview if fig else "",
            activities=activities.get(oid, ()),
            projects=projects.get(oid, ()),
            volunteer_lines=lines.get(oid, ()),
            incubation=incubation.get(oid),
            inspections=inspections.get(oid, ()),
            rating=ratings.get(oid),
            credit_entries=credit.get(oid, ()),
            remarks=fig.remarks if fig else "")
    return out


@dataclass(frozen=True)
class _Figures:
    """An `org_year_figures` row without its keys."""

    staff_full_time: int
    staff_part_time: int
    members_units: int | None
    members_individuals: int | None
    activity_overview: str
    meetings: str
    finance: str
    remarks: str


def _org_info(org: Organization, fig: _Figures | None) -> rpt.OrgInfo:
    kind = OrgKind(org.kind)
    form = ""
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE and org.pne_form:
        form = PneForm(org.pne_form).label
    return rpt.OrgInfo(
        kind=_KIND[kind], name=org.name, credit_code=org.credit_code or "",
        certificate_number=org.certificate_number,
        legal_representative=org.legal_representative,
        registration_authority=org.registration_authority, supervisor=org.supervisor_unit,
        form=form, sector=ServiceField(org.service_field).label if org.service_field else "",
        business_scope=org.business_scope, founded_on=org.founded_on,
        registered_capital_fen=org.capital_fen, address=org.address, post_code=org.post_code,
        phone=org.contact_phone, contact=org.contact_person, website=org.website,
        email=org.email,
        unit_members=fig.members_units if fig else None,
        individual_members=fig.members_individuals if fig else None)


def _changes(ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[rpt.ChangeRow]]:
    out: dict[int, list[rpt.ChangeRow]] = defaultdict(list)
    query = (OrgChange.select(OrgChange.org, OrgChange.item, OrgChange.before, OrgChange.after,
                              OrgChange.approved_on, OrgChange.on)
             .where(OrgChange.org.in_(ids) & (OrgChange.on >= start) & (OrgChange.on <= end))
             .order_by(OrgChange.on, OrgChange.id))
    for oid, item, before, after, approved, on in tuples(query):
        handling = f"由“{before}”变更为“{after}”" if before else f"变更为“{after}”"
        out[oid].append(rpt.ChangeRow(item=item, approved_on=approved or on,
                                      handling=handling, before=before, after=after))
    return out


def _activities(ids: list[int], year: int) -> tuple[
        dict[int, list[rpt.ActivityRow]], dict[int, list[rpt.VolunteerLine]],
        dict[int, tuple[int, int]]]:
    """Activities held in the year; per activity the standing records (人次) and minutes;
    per organization the distinct volunteers and total minutes."""
    begin, stop = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    cond = (Activity.org_id.in_(ids) & (Activity.starts_at >= begin)
            & (Activity.starts_at < stop) & (Activity.status != str(ActivityStatus.CANCELLED)))
    acts = tuples(Activity.select(Activity.id, Activity.org_id, Activity.name,
                                  Activity.category, Activity.starts_at, Activity.ends_at,
                                  Activity.place, Activity.organizer)
                  .where(cond).order_by(Activity.starts_at, Activity.id))
    # Approved records, each reversal (negative minutes, status approved) netting its record
    # out: per activity and volunteer the net count and minutes, summed in SQL.
    sums = tuples(ServiceRecord.select(
        ServiceRecord.activity, ServiceRecord.volunteer, pw.fn.SUM(ServiceRecord.minutes),
        pw.fn.SUM(pw.Case(None, [(ServiceRecord.kind == str(Kind.REVERSAL), -1)], 1)))
        .where((ServiceRecord.status == str(RecordStatus.APPROVED))
               & ServiceRecord.activity.in_(Activity.select(Activity.id).where(cond)))
        .group_by(ServiceRecord.activity, ServiceRecord.volunteer))
    per_activity: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    people: dict[int, set[int]] = defaultdict(set)
    org_of = {aid: oid for aid, oid, *_ in acts}
    for aid, vid, minutes, count in sums:
        if not count or count <= 0:
            continue
        per_activity[aid][0] += int(count)
        per_activity[aid][1] += int(minutes or 0)
        people[org_of[aid]].add(vid)
    rows: dict[int, list[rpt.ActivityRow]] = defaultdict(list)
    lines: dict[int, list[rpt.VolunteerLine]] = defaultdict(list)
    minutes_of: dict[int, int] = defaultdict(int)
    for aid, oid, name, category, starts, ends, place, _organizer in acts:
        rows[oid].append(rpt.ActivityRow(
            name=name, kind=category or DEFAULT_ACTIVITY_KIND, held_on=starts.date(),
            place=place, ended_on=ends.date() if ends else None))
        if aid in per_activity:
            count, minutes = per_activity[aid]
            lines[oid].append(rpt.VolunteerLine(
                f"{name}（{starts.month}月{starts.day}日）", count, minutes))
            minutes_of[oid] += minutes
    totals = {oid: (len(people[oid]), minutes_of[oid]) for oid in set(people) | set(minutes_of)}
    return rows, lines, totals


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _incubation(orgs: dict[int, Organization], start: dt.date, end: dt.date
                ) -> dict[int, rpt.IncubationStatus]:
    """The stage at the year's end and what the incubator did in the year. An organization
    that had not applied by then has none."""
    ids = list(orgs)
    stage: dict[int, str] = {}
    for oid, to_state in tuples(
            OrgTransition.select(OrgTransition.org, OrgTransition.to_state)
            .where(OrgTransition.org.in_(ids) & (OrgTransition.machine == "incubation")
                   & (OrgTransition.on <= end))
            .order_by(OrgTransition.on, OrgTransition.id)):
        stage[oid] = to_state  # the last move by the year's end wins
    with_history = {oid for (oid,) in tuples(
        OrgTransition.select(OrgTransition.org).distinct()
        .where(OrgTransition.org.in_(ids) & (OrgTransition.machine == "incubation")))}
    for oid, org in orgs.items():
        if oid not in stage and oid not in with_history and org.incubation_state:
            since = org.incubation_since
            if since is None or since <= end:
                stage[oid] = org.incubation_state
    if not stage:
        return {}
    ids = list(stage)
    agreements: dict[int, tuple[dt.date, dt.date]] = {}
    for oid, starts, ends in tuples(
            OrgAgreement.select(OrgAgreement.org, OrgAgreement.starts_on, OrgAgreement.ends_on)
            .where(OrgAgreement.org.in_(ids) & (OrgAgreement.starts_on <= end))
            .order_by(OrgAgreement.starts_on, OrgAgreement.id)):
        agreements[oid] = (starts, ends)
    mentors: dict[int, list[str]] = defaultdict(list)
    for oid, name in tuples(
            OrgMentor.select(OrgMentor.org, OrgMentor.name)
            .where(OrgMentor.org.in_(ids)
                   & (OrgMentor.starts_on.is_null() | (OrgMentor.starts_on <= end))
                   & (OrgMentor.ends_on.is_null() | (OrgMentor.ends_on >= start)))
            .order_by(OrgMentor.id)):
        if name not in mentors[oid]:
            mentors[oid].append(name)
    trainings: dict[int, list[rpt.TrainingLine]] = defaultdict(list)
    for oid, title, held, attendees, names in tuples(
            TrainingAttendance.select(TrainingAttendance.org, Training.title, Training.held_on,
                                      TrainingAttendance.attendees, TrainingAttendance.names)
            .join(Training)
            .where(TrainingAttendance.org.in_(ids) & (Training.held_on >= start)
                   & (Training.held_on <= end))
            .order_by(Training.held_on, Training.id)):
        attendance = f"{attendees}人参加" + (f"（{names}）" if names else "")
        trainings[oid].append(rpt.TrainingLine(title, held, attendance))
    services: dict[int, list[str]] = defaultdict(list)
    for oid, kind, on, description, amount in tuples(
            OrgService.select(OrgService.org, OrgService.kind, OrgService.on,
                              OrgService.description, OrgService.amount_fen)
            .where(OrgService.org.in_(ids) & (OrgService.on >= start) & (OrgService.on <= end))
            .order_by(OrgService.on, OrgService.id)):
        text = f"{rpt.chinese_date(on)} {SERVICE_LABELS.get(kind, kind)}"
        if description:
            text += f"：{description}"
        if amount:
            text += f"，{rpt.format_money(amount)}元"
        services[oid].append(text)
    evaluations: dict[int, list[rpt.EvaluationLine]] = defaultdict(list)
    for oid, kind, on, score, evaluator, conclusion in tuples(
            OrgEvaluation.select(OrgEvaluation.org, OrgEvaluation.kind, OrgEvaluation.on,
                                 OrgEvaluation.score, OrgEvaluation.evaluator,
                                 OrgEvaluation.conclusion)
            .where(OrgEvaluation.org.in_(ids) & (OrgEvaluation.on >= start)
                   & (OrgEvaluation.on <= end))
            .order_by(OrgEvaluation.on, OrgEvaluation.id)):
        result = conclusion
        if score is not None:
            result = f"{score}分" + (f"，{conclusion}" if conclusion else "")
        evaluations[oid].append(rpt.EvaluationLine(EVALUATION_LABELS.get(kind, kind), on,
                                                   result, evaluator))
    out = {}
    for oid, state in stage.items():
        starts_on, ends_on = agreements.get(oid, (None, None))
        out[oid] = rpt.IncubationStatus(
            stage=IncubationState(state).label, agreement_start=starts_on,
            agreement_end=ends_on, mentors=tuple(mentors.get(oid, ())),
            services=tuple(services.get(oid, ())), trainings=tuple(trainings.get(oid, ())),
            evaluations=tuple(evaluations.get(oid, ())))
    return out


def _inspections(orgs: dict[int, Organization], year: int, today: dt.date
                 ) -> dict[int, list[rpt.InspectionRow]]:
    """Every inspection up to `year`; an owed year with no row and its deadline passed by
    `today` prints as 未参检."""
    rows: dict[int, dict[int, rpt.InspectionRow]] = defaultdict(dict)
    for oid, y, submitted, result, remarks in tuples(
            OrgInspection.select(OrgInspection.org, OrgInspection.year,
                                 OrgInspection.submitted_on, OrgInspection.result,
                                 OrgInspection.remarks)
            .where(OrgInspection.org.in_(list(orgs)) & (OrgInspection.year <= year))):
        if result:
            label = InspectionResult(result).label
        else:
            label = UNDER_REVIEW if submitted else NOT_INSPECTED
        rows[oid][y] = rpt.InspectionRow(y, label, submitted, remarks)
    for oid, org in orgs.items():
        registered = org.registered_on
        if registered is None:
            continue
        kind = OrgKind(org.kind)
        for y in range(registered.year, year + 1):
            if y in rows[oid]:
                continue
            due = inspection_due(kind, registered, org.deregistered_on,
                                 bool(org.supervisor_unit), y)
            if due is not None and due.deadline < today:
                rows[oid][y] = rpt.InspectionRow(y, NOT_INSPECTED)
    return {oid: [by_year[y] for y in sorted(by_year)] for oid, by_year in rows.items()
            if by_year}


def _ratings(orgs: dict[int, Organization], end: dt.date) -> dict[int, rpt.RatingInfo]:
    """The newest rating given by the year's end (the history first, then the org row)."""
    out: dict[int, rpt.RatingInfo] = {}
    for oid, grade, rated, valid in tuples(
            OrgRating.select(OrgRating.org, OrgRating.rating, OrgRating.rated_on,
                             OrgRating.valid_until)
            .where(OrgRating.org.in_(list(orgs)) & (OrgRating.rated_on <= end))
            .order_by(OrgRating.rated_on, OrgRating.id)):
        out[oid] = rpt.RatingInfo(Rating(grade).label, rated, valid)
    for oid, org in orgs.items():
        if oid not in out and org.rating and org.rated_on and org.rated_on <= end:
            out[oid] = rpt.RatingInfo(Rating(org.rating).label, org.rated_on,
                                      rating_valid_until(org.rated_on))
    return out


def _credit_entries(ids: list[int], end: dt.date) -> dict[int, list[rpt.CreditEntry]]:
    out: dict[int, list[rpt.CreditEntry]] = defaultdict(list)
    for oid, kind, listed, reason, removed in tuples(
            OrgCreditEntry.select(OrgCreditEntry.org, OrgCreditEntry.list_kind,
                                  OrgCreditEntry.listed_on, OrgCreditEntry.reason,
                                  OrgCreditEntry.removed_on)
            .where(OrgCreditEntry.org.in_(ids) & (OrgCreditEntry.listed_on <= end))
            .order_by(OrgCreditEntry.listed_on, OrgCreditEntry.id)):
        out[oid].append(rpt.CreditEntry(CreditListKind(kind).label, listed, reason, removed))
    return out


def _projects(ids: list[int], year: int) -> dict[int, list[rpt.ProjectRow]]:
    """Government-purchased service projects the organizations undertook in `year`.

    Hook for the projects issue: no project table exists yet, so nobody has any. Fill it with
    one set-based query over `ids` (contract amount and tranches paid in the year), keyed by
    organization id like the other gatherers.
    """
    del ids, year
    return {}


# --- the yearly figures' JSON ----------------------------------------------------------------


def _json(text: str) -> Any:
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _meetings(text: str) -> tuple[rpt.MeetingRow, ...]:
    """`org_year_figures.meetings`: a JSON list of objects with `kind` (会员大会, 理事会 …),
    `held_on` (YYYY-MM-DD), `charter_rule`, `attendance`, `content`; all optional but kind.
    Unreadable entries are left out."""
    value = _json(text)
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if not isinstance(item, dict) or not item.get("kind"):
            continue
        try:
            held = _date(item.get("held_on"))
        except ValueError:
            held = None
        out.append(rpt.MeetingRow(kind=str(item["kind"]), held_on=held,
                                  charter_rule=str(item.get("charter_rule", "")),
                                  attendance=str(item.get("attendance", "")),
                                  content=str(item.get("content", ""))))
    return tuple(out)


_BALANCE_FIELDS = ("current_assets", "long_term_investments", "fixed_assets", "total_assets",
                   "current_liabilities", "long_term_liabilities", "total_liabilities",
                   "unrestricted_net_assets", "restricted_net_assets", "total_net_assets")
_ACTIVITY_FIELDS = ("donation", "membership_fees", "services", "sales", "government_grants",
                    "investment", "other_income", "program_costs", "admin_expenses",
                    "fundraising_expenses", "other_expenses")


def _finance(text: str) -> rpt.FinanceData | None:
    """`org_year_figures.finance`: JSON
    `{"balance": {"current_assets": [start_fen, end_fen], …}, "activity": {"donation":
    [unrestricted_fen, restricted_fen], …}}` with the field names of
    `reports.annual_report.BalanceSheet` and `ActivityStatement`, integer fen; an item left
    out is 0. Empty or unreadable (no "balance" object, a value not two integers) is None:
    the statements print as ruled blanks for the organization to fill by hand."""
    value = _json(text)
    if not isinstance(value, dict) or not isinstance(value.get("balance"), dict):
        return None
    try:
        balance = rpt.BalanceSheet(**{name: rpt.Balance(*_pair(value["balance"].get(name)))
                                      for name in _BALANCE_FIELDS})
        activity_in = value.get("activity") or {}
        if not isinstance(activity_in, dict):
            return None
        activity = rpt.ActivityStatement(**{name: rpt.Split(*_pair(activity_in.get(name)))
                                            for name in _ACTIVITY_FIELDS})
    except (TypeError, ValueError):
        return None
    return rpt.FinanceData(balance, activity)


def _pair(value: Any) -> tuple[int, int]:
    if value is None:
        return 0, 0
    if isinstance(value, list | tuple) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        return int(value[0]), int(value[1])
    raise ValueError(f"not a pair of integers: {value!r}")
