"""`yilian` subcommands for the volunteer register: import, export, template, checks.

    yilian import volunteers 花名册.xlsx [--commit] [--skip-invalid] [--update] [--problems F]
    yilian export volunteers 名单.xlsx [--unmasked] [--search 张]
    yilian template volunteers 模板.xlsx
    yilian validate idcard|phone VALUE
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
from app.domain.idcard import parse_id_number, place_of_issue
from app.domain.phone import normalize_phone
from app.domain.volunteer import SEX_LABELS


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        if args.kind == "idcard":
            info = parse_id_number(args.value)
            place = place_of_issue(info.number)
            print(f"有效：{info.number}  出生日期 {info.birth_date.isoformat()}  "
                  f"性别 {SEX_LABELS[info.sex]}  地区码 {info.area_code}（{place}）")
        else:
            print(f"有效：{normalize_phone(args.value)}")
    except ValidationError as exc:
        print(f"无效：{exc.message}")
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.volunteers import importing as imp

    open_db(args)
    progress = PrintProgress(args.quiet)
    preview = imp.read(Path(args.file), state=progress, update=args.update)
    report_updates(args, preview, lambda n, same: f"已登记的人：更新{n}人，无变化{same}人")
    return report_import(
        args, preview,
        lambda p: imp.commit(p, skip_invalid=args.skip_invalid, state=progress),
        lambda r: f"已导入{r.imported}名志愿者"
                  + (f"，更新{r.updated}人" if args.update else "") + f"，跳过{r.skipped}行")


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.volunteers import exporting as volunteer_export
    from app.services.volunteers.listing import LISTED_STATUSES, VolunteerFilter

    open_db(args)
    # What the list shows: merged records (kept only as history) stay out unless asked.
    statuses = () if args.include_merged else LISTED_STATUSES
    count = volunteer_export.export(VolunteerFilter(text=args.search or "", statuses=statuses),
                                    Path(args.file), unmasked=args.unmasked,
                                    state=PrintProgress(args.quiet))
    print(f"已导出{count}名志愿者到{args.file}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from app.services.volunteers import importing as imp

    imp.write_template(Path(args.file))
    print(f"模板已保存到{args.file}")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func`."""
    p = verbs.import_.add_parser("volunteers", help="导入志愿者花名册")
    p.add_argument("file")
    p.add_argument("--commit", action="store_true", help="写入登记簿（否则只检查）")
    p.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余行")
    p.add_argument("--update", action="store_true",
                   help="证件号码已登记的人更新其信息（否则作为重复登记拒绝）")
    p.add_argument("--problems", metavar="FILE",
                   help="把有问题的行连同原因另存为Excel文件，改正后可重新导入")
    p.set_defaults(func=cmd_import)

    p = verbs.export.add_parser("volunteers", help="导出志愿者名单")
    p.add_argument("file")
    p.add_argument("--unmasked", action="store_true", help="不遮盖身份证号码和手机号码")
    p.add_argument("--search", help="只导出与搜索词匹配的志愿者")
    p.add_argument("--include-merged", action="store_true",
                   help="连同已合并（重复登记）的记录一起导出")
    p.set_defaults(func=cmd_export)

    p = verbs.template.add_parser("volunteers", help="志愿者导入模板")
    p.add_argument("file")
    p.set_defaults(func=cmd_template)

    for kind, help_text in (("idcard", "校验身份证号码"), ("phone", "校验手机号码")):
        p = verbs.validate.add_parser(kind, help=help_text)
        p.add_argument("value")
        p.set_defaults(func=cmd_validate, kind=kind)
