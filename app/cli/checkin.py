"""`yilian checkin`: one kiosk scan from the command line (wired into app.cli.main).

    yilian [--db DB] checkin --activity 12 "YL1…" [--station 一号机]

Exit 0 when the scan is accepted (prints 签到 / 签退 with the minutes, or 重复扫码), 2 when it
is refused (prints the reason). The scan is logged like one at the kiosk.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.common import SharedVerbs, open_db
from app.domain.hours import format_minutes

REFUSED_EXIT = 2


def cmd_checkin(args: argparse.Namespace) -> int:
    from app.services.cards import checkin

    open_db(args)
    result = checkin.scan(args.payload, args.activity, station=args.station)
    who = f"{result.volunteer_name}（{result.volunteer_number}）" if result.volunteer_name else ""
    if not result.accepted:
        print(f"拒绝：{result.message}（{result.reason}）", file=sys.stderr)
        return REFUSED_EXIT
    if result.kind == "checked_in":
        print(f"签到 {who} {result.at:%H:%M:%S}")
    elif result.kind == "checked_out":
        print(f"签退 {who} {result.at:%H:%M:%S} {format_minutes(result.minutes)}")
    else:
        print(f"重复扫码 {who}，已忽略")
    print(result.message, file=sys.stderr)
    if result.warning:
        print(f"提醒：{result.warning}", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
    p = sub.add_parser("checkin", help="签到机扫码：第一次签到，下一次签退")
    p.add_argument("--activity", type=int, required=True, help="活动编号")
    p.add_argument("--station", default="命令行", help="签到点名称（记入扫码日志）")
    p.add_argument("payload", help="志愿者证二维码内容")
    p.set_defaults(func=cmd_checkin)
