"""A titled box holding one short table and the buttons that add to it (the panels' tabs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QTableView, QVBoxLayout

from app.ui.common.row_table import RowsModel, table_view


def table_group(title: str, model: RowsModel[Any], buttons: Sequence[tuple[str, Callable[[], Any]]],
                body: QVBoxLayout, height: int, fixed: bool = False) -> QTableView:
    """Add to `body` a box `title` with a view of `model` at least `height` pixels tall
    (exactly, when `fixed`) and the `buttons` (text, slot) right-aligned under it."""
    group = QGroupBox(title, body.parentWidget())
    layout = QVBoxLayout(group)
    view = table_view(model, group)
    view.setMinimumHeight(height)
    if fixed:
        view.setMaximumHeight(height)
    layout.addWidget(view)
    row = QHBoxLayout()
    row.addStretch(1)
    for text, slot in buttons:
        button = QPushButton(text, group)
        button.clicked.connect(slot)
        row.addWidget(button)
    layout.addLayout(row)
    body.addWidget(group)
    return view
