"""`yilian` subcommands for volunteer ID cards (wired into app.cli.main).

    yilian [--db DB] cards --out FILE.pdf [--volunteer NO ...] [--without-card] [--sheet]
    yilian [--db DB] card reissue NO --reason TEXT
    yilian [--db DB] card revoke NO --reason TEXT

`cards` prints the valid cards of the volunteers named (and, with --without-card, of every
active volunteer without a valid card); anyone selected without a valid card is issued one
first. Exit codes: 0 done, 1 refused (bad input, not found).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import SharedVerbs, open_db
from app.domain.errors import NotFoundError, ValidationError


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_cards(args: argparse.Namespace) -> int:
    from app.services.cards import issuing as cards
    from reports.card import render_cards

    if not args.volunteer and not args.without_card:
        return _fail("请用 --volunteer 指定志愿者编号，或用 --without-card 打印所有未持证的志愿者")
    open_db(args)
    try:
        ids = cards.ids_for_numbers(args.volunteer or [])
        if args.without_card:
            ids += cards.volunteers_without_valid_card()
        ids = list(dict.fromkeys(ids))
        if not ids:
            print("没有需要打印的志愿者证")
            return 0
        issued = cards.ensure_cards(ids)
        data = cards.card_data(ids)
    except (ValidationError, NotFoundError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    Path(args.out).write_bytes(render_cards(data, sheet=args.sheet))
    layout = "A4（每页10张）" if args.sheet else "每页1张"
    print(f"已生成{len(data)}张志愿者证（{layout}，新发证{issued}张），已保存到{args.out}")
    return 0


def cmd_card(args: argparse.Namespace) -> int:
    from app.services.cards import issuing as cards
    from app.services.volunteers import registration as volunteers

    open_db(args)
    try:
        v = volunteers.get_by_number(args.number.strip())
        if args.action == "reissue":
            row = cards.reissue(v.id, args.reason)
            print(f"已为{v.name}（{v.number}）补发第{row.serial}张志愿者证，旧证已作废")
        else:
            row = cards.revoke(v.id, args.reason)
            print(f"已作废{v.name}（{v.number}）的第{row.serial}张志愿者证")
    except (ValidationError, NotFoundError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func` and calls `app.cli.common.open_db(args)`."""
    p = sub.add_parser("cards", help="打印志愿者证（PDF）")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--volunteer", nargs="+", metavar="NO", help="志愿者编号（可多个）")
    p.add_argument("--without-card", action="store_true",
                   help="加上所有没有有效志愿者证的在册志愿者（自动发证）")
    p.add_argument("--sheet", action="store_true", help="A4 纸每页10张，带裁切线")
    p.set_defaults(func=cmd_cards)

    p = sub.add_parser("card", help="补发或作废志愿者证")
    p.add_argument("action", choices=["reissue", "revoke"])
    p.add_argument("number", metavar="NO", help="志愿者编号")
    p.add_argument("--reason", required=True, help="原因（如：遗失、损坏）")
    p.set_defaults(func=cmd_card)
