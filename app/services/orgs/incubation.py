"""Incubation (孵化): the stage machine and what happens inside it.

Every stage change goes through `move`, which keeps the move in `org_transition` for the
timeline. Reviews, the agreement and its extensions, mentors, trainings, services and
evaluations are records of their own, added one at a time by staff. The registration-readiness
checklist and its printed packet live in `readiness` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, cast

import peewee as pw

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.normalize import clean_name, clean_text
from app.domain.orgs.incubation import (
    IncubationState,
    check_agreement,
    check_extension,
    check_move,
)
from app.domain.orgs.periods import fmt_date
from app.domain.transitions import IllegalTransition
from app.services.common import audit
from app.services.orgs.readiness import (
    CHECKLIST_ITEMS,
    Checklist,
    ChecklistLine,
    build_packet,
    checklist,
    tick,
    untick,
)
from app.services.orgs.registration import OrgRecord, get
from app.store.db import tuples, writing
from app.store.models import (
    OrgAgreement,
    Organization,
    OrgEvaluation,
    OrgMentor,
    OrgReview,
    OrgService,
    OrgTransition,
    Training,
    TrainingAttendance,
    utcnow,
)

__all__ = [
    "CHECKLIST_ITEMS", "EVALUATION_KINDS", "PIPELINE_STATES", "SERVICE_KINDS", "AgreementLine",
    "Checklist", "ChecklistLine", "EvaluationLine", "Extension", "MentorLine", "PipelineCard",
    "PipelineColumn", "ReviewLine", "ServiceLine", "TrainingLine", "add_evaluation",
    "add_mentor", "add_service", "agreement", "all_trainings", "build_packet", "checklist",
    "create_training", "evaluations", "extend_agreement", "mentors", "move", "pipeline",
    "record_attendance", "record_review", "reviews", "services", "sign_agreement", "tick",
    "trainings", "untick",
]

CONFLICT = "该组织已被其他人修改，请重新打开后再操作"
SERVICE_KINDS = {"space": "场地", "registration_help": "登记协助", "small_grant": "小额资助",
                 "other": "其他"}
EVALUATION_KINDS = {"periodic": "阶段评估", "exit": "出壳评估"}
PIPELINE_STATES = (IncubationState.APPLIED, IncubationState.UNDER_REVIEW,
                   IncubationState.ADMITTED, IncubationState.INCUBATING)


def _org(org_id: int) -> Organization:
    row = Organization.get_or_none(Organization.id == org_id)
    if row is None:
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return row


def _fk(row: Any) -> int:
    """The organization id of a row (the models declare no `org_id` attribute for mypy)."""
    return int(row.org_id)


# --- the stage machine ---------------------------------------------------------------------


def move(org_id: int, target: IncubationState, on: dt.date, note: str = "",
         expected_version: int | None = None) -> OrgRecord:
    """Move the organization to `target` on `on`, keeping the move.

    Raises:
        IllegalTransition: the table does not allow the move (nothing is written).
        ValidationError: `on` is before the current stage began.
        ConflictError: the organization changed since `expected_version` was read.
    """
    with writing():
        row = _org(org_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(CONFLICT)
        current = IncubationState(row.incubation_state) if row.incubation_state else None
        if current is None:
            if target is not IncubationState.APPLIED:
                raise IllegalTransition(
                    cast(StrEnum, None), target, (IncubationState.APPLIED,),
                    f"孵化状态不能改为“{target.label}”：尚未申请入驻的组织只能先改为“申请入驻”")
        else:
            check_move(current, target)
        if row.incubation_since is not None and on < row.incubation_since:
            since = fmt_date(row.incubation_since)
            raise ValidationError("on", f"变更日期不能早于当前阶段的开始日期（{since}）")
        updated = Organization.update(
            incubation_state=str(target), incubation_since=on, updated_at=utcnow(),
            version=Organization.version + 1,
        ).where((Organization.id == org_id) & (Organization.version == row.version)).execute()
        if updated != 1:
            raise ConflictError(CONFLICT)
        OrgTransition.create(org=org_id, machine="incubation",
                             from_state=str(current) if current else None, to_state=str(target),
                             on=on, note=clean_text(note), actor=audit.current_actor())
        audit.record("incubation_move", "organization", org_id,
                     {"incubation_state": str(current) if current else None},
                     {"incubation_state": str(target), "on": on, "note": note})
        return get(org_id)


# --- admission review ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One admission review: 初审, 专家评审 (score out of 100), 公示."""

    id: int
    org_id: int
    first_review_on: dt.date | None
    first_review_opinion: str
    expert_review_on: dt.date | None
    expert_score: Decimal | None
    experts: str
    notice_from: dt.date | None
    notice_to: dt.date | None
    conclusion: str
    created_at: dt.datetime


