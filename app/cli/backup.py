"""`yilian backup FILE` and `yilian restore FILE`: the register to one `.ylbak` file and back.

    yilian [--db DB] backup FILE          # FILE gets .ylbak when it has no extension
    yilian [--db DB] backup --due         # the scheduled automatic backup, if it is time
    yilian [--db DB] restore FILE         # checks FILE first; the old register is kept aside

Exit 0; 1 with the reason (Chinese) on stderr, the register untouched. `restore` is safe to
kill at any moment (see app.services.common.restore).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import PrintProgress, SharedVerbs, open_db
from app.domain.errors import ValidationError


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services.common import backup

    open_db(args)
    try:
        if args.due:
            result = backup.run_due()
            if result is None:
                print("未到自动备份时间（或已关闭自动备份），未备份")
                return 0
        elif args.file:
            path = Path(args.file)
            if not path.suffix:
                path = path.with_suffix(backup.EXTENSION)
            result = backup.create(path, PrintProgress(args.quiet))
        else:
            print("请指定备份文件，或用 --due 做到期的自动备份", file=sys.stderr)
            return 2
    except ValidationError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"已备份到 {result.path}（{_size(result.size)}，附件{result.files}个）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.services.common import restore

    open_db(args)
    try:
        result = restore.restore(args.file, PrintProgress(args.quiet))
    except ValidationError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    seen = result.inspection
    created = seen.created_at.strftime("%Y-%m-%d %H:%M:%S UTC") if seen.created_at else "未知"
    print(f"已从 {seen.path} 恢复（备份时间 {created}，数据库版本 {seen.schema_version}）")
    if result.before is not None:
        print(f"恢复前的登记簿已备份到 {result.before.path}")
    if result.kept is not None:
        print(f"被替换的登记簿文件保留为 {result.kept}")
    return 0


def add_commands(sub: argparse._SubParsersAction, verbs: SharedVerbs) -> None:
    """Add `backup` and `restore`."""
    p = sub.add_parser("backup", help="备份登记簿（数据库和附件）到一个 .ylbak 文件")
    p.add_argument("file", nargs="?", help="备份文件")
    p.add_argument("--due", action="store_true",
                   help="按设置的间隔做自动备份（放在备份文件夹，按保留份数清理）")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="从 .ylbak 备份恢复登记簿（先检查备份并自动备份当前登记簿）")
    p.add_argument("file", help="备份文件")
    p.set_defaults(func=cmd_restore)
