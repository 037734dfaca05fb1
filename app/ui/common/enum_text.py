"""The closed vocabularies (`LabelledEnum`s) in the interface's language.

The domain gives every member one Chinese label (`set_labels`), which the register's exports,
imports and printed reports keep using. The English interface shows the English below
instead, only where a label is displayed; anything that reads a label back (`from_label`),
stores or prints it still takes `member.label`.

Also the due list's kinds (`DueItem.kind_label`, `DueSource.label`), which the services give
in Chinese.

No Qt here: the language is `service_text.language()`, set by `install_translators`.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.labels import LabelledEnum
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import (
    CreditListKind,
    InspectionResult,
    OrgKind,
    PneForm,
    Rating,
    ServiceField,
)
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.kinds import Grade, IndicatorLevel1, IndicatorLevel2, PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.ui.common import service_text

# Keyed by class, then by member (a StrEnum member hashes as its value).
_ENGLISH: dict[type[LabelledEnum], Mapping[str, str]] = {
    OrgKind: {
        OrgKind.SOCIAL_GROUP: "Social group",
        OrgKind.PRIVATE_NON_ENTERPRISE: "Private non-enterprise unit (social service agency)",
        OrgKind.FOUNDATION: "Foundation",
        OrgKind.COMMUNITY: "Community social organization",
    },
    PneForm: {
        PneForm.LEGAL_PERSON: "Legal person",
        PneForm.PARTNERSHIP: "Partnership",
        PneForm.INDIVIDUAL: "Individual",
    },
    ServiceField: {
        ServiceField.ELDERLY: "Elderly care",
        ServiceField.DISABILITY: "Disability assistance",
        ServiceField.CHILDREN: "Children",
        ServiceField.EDUCATION: "Education",
        ServiceField.CULTURE_SPORTS: "Culture and sports",
        ServiceField.ENVIRONMENT: "Environmental protection",
        ServiceField.COMMUNITY_GOVERNANCE: "Community governance",
        ServiceField.HEALTH: "Health care",
        ServiceField.LEGAL_SERVICES: "Legal services",
        ServiceField.OTHER: "Other",
    },
    InspectionResult: {
        InspectionResult.PASS: "Passed",
        InspectionResult.BASIC_PASS: "Basically passed",
        InspectionResult.FAIL: "Failed",
    },
    CreditListKind: {
        CreditListKind.ABNORMAL: "Abnormal activity list",
        CreditListKind.SERIOUS: "Serious violation and dishonesty list",
    },
    Rating: {
        Rating.A1: "1A",
        Rating.A2: "2A",
        Rating.A3: "3A",
        Rating.A4: "4A",
        Rating.A5: "5A",
    },
    LegalStatus: {
        LegalStatus.UNREGISTERED: "Unregistered",
        LegalStatus.FILED: "Filed",
        LegalStatus.REGISTERED: "Registered",
        LegalStatus.DEREGISTERED: "Deregistered",
    },
    IncubationState: {
        IncubationState.APPLIED: "Applied",
        IncubationState.UNDER_REVIEW: "Under review",
        IncubationState.ADMITTED: "Admitted",
        IncubationState.REJECTED: "Rejected",
        IncubationState.INCUBATING: "Incubating",
        IncubationState.GRADUATED: "Graduated",
        IncubationState.EXITED: "Exited early",
    },
    PurchaseMethod: {
        PurchaseMethod.OPEN_TENDER: "Open tendering",
        PurchaseMethod.INVITED_TENDER: "Selective tendering",
        PurchaseMethod.NEGOTIATION: "Competitive negotiation",
        PurchaseMethod.CONSULTATION: "Competitive consultation",
        PurchaseMethod.SINGLE_SOURCE: "Single source",
        PurchaseMethod.INQUIRY: "Request for quotations",
        PurchaseMethod.FRAMEWORK: "Framework agreement",
    },
    IndicatorLevel1: {
        IndicatorLevel1.OUTPUT: "Output indicators",
        IndicatorLevel1.OUTCOME: "Outcome indicators",
        IndicatorLevel1.SATISFACTION: "Satisfaction indicators",
    },
    IndicatorLevel2: {
        IndicatorLevel2.QUANTITY: "Quantity indicators",
        IndicatorLevel2.QUALITY: "Quality indicators",
        IndicatorLevel2.TIMELINESS: "Timeliness indicators",
        IndicatorLevel2.COST: "Cost indicators",
        IndicatorLevel2.SOCIAL: "Social benefit indicators",
        IndicatorLevel2.SUSTAINABILITY: "Sustainable impact indicators",
        IndicatorLevel2.SERVICE_SATISFACTION: "Service recipient satisfaction indicators",
    },
    Grade: {
        Grade.EXCELLENT: "Excellent",
        Grade.GOOD: "Good",
        Grade.PASS: "Pass",
        Grade.FAIL: "Fail",
    },
    ProjectStatus: {
        ProjectStatus.DRAFT: "Draft",
        ProjectStatus.PROCUREMENT: "In procurement",
        ProjectStatus.CONTRACTED: "Contracted",
        ProjectStatus.IN_SERVICE: "In service",
        ProjectStatus.MID_TERM: "Mid-term review",
        ProjectStatus.FINAL_ACCEPTANCE: "Final acceptance",
        ProjectStatus.EVALUATED: "Evaluated",
        ProjectStatus.CLOSED: "Closed",
        ProjectStatus.TERMINATED: "Terminated",
    },
}

# The due list's kinds, by the Chinese label their source registers (orgs.due.add_source).
_DUE_KINDS = {
    "年检": "Annual inspection",
    "孵化协议到期": "Incubation agreement ends",
    "登记证书到期": "Registration certificate expires",
    "评估等级到期": "Rating expires",
    "项目付款": "Project payment",
    "项目节点": "Project milestone",
}


def _english_ui() -> bool:
    return service_text.language() == "en"


def english(member: LabelledEnum) -> str | None:
    """The English label of `member`, or None if the table lacks it (a test forbids that)."""
    return _ENGLISH.get(type(member), {}).get(member.value)


def label(member: LabelledEnum) -> str:
    """What the user reads for `member`: English in the English interface, else Chinese."""
    if _english_ui():
        text = english(member)
        if text is not None:
            return text
    return member.label


def labels(cls: type[LabelledEnum]) -> tuple[str, ...]:
    """Every member's `label`, in declaration order."""
    return tuple(label(member) for member in cls)


def short_label(member: LabelledEnum) -> str:
    """`label` without a parenthesised second name, for narrow columns and combos."""
    return label(member).split("（")[0].split(" (")[0]


def due_kind(text: str) -> str:
    """A due item's kind (its Chinese label from the service) in the interface's language."""
    return _DUE_KINDS.get(text, text) if _english_ui() else text
