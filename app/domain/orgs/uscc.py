"""统一社会信用代码 (GB 32100-2015) with the embedded organization code (GB 11714-1997).

python-stdnum (`stdnum.cn.uscc`) does the cleaning and the 18th check character; this module
adds what a clerk needs: a Chinese message naming the position and the check that failed, the
check of the organization code inside (positions 9–17, which stdnum does not test), and the
decoded parts.

stdnum's own `validate` is not called: it refuses letters in positions 1–2, which GB 32100
allows (registering departments A, N and Y), and says only "InvalidFormat".

Some codes in the wild fail a check. `parse_uscc(..., accept_check_failure=True)` returns them
with the failures listed in `UsccInfo.check_failures`, so the service can store them with a
recorded override — never a silent accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import numdb
from stdnum.cn import uscc as _stdnum_uscc

from app.domain.errors import ValidationError
from app.domain.normalize import clean_text, foreign_digit
from app.domain.orgs.kinds import OrgKind

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100 (no I, O, S, V, Z)."""

_REFUSED_LETTERS = "IOSVZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
LENGTH = 18

CIVIL_AFFAIRS = "5"
"""Position 1 for organizations registered by 民政 (civil affairs)."""

DEPARTMENTS = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
    "7": "宗教", "8": "工会", "9": "市场监管", "A": "中央军委改革和编制办公室",
    "N": "农业", "Y": "其他",
}
"""Registering department (登记管理部门码, position 1)."""

KINDS = {
    "1": {"1": "机关", "2": "事业单位", "3": "群众团体", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
}
"""Kind (机构类别码, position 2) for the departments a register meets most."""

EXPECTED_KIND_DIGIT = {
    OrgKind.SOCIAL_GROUP: "1",
    OrgKind.PRIVATE_NON_ENTERPRISE: "2",
    OrgKind.FOUNDATION: "3",
    OrgKind.COMMUNITY: "9",
}
"""Position 2 a 民政 code should carry for each organization type."""

CHECK_CHARACTER = "check_character"
ORGANIZATION_CODE = "organization_code"


@dataclass(frozen=True, slots=True)
class UsccInfo:
    """What a credit code tells.

    `check_failures` is empty for a code that passes both checks; it is filled only when
    the caller asked `parse_uscc` to accept check failures (an override to record).
    """

    code: str
    department_code: str
    department: str | None  # None: not a department GB 32100 lists
    kind_code: str
    kind: str | None  # None: not decoded for this department
    area_code: str
    area_name: str | None  # from stdnum's region table; None when unknown
    organization_code: str  # positions 9–17, the GB 11714 code with its check
    check_failures: tuple[str, ...] = ()  # Chinese sentences, one per failed check

    @property
    def is_civil_affairs(self) -> bool:
        return self.department_code == CIVIL_AFFAIRS

    @property
    def organization_code_display(self) -> str:
        """MJH20039-5: the hyphenated form printed on old organization-code certificates."""
        return f"{self.organization_code[:8]}-{self.organization_code[8]}"


class UsccCheckError(ValidationError):
    """A well-formed code whose check character(s) do not match.

    Attributes:
        failed: which checks failed: CHECK_CHARACTER and/or ORGANIZATION_CODE.
        expected: the expected character at each failed position (18 and/or 17).
        messages: one Chinese sentence per failed check.
    """

    def __init__(self, field: str, code: str, failed: tuple[str, ...],
                 expected: dict[int, str], messages: tuple[str, ...]) -> None:
        super().__init__(field, "；".join(messages) + "。请核对号码是否抄错")
        self.code = code
        self.failed = failed
        self.expected = expected
        self.messages = messages


def normalize_uscc(value: object) -> str:
    """Full-width folded, spaces and hyphens removed, upper-cased."""
    return _stdnum_uscc.compact(clean_text(value))


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100 weights, modulus 31)."""
    return _stdnum_uscc.calc_check_digit(first17)


def organization_check_character(body8: str) -> str:
    """The 9th character of a GB 11714 organization code for its first 8 characters."""
    total = sum(_org_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def parse_uscc(value: object, field: str = "credit_code", *,
               accept_check_failure: bool = False) -> UsccInfo:
    """Validate a credit code and decode it.

    Checks, in order: not empty; 18 characters; each character in the GB 32100 alphabet
    (the letters I O Z S V named with their position); positions 3–8 digits; then the
    organization code's check (position 17) and the 18th check character.

    Args:
        accept_check_failure: return a code that fails only the checks, listing the failures
            in `check_failures`, instead of raising UsccCheckError.

    Raises:
        ValidationError: the first structural problem, in Chinese.
        UsccCheckError: (a ValidationError) when a check fails and it was not accepted.
    """
    foreign = foreign_digit(value)
    if foreign is not None:
        raise ValidationError(
            field, f"统一社会信用代码只能包含数字0–9和大写字母（“{foreign}”不是）")
    code = normalize_uscc(value)
    if not code:
        raise ValidationError(field, "请填写统一社会信用代码")
    if len(code) != LENGTH:
        raise ValidationError(field, f"统一社会信用代码应为18位，现在是{len(code)}位")
    for position, ch in enumerate(code, start=1):
        if ch in _REFUSED_LETTERS:
            raise ValidationError(
                field, f"统一社会信用代码第{position}位是字母{ch}，代码中不使用字母I、O、Z、S、V"
                       f"（常见原因：把数字1、0、2、5抄成了字母I、O、Z、S）")
        if ch not in ALPHABET:
            raise ValidationError(field, f"统一社会信用代码第{position}位“{ch}”不是允许的字符")
    if not code[2:8].isdigit():
        raise ValidationError(field, f"统一社会信用代码第3–8位应为行政区划代码（6位数字），"
                                     f"现在是{code[2:8]}")
    failures = _check_failures(code)
    if failures and not accept_check_failure:
        raise UsccCheckError(field, code, tuple(f for f, _, _ in failures),
                             {pos: exp for _, pos, exp in failures if exp},
                             tuple(m for _, _, m in (_messages(code, failures))))
    department_code, kind_code = code[0], code[1]
    return UsccInfo(
        code=code,
        department_code=department_code,
        department=DEPARTMENTS.get(department_code),
        kind_code=kind_code,
        kind=KINDS.get(department_code, {}).get(kind_code),
        area_code=code[2:8],
        area_name=area_name(code[2:8]),
        organization_code=code[8:17],
        check_failures=tuple(m for _, _, m in _messages(code, failures)),
    )


def is_valid_uscc(value: object) -> bool:
    """True when the code passes every check (no override)."""
    try:
        parse_uscc(value)
    except ValidationError:
        return False
    return True


def kind_mismatch(info: UsccInfo, kind: OrgKind) -> str | None:
    """A Chinese warning when positions 1–2 disagree with the organization type, else None.

    A warning, not an error: old codes, re-registrations and changes of type happen, and the
    clerk decides.
    """
    expected = EXPECTED_KIND_DIGIT[kind]
    if info.department_code != CIVIL_AFFAIRS:
        department = info.department or f"代码{info.department_code}"
        return (f"统一社会信用代码第1位为{info.department_code}（{department}），"
                f"{kind.label}一般由民政部门登记，第1位应为5，请核对")
    if info.kind_code != expected:
        shown = info.kind or f"代码{info.kind_code}"
        wanted = KINDS[CIVIL_AFFAIRS][expected]
        return (f"统一社会信用代码第2位为{info.kind_code}（{shown}），与组织类型“{kind.label}”"
                f"不符（应为{expected}，{wanted}），请核对")
    return None


def area_name(area_code: str) -> str | None:
    """Province and county for a 6-digit area code, from stdnum's region table."""
    parts = {k: v for _, props in numdb.get("cn/loc").info(area_code) for k, v in props.items()}
    province = parts.get("province")
    if not province:
        return None
    county = _current_name(parts.get("county", ""))
    if not county or county == province:
        return province
    return province + county


