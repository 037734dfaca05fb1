"""User text in the organization panel is shown as typed: "<b>" is not markup.

QLabel's default (Qt.AutoText) renders anything that looks like HTML, so a name such as
<b>x</b><script> came out bold, its tags gone. The panel's labels are plain text.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.services.orgs import registration
from app.ui.orgs.detail import OrgDetail

HTML = "<b>x</b><script>alert(1)</script>"


def test_html_in_an_organization_is_shown_as_text(qtbot, register, tmp_path):
    org = registration.create(OrgDraft(
        name=HTML, kind=OrgKind.SOCIAL_GROUP, address="<i>幸福路</i>",
        business_scope="<a href='http://x'>点我</a>\n第二行", remarks="<img src=x>"))
    detail = OrgDetail()
    qtbot.addWidget(detail)
    detail.resize(560, 760)
    detail.show()
    detail.show_org(org.id)
    assert detail.title.text() == HTML
    assert detail.values["business_scope"].text().endswith("点我</a>\n第二行")
    assert detail.title.textFormat() == Qt.TextFormat.PlainText
    for key in ("address", "business_scope", "remarks"):
        label = detail.values[key]
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert "<" in label.text()
    shot = os.environ.get("YILIAN_SCREENSHOT_DIR")
    if shot:
        QApplication.processEvents()  # let the form lay out the two-line scope
        detail.grab().save(os.path.join(shot, "org-detail-plain-text.png"))
