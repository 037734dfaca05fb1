"""Files attached to a project (contract, procurement notice, mid-term and final reports,
invoices), copied beside the register and checked by hash when opened
(`app.services.common.attachments`, shared with the organizations' documents).

Inside the attachments folder: ``projects/<project_id>/<first 12 hex of sha256>-<name>``.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import NotFoundError
from app.services.common import attachments, audit
from app.services.common.attachments import MAX_BYTES, DocumentLine
from app.store.db import writing
from app.store.models import Project, ProjectDocument

__all__ = ["KIND_SUGGESTIONS", "MAX_BYTES", "DocumentLine", "attach", "document", "documents",
           "path_for"]

# What the kind box offers (free text is allowed).
KIND_SUGGESTIONS = ("采购文件", "中标/成交通知书", "合同", "实施方案", "中期报告", "结项报告",
                    "评价报告", "发票", "照片", "其他")


def _line(row: ProjectDocument) -> DocumentLine:
    return DocumentLine(row.id, row.title, row.kind, row.file_name, row.size, row.sha256,
                        row.added_at, row.actor)


def _project_number(project_id: int) -> str:
    row = Project.get_or_none(Project.id == project_id)
    if row is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    return str(row.number)


def attach(project_id: int, source: Path, title: str = "", kind: str = "") -> DocumentLine:
    """Copy `source` into the attachments folder and record it (a failed row leaves no copy).

    Raises:
        ValidationError: the file is missing, unreadable or over 50 MB.
        NotFoundError: no such project.
    """
    source = Path(source)
    attachments.check_source(source)
    title, kind = attachments.title_and_kind(source, title, kind)
    _project_number(project_id)
    with attachments.copied(source, attachments.attachments_dir(),
                            f"projects/{project_id}") as stored, writing():
        number = _project_number(project_id)
        row = ProjectDocument.create(
            project=project_id, title=title, kind=kind, file_name=stored.file_name,
            stored_as=stored.stored_as, sha256=stored.sha256, size=stored.size,
            actor=audit.current_actor())
        audit.record("attach", "project_document", row.id, None,
                     {"project": number, "title": title, "kind": kind,
                      "file_name": row.file_name, "sha256": stored.sha256,
                      "size": stored.size})
    return _line(row)


def documents(project_id: int) -> list[DocumentLine]:
    """Newest first."""
    query = (ProjectDocument.select().where(ProjectDocument.project == project_id)
             .order_by(ProjectDocument.added_at.desc(), ProjectDocument.id.desc()))
    return [_line(r) for r in query]


def document(document_id: int) -> DocumentLine:
    row = ProjectDocument.get_or_none(ProjectDocument.id == document_id)
    if row is None:
        raise NotFoundError("找不到该附件记录")
    return _line(row)


def path_for(document_id: int) -> Path:
    """The stored file, after checking it is there and unchanged.

    Raises:
        NotFoundError: no such document row.
        ValidationError: the file is gone ("附件已丢失…") or changed ("附件已被修改…").
    """
    row = ProjectDocument.get_or_none(ProjectDocument.id == document_id)
    if row is None:
        raise NotFoundError("找不到该附件记录")
    return attachments.verify(attachments.attachments_dir(), row.stored_as, row.sha256,
                              row.title, row.file_name)
