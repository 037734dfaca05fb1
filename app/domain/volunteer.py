"""The volunteer as the register keeps it, and the rules a registration must meet."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from enum import StrEnum

from app.domain.errors import FormErrors, ValidationError
from app.domain.idcard import age_on, normalize_id_number, parse_id_number
from app.domain.normalize import clean_name, clean_text, foreign_digit, text_problem
from app.domain.phone import normalize_phone


class IdType(StrEnum):
    RESIDENT = "resident"      # 居民身份证
    PASSPORT = "passport"      # 护照
    HK_MACAO = "hk_macao"      # 港澳居民来往内地通行证
    TAIWAN = "taiwan"          # 台湾居民来往大陆通行证
    OTHER = "other"

    @property
    def label(self) -> str:
        return ID_TYPE_LABELS[self]


ID_TYPE_LABELS = {
    IdType.RESIDENT: "居民身份证",
    IdType.PASSPORT: "护照",
    IdType.HK_MACAO: "港澳居民来往内地通行证",
    IdType.TAIWAN: "台湾居民来往大陆通行证",
    IdType.OTHER: "其他证件",
}


class Status(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"  # a duplicate folded into another record; final (see services.merge)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {Status.ACTIVE: "在册", Status.SUSPENDED: "暂停", Status.WITHDRAWN: "已退出",
                 Status.MERGED: "已合并"}

SEX_LABELS = {"M": "男", "F": "女"}
SEX_FROM_TEXT = {"男": "M", "女": "F", "M": "M", "F": "F", "MALE": "M", "FEMALE": "F"}

POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众")
EDUCATION_LEVELS = ("小学", "初中", "高中/中专", "大专", "本科", "硕士", "博士", "其他")

NUMBER_PREFIX = "V"
NUMBER_DIGITS = 8
_NUMBER_RE = re.compile(r"V[0-9]{8}")
_OTHER_ID_RE = re.compile(r"^[A-Z0-9]{5,20}$")
MAX_TEXT = 2000  # free-text columns (skills, remarks): longer is a paste gone wrong

# Free-text fields: label and longest length (the register's column widths).
TEXT_LIMITS = {
    "name": ("姓名", 40), "district": ("所在区", 40), "street": ("街道", 60),
    "community": ("社区", 60), "skills": ("技能特长", MAX_TEXT),
    "service_preferences": ("服务意向", MAX_TEXT), "available_time": ("可服务时间", 120),
    "political_status": ("政治面貌", 20), "education": ("学历", 20),
    "employer": ("工作单位", 120), "emergency_contact": ("紧急联系人", 40),
    "guardian_name": ("监护人姓名", 40), "remarks": ("备注", MAX_TEXT),
}


def format_volunteer_number(serial: int) -> str:
    """Volunteer numbers are V + 8 digits: upper-case and alphanumeric, so a QR
    code in alphanumeric mode and a keyboard-wedge scanner carry them unchanged."""
    return f"{NUMBER_PREFIX}{serial:0{NUMBER_DIGITS}d}"


def looks_like_volunteer_number(text: str) -> bool:
    return bool(_NUMBER_RE.fullmatch(text.upper()))


@dataclass(frozen=True, slots=True)
class MinorPolicy:
    """Local rules for young volunteers (DOMAIN.md §1): configurable per center."""

    min_age: int = 6
    guardian_under: int = 18


@dataclass(slots=True)
class VolunteerDraft:
    """What a form or an import row supplies; `validated()` returns a clean copy."""

    name: str = ""
    sex: str = ""
    id_type: str = IdType.RESIDENT
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    district: str = ""
    street: str = ""
    community: str = ""
    skills: str = ""
    service_preferences: str = ""
    available_time: str = ""
    political_status: str = ""
    education: str = ""
    employer: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""
    guardian_name: str = ""
    guardian_id_number: str = ""
    guardian_phone: str = ""
    guardian_consent: bool = False
    registered_on: dt.date | None = None
    remarks: str = ""

    def validated(self, policy: MinorPolicy | None = None,
                  today: dt.date | None = None) -> VolunteerDraft:
        """Normalise every field and check the rules of DOMAIN.md §1.

        Raises:
            FormErrors: every field that is wrong, each with its Chinese message.
        """
        policy = policy or MinorPolicy()
        today = today or dt.date.today()
        errors: dict[str, str] = {}
        out = replace(self)
        for f in fields(self):
            value = getattr(out, f.name)
            if isinstance(value, str):
                setattr(out, f.name, clean_text(value))
        out.name = clean_name(self.name)
        for name, (label, limit) in TEXT_LIMITS.items():
            problem = text_problem(getattr(out, name), label, limit)
            if problem:
                errors[name] = problem
        if not out.name:
            errors["name"] = "请填写姓名"

        try:
            out.id_type = IdType(out.id_type or IdType.RESIDENT)
        except ValueError:
            errors["id_type"] = "证件类型不正确"
            out.id_type = IdType.OTHER

        sex_text = out.sex.upper()
        given_sex = SEX_FROM_TEXT.get(sex_text) if sex_text else None
        if sex_text and given_sex is None:
            errors["sex"] = f"性别“{out.sex}”无法识别，请填写男或女"

        if out.id_type == IdType.RESIDENT:
            try:
                info = parse_id_number(out.id_number, today)
            except ValidationError as exc:
                errors["id_number"] = exc.message
            else:
                out.id_number = info.number
                out.birth_date = info.birth_date
                if given_sex and given_sex != info.sex:
                    errors["sex"] = (f"性别填写为{SEX_LABELS[given_sex]}，"
                                     f"但身份证号码显示为{SEX_LABELS[info.sex]}")
                given_sex = info.sex
        else:
            foreign = foreign_digit(out.id_number)
            out.id_number = normalize_id_number(out.id_number)
            if not out.id_number:
                errors["id_number"] = "请填写证件号码"
            elif foreign is not None:
                errors["id_number"] = f"证件号码只能包含字母和数字0–9（“{foreign}”不是）"
            elif not _OTHER_ID_RE.match(out.id_number):
                errors["id_number"] = "证件号码应为5到20位字母或数字"
            if out.birth_date is None:
                errors["birth_date"] = "非身份证件请填写出生日期"
            elif out.birth_date > today:
                errors["birth_date"] = "出生日期不能晚于今天"
            if given_sex is None and "sex" not in errors:
                errors["sex"] = "请选择性别"
        out.sex = given_sex or ""

        try:
            out.phone = normalize_phone(out.phone)
        except ValidationError as exc:
            errors["phone"] = exc.message
        if out.emergency_phone:
            try:
                out.emergency_phone = normalize_phone(out.emergency_phone, "emergency_phone")
            except ValidationError as exc:
                errors["emergency_phone"] = exc.message

        if out.registered_on is None:
            out.registered_on = today
        elif out.registered_on > today:
            errors["registered_on"] = "登记日期不能晚于今天"

        if out.birth_date is not None and "id_number" not in errors:
            _check_minor(out, policy, today, errors)
        if errors:
            raise FormErrors(errors)
        return out

    def age(self, today: dt.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, today or dt.date.today())


def _check_minor(out: VolunteerDraft, policy: MinorPolicy, today: dt.date,
                 errors: dict[str, str]) -> None:
    assert out.birth_date is not None
    age = age_on(out.birth_date, today)
    if age < policy.min_age:
        errors["id_number"] = f"年龄{age}岁，未满{policy.min_age}岁不能登记为志愿者"
        return
    if age >= policy.guardian_under:
        return
    if not out.guardian_name:
        errors["guardian_name"] = f"未满{policy.guardian_under}岁（{age}岁）须填写监护人姓名"
    if not out.guardian_phone:
        errors["guardian_phone"] = "未成年人须填写监护人联系电话"
    else:
        try:
            out.guardian_phone = normalize_phone(out.guardian_phone, "guardian_phone")
        except ValidationError as exc:
            errors["guardian_phone"] = exc.message
    if not out.guardian_id_number:
        errors["guardian_id_number"] = "未成年人须填写监护人身份证号码"
    else:
        try:
            info = parse_id_number(out.guardian_id_number, today, "guardian_id_number")
        except ValidationError as exc:
            errors["guardian_id_number"] = "监护人" + exc.message
        else:
            out.guardian_id_number = info.number
            if age_on(info.birth_date, today) < 18:
                errors["guardian_id_number"] = "监护人须年满18岁"
    if not out.guardian_consent:
        errors["guardian_consent"] = "未成年人须取得监护人同意"


ALLOWED_STATUS_CHANGES = {
    (Status.ACTIVE, Status.SUSPENDED),
    (Status.ACTIVE, Status.WITHDRAWN),
    (Status.SUSPENDED, Status.ACTIVE),
    (Status.SUSPENDED, Status.WITHDRAWN),
    (Status.WITHDRAWN, Status.ACTIVE),
}


def check_status_change(source: Status, target: Status, reason: str) -> None:
    """Raises ValidationError when the move is not allowed or lacks a reason."""
    if (source, target) not in ALLOWED_STATUS_CHANGES:
        raise ValidationError(
            "status", f"不能从“{source.label}”改为“{target.label}”")
    if target != Status.ACTIVE and not clean_text(reason):
        raise ValidationError("reason", "请填写原因")


@dataclass(frozen=True, slots=True)
class AgeGroup:
    key: str
    label: str
    min_age: int
    max_age: int | None  # inclusive


AGE_GROUPS = (
    AgeGroup("child", "14岁以下", 0, 13),
    AgeGroup("teen", "14–17岁", 14, 17),
    AgeGroup("youth", "18–35岁", 18, 35),
    AgeGroup("middle", "36–59岁", 36, 59),
    AgeGroup("senior", "60岁及以上", 60, None),
)


def birth_range(group: AgeGroup, today: dt.date) -> tuple[dt.date | None, dt.date]:
    """Birth dates (min exclusive, max inclusive) of people whose age is in the group."""
    latest = _years_before(today, group.min_age)
    earliest = None if group.max_age is None else _years_before(today, group.max_age + 1)
    return earliest, latest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
