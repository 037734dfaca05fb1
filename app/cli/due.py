"""`yilian due`: what is due or overdue (inspections, agreements, certificates, ratings).

    yilian [--db DB] due [--within DAYS] [--json]

One line per item, most overdue first: `逾期 12 天  年检  <code>  <name>  2026-05-31  <detail>`
or `还有 5 天 …`; with --json a JSON list (kind, kind_label, subject, code, name, org_id,
project_id and project (a project's payment or milestone: its id, and its number and name;
null and "" for an organization's item), due, days_overdue, detail). Exit 0 (also when
nothing is due).
"""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.common import SharedVerbs, open_db


def _when(days_overdue: int) -> str:
    if days_overdue > 0:
        return f"逾期 {days_overdue} 天"
    if days_overdue == 0:
        return "今天到期"
    return f"还有 {-days_overdue} 天"


def cmd_due(args: argparse.Namespace) -> int:
    from app.services import due

    if args.within is not None and args.within < 0:
        print("--within 应为不小于0的天数", file=sys.stderr)
        return 1
    open_db(args)
    found = due.items(within=args.within)
    if args.json:
        print(json.dumps([{
            "kind": item.kind, "kind_label": item.kind_label, "subject": item.subject,
            "code": item.credit_code, "name": item.name, "org_id": item.org_id,
            "project_id": item.project_id, "project": item.project,
            "due": item.due.isoformat(),
            "days_overdue": item.days_overdue, "detail": item.detail} for item in found],
            ensure_ascii=False, indent=1))
        return 0
    for item in found:
        print("  ".join((_when(item.days_overdue), item.kind_label, item.credit_code or "—",
                         item.name, item.due.isoformat(), item.detail)))
    late = sum(1 for item in found if item.days_overdue > 0)
    print(f"共{len(found)}项，其中逾期{late}项", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
    p = sub.add_parser("due", help="到期与逾期事项（年检、孵化协议、登记证书、评估等级）")
    p.add_argument("--within", type=int, metavar="DAYS",
                   help="列出这么多天内到期的事项（默认按各类事项的提醒期）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_due)
