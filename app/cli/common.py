"""What every `yilian` subcommand shares: opening the register and printing progress."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass


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
    from app.services import register

    result = register.open(args.db)
    if result.backup is not None:
        print(f"数据库已从版本{result.from_version}升级到{result.to_version}，"
              f"升级前的备份：{result.backup}", file=sys.stderr)


@dataclass(frozen=True)
class SharedVerbs:
    """Verbs several areas answer to (`yilian export volunteers …`, `yilian export orgs …`):
    each area adds its noun as a sub-parser of the verb."""

    import_: argparse._SubParsersAction
    export: argparse._SubParsersAction
    template: argparse._SubParsersAction
    validate: argparse._SubParsersAction
