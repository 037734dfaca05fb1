"""Recording projects: the purchaser list, the project form, and the contractor's standing.

A contractor that is not in good standing (deregistered, on a credit list, last inspection
failed or overdue: `orgs.inspections.standing`) can be chosen only with a recorded reason,
which the project keeps and the audit trail holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

import peewee as pw

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.normalize import clean_text, text_problem
from app.domain.pinyin import name_keys
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.services.common import audit, numbering
from app.services.orgs import inspections
from app.store.db import database, writing
from app.store.models import Organization, Project, Purchaser, utcnow

PROJECT = "project"
DRAFT_FIELDS = tuple(f.name for f in fields(ProjectDraft))


class ContractorWarning(ValidationError):
    """The contractor is not in good standing; saving needs `contractor_reason`."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("contractor_id", "承接主体存在以下情况：" + "；".join(problems)
                         + "。如确需选择，请填写理由")
        self.problems = problems


@dataclass(frozen=True)
class PurchaserRow:
    id: int
    name: str
    contact: str
    phone: str
    active: bool


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    number: str
    draft: ProjectDraft
    purchaser_name: str
    contractor_name: str
    contractor_code: str
    contractor_warning: str
    status: ProjectStatus
    status_since: dt.date | None
    paid_fen: int
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @property
    def name(self) -> str:
        return self.draft.name


# --- purchasers ------------------------------------------------------------------------

def purchasers(include_inactive: bool = False) -> list[PurchaserRow]:
    query = Purchaser.select().order_by(Purchaser.name)
    if not include_inactive:
        query = query.where(Purchaser.active == True)  # noqa: E712 (peewee expression)
    return [PurchaserRow(p.id, p.name, p.contact, p.phone, p.active) for p in query]


def save_purchaser(name: str, contact: str = "", phone: str = "",
                   purchaser_id: int | None = None, active: bool = True) -> PurchaserRow:
    """Add a purchasing department, or rename/retire one (retired ones stay on old projects)."""
    name, contact, phone = clean_text(name), clean_text(contact), clean_text(phone)
    if not name:
        raise FormErrors({"name": "请填写购买主体名称"})
    problems = {field: problem for field, value, label, limit in (
        ("name", name, "购买主体名称", 120), ("contact", contact, "联系人", 40),
        ("phone", phone, "联系电话", 20)) if (problem := text_problem(value, label, limit))}
    if problems:
        raise FormErrors(problems)
    with writing():
        clash = Purchaser.select().where(Purchaser.name == name)
        if purchaser_id is not None:
            clash = clash.where(Purchaser.id != purchaser_id)
        if clash.exists():
            raise FormErrors({"name": f"购买主体“{name}”已在列表中"})
        values = {"name": name, "contact": contact, "phone": phone, "active": active}
        if purchaser_id is None:
            row = Purchaser.create(**values)
        else:
            Purchaser.update(**values).where(Purchaser.id == purchaser_id).execute()
            row = Purchaser.get_by_id(purchaser_id)
        audit.record("purchaser", "purchaser", row.id, None, values)
        return PurchaserRow(row.id, row.name, row.contact, row.phone, row.active)


def purchaser_id_for(name: str) -> int:
    """The purchaser of that name, added to the list if new (imports, demo data)."""
    row = Purchaser.get_or_none(Purchaser.name == clean_text(name))
    return row.id if row is not None else save_purchaser(name).id


# --- projects --------------------------------------------------------------------------

def _record(row: Project) -> ProjectRecord:
    values = {name: getattr(row, name) for name in DRAFT_FIELDS
              if name not in ("purchaser_id", "contractor_id", "method")}
    draft = ProjectDraft(**values, purchaser_id=row.purchaser_id,
                         contractor_id=row.contractor_id, method=PurchaseMethod(row.method))
    contractor = (Organization.get_or_none(Organization.id == row.contractor_id)
                  if row.contractor_id else None)
    return ProjectRecord(
        id=row.id, number=row.number, draft=draft,
        purchaser_name=Purchaser.get_by_id(row.purchaser_id).name,
        contractor_name=contractor.name if contractor else "",
        contractor_code=(contractor.credit_code or "") if contractor else "",
        contractor_warning=row.contractor_warning, status=ProjectStatus(row.status),
        status_since=row.status_since, paid_fen=row.paid_fen, created_at=row.created_at,
        updated_at=row.updated_at, version=row.version)


def _columns(draft: ProjectDraft) -> dict:
    data = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    data["purchaser"] = data.pop("purchaser_id")
    data["contractor"] = data.pop("contractor_id")
    data["method"] = str(draft.method)
    initials, full = name_keys(draft.name)
    data["name_initials"], data["name_pinyin"] = initials, full.replace(" ", "")
    return data


