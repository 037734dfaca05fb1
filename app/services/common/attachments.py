"""Attached files kept beside the register: copied (never linked), hashed, checked on open.

A file is copied because the register must still hold it when the original on a USB stick is
gone; its SHA-256 is stored with its row so `verify` can tell a lost or an edited file from
the one that was attached. Organizations and projects keep their own rows (`org_document`,
`project_document`); the copying, hashing and checking is this module's.

Where the copies live:

* SQLite register ``D:/益联/yilian.sqlite3`` → ``D:/益联/yilian.files/`` (it travels with the
  file when the folder is copied or backed up);
* PostgreSQL → ``<user data folder>/attachments/<database name>/`` on this desk (a shared
  network folder is a later concern).

Inside, ``<area>/<owner id>/<first 12 hex of sha256>-<original name>``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.services.common import audit
from app.store.db import database, default_data_dir, make_private_folder, sqlite_path, writing

MAX_BYTES = 50 * 1024 * 1024
MAX_TITLE = 120
MAX_KIND = 40
MAX_FILE_NAME = 150  # leaves room for the hash prefix inside the 200-character column
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One attached file as a list shows it (organizations and projects alike)."""

    id: int
    title: str
    kind: str
    file_name: str
    size: int
    sha256: str
    added_at: dt.datetime  # naive UTC
    actor: str


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A finished copy: where it is (`path`, and `stored_as` relative to the root)."""

    path: Path
    stored_as: str
    file_name: str
    sha256: str
    size: int
    new: bool  # False when an identical copy was there already (then it is never removed)


def attachments_dir(data_dir: Callable[[], Path] | None = None) -> Path:
    """The folder holding this register's attachments (not created here).

    Args:
        data_dir: the user's data folder for a PostgreSQL register (tests point it elsewhere);
            default `app.store.db.default_data_dir`.
    """
    path = sqlite_path()
    if path is not None:
        return path.parent / f"{path.stem}.files"
    name = str(getattr(database.obj, "database", "") or "register")
    return (data_dir or default_data_dir)() / "attachments" / safe_name(name)


def safe_name(name: str) -> str:
    """A file name that every desk's file system accepts, with its extension kept."""
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(name) > MAX_FILE_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: MAX_FILE_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_FILE_NAME]
    return name


def title_and_kind(source: Path, title: str, kind: str) -> tuple[str, str]:
    """The title to store (the file's name without extension when none is typed) and kind,
    both cut to their columns."""
    return (clean_text(title) or source.stem)[:MAX_TITLE], clean_text(kind)[:MAX_KIND]


def check_source(source: Path) -> int:
    """The size of a file that may be attached.

    Raises:
        ValidationError: missing, unreadable or over 50 MB.
    """
    if not source.is_file():
        raise ValidationError("source", f"找不到要添加的文件：{source}")
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ValidationError("source", f"无法读取文件{source.name}：{exc.strerror}") from exc
    if size > MAX_BYTES:
        raise ValidationError("source", f"文件{source.name}超过50MB（{size / 1024 / 1024:.1f}MB），"
                                        "请压缩或拆分后再添加")
    return size


