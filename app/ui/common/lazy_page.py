"""A page of the main window built the first time it is opened (or asked for).

Building every area at start-up ran their first queries — the hours report over a month of a
city's records among them — before the window could paint. The window puts a LazyPage in
its stack instead; the area's page, and the modules it imports, come when the user opens it,
and take the placeholder's place in the stack (so `stack.currentWidget()` is the page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QStackedWidget, QWidget

W = TypeVar("W", bound=QWidget)


class LazyPage(QWidget):
    """Holds the place of a page in `stack` until `page()` builds it through
    `factory(stack)` and puts it where the placeholder was."""

    def __init__(self, factory: Callable[[QWidget], QWidget], stack: QStackedWidget) -> None:
        super().__init__(stack)
        self._factory = factory
        self.stack = stack
        self.built: QWidget | None = None

    def page(self) -> QWidget:
        """The real page, built now (and swapped into the stack) if it was not yet."""
        if self.built is None:
            index = self.stack.indexOf(self)
            current = index >= 0 and self.stack.currentIndex() == index
            self.built = self._factory(self.stack)
            if index >= 0:
                self.stack.insertWidget(index, self.built)
                self.stack.removeWidget(self)
                if current:
                    self.stack.setCurrentIndex(index)
        return self.built

    def page_as(self, kind: type[W]) -> W:
        page = self.page()
        assert isinstance(page, kind)
        return page
