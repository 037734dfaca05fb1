"""What every `yilian` subcommand shares: opening the register, printing progress and
reporting an import."""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from app.services.common.import_preview import ImportPreview


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


_FILE_ERRORS = {errno.ENOSPC: "磁盘已满", errno.EFBIG: "文件超过允许的大小",
                errno.EROFS: "磁盘是只读的", errno.EACCES: "没有写入权限",
                errno.EPERM: "没有写入权限", errno.ENOENT: "文件或文件夹不存在"}


def user_refusal(exc: BaseException) -> str | None:
    """The Chinese reason of a refusal of the user's input that no command caught itself
    (a file that is not a roster, a record that does not exist, a rule broken); None if
    `exc` is not one."""
    from app.domain.errors import (
        ConflictError,
        DuplicateError,
        FormErrors,
        NotFoundError,
        ValidationError,
    )
    from app.services.common.sheet_reading import ImportFileError

    if isinstance(exc, ValidationError | DuplicateError):
        return exc.message
    if isinstance(exc, FormErrors):
        return "；".join(exc.errors.values())
    if isinstance(exc, ConflictError | NotFoundError | ImportFileError):
        return str(exc)
    return None


def failure_message(exc: BaseException) -> str | None:
    """The Chinese sentence for a failure a user can act on that no command caught itself:
    the register locked, read-only, gone or full, or a file that could not be written
    (nothing is left under its name: files are written by temporary name and rename).
    None for a bug, which keeps its traceback."""
    from app.services import register

    message = register.unreachable_message(exc)
    if message is not None:
        return message
    if isinstance(exc, OSError) and exc.filename:
        reason = _FILE_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
        return f"无法写入或读取文件{exc.filename}：{reason}"
    return None


@dataclass(frozen=True)
class SharedVerbs:
    """Verbs several areas answer to (`yilian export volunteers …`, `yilian export orgs …`):
    each area adds its noun as a sub-parser of the verb."""

    import_: argparse._SubParsersAction
    export: argparse._SubParsersAction
    template: argparse._SubParsersAction
    validate: argparse._SubParsersAction


class _RowNote(Protocol):
    @property
    def row(self) -> int: ...

    @property
    def column(self) -> str: ...

    @property
    def reason(self) -> str: ...


class _Preview(Protocol):
    @property
    def problems(self) -> Sequence[_RowNote]: ...

    @property
    def total_rows(self) -> int: ...

    @property
    def valid(self) -> Sized: ...

    @property
    def bad_rows(self) -> Sized: ...


PreviewT = TypeVar("PreviewT", bound=_Preview)
ResultT = TypeVar("ResultT")


def report_updates(args: argparse.Namespace, preview: ImportPreview,
                   registered: Callable[[int, int], str]) -> None:
    """`yilian import … [--update] [--problems OUT]` before the problems: every update with
    its changes, `registered(to_update, unchanged)` as the count line, and the bad rows
    saved for fixing."""
    from app.services.common.import_preview import write_problem_rows

    for u in preview.updates:
        print(f"第{u.row}行 更新 {u.label}：{u.summary}")
    if args.update:
        print(registered(len(preview.updates), preview.unchanged))
    if args.problems and preview.problems:
        written = write_problem_rows(preview, Path(args.problems))
        print(f"有问题的{written}行已连同原因保存到{args.problems}，改正后可直接重新导入")


def report_import(args: argparse.Namespace, preview: PreviewT,
                  commit: Callable[[PreviewT], ResultT], summary: Callable[[ResultT], str],
                  warnings: Iterable[_RowNote] = ()) -> int:
    """`yilian import …` after the file is read: print every problem and warning and the
    counts; with --commit write (`commit`, then print `summary` of its result) unless bad
    rows remain without --skip-invalid. Exit code 1 while the file has bad rows."""
    for problem in preview.problems:
        print(f"第{problem.row}行 [{problem.column}] {problem.reason}")
    for warning in warnings:
        print(f"第{warning.row}行 [{warning.column}] 提示：{warning.reason}")
    print(f"共{preview.total_rows}行：有效{len(preview.valid)}行，"
          f"有问题{len(preview.bad_rows)}行")
    if args.commit:
        if preview.bad_rows and not args.skip_invalid:
            print("有问题的行未处理，未导入任何数据（可加 --skip-invalid 跳过这些行）")
            return 1
        print(summary(commit(preview)))
    return 0 if not preview.bad_rows else 1
