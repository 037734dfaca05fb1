"""`yilian summary`: the home page's figures, as lines or one JSON object.

    yilian [--db DB] summary [--json]

JSON: dates YYYY-MM-DD, minutes and hours, money in fen (integers) and yuan (strings,
"1234.56"); the due list is the first 20 items with the total count, each with the project
it belongs to (project_id, null for an organization's item) as `due --json` gives it. Exit 0.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import SharedVerbs, open_db
from app.domain.projects.money import fen_to_yuan, format_yuan


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan(fen):.2f}"


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}"


def as_dict(s: Any) -> dict[str, Any]:
    """The summary as plain JSON values."""
    return {
        "today": s.today.isoformat(),
        "volunteers": {"registered": s.volunteers.registered, "active": s.volunteers.active},
        "hours": {
            "this_month_minutes": s.hours.this_month_minutes,
            "this_month_hours": _hours(s.hours.this_month_minutes),
            "this_year_minutes": s.hours.this_year_minutes,
            "this_year_hours": _hours(s.hours.this_year_minutes),
            "by_month": [{"month": m.key, "minutes": m.minutes, "hours": _hours(m.minutes)}
                         for m in s.hours.by_month]},
        "orgs": {
            "total": s.orgs.total, "never_applied": s.orgs.never_applied,
            "by_stage": [{"stage": c.key, "label": c.label, "count": c.count}
                         for c in s.orgs.by_stage],
            "by_legal_status": [{"status": c.key, "label": c.label, "count": c.count}
                                for c in s.orgs.by_legal_status]},
        "projects": {
            "total": s.projects.total,
            "contracted_fen": s.projects.contracted_fen,
            "contracted_yuan": _yuan(s.projects.contracted_fen),
            "paid_fen": s.projects.paid_fen, "paid_yuan": _yuan(s.projects.paid_fen),
            "by_status": [{"status": str(f.status), "label": f.label, "count": f.count,
                           "contracted_fen": f.contracted_fen,
                           "contracted_yuan": _yuan(f.contracted_fen),
                           "paid_fen": f.paid_fen, "paid_yuan": _yuan(f.paid_fen)}
                          for f in s.projects.by_status]},
        "due": {
            "total": s.due.total, "overdue": s.due.overdue,
            "items": [{"kind": i.kind, "kind_label": i.kind_label, "org_id": i.org_id,
                       "project_id": i.project_id or None, "code": i.credit_code,
                       "name": i.name, "due": i.due.isoformat(),
                       "days_overdue": i.days_overdue, "detail": i.detail}
                      for i in s.due.items]},
    }


def cmd_summary(args: argparse.Namespace) -> int:
    from app.services import home

    open_db(args)
    s = home.summary()
    if args.json:
        print(json.dumps(as_dict(s), ensure_ascii=False, indent=1))
        return 0
    print(f"日期 {s.today.isoformat()}")
    print(f"志愿者 注册{s.volunteers.registered}人，在册活跃{s.volunteers.active}人")
    print(f"服务时长 本月{_hours(s.hours.this_month_minutes)}小时，"
          f"本年{_hours(s.hours.this_year_minutes)}小时")
    print("近12个月 " + "  ".join(f"{m.key} {_hours(m.minutes)}" for m in s.hours.by_month))
    print(f"社会组织 共{s.orgs.total}个；孵化阶段 "
          + "，".join(f"{c.label}{c.count}" for c in s.orgs.by_stage)
          + f"，未申请入孵{s.orgs.never_applied}")
    print("登记状态 " + "，".join(f"{c.label}{c.count}" for c in s.orgs.by_legal_status))
    print(f"购买服务项目 共{s.projects.total}个，合同总额{format_yuan(s.projects.contracted_fen)}，"
          f"已拨付{format_yuan(s.projects.paid_fen)}")
    for f in s.projects.by_status:
        print(f"  {f.label} {f.count}个  合同{format_yuan(f.contracted_fen)}  "
              f"已拨付{format_yuan(f.paid_fen)}")
    print(f"到期与逾期事项 共{s.due.total}项，其中逾期{s.due.overdue}项"
          + (f"（列出前{len(s.due.items)}项）" if s.due.total > len(s.due.items) else ""))
    for i in s.due.items:
        when = (f"逾期 {i.days_overdue} 天" if i.days_overdue > 0 else
                "今天到期" if i.days_overdue == 0 else f"还有 {-i.days_overdue} 天")
        print(f"  {when}  {i.kind_label}  {i.name}  {i.due.isoformat()}")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add `summary`."""
    p = sub.add_parser("summary", help="首页数据：志愿者、服务时长、社会组织、项目、到期事项")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_summary)
