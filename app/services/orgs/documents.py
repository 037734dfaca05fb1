"""Files attached to an organization (charter, minutes, certificates), kept beside the register.

A file is copied, never linked: the register must still hold it when the original on a USB
stick is gone. The copy's SHA-256 is stored with its row, so `path_for` can tell a lost or an
edited file from the one that was attached.

Where the copies live:

* SQLite register ``D:/益联/yilian.sqlite3`` → ``D:/益联/yilian.files/`` (it travels with the
  file when the folder is copied or backed up);
* PostgreSQL → ``<user data folder>/attachments/<database name>/`` on this desk (a shared
  network folder is a later concern).

Inside, ``orgs/<org_id>/<first 12 hex of sha256>-<original name>``. The copying, hashing and
checking is `app.services.common.attachments`, shared with the projects' documents.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import NotFoundError
from app.services.common import attachments, audit
from app.services.common.attachments import MAX_BYTES, DocumentLine
from app.store.db import default_data_dir, writing
from app.store.models import Organization, OrgDocument

__all__ = ["MAX_BYTES", "DocumentLine", "attach", "attachments_dir", "document", "documents",
           "path_for"]


def attachments_dir() -> Path:
    """The folder holding this register's attachments (not created here)."""
    return attachments.attachments_dir(default_data_dir)


def _line(row: OrgDocument) -> DocumentLine:
    return DocumentLine(row.id, row.title, row.kind, row.file_name, row.size, row.sha256,
                        row.added_at, row.actor)


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
    attachments.check_source(source)
    title, kind = attachments.title_and_kind(source, title, kind)
    if not Organization.select().where(Organization.id == org_id).exists():
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    with attachments.copied(source, attachments_dir(), f"orgs/{org_id}") as stored, writing():
        if Organization.get_or_none(Organization.id == org_id) is None:
            raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
        row = OrgDocument.create(
            org=org_id, title=title, kind=kind, file_name=stored.file_name,
            stored_as=stored.stored_as, sha256=stored.sha256, size=stored.size,
            actor=audit.current_actor())
        audit.record("attach", "org_document", row.id, None,
                     {"org_id": org_id, "title": title, "kind": kind,
                      "file_name": row.file_name, "sha256": stored.sha256,
                      "size": stored.size})
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
    return attachments.verify(attachments_dir(), row.stored_as, row.sha256, row.title,
                              row.file_name)
