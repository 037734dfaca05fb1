"""Writing workbooks the user asked for."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def save_atomically(book: Any, path: Path) -> None:
    """Save beside the target, then rename: the user's file is whole or untouched."""
    part = path.with_name(f".{path.name}.part")
    try:
        book.save(part)
        os.replace(part, path)
    finally:
        if part.exists():
            part.unlink()
