"""Files attached to a project (contract, procurement notice, mid-term and final reports,
invoices), copied beside the register and checked by hash when opened
(`app.services.common.attachments`, shared with the organizations' documents).

Inside the attachments folder: ``projects/<project_id>/<first 12 hex of sha256>-<name>``.
"""

from __future__ import annotations

from app.domain.errors import NotFoundError
from app.services.common import attachments
from app.services.common.attachments import MAX_BYTES, DocumentLine
from app.store.models import Project, ProjectDocument

__all__ = ["KIND_SUGGESTIONS", "MAX_BYTES", "DocumentLine", "attach", "document", "documents",
           "path_for", "problem"]

# What the kind box offers (free text is allowed).
KIND_SUGGESTIONS = ("采购文件", "中标/成交通知书", "合同", "实施方案", "中期报告", "结项报告",
                    "评价报告", "发票", "照片", "其他")


def _owner(project_id: int) -> dict[str, object]:
    row = Project.get_or_none(Project.id == project_id)
    if row is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    return {"project": str(row.number)}


_SHELF = attachments.Shelf(ProjectDocument, "project", "projects", "project_document", _owner)

attach = _SHELF.attach
documents = _SHELF.documents
document = _SHELF.document
path_for = _SHELF.path_for
problem = _SHELF.problem