def contractor_problems(org_id: int | None, today: dt.date | None = None) -> tuple[str, ...]:
    """Why an organization is not in good standing as a contractor (empty when it is)."""
    if org_id is None:
        return ()
    if not Organization.select().where(Organization.id == org_id).exists():
        raise FormErrors({"contractor_id": "所选承接主体不在社会组织名录中"})
    return inspections.standing(org_id, today).problems


def _check_refs(draft: ProjectDraft, contractor_reason: str, today: dt.date | None) -> str:
    """Purchaser exists; a contractor in bad standing needs a reason. Returns the warning
    text to keep (problems and reason), or ""."""
    if not Purchaser.select().where(Purchaser.id == draft.purchaser_id).exists():
        raise FormErrors({"purchaser_id": "所选购买主体不存在"})
    problems = contractor_problems(draft.contractor_id, today)
    if not problems:
        return ""
    reason = clean_text(contractor_reason)
    if not reason:
        raise ContractorWarning(problems)
    return "；".join(problems) + f"。确认理由：{reason}"


def format_number(year: int, value: int) -> str:
    return f"XM{year}-{value:04d}"


def create(draft: ProjectDraft, contractor_reason: str = "",
           today: dt.date | None = None) -> ProjectRecord:
    """Validate and store a new project (status 草稿) with the next number XM<year>-NNNN.

    Raises:
        FormErrors: invalid fields (nothing stored).
        ContractorWarning: the contractor is not in good standing and no reason was given.
    """
    today = today or dt.date.today()
    clean = draft.validated()
    with writing():
        warning = _check_refs(clean, contractor_reason, today)
        value = numbering.reserve(f"{PROJECT}-{today.year}")
        row = Project.create(number=format_number(today.year, value), **_columns(clean),
                             contractor_warning=warning, status=str(ProjectStatus.DRAFT),
                             status_since=today)
        audit.record("register", PROJECT, row.number, None,
                     {**asdict(clean), "contractor_warning": warning})
        return _record(row)


def get(project_id: int) -> ProjectRecord:
    row = Project.get_or_none(Project.id == project_id)
    if row is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    return _record(row)


def get_by_number(number: str) -> ProjectRecord:
    row = Project.get_or_none(Project.number == clean_text(number).upper())
    if row is None:
        raise NotFoundError(f"找不到项目编号{number}")
    return _record(row)


def update(project_id: int, draft: ProjectDraft, expected_version: int,
           contractor_reason: str = "", today: dt.date | None = None) -> ProjectRecord:
    """Save edits; the contract amount may not drop below what was paid already.

    Raises:
        FormErrors, ContractorWarning: as for `create`.
        ConflictError: the record changed since `expected_version` was read.
    """
    clean = draft.validated()
    with writing():
        current = get(project_id)
        if current.version != expected_version:
            raise ConflictError("该项目已被其他人修改，请重新打开后再编辑")
        warning = current.contractor_warning
        if clean.contractor_id != current.draft.contractor_id or contractor_reason:
            warning = _check_refs(clean, contractor_reason, today)
        else:
            _check_refs(clean, "-", today)
        if clean.contract_amount_fen is not None and clean.contract_amount_fen < current.paid_fen:
            raise FormErrors({"contract_amount_fen": "合同金额不能低于已支付金额"})
        if clean.contract_amount_fen is None and current.paid_fen:
            raise FormErrors({"contract_amount_fen": "已有付款的项目须保留合同金额"})
        try:
            updated = Project.update(
                **_columns(clean), contractor_warning=warning, updated_at=utcnow(),
                version=Project.version + 1,
            ).where((Project.id == project_id)
                    & (Project.version == expected_version)).execute()
        except pw.IntegrityError:
            raise FormErrors({"contract_amount_fen": "合同金额不能低于已支付金额"}) from None
        if updated != 1:
            raise ConflictError("该项目已被其他人修改，请重新打开后再编辑")
        before, after = audit.changes(asdict(current.draft), asdict(clean))
        audit.record("update", PROJECT, current.number, before, after)
        return get(project_id)


def lock(project_id: int) -> Project:
    """The project row, locked for the rest of the transaction on PostgreSQL (payments and
    moves on two desks queue here); SQLite's writing transaction already holds the file."""
    query = Project.select().where(Project.id == project_id)
    if not isinstance(database.obj, pw.SqliteDatabase):
        query = query.for_update()
    row = query.first()
    if row is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    return row
