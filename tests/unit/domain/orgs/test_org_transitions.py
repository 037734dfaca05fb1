import datetime as dt
import itertools

import pytest

from app.domain.errors import ValidationError
from app.domain.orgs import incubation, legal_status
from app.domain.orgs.incubation import (
    INCUBATION_MOVES,
    IncubationState,
    check_agreement,
    check_extension,
    check_move,
    next_states,
)
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import (
    LEGAL_STATUS_MOVES,
    LegalStatus,
    certificate_valid_on,
    check_certificate_period,
    check_legal_move,
    next_legal_states,
)
from app.domain.transitions import IllegalTransition

IS = IncubationState
L = LegalStatus

INCUBATION_ALLOWED = {
    (IS.APPLIED, IS.UNDER_REVIEW),
    (IS.UNDER_REVIEW, IS.ADMITTED),
    (IS.UNDER_REVIEW, IS.REJECTED),
    (IS.ADMITTED, IS.INCUBATING),
    (IS.INCUBATING, IS.GRADUATED),
    (IS.INCUBATING, IS.EXITED),
}
LEGAL_ALLOWED = {
    (L.UNREGISTERED, L.FILED),
    (L.UNREGISTERED, L.REGISTERED),
    (L.FILED, L.REGISTERED),
    (L.FILED, L.DEREGISTERED),
    (L.REGISTERED, L.DEREGISTERED),
}
INCUBATION_ILLEGAL = sorted(set(itertools.product(IS, IS)) - INCUBATION_ALLOWED)
LEGAL_ILLEGAL = sorted(set(itertools.product(L, L)) - LEGAL_ALLOWED)


def test_tables_are_exactly_the_documented_moves():
    assert {(a, b) for a, targets in INCUBATION_MOVES.items() for b in targets} \
        == INCUBATION_ALLOWED
    assert {(a, b) for a, targets in LEGAL_STATUS_MOVES.items() for b in targets} \
        == LEGAL_ALLOWED


def test_tables_are_frozen():
    with pytest.raises(TypeError):
        INCUBATION_MOVES[IS.REJECTED] = frozenset({IS.APPLIED})  # type: ignore[index]
    assert isinstance(LEGAL_STATUS_MOVES[L.FILED], frozenset)


@pytest.mark.parametrize(("current", "target"), sorted(INCUBATION_ALLOWED))
def test_incubation_allowed(current, target):
    check_move(current, target)
    assert target in next_states(current)


@pytest.mark.parametrize(("current", "target"), INCUBATION_ILLEGAL)
def test_incubation_illegal_refused(current, target):
    with pytest.raises(IllegalTransition) as err:
        check_move(current, target)
    message = err.value.message
    assert f"“{current.label}”" in message
    assert f"“{target.label}”" in message
    assert err.value.current == current
    assert err.value.target == target
    assert err.value.allowed == next_states(current)
    for allowed in next_states(current):
        assert allowed.label in message
    assert isinstance(err.value, ValueError)


def test_incubation_illegal_pairs_count():
    assert len(INCUBATION_ILLEGAL) == 7 * 7 - 6


def test_incubation_messages():
    with pytest.raises(IllegalTransition) as err:
        check_move(IS.ADMITTED, IS.GRADUATED)
    assert err.value.message == (
        "孵化状态不能从“已入驻”改为“已出壳”：“已入驻”之后只能改为“孵化中”")
    with pytest.raises(IllegalTransition, match="最终状态"):
        check_move(IS.GRADUATED, IS.INCUBATING)
    with pytest.raises(IllegalTransition, match="已经是这个状态"):
        check_move(IS.INCUBATING, IS.INCUBATING)


