import pytest

from app.domain.orgs.kinds import (
    CreditListKind,
    InspectionResult,
    OrgKind,
    PneForm,
    Rating,
    ServiceField,
)


def test_values_are_stable_strings_and_labels_chinese():
    assert OrgKind.SOCIAL_GROUP == "social_group"
    assert OrgKind("foundation") is OrgKind.FOUNDATION
    assert OrgKind.PRIVATE_NON_ENTERPRISE.label == "民办非企业单位（社会服务机构）"
    assert PneForm.labels() == ("法人", "合伙", "个体")
    assert InspectionResult.labels() == ("合格", "基本合格", "不合格")
    assert CreditListKind.labels() == ("活动异常名录", "严重违法失信名单")
    assert "社区治理" in ServiceField.labels()
    assert ServiceField.OTHER.label == "其他"


def test_only_community_is_not_registrable():
    assert [k for k in OrgKind if not k.registrable] == [OrgKind.COMMUNITY]


def test_ratings_order_by_level():
    assert [r.value for r in Rating] == ["1A", "2A", "3A", "4A", "5A"]
    assert [r.level for r in Rating] == [1, 2, 3, 4, 5]
    assert Rating("3A").label == "3A级"


def test_from_label_reads_label_or_value():
    assert OrgKind.from_label(" 基金会 ") is OrgKind.FOUNDATION
    assert OrgKind.from_label("community") is OrgKind.COMMUNITY
    assert Rating.from_label("4A") is Rating.A4
    with pytest.raises(ValueError, match="不是可选的值"):
        InspectionResult.from_label("优秀")
