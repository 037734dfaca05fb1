"""Every table model of the organization panel passes the Qt model tester with rows in it
(the list, import and due models have their own tests)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel

from app.domain.orgs.kinds import CreditListKind, InspectionResult
from app.services.orgs import incubation, inspections
from app.ui.orgs.detail import OrgDetail


def test_every_panel_model_passes_the_qt_model_tester(qtbot, qtmodeltester, populated,
                                                      tmp_path):
    org_id = populated["心桥心理咨询中心"]
    inspections.record(org_id, 2025, submitted_on=dt.date(2026, 5, 10),
                       result=InspectionResult.PASS, remarks="材料齐全")
    inspections.list_entry(org_id, CreditListKind.ABNORMAL, dt.date(2026, 6, 30), "未按时报送")
    incubation.add_mentor(org_id, "周文", "社会工作", dt.date.today() - dt.timedelta(days=90))
    detail = OrgDetail()
    qtbot.addWidget(detail)
    detail.resize(560, 760)
    detail.show()
    detail.show_org(org_id)
    source = tmp_path / "章程.txt"
    source.write_text("第一条", encoding="utf-8")
    assert detail.documents_tab.attach(source) is not None
    for index in range(detail.tabs.count()):  # the timeline fills when its tab is shown
        detail.tabs.setCurrentIndex(index)
    models = detail.findChildren(QAbstractItemModel)
    filled = [m for m in models if m.rowCount() > 0 and m.columnCount() > 0]
    assert len(filled) >= 5, [type(m).__name__ for m in models]
    for model in models:
        qtmodeltester.check(model)
