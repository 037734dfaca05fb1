"""`yilian` subcommands for points and the shop (wired into app.cli.main).

Small on purpose: what a scheduled job or a desk without the GUI needs — expire points,
look up a balance, check the ledger, list goods, redeem and print the receipt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import SharedVerbs, open_db
from app.domain.errors import NotFoundError, ValidationError


def _volunteer_id(number: str) -> int:
    from app.services.volunteers import registration as volunteers

    return volunteers.get_by_number(number).id


def cmd_expire(args: argparse.Namespace) -> int:
    from app.services.points import ledger as points

    open_db(args)
    today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    total = points.expire_due(today)
    print(f"已过期积分{total}分" if total else "没有到期的积分")
    return 0


def cmd_balance(args: argparse.Namespace) -> int:
    from app.services.points import ledger as points

    open_db(args)
    vid = _volunteer_id(args.number)
    print(f"{args.number.upper()} 积分余额 {points.balance(vid)} 分")
    for row in points.ledger(vid, 0, args.entries):
        local = row.at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"  {local}  {row.kind_label:<4} {row.points:+6d}  余额 {row.balance_after:<6d}"
              f" {row.reason}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.services.points import ledger as points
    from app.services.points import shop

    open_db(args)
    bad = points.check_balances()
    for m in bad:
        print(f"{m.number}: 余额 {m.balance} 分，积分流水合计 {m.ledger_sum} 分")
    differences = [d for row in shop.reconciliation() for d in row.differences]
    for text in differences:
        print(text)
    if not bad and not differences:
        print("积分余额与流水一致，爱心超市账物相符")
    return 1 if bad or differences else 0


def cmd_goods(args: argparse.Namespace) -> int:
    from app.services.points import shop

    open_db(args)
    goods = shop.list_goods(include_inactive=args.all)
    for g in goods:
        state = "" if g.active else "（已下架）"
        print(f"{g.id:>5}  {g.name}{state}  {g.points_price}分/{g.unit}  库存{g.stock}{g.unit}")
    if not goods:
        print("爱心超市还没有物品")
    return 0


def _items(texts: list[str]) -> list[tuple[int, int]]:
    items = []
    for text in texts:
        good, _, qty = text.partition(":")
        try:
            items.append((int(good), int(qty or "1")))
        except ValueError:
            raise ValidationError("items", f"“{text}”应写成 物品编号:数量，如 3:2") from None
    return items


def cmd_redeem(args: argparse.Namespace) -> int:
    from app.services.points import shop

    open_db(args)
    result = shop.redeem(_volunteer_id(args.number), _items(args.items), actor=args.handler)
    for line in result.lines:
        print(f"  {line.name} × {line.quantity}{line.unit}  {line.points}分")
    print(f"兑换单{result.number}：{result.volunteer_name} 共{result.total_points}分，"
          f"余额{result.balance_after}分")
    if args.receipt:
        Path(args.receipt).write_bytes(shop.receipt_pdf(result.id))
        print(f"凭证已保存到{args.receipt}")
    return 0


def _guard(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Errors a user can fix print their Chinese message and exit 1, without a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except (ValidationError, NotFoundError) as exc:
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            print(f"未完成：{message}", file=sys.stderr)
            return 1
    return run


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """`yilian points …` and `yilian shop …`."""
    points = sub.add_parser("points", help="积分").add_subparsers(dest="points_command",
                                                                  required=True)
    p = points.add_parser("expire", help="使到期的积分过期（可每天运行）")
    p.add_argument("--date", help="按此日期计算（YYYY-MM-DD，默认今天）")
    p.set_defaults(func=_guard(cmd_expire))
    p = points.add_parser("balance", help="查询志愿者积分余额和最近的积分记录")
    p.add_argument("number", help="志愿者编号")
    p.add_argument("--entries", type=int, default=10, help="显示最近几条记录")
    p.set_defaults(func=_guard(cmd_balance))
    p = points.add_parser("check", help="核对积分余额与流水、爱心超市账物")
    p.set_defaults(func=_guard(cmd_check))

    shop = sub.add_parser("shop", help="爱心超市").add_subparsers(dest="shop_command",
                                                               required=True)
    p = shop.add_parser("goods", help="列出物品")
    p.add_argument("--all", action="store_true", help="包括已下架的物品")
    p.set_defaults(func=_guard(cmd_goods))
    p = shop.add_parser("redeem", help="兑换物品")
    p.add_argument("number", help="志愿者编号")
    p.add_argument("items", nargs="+", metavar="GOOD_ID:QTY", help="物品编号:数量")
    p.add_argument("--receipt", metavar="FILE.pdf", help="保存兑换凭证 PDF")
    p.add_argument("--handler", help="经办人（默认：当前用户）")
    p.set_defaults(func=_guard(cmd_redeem))
