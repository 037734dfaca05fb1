"""`yilian`: the same use cases as the GUI, headless (import, export, demo data, checks)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yilian", description="益联 志愿者与社会组织登记")
    parser.add_argument("--version", action="version", version=f"yilian {__version__}")
    parser.add_argument("--db", help="SQLite 文件路径或 postgresql:// 地址"
                                     "（默认：YILIAN_DB 或用户数据目录）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    sub = parser.add_subparsers(dest="command", required=True)

    from app.cli import cards, certificates, checkin, hours, points, volunteers

    for area in (volunteers, hours, points, certificates, checkin, cards):
        area.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