def _current_name(names: str) -> str:
    """'[1983-1995]甲县,[1995-]乙区' -> '乙区': the open-ended (current) name, else the last."""
    entries = [n for n in names.split(",") if n]
    for entry in entries:
        if not entry.startswith("[") or entry.split("]", 1)[0].endswith("-"):
            return entry.split("]", 1)[-1]
    return entries[-1].split("]", 1)[-1] if entries else ""


def _org_value(ch: str) -> int:
    """GB 11714 values: digits as themselves, A=10 … Z=35."""
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def _check_failures(code: str) -> list[tuple[str, int, str]]:
    """(check, position, expected character) for each failed check, organization code first."""
    failures = []
    org_expected = organization_check_character(code[8:16])
    if code[16] != org_expected:
        failures.append((ORGANIZATION_CODE, 17, org_expected))
    expected = check_character(code[:17])
    if code[17] != expected:
        failures.append((CHECK_CHARACTER, 18, expected))
    return failures


def _messages(code: str, failures: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    """The Chinese sentence for each failure, keeping (check, position) for the caller.

    When the organization code is wrong the 18th character fails too; its expected value is
    then computed from a mistyped body, so it is not offered as the fix.
    """
    org_failed = any(check == ORGANIZATION_CODE for check, _, _ in failures)
    result = []
    for check, position, expected in failures:
        if check == ORGANIZATION_CODE:
            text = (f"统一社会信用代码第9–17位组织机构代码校验位不符"
                    f"（{code[8:16]}的校验位应为{expected}，现在是{code[16]}）")
        elif org_failed:
            text = "第18位校验码也不符（请先核对第9–17位）"
        else:
            text = f"统一社会信用代码第18位校验码不符，应为{expected}"
        result.append((check, position, text))
    return result
