"""One organization's life as a list of dated events, newest first, in Chinese.

Gathered from the records each service keeps (both state machines' transitions, reviews, the
agreement and its extensions, mentors, trainings, services, evaluations, inspections, credit
lists, ratings, registered-item changes, attachments); who did it comes from the record itself
where it has an actor column, else from the audit row written with it.

Events of the same day keep the order of the life they describe: the incubation steps, then
what happened inside incubation, then legal status and supervision, then paperwork; within one
kind, the order they were recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import CreditListKind, InspectionResult, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.periods import fmt_date
from app.services.orgs.incubation import EVALUATION_KINDS, SERVICE_KINDS
from app.store.db import tuples
from app.store.models import (
    AuditLog,
    OrgAgreement,
    OrgChange,
    OrgCreditEntry,
    OrgDocument,
    OrgEvaluation,
    OrgInspection,
    OrgMentor,
    OrgRating,
    OrgReview,
    OrgService,
    OrgTransition,
    Training,
    TrainingAttendance,
)

# Same-day order (see the module docstring); also the `kind` of each event.
KINDS = ("incubation", "review", "agreement", "mentor", "training", "service", "evaluation",
         "legal", "inspection", "credit", "rating", "change", "document")
KIND_LABELS = {
    "incubation": "孵化", "review": "评审", "agreement": "孵化协议", "mentor": "导师",
    "training": "培训", "service": "服务", "evaluation": "评估", "legal": "登记状态",
    "inspection": "年检", "credit": "信用名录", "rating": "等级评估", "change": "变更",
    "document": "附件",
}
_RANK = {kind: n for n, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    on: dt.date
    kind: str
    title: str
    detail: str
    actor: str


def _local_date(moment: dt.datetime) -> dt.date:
    """The desk's calendar day of a naive-UTC moment."""
    return moment.replace(tzinfo=dt.UTC).astimezone().date()


def _label(enum: type, value: str | None) -> str:
    if not value:
        return "（无）"
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


class _Actors:
    """Who wrote each record, from the audit trail: one query for the whole timeline."""

    def __init__(self, wanted: dict[str, list[int]]) -> None:
        self._by: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        conds = [(AuditLog.entity == entity) & AuditLog.entity_id.in_([str(i) for i in ids])
                 for entity, ids in wanted.items() if ids]
        if not conds:
            return
        query = (AuditLog.select(AuditLog.entity, AuditLog.entity_id, AuditLog.action,
                                 AuditLog.actor)
                 .where(reduce(or_, conds)).order_by(AuditLog.id))
        for entity, entity_id, action, actor in tuples(query):
            self._by[entity, entity_id, action].append(actor)

    def get(self, entity: str, entity_id: int, action: str, nth: int = 0) -> str:
        found = self._by.get((entity, str(entity_id), action), [])
        return found[nth] if nth < len(found) else ""


