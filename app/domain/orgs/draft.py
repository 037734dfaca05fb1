"""An organization as a form or an import row fills it in, and the checks it must pass.

Legal status and incubation stage are not part of the draft: they change only through their
state machines (`legal_status`, `incubation`), so every change is dated and kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from app.domain.errors import FormErrors, ValidationError
from app.domain.normalize import clean_name, clean_text, text_problem
from app.domain.orgs.kinds import OrgKind, PneForm, ServiceField
from app.domain.orgs.uscc import UsccCheckError, kind_mismatch, parse_uscc

_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
_POST_CODE = re.compile(r"^[0-9]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 120
MAX_CAPITAL_FEN = 10**15  # ten trillion yuan: anything larger is a typing slip
MAX_TEXT = 2000  # free-text columns (business scope, remarks)

# Free-text fields: label and longest length (the register's column widths).
TEXT_LIMITS = {
    "name": ("组织名称", MAX_NAME), "code_override_reason": ("保留原因", MAX_TEXT),
    "certificate_number": ("登记证号", 40), "legal_representative": ("法定代表人", 40),
    "supervisor_unit": ("业务主管单位", 120), "registration_authority": ("登记管理机关", 120),
    "address": ("住所", 200), "post_code": ("邮政编码", 10), "district": ("所在区", 40),
    "street": ("街道", 60), "community": ("社区", 60), "contact_person": ("联系人", 40),
    "contact_phone": ("联系电话", 20), "email": ("电子邮箱", 120), "website": ("网站", 200),
    "business_scope": ("业务范围", MAX_TEXT), "remarks": ("备注", MAX_TEXT),
}


@dataclass(slots=True)
class OrgDraft:
    """The fields staff type. Money in fen, dates as dates; empty text is ""."""

    name: str = ""
    kind: OrgKind | None = None
    pne_form: PneForm | None = None
    service_field: ServiceField | None = None
    credit_code: str = ""
    code_override_reason: str = ""
    certificate_number: str = ""
    legal_representative: str = ""
    supervisor_unit: str = ""
    registration_authority: str = ""
    address: str = ""
    post_code: str = ""
    district: str = ""
    street: str = ""
    community: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    email: str = ""
    website: str = ""
    capital_fen: int | None = None
    business_scope: str = ""
    founded_on: dt.date | None = None
    certificate_valid_from: dt.date | None = None
    certificate_valid_to: dt.date | None = None
    remarks: str = ""

    def validated(self, today: dt.date | None = None, *, code_required: bool = False
                  ) -> OrgDraft:
        """A cleaned copy, or FormErrors with a Chinese message for every bad field.

        Args:
            code_required: the organization is (or is becoming) registered, so it must
                have a credit code.
        """
        today = today or dt.date.today()
        out = dataclasses.replace(self)
        errors: dict[str, str] = {}
        for name in _TEXT_FIELDS:
            value = getattr(out, name)
            setattr(out, name, value.strip() if name in _MULTILINE else clean_text(value))
        out.name = clean_name(out.name)
        out.legal_representative = clean_name(out.legal_representative)
        out.contact_person = clean_name(out.contact_person)

        for name, (label, limit) in TEXT_LIMITS.items():
            problem = text_problem(getattr(out, name), label, limit)
            if problem:
                errors[name] = problem
        if not out.name:
            errors["name"] = "请填写组织名称"
        if out.kind is None:
            errors["kind"] = "请选择组织类型"
        if out.kind is not OrgKind.PRIVATE_NON_ENTERPRISE:
            out.pne_form = None
        _check_code(out, code_required, errors)
        _check_contacts(out, errors)
        if out.capital_fen is not None and not 0 <= out.capital_fen < MAX_CAPITAL_FEN:
            errors["capital_fen"] = "注册资金（开办资金）应为不小于0的金额"
        if out.founded_on is not None and out.founded_on > today:
            errors["founded_on"] = "成立日期不能晚于今天"
        if (out.certificate_valid_from and out.certificate_valid_to
                and out.certificate_valid_to <= out.certificate_valid_from):
            errors["certificate_valid_to"] = "证书有效期的截止日期应晚于起始日期"
        if errors:
            raise FormErrors(errors)
        return out

    def warnings(self) -> list[str]:
        """Things worth a second look that do not stop a save (the code's kind digit)."""
        if not self.credit_code or self.kind is None:
            return []
        try:
            info = parse_uscc(self.credit_code, accept_check_failure=True)
        except ValidationError:
            return []
        message = kind_mismatch(info, self.kind)
        return [message] if message else []


_MULTILINE = frozenset({"business_scope", "remarks"})
_TEXT_FIELDS = tuple(
    f.name for f in dataclasses.fields(OrgDraft)
    if f.type in ("str", str))


def _check_code(out: OrgDraft, code_required: bool, errors: dict[str, str]) -> None:
    raw = out.credit_code
    if not raw:
        out.code_override_reason = ""
        if code_required:
            errors["credit_code"] = "已登记的社会组织须填写统一社会信用代码"
        return
    try:
        info = parse_uscc(raw, accept_check_failure=bool(out.code_override_reason))
    except UsccCheckError as exc:
        errors["credit_code"] = exc.message + "；如证书上确为此代码，请填写保留原因"
        return
    except ValidationError as exc:
        errors["credit_code"] = exc.message
        return
    out.credit_code = info.code
    if not info.check_failures:
        out.code_override_reason = ""


def _check_contacts(out: OrgDraft, errors: dict[str, str]) -> None:
    if out.contact_phone and not _PHONE.match(out.contact_phone):
        errors["contact_phone"] = "联系电话应为手机号码或带区号的固定电话"
    if out.post_code and not _POST_CODE.match(out.post_code):
        errors["post_code"] = "邮政编码应为6位数字"
    if out.email and not _EMAIL.match(out.email):
        errors["email"] = "电子邮箱格式不正确"
