"""`yilian demo`: fictitious data for every area, so each screen shows something real.

    yilian demo --volunteers 1000 [--orgs 200] [--projects 50] [--seed 1]
"""

from __future__ import annotations

import argparse

from app.cli.common import PrintProgress, SharedVerbs, open_db


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.volunteers import demo

    open_db(args)
    if args.volunteers:
        result = demo.generate(args.volunteers, seed=args.seed,
                               state=PrintProgress(args.quiet))
        print(f"已生成{result.volunteers}名演示志愿者（{result.first_number} – "
              f"{result.last_number}）")
    if args.orgs:
        from app.services.orgs import demo as org_demo

        made = org_demo.generate(args.orgs, seed=args.seed, state=PrintProgress(args.quiet))
        print(f"已生成{made.organizations}个演示社会组织（含孵化、年检、评估等历史记录）")
    if args.projects:
        from app.services.projects import demo as project_demo

        result_p = project_demo.generate(args.projects, seed=args.seed,
                                         state=PrintProgress(args.quiet))
        print(f"已生成{result_p.projects}个演示购买服务项目（{result_p.first_number} – "
              f"{result_p.last_number}），关联活动{result_p.activities}场，"
              f"志愿服务记录{result_p.records}条")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add `demo`."""
    p = sub.add_parser("demo", help="生成演示数据")
    p.add_argument("--volunteers", type=int, default=1000, help="演示志愿者人数")
    p.add_argument("--orgs", type=int, default=0, help="演示社会组织数量")
    p.add_argument("--projects", type=int, default=0, help="演示购买服务项目数量")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)
