"""Writing workbooks the user asked for."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import Any


def save_atomically(book: Any, path: Path) -> None:
    """Save beside the target, then rename: the user's file is whole or untouched."""
    part = path.with_name(f".{path.name}.part")
    try:
        book.save(part)
        os.replace(part, path)
    except OSError as exc:  # a full disk fails inside zipfile, without the file's name
        error = OSError(exc.errno, exc.strerror, str(path))
        hook = sys.unraisablehook
        sys.unraisablehook = lambda _unraisable: None
        try:
            _forget_frames(exc)
            del exc
            _drop_half_written(book)
        finally:
            sys.unraisablehook = hook
        raise error from None
    finally:
        if part.exists():
            part.unlink()


def _forget_frames(exc: BaseException | None) -> None:
    """Drop the tracebacks of `exc` and the errors it chains, so the frames holding
    openpyxl's open zip can be collected now."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = None
        if exc.__cause__ is not None:
            _forget_frames(exc.__cause__)
        exc = exc.__context__


def _drop_half_written(book: Any) -> None:
    """After a failed save, close what openpyxl left open (the zip, a write-only sheet's
    row generator and writer) now, while the caller mutes the unraisable hook: left to the
    garbage collector they retry the write (on the full disk, or into the writer's file
    already closed) and print "Exception ignored" tracebacks under the user's message.

    A save that fails before it reaches the sheets (its folder does not exist) leaves the
    row generator suspended inside its <sheetData> element; it is closed first, then the
    writer's XML stream, then its temporary file is removed. Nothing here may replace the
    user's error, so every failure of this clean-up is swallowed."""
    for sheet in getattr(book, "worksheets", []):
        rows = getattr(sheet, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        writer = getattr(sheet, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
            with contextlib.suppress(Exception):
                writer.cleanup()
    gc.collect()


# --- text cells ---------------------------------------------------------------------------
# openpyxl stores any string starting with "=" as a formula, so a volunteer named
# =HYPERLINK("http://x","点我") would become a live link in the export. Text that looks like
# a formula (OWASP's list: = + - @, tab, CR, LF) is written as a string cell with Excel's
# quotePrefix style: Excel shows it as typed and keeps it text even when the cell is edited,
# and reading the file back (openpyxl, calamine) gives the original text, no "'" added.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_text(cell: Any) -> Any:
    """Make `cell` a plain string cell when its text looks like a formula; returns it."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def text_value(sheet: Any, value: Any) -> Any:
    """For a write-only sheet's row: `value` itself, or a string cell when it looks like a
    formula (only those pay for a cell object)."""
    if not looks_like_formula(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    return keep_text(WriteOnlyCell(sheet, value=value))


def keep_sheet_text(sheet: Any) -> None:
    """Every formula-looking text cell of an ordinary (not write-only) sheet as text."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type in ("f", "s"):
                keep_text(cell)
