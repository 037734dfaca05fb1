"""`yilian`: the same use cases as the GUI, headless (import, export, demo data, checks)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.domain.errors import ValidationError
from app.domain.idcard import parse_id_number
from app.domain.phone import normalize_phone
from app.domain.volunteer import SEX_LABELS


class PrintProgress:
    """Progress on stderr, one line updated in place; never cancelled."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self._last = -1

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        if self.quiet or total <= 0:
            return
        percent = done * 100 // total
        if percent != self._last:
            self._last = percent
            end = "\n" if done >= total else ""
            print(f"\r{message} {done}/{total} ({percent}%)", end=end, file=sys.stderr,
                  flush=True)

    def is_cancelled(self) -> bool:
        return False


def open_db(args: argparse.Namespace) -> None:
    """Open the register named by --db (or the default) for a subcommand."""
    _open(args)


def _open(args: argparse.Namespace) -> None:
    from app.store.connection import open_register

    result = open_register(args.db)
    if result.backup is not None:
        print(f"数据库已从版本{result.from_version}升级到{result.to_version}，"
              f"升级前的备份：{result.backup}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        if args.kind == "idcard":
            info = parse_id_number(args.value)
            print(f"有效：{info.number}  出生日期 {info.birth_date.isoformat()}  "
                  f"性别 {SEX_LABELS[info.sex]}  地区码 {info.area_code}")
        else:
            print(f"有效：{normalize_phone(args.value)}")
    except ValidationError as exc:
        print(f"无效：{exc.message}")
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.volunteers import demo

    _open(args)
    result = demo.generate(args.volunteers, seed=args.seed, state=PrintProgress(args.quiet))
    print(f"已生成{result.volunteers}名演示志愿者（{result.first_number} – {result.last_number}）")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.volunteers import importing as imp

    _open(args)
    progress = PrintProgress(args.quiet)
    preview = imp.read(Path(args.file), state=progress)
    for problem in preview.problems:
        print(f"第{problem.row}行 [{problem.column}] {problem.reason}")
    print(f"共{preview.total_rows}行：有效{len(preview.valid)}行，"
          f"有问题{len(preview.bad_rows)}行")
    if args.commit:
        if preview.bad_rows and not args.skip_invalid:
            print("有问题的行未处理，未导入任何数据（可加 --skip-invalid 跳过这些行）")
            return 1
        result = imp.commit(preview, skip_invalid=args.skip_invalid, state=progress)
        print(f"已导入{result.imported}名志愿者，跳过{result.skipped}行")
        return 0 if not preview.bad_rows else 1
    return 0 if not preview.bad_rows else 1


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.volunteers import exporting as volunteer_export
    from app.services.volunteers.listing import VolunteerFilter

    _open(args)
    count = volunteer_export.export(VolunteerFilter(text=args.search or ""), Path(args.file),
                                    unmasked=args.unmasked, state=PrintProgress(args.quiet))
    print(f"已导出{count}名志愿者到{args.file}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from app.services.volunteers import importing as imp

    imp.write_template(Path(args.file))
    print(f"模板已保存到{args.file}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yilian", description="益联 志愿者与社会组织登记")
    parser.add_argument("--version", action="version", version=f"yilian {__version__}")
    parser.add_argument("--db", help="SQLite 文件路径或 postgresql:// 地址"
                                     "（默认：YILIAN_DB 或用户数据目录）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="生成演示数据")
    p.add_argument("--volunteers", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="从 Excel 导入")
    p.add_argument("what", choices=["volunteers"])
    p.add_argument("file")
    p.add_argument("--commit", action="store_true", help="写入登记簿（否则只检查）")
    p.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余行")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出到 Excel")
    p.add_argument("what", choices=["volunteers"])
    p.add_argument("file")
    p.add_argument("--unmasked", action="store_true", help="不遮盖身份证号码和手机号码")
    p.add_argument("--search", help="只导出与搜索词匹配的志愿者")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("template", help="保存导入模板")
    p.add_argument("what", choices=["volunteers"])
    p.add_argument("file")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("validate", help="校验身份证号码或手机号码")
    p.add_argument("kind", choices=["idcard", "phone"])
    p.add_argument("value")
    p.set_defaults(func=cmd_validate)

    from app import cli_cards, cli_certificates, cli_checkin, cli_hours, cli_points

    for area in (cli_hours, cli_points, cli_certificates, cli_checkin, cli_cards):
        area.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
