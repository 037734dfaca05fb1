"""`yilian`: the same use cases as the GUI, headless (import, export, demo data, checks)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import (
    backup,
    cards,
    certificates,
    checkin,
    demo,
    due,
    hours,
    orgs,
    points,
    projects,
    reports,
    summary,
    volunteers,
)
from app.cli.common import SharedVerbs, failure_message, user_refusal


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yilian", description="益联 志愿者与社会组织登记")
    parser.add_argument("--version", action="version", version=f"yilian {__version__}")
    parser.add_argument("--db", help="SQLite 文件路径或 postgresql:// 地址"
                                     "（默认：YILIAN_DB 或用户数据目录）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    sub = parser.add_subparsers(dest="command", required=True)
    verbs = SharedVerbs(
        import_=_verb(sub, "import", "从 Excel 导入"),
        export=_verb(sub, "export", "导出到 Excel"),
        template=_verb(sub, "template", "保存导入模板"),
        validate=_verb(sub, "validate", "校验号码"),
    )
    for area in (demo, volunteers, hours, points, certificates, checkin, cards, orgs, due,
                 projects, reports, summary, backup):
        area.add_commands(sub, verbs)
    return parser


def _verb(sub: argparse._SubParsersAction, name: str, help_text: str
          ) -> argparse._SubParsersAction:
    return sub.add_parser(name, help=help_text).add_subparsers(dest="what", required=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as exc:
        refusal = user_refusal(exc)
        if refusal is not None:      # the user's input: the reason, never a traceback
            print(f"错误：{refusal}", file=sys.stderr)
            return 1
        message = failure_message(exc)
        if message is None:
            raise
        print(f"未完成：{message}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
