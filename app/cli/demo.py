"""`yilian demo`: fictitious data for every area, so each screen shows something real.

    yilian demo --volunteers 1000 [--orgs 200] [--projects 50] [--seed 1]

Only into an empty register (no volunteers, organizations or projects): demo records mixed
with real ones could not be told apart or taken out again. Use a new file:
`yilian --db yilian-demo.sqlite3 demo`.
"""

from __future__ import annotations

import argparse

from app.cli.common import PrintProgress, SharedVerbs, open_db
from app.domain.errors import ValidationError


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services import demo, register

    open_db(args)
    try:
        made = demo.generate_all(args.volunteers, orgs=args.orgs, projects=args.projects,
                                 seed=args.seed, state=PrintProgress(args.quiet))
    except ValidationError as exc:
        print(f"未生成演示数据：{exc.message}（登记簿：{register.describe()}）")
        return 1
    print(f"已生成{made.volunteers}名演示志愿者")
    if made.organizations:
        print(f"已生成{made.organizations}个演示社会组织（含孵化、年检、评估等历史记录）")
    if made.projects:
        print(f"已生成{made.projects}个演示购买服务项目")
    if made.activities:
        print(f"已生成演示活动{made.activities}场、服务记录{made.records}条（待审核"
              f"{made.pending}条）、积分兑换{made.redemptions}笔、志愿者证{made.cards}张、"
              f"服务证明{made.certificates}份")
    print(f"本登记簿为演示数据：{register.describe()}")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add `demo`."""
    p = sub.add_parser("demo", help="在空的登记簿中生成演示数据")
    p.add_argument("--volunteers", type=int, default=1000, help="演示志愿者人数")
    p.add_argument("--orgs", type=int, default=0, help="演示社会组织数量")
    p.add_argument("--projects", type=int, default=0, help="演示购买服务项目数量")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)
