"""`yilian` subcommands for social organizations: import, export, template, credit-code check.

    yilian import orgs 台账.xlsx [--commit] [--skip-invalid] [--update] [--problems F]
    yilian export orgs 名单.xlsx [--search 协会]
    yilian template orgs 模板.xlsx
    yilian validate uscc 51420000MJH200395N
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    PrintProgress,
    SharedVerbs,
    open_db,
    report_import,
    report_updates,
)
from app.domain.errors import ValidationError
from app.domain.orgs.uscc import parse_uscc


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        info = parse_uscc(args.value)
    except ValidationError as exc:
        print(f"无效：{exc.message}")
        return 1
    department = info.department or "未列明的部门"
    kind = info.kind or "未列明的类别"
    area = f"{info.area_code}（{info.area_name}）" if info.area_name else info.area_code
    print(f"有效：{info.code}  登记管理部门 {info.department_code} {department}  "
          f"机构类别 {info.kind_code} {kind}  行政区划 {area}  "
          f"组织机构代码 {info.organization_code_display}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.orgs import importing as imp

    open_db(args)
    progress = PrintProgress(args.quiet)
    preview = imp.read(Path(args.file), state=progress, update=args.update)
    report_updates(args, preview, lambda n, same: f"已登记的组织：更新{n}个，无变化{same}个")
    return report_import(
        args, preview,
        lambda p: imp.commit(p, skip_invalid=args.skip_invalid, state=progress),
        lambda r: f"已导入{r.imported}个社会组织（登记{r.registered}个，"
                  f"备案{r.filed}个）" + (f"，更新{r.updated}个" if args.update else "")
                  + f"，跳过{r.skipped}行",
        warnings=preview.warnings)


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.orgs import exporting
    from app.services.orgs.listing import OrgFilter

    open_db(args)
    count = exporting.export(OrgFilter(text=args.search or ""), Path(args.file),
                             state=PrintProgress(args.quiet))
    print(f"已导出{count}个社会组织到{args.file}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from app.services.orgs import importing as imp

    imp.write_template(Path(args.file))
    print(f"模板已保存到{args.file}")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
    p = verbs.import_.add_parser("orgs", help="导入社会组织台账")
    p.add_argument("file")
    p.add_argument("--commit", action="store_true", help="写入登记簿（否则只检查）")
    p.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余行")
    p.add_argument("--update", action="store_true",
                   help="统一社会信用代码已登记的组织更新其信息（否则作为重复登记拒绝）")
    p.add_argument("--problems", metavar="FILE",
                   help="把有问题的行连同原因另存为Excel文件，改正后可重新导入")
    p.set_defaults(func=cmd_import)

    p = verbs.export.add_parser("orgs", help="导出社会组织名单")
    p.add_argument("file")
    p.add_argument("--search", help="只导出与搜索词匹配的社会组织")
    p.set_defaults(func=cmd_export)

    p = verbs.template.add_parser("orgs", help="社会组织导入模板")
    p.add_argument("file")
    p.set_defaults(func=cmd_template)

    p = verbs.validate.add_parser("uscc", help="校验统一社会信用代码")
    p.add_argument("value")
    p.set_defaults(func=cmd_validate)
