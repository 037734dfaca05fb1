"""Legal status (备案 / 登记 / 注销): the only way an organization's legal status changes.

A move is dated and kept in `org_transition` with the authority that decided it, so the
timeline and the annual report can say "2021年3月5日 登记（武汉市民政局）".
"""

from __future__ import annotations

import datetime as dt

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import (
    LegalStatus,
    check_certificate_period,
    check_legal_move,
)
from app.domain.orgs.periods import fmt_date
from app.services.common import audit
from app.services.orgs.registration import OrgRecord, get, legal_columns
from app.store.db import writing
from app.store.models import Organization, OrgTransition, utcnow

CONFLICT = "该组织已被其他人修改，请重新打开后再操作"


def move(org_id: int, target: LegalStatus, on: dt.date, authority: str = "",
         certificate_number: str = "", valid_from: dt.date | None = None,
         valid_to: dt.date | None = None, note: str = "",
         expected_version: int | None = None) -> OrgRecord:
    """File, register or deregister the organization on `on`.

    Registering needs a credit code on the record. Certificate number and validity, and the
    registration authority, are written only when given (a deregistration keeps the old
    certificate's data for the record).

    Raises:
        IllegalTransition: the move is not allowed (a 社区社会组织 is never registered).
        FormErrors: registering without a credit code; a certificate period that ends before
            it starts; a date before the current status began.
        ConflictError: the organization changed since `expected_version` was read.
    """
    authority = clean_text(authority)
    certificate_number = clean_text(certificate_number)
    with writing():
        row = Organization.get_or_none(Organization.id == org_id)
        if row is None:
            raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(CONFLICT)
        current = LegalStatus(row.legal_status)
        check_legal_move(current, target, OrgKind(row.kind))
        errors: dict[str, str] = {}
        if target is LegalStatus.REGISTERED and not row.credit_code:
            errors["credit_code"] = "登记前请先在组织信息中填写统一社会信用代码（见登记证书）"
        # An unregistered record's legal_since is only the day it was entered.
        since = row.legal_since if current is not LegalStatus.UNREGISTERED else None
        if since is not None and on < since:
            errors["on"] = f"变更日期不能早于当前法律身份的开始日期（{fmt_date(since)}）"
        start = valid_from or (on if valid_to is not None else None)
        if start is not None and valid_to is not None:
            try:
                check_certificate_period(start, valid_to, "valid_to")
            except ValidationError as exc:
                errors[exc.field] = exc.message
        if errors:
            raise FormErrors(errors)
        values = legal_columns(target, on)
        if certificate_number:
            values["certificate_number"] = certificate_number
        if valid_from is not None or valid_to is not None:
            values["certificate_valid_from"] = start
            values["certificate_valid_to"] = valid_to
        if authority and target is not LegalStatus.DEREGISTERED:
            values["registration_authority"] = authority
        before = {name: getattr(row, name) for name in values}
        updated = Organization.update(
            **values, updated_at=utcnow(), version=Organization.version + 1,
        ).where((Organization.id == org_id) & (Organization.version == row.version)).execute()
        if updated != 1:
            raise ConflictError(CONFLICT)
        OrgTransition.create(org=org_id, machine="legal", from_state=str(current),
                             to_state=str(target), on=on, authority=authority,
                             note=note.strip(), actor=audit.current_actor())
        audit.record("legal_move", "organization", org_id, before,
                     {**values, "authority": authority, "note": note.strip()})
        return get(org_id)
