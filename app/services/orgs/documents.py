"""Files attached to an organization (charter, minutes, certificates), kept beside the register.

A file is copied, never linked: the register must still hold it when the original on a USB
stick is gone. The copy's SHA-256 is stored with its row, so `path_for` can tell a lost or an
edited file from the one that was attached.

Where the copies live:

* SQLite register ``D:/益联/yilian.sqlite3`` → ``D:/益联/yilian.files/`` (it travels with the
  file when the folder is copied or backed up);
* PostgreSQL → ``<user data folder>/attachments/<database name>/`` on this desk (a shared
  network folder is a later concern).

Inside, ``orgs/<org_id>/<first 12 hex of sha256>-<original name>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.services.common import audit
from app.store.db import database, default_data_dir, sqlite_path, writing
from app.store.models import Organization, OrgDocument

MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
MAX_FILE_NAME = 150  # leaves room for the hash prefix inside the 200-character column


@dataclass(frozen=True, slots=True)
class DocumentLine:
    id: int
    title: str
    kind: str
    file_name: str
    size: int
    sha256: str
    added_at: dt.datetime  # naive UTC
    actor: str


def attachments_dir() -> Path:
    """The folder holding this register's attachments (not created here)."""
    path = sqlite_path()
    if path is not None:
        return path.parent / f"{path.stem}.files"
    name = str(getattr(database.obj, "database", "") or "register")
    return default_data_dir() / "attachments" / _safe_name(name)


def _safe_name(name: str) -> str:
    """A file name that every desk's file system accepts, with its extension kept."""
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(name) > MAX_FILE_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: MAX_FILE_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_FILE_NAME]
    return name


def _line(row: OrgDocument) -> DocumentLine:
    return DocumentLine(row.id, row.title, row.kind, row.file_name, row.size, row.sha256,
                        row.added_at, row.actor)


def _check_source(source: Path) -> int:
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


def _copy(source: Path, folder: Path) -> tuple[Path, str, int, bool]:
    """Copy `source` into `folder` under a temporary name while hashing it, then rename.

    Returns (final path, sha256, size, whether the final file is new).
    """
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".incoming-{uuid.uuid4().hex}"
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
    final = folder / f"{sha[:12]}-{_safe_name(source.name)}"
    existed = final.exists()
    os.replace(temp, final)
    return final, sha, size, not existed


def attach(org_id: int, source: Path, title: str = "", kind: str = "") -> DocumentLine:
    """Copy `source` into the attachments folder and record it.

    The copy is complete (temporary name, then renamed) before the row is written; if the row
    cannot be written the new copy is removed again, so no row points at a missing file and
    no orphan is left behind.

    Raises:
        ValidationError: the file is missing, unreadable or over 50 MB.
        NotFoundError: no such organization.
    """
    source = Path(source)
    _check_source(source)
    title = clean_text(title) or source.stem
    if len(title) > 120:
        title = title[:120]
    kind = clean_text(kind)[:40]
    final: Path | None = None
    new_file = False
    try:
        with writing():
            if Organization.get_or_none(Organization.id == org_id) is None:
                raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
            root = attachments_dir()
            final, sha, size, new_file = _copy(source, root / "orgs" / str(org_id))
            row = OrgDocument.create(
                org=org_id, title=title, kind=kind, file_name=_safe_name(source.name),
                stored_as=final.relative_to(root).as_posix(), sha256=sha, size=size,
                actor=audit.current_actor())
            audit.record("attach", "org_document", row.id, None,
                         {"org_id": org_id, "title": title, "kind": kind,
                          "file_name": row.file_name, "sha256": sha, "size": size})
    except BaseException:
        if final is not None and new_file:
            final.unlink(missing_ok=True)
        raise
    return _line(row)


def documents(org_id: int) -> list[DocumentLine]:
    """Newest first."""
    query = (OrgDocument.select().where(OrgDocument.org == org_id)
             .order_by(OrgDocument.added_at.desc(), OrgDocument.id.desc()))
    return [_line(r) for r in query]


def document(document_id: int) -> DocumentLine:
    row = OrgDocument.get_or_none(OrgDocument.id == document_id)
    if row is None:
        raise NotFoundError("找不到该附件记录")
    return _line(row)


def path_for(document_id: int) -> Path:
    """The stored file, after checking it is there and unchanged.

    Raises:
        NotFoundError: no such document row.
        ValidationError: the file is gone ("附件已丢失…") or its content changed
            ("附件已被修改…").
    """
    row = OrgDocument.get_or_none(OrgDocument.id == document_id)
    if row is None:
        raise NotFoundError("找不到该附件记录")
    path = attachments_dir() / row.stored_as
    if not path.is_file():
        raise ValidationError("document", f"附件已丢失：“{row.title}”（{row.file_name}）"
                                          f"不在附件文件夹{path.parent}中，请重新添加")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise ValidationError("document", f"附件已丢失：无法读取{path}（{exc.strerror}）") from exc
    if digest.hexdigest() != row.sha256:
        raise ValidationError("document", f"附件已被修改：“{row.title}”（{row.file_name}）"
                                          "的内容与添加时不一致，请核对后重新添加")
    return path
