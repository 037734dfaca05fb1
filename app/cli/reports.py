"""`yilian report …`: printed reports (the annual filing report of an organization).

    yilian [--db DB] report annual --org CODE --year YEAR --out FILE.pdf
    yilian [--db DB] report annual --year YEAR --all --out-dir DIR
    yilian [--db DB] report project --project NO --out FILE.pdf

--org takes a credit code (case and spaces forgiven) or `#<id>` for an organization that has
none. Exit codes: 0 written, 1 refused (unknown organization, invalid year, unwritable file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import PrintProgress, SharedVerbs, open_db
from app.domain.errors import NotFoundError, ValidationError


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def org_id_of(text: str) -> int:
    """The organization named on the command line: `#12` or a credit code.

    Raises:
        NotFoundError: nobody has that code or id.
    """
    from app.services.orgs import registration

    text = text.strip()
    if text.startswith("#"):
        try:
            return registration.get(int(text[1:])).id
        except ValueError:
            raise NotFoundError(f"“{text}”不是有效的内部编号，应写成 #123") from None
    return registration.get_by_code(text).id


def cmd_annual(args: argparse.Namespace) -> int:
    from app.services.orgs import annual_report

    if args.all == bool(args.org):
        return _fail("请用 --org 指定一个组织，或用 --all 生成全部组织的年度报告")
    if args.all and not args.out_dir:
        return _fail("批量生成需要用 --out-dir 指定保存的文件夹")
    if args.org and not args.out:
        return _fail("请用 --out 指定保存的 PDF 文件")
    open_db(args)
    try:
        if args.all:
            result = annual_report.render_batch(args.year, Path(args.out_dir),
                                                state=PrintProgress(args.quiet))
            for reason in result.skipped:
                print(f"跳过：{reason}", file=sys.stderr)
            print(f"已生成{result.written}份{args.year}年度报告，保存在{result.folder}")
            return 0
        pdf = annual_report.render(org_id_of(args.org), args.year)
    except (ValidationError, NotFoundError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    except OSError as exc:
        return _fail(f"无法写入：{exc.strerror or exc}")
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        return _fail(f"无法写入{out}：{exc.strerror or exc}")
    print(out)
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    from app.cli.projects import project_id_of
    from app.services.projects import report as project_report

    open_db(args)
    try:
        pdf = project_report.render(project_id_of(args.project))
    except NotFoundError as exc:
        return _fail(str(exc))
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        return _fail(f"无法写入{out}：{exc.strerror or exc}")
    print(out)
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
    report = sub.add_parser("report", help="打印报告（PDF）")
    kinds = report.add_subparsers(dest="report", required=True)
    p = kinds.add_parser("annual", help="社会组织年度工作报告书")
    p.add_argument("--org", metavar="CODE", help="统一社会信用代码，或 #内部编号")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="报告年度")
    p.add_argument("--out", metavar="FILE.pdf", help="保存的 PDF 文件")
    p.add_argument("--all", action="store_true",
                   help="为该年度已登记或备案的全部组织各生成一份")
    p.add_argument("--out-dir", metavar="DIR", help="批量生成时保存的文件夹")
    p.set_defaults(func=cmd_annual)
    p = kinds.add_parser("project", help="政府购买服务项目绩效评价报告")
    p.add_argument("--project", required=True, metavar="NO", help="项目编号，如 XM2026-0001")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="保存的 PDF 文件")
    p.set_defaults(func=cmd_project)