def copy_in(source: Path, root: Path, folder: str) -> StoredFile:
    """Copy `source` into `root/folder` under a temporary name while hashing it, then rename.

    Raises:
        ValidationError: unreadable, or it grew beyond 50 MB while being copied.
    """
    target = root / folder
    make_private_folder(target)      # documents of organizations and projects
    temp = target / f".incoming-{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    size = 0
    try:
        with source.open("rb") as src, temp.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValidationError(
                        "source", f"文件{source.name}超过50MB，请压缩或拆分后再添加")
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        reason = exc.strerror or exc
        raise ValidationError("source", f"无法读取文件{source.name}：{reason}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    sha = digest.hexdigest()
    file_name = safe_name(source.name)
    final = target / f"{sha[:12]}-{file_name}"
    existed = final.exists()
    os.replace(temp, final)
    return StoredFile(final, final.relative_to(root).as_posix(), file_name, sha, size,
                      not existed)


@contextlib.contextmanager
def copied(source: Path, root: Path, folder: str) -> Iterator[StoredFile]:
    """A finished copy for the block that records it; if the block fails (the row, its audit
    or the commit), a copy made here is removed again, so no orphan is left behind.

    Use it around the writing transaction, so the commit is inside it and the (slow) copy is
    outside the write lock.
    """
    check_source(source)
    stored = copy_in(source, root, folder)
    try:
        yield stored
    except BaseException:
        if stored.new:
            stored.path.unlink(missing_ok=True)
        raise


def verify(root: Path, stored_as: str, sha256: str, title: str, file_name: str) -> Path:
    """The stored file, after checking it is there and unchanged.

    Raises:
        ValidationError: the file is gone ("附件已丢失…") or its content changed
            ("附件已被修改…").
    """
    path = root / stored_as
    if not path.is_file():
        raise ValidationError("document", f"附件已丢失：“{title}”（{file_name}）"
                                          f"不在附件文件夹{path.parent}中，请重新添加")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise ValidationError("document", f"附件已丢失：无法读取{path}（{exc.strerror}）") from exc
    if digest.hexdigest() != sha256:
        raise ValidationError("document", f"附件已被修改：“{title}”（{file_name}）"
                                          "的内容与添加时不一致，请核对后重新添加")
    return path


def stored_problem(root: Path, stored_as: str, size: int, title: str, file_name: str) -> str:
    """What a list may say about a copy without reading it: gone, or a size other than the
    one recorded (an edit). Hashing every file each time a record is shown would read every
    attachment from disk; the full check (`verify`) is for opening one."""
    path = root / stored_as
    try:
        actual = path.stat().st_size
    except OSError:
        return f"附件已丢失：“{title}”（{file_name}）不在附件文件夹{path.parent}中，请重新添加"
    if actual != size:
        return f"附件已被修改：“{title}”（{file_name}）的内容与添加时不一致，请核对后重新添加"
    return ""


@dataclass(frozen=True)
class Shelf:
    """The attachments of one kind of owner (organizations, projects): its table, the owner
    column, the sub-folder, and how the audit row names the owner. The document tables share
    their columns (title, kind, file_name, stored_as, sha256, size, added_at, actor).

    Args:
        owner_label: how an audit row names the owner, from its id; raises NotFoundError
            (with the owner's own Chinese message) when there is no such owner.
        root: the attachments folder (a function, so tests can move it).
    """

    table: Any
    owner_field: str
    folder: str
    entity: str
    owner_label: Callable[[int], dict[str, object]]
    root: Callable[[], Path] = attachments_dir

    def _line(self, row: Any) -> DocumentLine:
        return DocumentLine(row.id, row.title, row.kind, row.file_name, row.size, row.sha256,
                            row.added_at, row.actor)

    def _row(self, document_id: int) -> Any:
        row = self.table.get_or_none(self.table.id == document_id)
        if row is None:
            raise NotFoundError("找不到该附件记录")
        return row

    def attach(self, owner_id: int, source: Path, title: str = "", kind: str = ""
               ) -> DocumentLine:
        """Copy `source` in and record it: the copy is complete before the row is written,
        and a row that cannot be written takes the new copy with it."""
        source = Path(source)
        check_source(source)
        title, kind = title_and_kind(source, title, kind)
        self.owner_label(owner_id)
        with copied(source, self.root(), f"{self.folder}/{owner_id}") as stored, writing():
            owner = self.owner_label(owner_id)  # still there, inside the transaction
            row = self.table.create(
                **{self.owner_field: owner_id}, title=title, kind=kind,
                file_name=stored.file_name, stored_as=stored.stored_as, sha256=stored.sha256,
                size=stored.size, actor=audit.current_actor())
            audit.record("attach", self.entity, row.id, None,
                         {**owner, "title": title, "kind": kind, "file_name": row.file_name,
                          "sha256": stored.sha256, "size": stored.size})
        return self._line(row)

    def documents(self, owner_id: int) -> list[DocumentLine]:
        """Newest first."""
        query = (self.table.select().where(getattr(self.table, self.owner_field) == owner_id)
                 .order_by(self.table.added_at.desc(), self.table.id.desc()))
        return [self._line(r) for r in query]

    def document(self, document_id: int) -> DocumentLine:
        return self._line(self._row(document_id))

    def path_for(self, document_id: int) -> Path:
        """The stored file, after checking it is there and unchanged (its hash).

        Raises:
            NotFoundError: no such document row.
            ValidationError: the file is gone ("附件已丢失…") or changed ("附件已被修改…").
        """
        row = self._row(document_id)
        return verify(self.root(), row.stored_as, row.sha256, row.title, row.file_name)

    def problem(self, document_id: int) -> str:
        """A list's quick word on the copy (see `stored_problem`); "" when it looks fine."""
        row = self._row(document_id)
        return stored_problem(self.root(), row.stored_as, row.size, row.title, row.file_name)
