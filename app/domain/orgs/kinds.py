"""Closed vocabularies of the organization register, stored as English values, shown in Chinese.

The value (``"social_group"``) is what the database and exports hold, so a relabelling never
needs a migration; ``.label`` is what the user reads, and ``from_label`` reads it back from a
spreadsheet.
"""

from __future__ import annotations

from app.domain.labels import LabelledEnum, set_labels


class OrgKind(LabelledEnum):
    """Organization type. Only the first three are registered (登记) with legal personality."""

    SOCIAL_GROUP = "social_group"
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise"
    FOUNDATION = "foundation"
    COMMUNITY = "community"

    @property
    def registrable(self) -> bool:
        """False for community-level organizations: they are filed (备案), never registered."""
        return self is not OrgKind.COMMUNITY


class PneForm(LabelledEnum):
    """单位形式 of a 民办非企业单位 / 社会服务机构 (printed on its report cover)."""

    LEGAL_PERSON = "legal_person"
    PARTNERSHIP = "partnership"
    INDIVIDUAL = "individual"


class ServiceField(LabelledEnum):
    """服务领域, for filtering and for the statistics tables."""

    ELDERLY = "elderly"
    DISABILITY = "disability"
    CHILDREN = "children"
    EDUCATION = "education"
    CULTURE_SPORTS = "culture_sports"
    ENVIRONMENT = "environment"
    COMMUNITY_GOVERNANCE = "community_governance"
    HEALTH = "health"
    LEGAL_SERVICES = "legal_services"
    OTHER = "other"


class InspectionResult(LabelledEnum):
    """年检结论."""

    PASS = "pass"
    BASIC_PASS = "basic_pass"
    FAIL = "fail"


class CreditListKind(LabelledEnum):
    """The two credit lists kept by the registration authority, in rising severity."""

    ABNORMAL = "abnormal"
    SERIOUS = "serious"


class Rating(LabelledEnum):
    """等级评估 grade. Compare grades with `level`, not with the string value."""

    A1 = "1A"
    A2 = "2A"
    A3 = "3A"
    A4 = "4A"
    A5 = "5A"

    @property
    def level(self) -> int:
        return int(self.value[0])


set_labels(OrgKind, {
    OrgKind.SOCIAL_GROUP: "社会团体",
    OrgKind.PRIVATE_NON_ENTERPRISE: "民办非企业单位（社会服务机构）",
    OrgKind.FOUNDATION: "基金会",
    OrgKind.COMMUNITY: "社区社会组织",
})


set_labels(PneForm, {
    PneForm.LEGAL_PERSON: "法人",
    PneForm.PARTNERSHIP: "合伙",
    PneForm.INDIVIDUAL: "个体",
})


set_labels(ServiceField, {
    ServiceField.ELDERLY: "养老",
    ServiceField.DISABILITY: "助残",
    ServiceField.CHILDREN: "儿童",
    ServiceField.EDUCATION: "教育",
    ServiceField.CULTURE_SPORTS: "文体",
    ServiceField.ENVIRONMENT: "环保",
    ServiceField.COMMUNITY_GOVERNANCE: "社区治理",
    ServiceField.HEALTH: "医疗卫生",
    ServiceField.LEGAL_SERVICES: "法律服务",
    ServiceField.OTHER: "其他",
})


set_labels(InspectionResult, {
    InspectionResult.PASS: "合格",
    InspectionResult.BASIC_PASS: "基本合格",
    InspectionResult.FAIL: "不合格",
})


set_labels(CreditListKind, {
    CreditListKind.ABNORMAL: "活动异常名录",
    CreditListKind.SERIOUS: "严重违法失信名单",
})


set_labels(Rating, {
    Rating.A1: "1A级",
    Rating.A2: "2A级",
    Rating.A3: "3A级",
    Rating.A4: "4A级",
    Rating.A5: "5A级",
})
