"""Registering and keeping social organizations: one credit code, one organization.

Creating an organization may also place it on the legal-status machine (an imported register
says 登记 or 备案); after that, legal status and incubation change only through `legal` and
`incubation`, which keep every move for the timeline. Edits of registered items (name,
address, legal representative, …) are written to `org_change`, the annual report's changes
table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

import peewee as pw

from app.domain.errors import ConflictError, DuplicateError, NotFoundError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, PneForm, Rating, ServiceField
from app.domain.orgs.legal_status import LegalStatus, check_legal_move
from app.domain.pinyin import name_keys
from app.services.common import audit
from app.store.db import database, writing
from app.store.models import Organization, OrgChange, OrgTransition, utcnow

DRAFT_FIELDS = tuple(f.name for f in fields(OrgDraft))
_ENUM_FIELDS = {"kind": OrgKind, "pne_form": PneForm, "service_field": ServiceField}
# Registered items whose change the annual report lists (事项), with their Chinese names.
CHANGE_ITEMS = {
    "name": "名称", "address": "住所", "business_scope": "业务范围",
    "legal_representative": "法定代表人", "supervisor_unit": "业务主管单位",
    "capital_fen": "注册资金", "service_field": "活动领域",
    "registration_authority": "登记管理机关",
}


@dataclass(frozen=True)
class OrgRecord:
    """An organization as stored: what staff typed plus the state the machines keep."""

    id: int
    draft: OrgDraft
    legal_status: LegalStatus
    legal_since: dt.date | None
    filed_on: dt.date | None
    registered_on: dt.date | None
    deregistered_on: dt.date | None
    incubation_state: IncubationState | None
    incubation_since: dt.date | None
    rating: Rating | None
    rated_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @property
    def name(self) -> str:
        return self.draft.name

    @property
    def kind(self) -> OrgKind:
        assert self.draft.kind is not None
        return self.draft.kind

    @property
    def code(self) -> str:
        return self.draft.credit_code

    @property
    def subject(self) -> str:
        """How lists and messages name it: the code (if any) and the name."""
        return f"{self.code} {self.name}" if self.code else self.name


def record_of(row: Organization) -> OrgRecord:
    values = {}
    for name in DRAFT_FIELDS:
        value = getattr(row, name)
        if name in _ENUM_FIELDS:
            value = _ENUM_FIELDS[name](value) if value else None
        values[name] = value
    values["credit_code"] = row.credit_code or ""
    return OrgRecord(
        id=row.id, draft=OrgDraft(**values), legal_status=LegalStatus(row.legal_status),
        legal_since=row.legal_since, filed_on=row.filed_on, registered_on=row.registered_on,
        deregistered_on=row.deregistered_on,
        incubation_state=IncubationState(row.incubation_state) if row.incubation_state else None,
        incubation_since=row.incubation_since,
        rating=Rating(row.rating) if row.rating else None, rated_on=row.rated_on,
        created_at=row.created_at, updated_at=row.updated_at, version=row.version)


def columns(draft: OrgDraft) -> dict:
    """The table's columns for a validated draft (pinyin keys for the search included)."""
    data = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    for name in _ENUM_FIELDS:
        data[name] = str(data[name]) if data[name] is not None else ""
    data["credit_code"] = draft.credit_code or None
    initials, full = name_keys(draft.name)
    data["name_initials"] = initials
    data["name_pinyin"] = full.replace(" ", "")
    return data


def validate(draft: OrgDraft, legal_status: LegalStatus = LegalStatus.UNREGISTERED,
             today: dt.date | None = None) -> OrgDraft:
    """Clean and check a draft; a registered organization must have a credit code."""
    return draft.validated(today, code_required=legal_status is LegalStatus.REGISTERED)


def _duplicate(code: str, exclude: int | None = None) -> DuplicateError | None:
    if not code:
        return None
    query = Organization.select().where(Organization.credit_code == code)
    if exclude is not None:
        query = query.where(Organization.id != exclude)
    row = query.first()
    if row is None:
        return None
    return DuplicateError(
        f"统一社会信用代码{code}已登记为“{row.name}”，一个代码只能对应一个组织，请打开该记录修改",
        existing=str(row.id))


def find_duplicate(draft: OrgDraft) -> DuplicateError | None:
    return _duplicate(draft.credit_code)


