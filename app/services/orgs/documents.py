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
from app.services.common import attachments
from app.services.common.attachments import MAX_BYTES, DocumentLine
from app.store.db import default_data_dir
from app.store.models import Organization, OrgDocument

__all__ = ["MAX_BYTES", "DocumentLine", "attach", "attachments_dir", "document", "documents",
           "path_for", "problem"]


def attachments_dir() -> Path:
    """The folder holding this register's attachments (not created here)."""
    return attachments.attachments_dir(default_data_dir)


def _owner(org_id: int) -> dict[str, object]:
    if not Organization.select().where(Organization.id == org_id).exists():
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return {"org_id": org_id}


_SHELF = attachments.Shelf(OrgDocument, "org", "orgs", "org_document", _owner,
                           root=attachments_dir)

attach = _SHELF.attach
documents = _SHELF.documents
document = _SHELF.document
path_for = _SHELF.path_for
problem = _SHELF.problem