def timeline(org_id: int) -> list[TimelineEvent]:
    """Every recorded event of the organization, newest first."""
    events: list[tuple[dt.date, int, int, TimelineEvent]] = []

    def add(on: dt.date, kind: str, seq: int, title: str, detail: str, actor: str) -> None:
        events.append((on, _RANK[kind], seq, TimelineEvent(on, kind, title, detail, actor)))

    reviews = list(OrgReview.select().where(OrgReview.org == org_id))
    agreements = list(OrgAgreement.select().where(OrgAgreement.org == org_id))
    mentors = list(OrgMentor.select().where(OrgMentor.org == org_id))
    attended = list(TrainingAttendance.select(TrainingAttendance, Training).join(Training)
                    .where(TrainingAttendance.org == org_id))
    services = list(OrgService.select().where(OrgService.org == org_id))
    evaluations = list(OrgEvaluation.select().where(OrgEvaluation.org == org_id))
    inspections = list(OrgInspection.select().where(OrgInspection.org == org_id))
    credits = list(OrgCreditEntry.select().where(OrgCreditEntry.org == org_id))
    ratings = list(OrgRating.select().where(OrgRating.org == org_id))
    actors = _Actors({
        "org_review": [r.id for r in reviews], "org_agreement": [a.id for a in agreements],
        "org_mentor": [m.id for m in mentors],
        "training_attendance": [a.id for a in attended],
        "org_service": [s.id for s in services], "org_evaluation": [e.id for e in evaluations],
        "org_inspection": [i.id for i in inspections],
        "org_credit_entry": [c.id for c in credits], "org_rating": [r.id for r in ratings],
    })

    for t in OrgTransition.select().where(OrgTransition.org == org_id):
        if t.machine == "incubation":
            title = (f"孵化：{_label(IncubationState, t.from_state)} → "
                     f"{_label(IncubationState, t.to_state)}")
            if t.from_state is None:
                title = f"孵化：{_label(IncubationState, t.to_state)}"
        else:
            title = (f"登记状态：{_label(LegalStatus, t.from_state)} → "
                     f"{_label(LegalStatus, t.to_state)}")
            if t.authority:
                title += f"（{t.authority}）"
        add(t.on, t.machine if t.machine in _RANK else "legal", t.id, title, t.note, t.actor)

    for r in reviews:
        actor = actors.get("org_review", r.id, "add_review")
        if r.first_review_on:
            add(r.first_review_on, "review", r.id * 3, "入驻初审", r.first_review_opinion, actor)
        if r.expert_review_on:
            score = f"得分{Decimal(r.expert_score):.1f}" if r.expert_score is not None else ""
            add(r.expert_review_on, "review", r.id * 3 + 1, "专家评审",
                _join(score, f"评审专家：{r.experts}" if r.experts else ""), actor)
        if r.notice_from:
            until = f"至{fmt_date(r.notice_to)}" if r.notice_to else ""
            add(r.notice_from, "review", r.id * 3 + 2, "入驻公示",
                _join(f"{fmt_date(r.notice_from)}{until}", r.conclusion), actor)

    for a in agreements:
        add(a.starts_on, "agreement", a.id * 1000, "签订孵化协议",
            _join(f"{fmt_date(a.starts_on)}至{fmt_date(a.original_end)}",
                  f"场地：{a.space}" if a.space else ""),
            actors.get("org_agreement", a.id, "sign_agreement"))
        for n, ext in enumerate(json.loads(a.extensions) if a.extensions else []):
            add(dt.date.fromisoformat(ext["on"]), "agreement", a.id * 1000 + n + 1,
                "孵化协议延期",
                _join(f"由{fmt_date(dt.date.fromisoformat(ext['from']))}延至"
                      f"{fmt_date(dt.date.fromisoformat(ext['to']))}", ext.get("reason", "")),
                actors.get("org_agreement", a.id, "extend_agreement", n))

    for m in mentors:
        if m.starts_on:
            add(m.starts_on, "mentor", m.id, f"结对导师：{m.name}", m.expertise,
                actors.get("org_mentor", m.id, "add_mentor"))

    for att in attended:
        tr = att.training
        people = f"参加{att.attendees}人" + (f"（{att.names}）" if att.names else "")
        add(tr.held_on, "training", att.id, f"参加培训：{tr.title}",
            _join(people, f"讲师：{tr.trainer}" if tr.trainer else "", tr.place),
            actors.get("training_attendance", att.id, "record_attendance"))

    for s in services:
        amount = f"金额{Decimal(s.amount_fen) / 100:.2f}元" if s.amount_fen else ""
        add(s.on, "service", s.id, f"孵化服务：{SERVICE_KINDS.get(s.kind, s.kind)}",
            _join(amount, s.description), actors.get("org_service", s.id, "add_service"))

    for e in evaluations:
        score = f"得分{Decimal(e.score):.1f}" if e.score is not None else ""
        add(e.on, "evaluation", e.id, EVALUATION_KINDS.get(e.kind, e.kind),
            _join(score, f"评估方：{e.evaluator}" if e.evaluator else "", e.conclusion),
            actors.get("org_evaluation", e.id, "add_evaluation"))

    for i in inspections:
        on = (i.concluded_on or i.submitted_on or i.supervisor_submitted_on
              or _local_date(i.updated_at))
        state = _label(InspectionResult, i.result) if i.result else (
            "已报送" if i.submitted_on else "已报业务主管单位" if i.supervisor_submitted_on
            else "已登记")
        detail = _join(f"报送：{fmt_date(i.submitted_on)}" if i.submitted_on else "",
                       f"结论：{fmt_date(i.concluded_on)}" if i.concluded_on else "", i.remarks)
        add(on, "inspection", i.id, f"年检：{i.year}年度 {state}", detail,
            actors.get("org_inspection", i.id, "record_inspection"))

    for c in credits:
        name = _label(CreditListKind, c.list_kind)
        add(c.listed_on, "credit", c.id * 2, f"列入{name}",
            _join(c.reason, c.authority), actors.get("org_credit_entry", c.id, "credit_list"))
        if c.removed_on:
            add(c.removed_on, "credit", c.id * 2 + 1, f"移出{name}", c.removal_reason,
                actors.get("org_credit_entry", c.id, "credit_remove"))

    for g in ratings:
        add(g.rated_on, "rating", g.id, f"等级评估：{_label(Rating, g.rating)}",
            _join(f"有效期至{fmt_date(g.valid_until)}",
                  f"评估机构：{g.evaluator}" if g.evaluator else ""),
            actors.get("org_rating", g.id, "rate"))

    for ch in OrgChange.select().where(OrgChange.org == org_id):
        add(ch.approved_on or ch.on, "change", ch.id, f"变更登记事项：{ch.item}",
            f"{ch.before or '（空）'} → {ch.after or '（空）'}", "")

    for d in OrgDocument.select().where(OrgDocument.org == org_id):
        add(_local_date(d.added_at), "document", d.id, f"添加附件：{d.title}", d.file_name,
            d.actor)

    events.sort(key=lambda e: e[:3], reverse=True)
    return [e[3] for e in events]