def create(draft: OrgDraft, legal_status: LegalStatus = LegalStatus.UNREGISTERED,
           legal_on: dt.date | None = None, authority: str = "",
           today: dt.date | None = None) -> OrgRecord:
    """Validate and store a new organization, optionally already filed or registered.

    Raises:
        FormErrors: the draft is invalid (nothing is stored).
        DuplicateError: the credit code belongs to another organization.
        IllegalTransition: `legal_status` is not reachable for this type (a 社区社会组织
            cannot be registered).
    """
    today = today or dt.date.today()
    if legal_status is not LegalStatus.UNREGISTERED and draft.kind is not None:
        check_legal_move(LegalStatus.UNREGISTERED, legal_status, draft.kind)
    clean = validate(draft, legal_status, today)
    with writing():
        dup = find_duplicate(clean)
        if dup is not None:
            raise dup
        on = legal_on or clean.founded_on or today
        extra = legal_columns(legal_status, on)
        try:
            with database.atomic():  # a savepoint: PostgreSQL may go on after a conflict
                row = Organization.create(**columns(clean), **extra)
        except pw.IntegrityError:
            raise find_duplicate(clean) or DuplicateError("统一社会信用代码重复", "") from None
        if legal_status is not LegalStatus.UNREGISTERED:
            OrgTransition.create(org=row.id, machine="legal", from_state="unregistered",
                                 to_state=str(legal_status), on=on, authority=authority,
                                 actor=audit.current_actor())
        audit.record("register", "organization", row.id, None,
                     {**asdict(clean), "legal_status": str(legal_status)})
        return record_of(row)


def legal_columns(status: LegalStatus, on: dt.date) -> dict:
    """The organization's columns that a move to `status` on `on` sets."""
    data: dict = {"legal_status": str(status), "legal_since": on}
    if status is LegalStatus.FILED:
        data["filed_on"] = on
    elif status is LegalStatus.REGISTERED:
        data["registered_on"] = on
    elif status is LegalStatus.DEREGISTERED:
        data["deregistered_on"] = on
    return data


def get(org_id: int) -> OrgRecord:
    row = Organization.get_or_none(Organization.id == org_id)
    if row is None:
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return record_of(row)


def get_by_code(code: str) -> OrgRecord:
    """The organization with this credit code (case and spaces forgiven)."""
    from app.domain.orgs.uscc import normalize_uscc

    row = Organization.get_or_none(Organization.credit_code == normalize_uscc(code))
    if row is None:
        raise NotFoundError(f"找不到统一社会信用代码为{code}的社会组织")
    return record_of(row)


def update(org_id: int, draft: OrgDraft, expected_version: int,
           today: dt.date | None = None) -> OrgRecord:
    """Save edits, refusing them if someone else saved the record since it was loaded.

    Raises:
        FormErrors, DuplicateError: as for `create`.
        ConflictError: the record changed since `expected_version` was read.
    """
    today = today or dt.date.today()
    current = get(org_id)
    clean = validate(draft, current.legal_status, today)
    with writing():
        current = get(org_id)
        if current.version != expected_version:
            raise ConflictError("该记录已被其他人修改，请重新打开后再编辑")
        dup = _duplicate(clean.credit_code, exclude=org_id)
        if dup is not None:
            raise dup
        try:
            with database.atomic():  # a savepoint: PostgreSQL may go on after a conflict
                updated = Organization.update(
                    **columns(clean), updated_at=utcnow(), version=Organization.version + 1,
                ).where((Organization.id == org_id)
                        & (Organization.version == expected_version)).execute()
        except pw.IntegrityError:
            # Another desk stored the same code after our check: name its organization.
            raise (_duplicate(clean.credit_code, exclude=org_id)
                   or DuplicateError("统一社会信用代码重复", "")) from None
        if updated != 1:
            raise ConflictError("该记录已被其他人修改，请重新打开后再编辑")
        before, after = audit.changes(asdict(current.draft), asdict(clean))
        for name, item in CHANGE_ITEMS.items():
            if name in after:
                OrgChange.create(org=org_id, item=item, before=_text(before[name]),
                                 after=_text(after[name]), on=today)
        audit.record("update", "organization", org_id, before, after)
        return get(org_id)


def _text(value: object) -> str:
    if value is None:
        return ""
    label = getattr(value, "label", None)
    return str(label if label is not None else value)
