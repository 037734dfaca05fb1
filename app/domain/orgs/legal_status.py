"""Legal status (法律身份): filed, registered, deregistered — a machine of its own.

A community-level organization (社区社会组织) is filed with the street or township and never
registered; to register, the organization first becomes a registrable type.
"""

from __future__ import annotations

import datetime as dt

from app.domain.orgs.kinds import LabelledEnum, OrgKind, set_labels
from app.domain.orgs.periods import check_after, fmt_date
from app.domain.transitions import IllegalTransition, StateMachine


class LegalStatus(LabelledEnum):
    UNREGISTERED = "unregistered"
    FILED = "filed"
    REGISTERED = "registered"
    DEREGISTERED = "deregistered"


set_labels(LegalStatus, {
    LegalStatus.UNREGISTERED: "未登记",
    LegalStatus.FILED: "已备案",
    LegalStatus.REGISTERED: "已登记",
    LegalStatus.DEREGISTERED: "已注销",
})


LEGAL_STATUS = StateMachine(
    LegalStatus,
    {
        LegalStatus.UNREGISTERED: {LegalStatus.FILED, LegalStatus.REGISTERED},
        LegalStatus.FILED: {LegalStatus.REGISTERED, LegalStatus.DEREGISTERED},
        LegalStatus.REGISTERED: {LegalStatus.DEREGISTERED},
    },
    subject="法律身份",
)
"""The frozen table. FILED -> DEREGISTERED is a filing cancelled; DEREGISTERED is final."""

LEGAL_STATUS_MOVES = LEGAL_STATUS.moves

COMMUNITY_NOT_REGISTRABLE = ("社区社会组织只备案、不登记；如需登记，"
                             "请先把组织类型改为社会团体、民办非企业单位或基金会")


def check_legal_move(current: LegalStatus, target: LegalStatus, kind: OrgKind) -> None:
    """Raise IllegalTransition unless the move is in the table and allowed for `kind`.

    `kind` is the type the organization has after the move (a community organization that
    registers as a 社会团体 passes OrgKind.SOCIAL_GROUP).
    """
    LEGAL_STATUS.check_move(current, target)
    if target is LegalStatus.REGISTERED and not kind.registrable:
        raise IllegalTransition(current, target, next_legal_states(current, kind),
                                LEGAL_STATUS.refusal(current, target, COMMUNITY_NOT_REGISTRABLE))


def next_legal_states(state: LegalStatus, kind: OrgKind) -> tuple[LegalStatus, ...]:
    """The moves open to an organization of `kind` in `state`."""
    return tuple(s for s in LEGAL_STATUS.next_states(state)
                 if kind.registrable or s is not LegalStatus.REGISTERED)


def check_certificate_period(valid_from: dt.date, valid_to: dt.date,
                             field: str = "certificate_valid_to") -> None:
    """A registration certificate's validity ends strictly after it begins.

    Raises:
        ValidationError: on `field`.
    """
    check_after(valid_from, valid_to, field,
                f"登记证书有效期截止日期（{fmt_date(valid_to)}）应晚于起始日期（{fmt_date(valid_from)}）")


def certificate_valid_on(valid_from: dt.date, valid_to: dt.date | None, day: dt.date) -> bool:
    """Both ends inclusive; no end date means valid indefinitely."""
    return valid_from <= day and (valid_to is None or day <= valid_to)
