"""Demo data for the whole application, only ever into an empty register.

Fictitious people mixed into a register of real ones cannot be told apart or taken out
again, so `generate_all` refuses a register that holds any volunteer, organization or
project. A register it filled carries the `demo.generated_at` setting, so screens and the
CLI can say that it holds demo data (演示数据).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.services.common import settings
from app.services.common.progress import NullProgress, ProgressState
from app.store.models import Organization, Project, Volunteer

GENERATED_AT = settings.SettingKey("demo.generated_at", "",
                                   "生成演示数据的时间（有值表示本登记簿为演示数据）")
NOT_EMPTY = ("登记簿中已有志愿者、社会组织或项目，演示数据只能生成到空的登记簿，"
             "以免虚构的记录与真实记录混在一起。请新建一个演示登记簿。")


@dataclass(frozen=True)
class DemoSummary:
    volunteers: int
    organizations: int
    projects: int
    activities: int
    records: int
    pending: int
    redemptions: int
    cards: int
    certificates: int


def is_empty() -> bool:
    """Whether the register holds no volunteer, organization or project (of any status)."""
    return not (Volunteer.select().exists() or Organization.select().exists()
                or Project.select().exists())


def is_demo() -> bool:
    """Whether this register was filled with demo data."""
    return bool(settings.get(GENERATED_AT))


def generated_at() -> str:
    """When the demo data was made (local time, ISO), or "" for a real register."""
    return settings.get(GENERATED_AT)


def generate_all(volunteers: int, orgs: int = 0, projects: int = 0, seed: int = 1,
                 state: ProgressState | None = None) -> DemoSummary:
    """Fill an empty register with demo volunteers, organizations, projects and a year of
    service hours, points, shop redemptions, cards and certificates.

    Raises:
        ValidationError: the register is not empty (nothing is written).
        Cancelled: the state asked to stop (the parts written so far stay; the register is
            marked as demo data from the start, so it is never taken for a real one).
    """
    from app.services.hours import demo as hours_demo
    from app.services.orgs import demo as org_demo
    from app.services.projects import demo as project_demo
    from app.services.volunteers import demo as volunteer_demo

    state = state or NullProgress()
    if not is_empty():
        raise ValidationError("register", NOT_EMPTY)
    settings.put(GENERATED_AT, dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))
    made_v = made_o = made_p = 0
    if volunteers > 0:
        made_v = volunteer_demo.generate(volunteers, seed=seed, state=state).volunteers
    if orgs > 0:
        made_o = org_demo.generate(orgs, seed=seed, state=state).organizations
    hours = hours_demo.generate(seed=seed, state=state)
    if projects > 0:
        made_p = project_demo.generate(projects, seed=seed, state=state).projects
    return DemoSummary(made_v, made_o, made_p, hours.activities, hours.records, hours.pending,
                       hours.redemptions, hours.cards, hours.certificates)