def test_incubation_next_states_and_finals():
    assert next_states(IS.UNDER_REVIEW) == (IS.ADMITTED, IS.REJECTED)
    assert [s for s in IS if incubation.INCUBATION.is_final(s)] == [
        IS.REJECTED, IS.GRADUATED, IS.EXITED]
    assert IS.APPLIED.label == "申请入驻"
    assert IS.EXITED.label == "中途退出"


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL_ALLOWED))
def test_legal_allowed_for_registrable_kinds(current, target):
    for kind in (OrgKind.SOCIAL_GROUP, OrgKind.PRIVATE_NON_ENTERPRISE, OrgKind.FOUNDATION):
        check_legal_move(current, target, kind)


@pytest.mark.parametrize("kind", list(OrgKind))
@pytest.mark.parametrize(("current", "target"), LEGAL_ILLEGAL)
def test_legal_illegal_refused_for_every_kind(current, target, kind):
    with pytest.raises(IllegalTransition) as err:
        check_legal_move(current, target, kind)
    assert f"“{current.label}”" in err.value.message
    assert f"“{target.label}”" in err.value.message


def test_nothing_leaves_deregistered():
    assert legal_status.LEGAL_STATUS.next_states(L.DEREGISTERED) == ()
    with pytest.raises(IllegalTransition, match="“已注销”是最终状态"):
        check_legal_move(L.DEREGISTERED, L.REGISTERED, OrgKind.SOCIAL_GROUP)


@pytest.mark.parametrize("current", [L.UNREGISTERED, L.FILED])
def test_community_organizations_are_never_registered(current):
    with pytest.raises(IllegalTransition) as err:
        check_legal_move(current, L.REGISTERED, OrgKind.COMMUNITY)
    assert "社区社会组织只备案、不登记" in err.value.message
    assert "“已登记”" in err.value.message
    assert L.REGISTERED not in err.value.allowed
    assert L.REGISTERED not in next_legal_states(current, OrgKind.COMMUNITY)


def test_community_organizations_may_be_filed_and_cancelled():
    check_legal_move(L.UNREGISTERED, L.FILED, OrgKind.COMMUNITY)
    check_legal_move(L.FILED, L.DEREGISTERED, OrgKind.COMMUNITY)
    assert next_legal_states(L.UNREGISTERED, OrgKind.COMMUNITY) == (L.FILED,)
    assert next_legal_states(L.UNREGISTERED, OrgKind.FOUNDATION) == (L.FILED, L.REGISTERED)


def test_legal_labels():
    assert [s.label for s in L] == ["未登记", "已备案", "已登记", "已注销"]


def test_agreement_dates():
    check_agreement(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    for end in (dt.date(2026, 1, 1), dt.date(2025, 12, 31)):
        with pytest.raises(ValidationError) as err:
            check_agreement(dt.date(2026, 1, 1), end)
        assert err.value.field == "end_date"
        assert "应晚于开始日期（2026年1月1日）" in err.value.message


def test_extension_dates():
    check_extension(dt.date(2026, 12, 31), dt.date(2027, 6, 30))
    for new_end in (dt.date(2026, 12, 31), dt.date(2026, 6, 30)):
        with pytest.raises(ValidationError) as err:
            check_extension(dt.date(2026, 12, 31), new_end, field="extended_to")
        assert err.value.field == "extended_to"
        assert "应晚于当前结束日期（2026年12月31日）" in err.value.message


def test_certificate_period():
    check_certificate_period(dt.date(2021, 3, 1), dt.date(2026, 2, 28))
    with pytest.raises(ValidationError) as err:
        check_certificate_period(dt.date(2021, 3, 1), dt.date(2021, 3, 1))
    assert err.value.field == "certificate_valid_to"
    assert certificate_valid_on(dt.date(2021, 3, 1), dt.date(2026, 2, 28), dt.date(2026, 2, 28))
    assert not certificate_valid_on(dt.date(2021, 3, 1), dt.date(2026, 2, 28),
                                    dt.date(2026, 3, 1))
    assert certificate_valid_on(dt.date(2021, 3, 1), None, dt.date(2099, 1, 1))
