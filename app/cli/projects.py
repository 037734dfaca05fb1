"""`yilian project …`: the purchased-service projects, headless.

    yilian [--db DB] project list [--search TEXT] [--status STATUS]
    yilian [--db DB] project pay --project NO --amount 1234.56 [--date YYYY-MM-DD] [--note TEXT]

`list` prints one line per project: number, name, contractor, status, contract amount (the
budget, marked 预算, while there is no contract). --status takes the value or the Chinese label
(in_service / 服务中). `pay` records a payment; exit 0 printing the paid total, 1 when refused —
over the contract (with the figures), a project not in a paying stage, a bad amount or date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from app.cli.common import SharedVerbs, open_db
from app.domain.errors import NotFoundError, ValidationError
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.projects.money import format_yuan, parse_yuan


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def project_id_of(number: str) -> int:
    """The project named on the command line by its number (XM2026-0001; case forgiven).

    Raises:
        NotFoundError: no project has that number.
    """
    from app.services.projects import registration

    return registration.get_by_number(number.strip()).id


def _status(text: str) -> ProjectStatus:
    try:
        return ProjectStatus.from_label(text)
    except ValueError:
        choices = "、".join(f"{s.value}（{s.label}）" for s in ProjectStatus)
        raise ValidationError("status", f"“{text}”不是项目状态，可选：{choices}") from None


def cmd_list(args: argparse.Namespace) -> int:
    from app.services.projects import listing

    try:
        status = _status(args.status) if args.status else None
    except ValidationError as exc:
        return _fail(exc.message)
    open_db(args)
    flt = listing.ProjectFilter(text=args.search or "", status=status,
                                sort=listing.ProjectSort.NUMBER, descending=False)
    rows = listing.page(flt, 0, listing.count(flt))
    for row in rows:
        amount = (format_yuan(row.contract_amount_fen) if row.contract_amount_fen is not None
                  else f"预算{format_yuan(row.budget_fen)}")
        print("  ".join((row.number, row.name, row.contractor or "（未定承接主体）",
                         row.status.label, amount)))
    print(f"共{len(rows)}个项目", file=sys.stderr)
    return 0


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("paid_on", f"“{text}”不是有效日期，应写成 2026-05-31") from None


def cmd_pay(args: argparse.Namespace) -> int:
    from app.services.projects import money, registration

    try:
        amount = parse_yuan(args.amount, "amount", allow_zero=False)
        paid_on = _date(args.date)
    except ValidationError as exc:
        return _fail(exc.message)
    open_db(args)
    try:
        project_id = project_id_of(args.project)
        money.pay(project_id, amount, paid_on=paid_on, note=args.note or "")
    except money.OverpaymentError as exc:
        print(f"未付款：{exc.message}", file=sys.stderr)
        print(f"合同金额 {format_yuan(exc.contract_fen)}  已支付 {format_yuan(exc.paid_fen)}  "
              f"本次 {format_yuan(exc.amount_fen)}  "
              f"最多还可支付 {format_yuan(max(exc.contract_fen - exc.paid_fen, 0))}",
              file=sys.stderr)
        return 1
    except ValidationError as exc:
        return _fail(f"未付款：{exc.message}")
    except NotFoundError as exc:
        return _fail(str(exc))
    record = registration.get(project_id)
    contract = record.draft.contract_amount_fen or 0
    print(f"{record.number} 已付款 {format_yuan(amount)}，累计已支付 {format_yuan(record.paid_fen)}"
          f"（合同金额 {format_yuan(contract)}，未支付 "
          f"{format_yuan(max(contract - record.paid_fen, 0))}）")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
    project = sub.add_parser("project", help="政府购买服务项目")
    verbs_ = project.add_subparsers(dest="project_command", required=True)
    p = verbs_.add_parser("list", help="列出项目（编号、名称、承接主体、状态、合同金额）")
    p.add_argument("--search", metavar="TEXT", help="项目或承接主体名称片段、拼音首字母或编号")
    p.add_argument("--status", metavar="STATUS", help="只列出该状态的项目（如 服务中）")
    p.set_defaults(func=cmd_list)

    p = verbs_.add_parser("pay", help="登记一笔付款（累计不得超过合同金额）")
    p.add_argument("--project", required=True, metavar="NO", help="项目编号，如 XM2026-0001")
    p.add_argument("--amount", required=True, metavar="1234.56", help="付款金额（元）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="付款日期（默认今天）")
    p.add_argument("--note", metavar="TEXT", help="备注")
    p.set_defaults(func=cmd_pay)
