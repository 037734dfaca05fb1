"""`yilian` subcommands for activities and service hours (wired into app.cli.main).

    yilian activity add --name 敬老院探访 --start "2025-03-01 09:00" --end "2025-03-01 11:30"
    yilian activity list [--search 敬老] [--limit 50]
    yilian hours close-forgotten
    yilian hours approve --activity 12
    yilian export hours 时长.xlsx (--activity 12 | --from 2026-03-01 --to 2026-03-31)
                        [--layout NAME] [--again | --only-new]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from app.cli.common import PrintProgress, SharedVerbs, open_db
from app.domain.errors import FormErrors, NotFoundError, ValidationError
from app.domain.hours import ActivityDraft, format_minutes, parse_local_datetime

FIELD_LABELS = {"name": "活动名称", "starts_at": "开始时间", "ends_at": "结束时间",
                "organizer": "组织单位", "place": "地点", "category": "服务类别",
                "capacity": "人数上限", "project_id": "项目"}


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_activity_add(args: argparse.Namespace) -> int:
    from app.services.hours import activities

    try:
        draft = ActivityDraft(
            name=args.name, starts_at=parse_local_datetime(args.start, "starts_at"),
            ends_at=parse_local_datetime(args.end, "ends_at"), organizer=args.organizer,
            place=args.place, category=args.category, capacity=args.capacity,
            project_id=args.project)
    except ValidationError as exc:
        return _fail(f"{FIELD_LABELS.get(exc.field, exc.field)}：{exc.message}")
    open_db(args)
    try:
        record = activities.create(draft)
    except FormErrors as exc:
        return _fail("\n".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in exc.errors.items()))
    print(record.id)  # only the id, so a script can capture it
    return 0


def cmd_activity_list(args: argparse.Namespace) -> int:
    from app.services.hours import activities

    open_db(args)
    total = activities.count(args.search or "")
    for a in activities.page(0, args.limit, args.search or ""):
        print(f"{a.id}\t{a.starts_at:%Y-%m-%d %H:%M}–{a.ends_at:%H:%M}\t{a.name}\t"
              f"{a.category or '-'}\t{a.place or '-'}\t{a.organizer or '-'}\t{a.status_label}")
    print(f"共{total}项活动" + (f"（显示前{args.limit}项）" if total > args.limit else ""),
          file=sys.stderr)
    return 0


def cmd_close_forgotten(args: argparse.Namespace) -> int:
    from app.services.hours import records as service_records

    open_db(args)
    closed = service_records.close_forgotten()
    print(f"已自动签退{closed}条未签退的记录（按活动结束时间，已标记待复核）")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from app.services.hours import activities
    from app.services.hours import records as service_records

    open_db(args)
    try:
        activity = activities.get(args.activity)
    except NotFoundError as exc:
        return _fail(str(exc))
    ids = service_records.pending_ids(activity.id)
    if not ids:
        print(f"活动“{activity.name}”没有待审核的记录")
        return 0
    try:
        result = service_records.approve(ids, state=PrintProgress(args.quiet))
    except ValidationError as exc:
        return _fail(f"未审核任何记录：{exc.message}")
    print(f"活动“{activity.name}”：审核通过{result.approved}条记录，"
          f"共{format_minutes(result.minutes)}，{result.volunteers}名志愿者，"
          f"积分{result.points}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD") from None


def cmd_export_hours(args: argparse.Namespace) -> int:
    from app.services.hours import national_export as national

    if args.activity is None and (args.date_from is None or args.date_to is None):
        return _fail("请用 --activity 指定活动，或用 --from 和 --to 指定日期范围")
    if args.activity is not None and (args.date_from or args.date_to):
        return _fail("--activity 与 --from/--to 只能选一种")
    open_db(args)
    selection = national.Selection(args.activity, args.date_from, args.date_to)
    try:
        result = national.export(Path(args.file), selection, args.layout,
                                 include_exported=args.again, skip_exported=args.only_new,
                                 state=PrintProgress(args.quiet))
    except national.AlreadyExportedError as exc:
        return _fail(f"{exc.message}。确需再次导出请加 --again，只导出未导出过的记录请加 "
                     "--only-new")
    except (ValidationError, NotFoundError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    # A file that cannot be written reaches app.cli.main: its reason in Chinese, exit 3.
    notes = []
    if result.exported_before:
        notes.append(f"其中{result.exported_before}条此前已导出过")
    if result.skipped:
        notes.append(f"跳过此前已导出的{result.skipped}条")
    print(f"已按“{result.layout}”导出{result.rows}条服务记录（共{format_minutes(result.minutes)}）"
          f"到{args.file}" + ("，" + "，".join(notes) if notes else ""))
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add this area's subcommands; each sets `func` and may call `app.cli.common.open_db(args)`."""
    act = sub.add_parser("activity", help="志愿服务活动")
    act_sub = act.add_subparsers(dest="activity_command", required=True)

    p = act_sub.add_parser("add", help="新建活动（输出活动编号）")
    p.add_argument("--name", required=True, help="活动名称")
    p.add_argument("--start", required=True, help='开始时间 "YYYY-MM-DD HH:MM"')
    p.add_argument("--end", required=True, help='结束时间 "YYYY-MM-DD HH:MM"')
    p.add_argument("--category", default="", help="服务类别")
    p.add_argument("--place", default="", help="地点")
    p.add_argument("--organizer", default="", help="组织单位")
    p.add_argument("--capacity", type=int, help="人数上限")
    p.add_argument("--project", type=int, help="政府购买服务项目编号")
    p.set_defaults(func=cmd_activity_add)

    p = act_sub.add_parser("list", help="列出活动（最新的在前）")
    p.add_argument("--search", help="按名称、组织单位、地点或类别筛选")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_activity_list)

    hours = sub.add_parser("hours", help="服务时长")
    hours_sub = hours.add_subparsers(dest="hours_command", required=True)

    p = hours_sub.add_parser("close-forgotten", help="为忘记签退的记录按活动结束时间签退")
    p.set_defaults(func=cmd_close_forgotten)

    p = hours_sub.add_parser("approve", help="审核通过一项活动的全部待审核记录")
    p.add_argument("--activity", type=int, required=True, help="活动编号")
    p.set_defaults(func=cmd_approve)

    p = verbs.export.add_parser(
        "hours", help="导出已审核的服务时长，用于导入全国志愿服务信息系统")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--activity", type=int, help="活动编号")
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                   help="服务日期从 YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                   help="服务日期到 YYYY-MM-DD（含）")
    p.add_argument("--layout", metavar="NAME",
                   help="列对应方案名称（默认：全国志愿服务信息系统批量录入时长的预设）")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--again", action="store_true", help="此前已导出过的记录也再次导出")
    again.add_argument("--only-new", action="store_true", help="只导出此前未导出过的记录")
    p.set_defaults(func=cmd_export_hours)
