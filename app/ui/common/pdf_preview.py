"""Preview a rendered PDF inside the application, print it through the system's printers, or
save it.

This PySide6 build has no QtPdf: reports.raster (PDFium) turns the pages into images, which
the dialog shows fitted to its width and, for printing, paints onto QPrinter pages at their
true physical size (device pixels per image pixel = printer resolution / render dpi), so an
ID card comes out at CR80 size whatever the printer's resolution.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.ui import desk_settings
from app.ui.common.errors import show_error
from reports.raster import POINTS_PER_INCH, PdfPages, iter_pages_png

PREVIEW_DPI = 110      # screen preview; fitted to the width afterwards
PRINT_DPI = 300        # what goes to the printer, painted at true size
PAGE_GAP = 12
CACHE_PAGES = 8        # rendered page pixmaps held at most (those in view and a few more)
RENDER_DELAY_MS = 40   # after a scroll or resize, before rendering what came into view
PLACEHOLDER = "background: white;"

Proceed = Callable[[], None]


def _image(png: bytes) -> QImage:
    image = QImage()
    if not image.loadFromData(png):
        raise ValueError("page image could not be read")
    return image


def choose_pdf_path(parent: QWidget, title: str, name: str) -> Path | None:
    """Ask where a PDF goes (default: the last folder used); None if cancelled."""
    folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name),
                                          QCoreApplication.translate(
                                              "ShopDialogs", "PDF document (*.pdf)"))
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf")


class PdfPreviewDialog(QDialog):
    """The pages of `pdf` one below the other, with 打印… and 保存PDF….

    Pages are rendered only as they scroll into view (a 189-page batch of cards rendered
    whole took a gigabyte): every page has a placeholder of its size, and at most
    CACHE_PAGES rendered pixmaps are held, the least recently shown dropped first.

    `confirm`, if given, is asked before anything is printed or saved: it gets the action
    and calls it once the output may go ahead (the cards page issues the cards there).

    Attributes:
        labels: the QLabel showing each page (a blank placeholder until rendered).
        saved_path: where 保存PDF… last wrote the file.

    Signals:
        saved(object): the Path 保存PDF… wrote.
    """

    saved = Signal(object)

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None,
                 file_name: str = "document.pdf",
                 confirm: Callable[[Proceed], object] | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.confirm = confirm
        self.saved_path: Path | None = None
        self.printer: QPrinter | None = None
        self.print_dialog: QPrintDialog | None = None
        self.setWindowTitle(title)
        self.document = PdfPages(pdf)
        self.sizes = self.document.sizes
        self._cache: OrderedDict[int, QPixmap] = OrderedDict()
        self._width = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_DELAY_MS)
        self._timer.timeout.connect(self.fit_width)

        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setStyleSheet("QScrollArea { background: #78909c; }")
        pages = QWidget(self.area)
        pages.setObjectName("pages")
        pages.setStyleSheet("#pages { background: #78909c; }")
        column = QVBoxLayout(pages)
        column.setSpacing(PAGE_GAP)
        column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.labels: list[QLabel] = []
        for n in range(len(self.sizes)):
            label = QLabel(pages)
            label.setObjectName(f"page_{n + 1}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(PLACEHOLDER)
            label.setToolTip(self.tr("Page %1 of %2").replace("%1", str(n + 1)).replace(
                "%2", str(len(self.sizes))))
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels.append(label)
        column.addStretch(1)
        self.area.setWidget(pages)
        self.area.verticalScrollBar().valueChanged.connect(self._scrolled)

        self.count_label = QLabel(self.tr("%n page(s)", "", len(self.sizes)), self)
        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.save_button = QPushButton(self.tr("Save PDF…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save)
        self.print_button.setEnabled(bool(self.sizes))
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.resize(760, 820)
        self.fit_width()

    # -- preview -----------------------------------------------------------------------

    @property
    def images(self) -> list[QPixmap]:
        """The rendered page pixmaps held now (at most CACHE_PAGES)."""
        return list(self._cache.values())

    def rendered_pages(self) -> list[int]:
        """Indexes of the pages whose pixmap is held now, least recently shown first."""
        return list(self._cache)

    def _page_width(self, index: int) -> int:
        rendered = self.sizes[index][0] * PREVIEW_DPI / POINTS_PER_INCH
        return int(max(50, min(self._width, rendered * 2)))

    def fit_width(self) -> None:
        """Size every page's placeholder to the viewport's width (never above twice the
        render size) and render the pages in view; pixmaps of another width are dropped."""
        width = self.area.viewport().width() - 2 * PAGE_GAP
        if not self.area.verticalScrollBar().isVisible():  # it may appear once pages grow
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        if width != self._width:
            self._width = width
            for index in list(self._cache):
                self._drop(index)
            for index, label in enumerate(self.labels):
                w = self._page_width(index)
                page_w, page_h = self.sizes[index]
                label.setFixedSize(w, max(1, round(w * page_h / page_w)))
            pages = self.area.widget()
            if pages is not None and (layout := pages.layout()) is not None:
                layout.activate()
        self.render_visible()

    def visible_pages(self) -> list[int]:
        """Pages whose placeholder overlaps the viewport or lies within half a view of it,
        nearest the middle of the view first."""
        top = self.area.verticalScrollBar().value()
        height = self.area.viewport().height()
        low, high, middle = top - height // 2, top + height + height // 2, top + height // 2
        near = [i for i, label in enumerate(self.labels)
                if label.y() + label.height() >= low and label.y() <= high]
        return sorted(near, key=lambda i: abs(self.labels[i].geometry().center().y() - middle))

    def render_visible(self) -> None:
        """Render the pages in view that are not held yet; keep the cache within bounds."""
        wanted = self.visible_pages()[:CACHE_PAGES]
        for index in wanted:
            if index in self._cache:
                self._cache.move_to_end(index)
                continue
            data, w, h = self.document.rgb(index, PREVIEW_DPI)
            image = QImage(data, w, h, 3 * w, QImage.Format.Format_RGB888)
            label = self.labels[index]
            pixmap = QPixmap.fromImage(image.scaled(
                label.width(), label.height(), Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
            label.setPixmap(pixmap)
            self._cache[index] = pixmap
        while len(self._cache) > CACHE_PAGES:
            self._drop(next(iter(self._cache)))

    def _scrolled(self, _value: int) -> None:
        self._timer.start()

    def _drop(self, index: int) -> None:
        self._cache.pop(index, None)
        self.labels[index].clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()

    # -- printing ----------------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        """A high-resolution printer whose paper is the PDF's first page, without margins."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setFullPage(True)
        if self.sizes:
            width, height = self.sizes[0]
            orientation = (QPageLayout.Orientation.Landscape if width > height
                           else QPageLayout.Orientation.Portrait)
            size = QPageSize(QSizeF(min(width, height), max(width, height)),
                             QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
        return printer

    def print_(self) -> QPrintDialog:
        """Ask for the printer (window-modal, open()); print when accepted."""
        if self.print_dialog is not None:
            self.print_dialog.deleteLater()
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print"))
        dialog.accepted.connect(lambda: self._confirmed(lambda: self._print_accepted(printer)))
        self.printer, self.print_dialog = printer, dialog
        QDialog.open(dialog)  # QPrintDialog.open() in PySide6 wants a receiver and a slot
        return dialog

    def _print_accepted(self, printer: QPrinter) -> None:
        try:
            self.print_to(printer)
        except Exception as exc:  # a printer refusal or a bug, show_error tells which
            show_error(self, exc)

    def print_to(self, printer: QPrinter) -> int:
        """Paint every page at true size (render dpi → printer resolution) from the paper's
        top-left corner; returns the number of pages sent."""
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(self.tr("The printer could not be started."))
        scale = printer.resolution() / PRINT_DPI
        sent = 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for png in iter_pages_png(self.pdf, PRINT_DPI):
                if sent and not printer.newPage():
                    raise OSError(self.tr("The printer refused a new page."))
                image = _image(png)
                painter.drawImage(QRectF(0, 0, image.width() * scale, image.height() * scale),
                                  image)
                sent += 1
        finally:
            painter.end()
        return sent

    # -- saving ------------------------------------------------------------------------

    def _confirmed(self, action: Proceed) -> None:
        if self.confirm is None:
            action()
        else:
            self.confirm(action)

    def save(self) -> Path | None:
        """Ask for the file, then (after `confirm`, if any) write the PDF; the path if it
        was written at once, None if cancelled or still waiting for the confirmation."""
        target = choose_pdf_path(self, self.tr("Save PDF"), self.file_name)
        if target is None:
            return None
        written: list[Path] = []
        self._confirmed(lambda: written.extend(
            [path] if (path := self.write(target)) is not None else []))
        return written[0] if written else None

    def write(self, target: Path) -> Path | None:
        """Write the PDF (self.pdf as it is now) to `target`; None if that failed."""
        try:
            target.write_bytes(self.pdf)
        except OSError as exc:
            show_error(self, exc)
            return None
        desk_settings.LAST_FOLDER.set(str(target.parent))
        self.saved_path = target
        self.saved.emit(target)
        return target