def _score(value: Decimal | None, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None:
        return None
    try:
        score = Decimal(value).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = "分数应为0到100之间的数"
        return None
    if not Decimal(0) <= score <= Decimal(100):
        errors[field] = "分数应为0到100之间的数"
    return score


def record_review(org_id: int, first_review_on: dt.date | None = None,
                  first_review_opinion: str = "", expert_review_on: dt.date | None = None,
                  expert_score: Decimal | None = None, experts: str = "",
                  notice_from: dt.date | None = None, notice_to: dt.date | None = None,
                  conclusion: str = "", *, review_id: int | None = None) -> ReviewLine:
    """Add a review, or (with `review_id`) correct one.

    Raises:
        FormErrors: score outside 0–100, public notice ending before it starts.
    """
    errors: dict[str, str] = {}
    score = _score(expert_score, "expert_score", errors)
    if notice_from and notice_to and notice_to < notice_from:
        errors["notice_to"] = (f"公示结束日期（{fmt_date(notice_to)}）"
                               f"不能早于开始日期（{fmt_date(notice_from)}）")
    if notice_to and not notice_from:
        errors["notice_from"] = "请填写公示开始日期"
    if errors:
        raise FormErrors(errors)
    values = dict(first_review_on=first_review_on,
                  first_review_opinion=first_review_opinion.strip(),
                  expert_review_on=expert_review_on, expert_score=score,
                  experts=clean_text(experts), notice_from=notice_from, notice_to=notice_to,
                  conclusion=conclusion.strip())
    with writing():
        _org(org_id)
        if review_id is None:
            row = OrgReview.create(org=org_id, **values)
            audit.record("add_review", "org_review", row.id, None, {"org_id": org_id, **values})
        else:
            old = OrgReview.get_or_none((OrgReview.id == review_id) & (OrgReview.org == org_id))
            if old is None:
                raise NotFoundError("找不到这条评审记录")
            before = {k: getattr(old, k) for k in values}
            OrgReview.update(**values).where(OrgReview.id == review_id).execute()
            audit.record("update_review", "org_review", review_id,
                         *audit.changes(before, values))
            row = OrgReview.get_by_id(review_id)
        return _review_line(row)


def _review_line(row: OrgReview) -> ReviewLine:
    score = row.expert_score
    return ReviewLine(row.id, _fk(row), row.first_review_on, row.first_review_opinion,
                      row.expert_review_on, Decimal(score) if score is not None else None,
                      row.experts, row.notice_from, row.notice_to, row.conclusion,
                      row.created_at)


def reviews(org_id: int) -> list[ReviewLine]:
    """Oldest first."""
    query = OrgReview.select().where(OrgReview.org == org_id).order_by(OrgReview.id)
    return [_review_line(r) for r in query]


# --- the incubation agreement --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Extension:
    from_: dt.date  # the end before the extension
    to: dt.date
    reason: str
    on: dt.date  # when it was agreed


@dataclass(frozen=True, slots=True)
class AgreementLine:
    id: int
    org_id: int
    starts_on: dt.date
    ends_on: dt.date  # after every extension
    original_end: dt.date
    space: str
    extensions: tuple[Extension, ...]

    def days_left(self, today: dt.date | None = None) -> int:
        """Days until the end (0 on the last day, negative once it has passed)."""
        return (self.ends_on - (today or dt.date.today())).days


def _extensions(text: str) -> tuple[Extension, ...]:
    if not text:
        return ()
    return tuple(Extension(dt.date.fromisoformat(e["from"]), dt.date.fromisoformat(e["to"]),
                           e.get("reason", ""), dt.date.fromisoformat(e["on"]))
                 for e in json.loads(text))


def _agreement_line(row: OrgAgreement) -> AgreementLine:
    return AgreementLine(row.id, _fk(row), row.starts_on, row.ends_on, row.original_end,
                         row.space, _extensions(row.extensions))


def _agreement_row(org_id: int) -> OrgAgreement | None:
    return (OrgAgreement.select().where(OrgAgreement.org == org_id)
            .order_by(OrgAgreement.id.desc()).first())


def sign_agreement(org_id: int, starts_on: dt.date, ends_on: dt.date,
                   space: str = "") -> AgreementLine:
    """Record the agreement; a second one (a new incubation round) supersedes the first.

    Raises:
        ValidationError: `ends_on` is not after `starts_on`.
    """
    check_agreement(starts_on, ends_on, "ends_on")
    with writing():
        _org(org_id)
        row = OrgAgreement.create(org=org_id, starts_on=starts_on, ends_on=ends_on,
                                  original_end=ends_on, space=clean_text(space))
        audit.record("sign_agreement", "org_agreement", row.id, None,
                     {"org_id": org_id, "starts_on": starts_on, "ends_on": ends_on,
                      "space": row.space})
        return _agreement_line(row)


def extend_agreement(org_id: int, new_end: dt.date, reason: str,
                     on: dt.date | None = None) -> AgreementLine:
    """Move the current agreement's end later, keeping the old end and the reason.

    Raises:
        ValidationError: no agreement, no reason, or `new_end` not after the current end.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("reason", "请填写延期原因")
    on = on or dt.date.today()
    with writing():
        row = _agreement_row(org_id)
        if row is None:
            raise ValidationError("new_end", "该组织还没有签订孵化协议，无法延期")
        check_extension(row.ends_on, new_end, "new_end")
        items = json.loads(row.extensions) if row.extensions else []
        items.append({"from": row.ends_on.isoformat(), "to": new_end.isoformat(),
                      "reason": reason, "on": on.isoformat()})
        before = row.ends_on
        OrgAgreement.update(ends_on=new_end, extensions=json.dumps(items, ensure_ascii=False)
                            ).where(OrgAgreement.id == row.id).execute()
        audit.record("extend_agreement", "org_agreement", row.id, {"ends_on": before},
                     {"ends_on": new_end, "reason": reason, "on": on})
        return _agreement_line(OrgAgreement.get_by_id(row.id))


def agreement(org_id: int) -> AgreementLine | None:
    """The current (newest) agreement, or None."""
    row = _agreement_row(org_id)
    return _agreement_line(row) if row is not None else None


# --- mentors -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MentorLine:
    id: int
    org_id: int
    name: str
    expertise: str
    starts_on: dt.date | None
    ends_on: dt.date | None


def add_mentor(org_id: int, name: str, expertise: str = "", starts_on: dt.date | None = None,
               ends_on: dt.date | None = None) -> MentorLine:
    """Raises FormErrors: no name, or the period ends before it starts."""
    name = clean_name(name)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写导师姓名"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "结对结束日期不能早于开始日期"
    if errors:
        raise FormErrors(errors)
    with writing():
        _org(org_id)
        row = OrgMentor.create(org=org_id, name=name, expertise=clean_text(expertise),
                               starts_on=starts_on, ends_on=ends_on)
        audit.record("add_mentor", "org_mentor", row.id, None,
                     {"org_id": org_id, "name": name, "expertise": row.expertise,
                      "starts_on": starts_on, "ends_on": ends_on})
        return MentorLine(row.id, org_id, name, row.expertise, starts_on, ends_on)


def mentors(org_id: int) -> list[MentorLine]:
    query = OrgMentor.select().where(OrgMentor.org == org_id).order_by(OrgMentor.id)
    return [MentorLine(r.id, _fk(r), r.name, r.expertise, r.starts_on, r.ends_on)
            for r in query]


# --- trainings -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrainingLine:
    """A training; `attendees`/`names` are one organization's (or the total, for all)."""

    id: int
    title: str
    held_on: dt.date
    trainer: str
    place: str
    minutes: int
    attendees: int
    names: str = ""
    organizations: int = 0  # organizations that attended (all_trainings)


def create_training(title: str, held_on: dt.date, trainer: str = "", place: str = "",
                    minutes: int = 0) -> TrainingLine:
    title = clean_text(title)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "请填写培训主题"
    if minutes < 0:
        errors["minutes"] = "培训时长不能为负数"
    if errors:
        raise FormErrors(errors)
    with writing():
        row = Training.create(title=title, held_on=held_on, trainer=clean_text(trainer),
                              place=clean_text(place), minutes=minutes)
        audit.record("create_training", "training", row.id, None,
                     {"title": title, "held_on": held_on, "trainer": row.trainer,
                      "place": row.place, "minutes": minutes})
        return TrainingLine(row.id, title, held_on, row.trainer, row.place, minutes, 0)


def record_attendance(training_id: int, org_id: int, attendees: int = 1,
                      names: str = "") -> None:
    """Record (or correct) how many people of the organization attended."""
    if attendees < 1:
        raise ValidationError("attendees", "参加人数至少为1人")
    with writing():
        if Training.get_or_none(Training.id == training_id) is None:
            raise NotFoundError("找不到该培训")
        _org(org_id)
        names = clean_text(names)
        row = TrainingAttendance.get_or_none((TrainingAttendance.training == training_id)
                                             & (TrainingAttendance.org == org_id))
        if row is None:
            row = TrainingAttendance.create(training=training_id, org=org_id,
                                            attendees=attendees, names=names)
            audit.record("record_attendance", "training_attendance", row.id, None,
                         {"training_id": training_id, "org_id": org_id,
                          "attendees": attendees, "names": names})
            return
        before = {"attendees": row.attendees, "names": row.names}
        TrainingAttendance.update(attendees=attendees, names=names).where(
            TrainingAttendance.id == row.id).execute()
        audit.record("record_attendance", "training_attendance", row.id, before,
                     {"attendees": attendees, "names": names})


def trainings(org_id: int) -> list[TrainingLine]:
    """The trainings the organization attended, newest first."""
    query = (Training.select(Training.id, Training.title, Training.held_on, Training.trainer,
                             Training.place, Training.minutes, TrainingAttendance.attendees,
                             TrainingAttendance.names)
             .join(TrainingAttendance)
             .where(TrainingAttendance.org == org_id)
             .order_by(Training.held_on.desc(), Training.id.desc()))
    return [TrainingLine(tid, title, held_on, trainer, place, minutes, attendees, names, 1)
            for tid, title, held_on, trainer, place, minutes, attendees, names in tuples(query)]


def all_trainings() -> list[TrainingLine]:
    """Every training, newest first, with total attendees and attending organizations."""
    query = (Training.select(Training.id, Training.title, Training.held_on, Training.trainer,
                             Training.place, Training.minutes,
                             pw.fn.COALESCE(pw.fn.SUM(TrainingAttendance.attendees), 0),
                             pw.fn.COUNT(TrainingAttendance.id))
             .join(TrainingAttendance, pw.JOIN.LEFT_OUTER)
             .group_by(Training.id, Training.title, Training.held_on, Training.trainer,
                       Training.place, Training.minutes)
             .order_by(Training.held_on.desc(), Training.id.desc()))
    return [TrainingLine(tid, title, held_on, trainer, place, minutes, int(total), "",
                         int(orgs))
            for tid, title, held_on, trainer, place, minutes, total, orgs in tuples(query)]


# --- services and evaluations --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceLine:
    id: int
    org_id: int
    kind: str
    on: dt.date
    description: str
    amount_fen: int

    @property
    def kind_label(self) -> str:
        return SERVICE_KINDS.get(self.kind, self.kind)


def add_service(org_id: int, kind: str, on: dt.date, description: str = "",
                amount_fen: int = 0) -> ServiceLine:
    """Raises FormErrors: unknown kind, a small grant without a positive amount."""
    errors: dict[str, str] = {}
    if kind not in SERVICE_KINDS:
        errors["kind"] = "请选择服务类型（" + "、".join(SERVICE_KINDS.values()) + "）"
    if amount_fen < 0:
        errors["amount_fen"] = "金额不能为负数"
    elif kind == "small_grant" and amount_fen <= 0:
        errors["amount_fen"] = "小额资助须填写资助金额（大于0）"
    if errors:
        raise FormErrors(errors)
    description = description.strip()
    with writing():
        _org(org_id)
        row = OrgService.create(org=org_id, kind=kind, on=on, description=description,
                                amount_fen=amount_fen)
        audit.record("add_service", "org_service", row.id, None,
                     {"org_id": org_id, "kind": kind, "on": on, "description": description,
                      "amount_fen": amount_fen})
        return ServiceLine(row.id, org_id, kind, on, description, amount_fen)


def services(org_id: int) -> list[ServiceLine]:
    """Oldest first."""
    query = (OrgService.select().where(OrgService.org == org_id)
             .order_by(OrgService.on, OrgService.id))
    return [ServiceLine(r.id, _fk(r), r.kind, r.on, r.description, r.amount_fen)
            for r in query]


@dataclass(frozen=True, slots=True)
class EvaluationLine:
    id: int
    org_id: int
    kind: str
    on: dt.date
    score: Decimal | None
    evaluator: str
    conclusion: str

    @property
    def kind_label(self) -> str:
        return EVALUATION_KINDS.get(self.kind, self.kind)


def add_evaluation(org_id: int, kind: str, on: dt.date, score: Decimal | None = None,
                   evaluator: str = "", conclusion: str = "") -> EvaluationLine:
    """Raises FormErrors: unknown kind, a score outside 0–100."""
    errors: dict[str, str] = {}
    if kind not in EVALUATION_KINDS:
        errors["kind"] = "请选择评估类型（阶段评估或出壳评估）"
    clean_score = _score(score, "score", errors)
    if errors:
        raise FormErrors(errors)
    with writing():
        _org(org_id)
        row = OrgEvaluation.create(org=org_id, kind=kind, on=on, score=clean_score,
                                   evaluator=clean_text(evaluator),
                                   conclusion=conclusion.strip())
        audit.record("add_evaluation", "org_evaluation", row.id, None,
                     {"org_id": org_id, "kind": kind, "on": on, "score": clean_score,
                      "evaluator": row.evaluator, "conclusion": row.conclusion})
        return _evaluation_line(row)


def _evaluation_line(r: OrgEvaluation) -> EvaluationLine:
    score = Decimal(r.score) if r.score is not None else None
    return EvaluationLine(r.id, _fk(r), r.kind, r.on, score, r.evaluator, r.conclusion)


def evaluations(org_id: int) -> list[EvaluationLine]:
    """Oldest first."""
    query = (OrgEvaluation.select().where(OrgEvaluation.org == org_id)
             .order_by(OrgEvaluation.on, OrgEvaluation.id))
    return [_evaluation_line(r) for r in query]


# --- the pipeline board --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PipelineCard:
    org_id: int
    name: str
    credit_code: str
    days_in_stage: int
    agreement_ends_on: dt.date | None


@dataclass(frozen=True, slots=True)
class PipelineColumn:
    state: IncubationState
    label: str
    count: int
    cards: tuple[PipelineCard, ...]


def pipeline(today: dt.date | None = None) -> list[PipelineColumn]:
    """The four open stages as board columns, longest-waiting first. Two queries."""
    today = today or dt.date.today()
    o = Organization
    states = [str(s) for s in PIPELINE_STATES]
    rows = tuples(o.select(o.id, o.name, o.credit_code, o.incubation_state, o.incubation_since)
                  .where(o.incubation_state.in_(states)))
    ends: dict[int, dt.date] = {}
    query = (OrgAgreement.select(OrgAgreement.org, OrgAgreement.ends_on)
             .join(o, on=(OrgAgreement.org == o.id))
             .where(o.incubation_state.in_(states)).order_by(OrgAgreement.id))
    for org_id, ends_on in tuples(query):
        ends[org_id] = ends_on  # the newest agreement wins
    by_state: dict[str, list[PipelineCard]] = {s: [] for s in states}
    for oid, name, code, state, since in rows:
        days = (today - since).days if since is not None else 0
        by_state[state].append(PipelineCard(oid, name, code or "", days, ends.get(oid)))
    columns = []
    for state in PIPELINE_STATES:
        cards = sorted(by_state[str(state)], key=lambda c: (-c.days_in_stage, c.name))
        columns.append(PipelineColumn(state, state.label, len(cards), tuple(cards)))
    return columns
