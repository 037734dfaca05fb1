"""In English (the tests' language) nothing on the volunteer page is cut off: label columns
fit their longest label, and the detail pane is as wide as the record it shows needs."""

from __future__ import annotations

from app.domain.volunteer import IdType
from app.ui.volunteers.model import Column, id_type_label, sex_label


def test_label_columns_fit_their_labels(page):
    metrics = page.table.fontMetrics()
    header = page.table.horizontalHeader()
    assert header.sectionSize(Column.SEX) >= metrics.horizontalAdvance(sex_label("F"))
    assert header.sectionSize(Column.ID_TYPE) >= \
        metrics.horizontalAdvance(id_type_label(IdType.RESIDENT))


def test_detail_pane_is_not_cut_off_at_the_right(page, make_volunteer, qtbot):
    record = make_volunteer(name="王芳")
    page.refresh()
    page.select_row(0)
    assert page.detail.record is not None and page.detail.record.id == record.id
    qtbot.waitUntil(lambda: page.detail.widget().width() <= page.detail.viewport().width())
    button = page.detail.reveal_button
    right = button.mapTo(page.detail.viewport(), button.rect().topRight()).x()
    assert right <= page.detail.viewport().width()
