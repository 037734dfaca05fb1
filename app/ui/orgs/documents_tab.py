"""The 附件 tab: files attached to the organization (charter, certificates, minutes).

The shared `AttachmentsTab` over `app.services.orgs.documents`; the kind of the next file is
free text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services.orgs import documents
from app.services.orgs.registration import OrgRecord
from app.ui.common.attachments_tab import Attachment, AttachmentsTab, local_time, size_text

__all__ = ["Attachment", "DocumentsTab", "local_time", "size_text"]


class DocumentsTab(AttachmentsTab):
    """Signals:
        changed(): a file was attached.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(documents.attach, documents.documents, documents.path_for,
                         documents.problem, parent)
        self.setObjectName("documents_tab")
        self.record: OrgRecord | None = None

    def show_org(self, record: OrgRecord) -> None:
        self.record = record
        self.show_owner(record.id)
