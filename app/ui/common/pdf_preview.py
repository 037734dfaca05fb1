"""Preview a rendered PDF inside the application, print it through the system's printers, or
save it.

This PySide6 build has no QtPdf: reports.raster (PDFium) turns the pages into images, which
the dialog shows fitted to its width and, for printing, paints onto QPrinter pages at their
true physical size (device pixels per image pixel = printer resolution / render dpi), so an
ID card comes out at CR80 size whatever the printer's resolution.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.ui.common.errors import show_error
from app.ui.points.shop_dialogs import save_pdf
from reports.raster import iter_pages_png, page_sizes

PREVIEW_DPI = 110      # screen preview; fitted to the width afterwards
PRINT_DPI = 300        # what goes to the printer, painted at true size
PAGE_GAP = 12


def _image(png: bytes) -> QImage:
    image = QImage()
    if not image.loadFromData(png):
        raise ValueError("page image could not be read")
    return image


class PdfPreviewDialog(QDialog):
    """The pages of `pdf` one below the other, with 打印… and 保存PDF….

    Attributes:
        images: the preview page images (PREVIEW_DPI), one per page.
        labels: the QLabel showing each page.
        saved_path: where 保存PDF… last wrote the file.

    Signals:
        saved(object): the Path 保存PDF… wrote.
    """

    saved = Signal(object)

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None,
                 file_name: str = "document.pdf") -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.saved_path: Path | None = None
        self.printer: QPrinter | None = None
        self.print_dialog: QPrintDialog | None = None
        self.setWindowTitle(title)
        self.sizes = page_sizes(pdf)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.images = [_image(png) for png in iter_pages_png(pdf, PREVIEW_DPI)]
        finally:
            QGuiApplication.restoreOverrideCursor()

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
        for n in range(len(self.images)):
            label = QLabel(pages)
            label.setObjectName(f"page_{n + 1}")
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setToolTip(self.tr("Page %1 of %2").replace("%1", str(n + 1)).replace(
                "%2", str(len(self.images))))
            column.addWidget(label)
            self.labels.append(label)
        column.addStretch(1)
        self.area.setWidget(pages)

        self.count_label = QLabel(self.tr("%n page(s)", "", len(self.images)), self)
        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.save_button = QPushButton(self.tr("Save PDF…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save)
        self.print_button.setEnabled(bool(self.images))
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.resize(760, 820)
        self.fit_width()

    # -- preview -----------------------------------------------------------------------

    def fit_width(self) -> None:
        """Scale every page to the viewport's width (never above twice the render size)."""
        width = self.area.viewport().width() - 2 * PAGE_GAP
        if not self.area.verticalScrollBar().isVisible():  # it may appear once pages grow
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        for image, label in zip(self.images, self.labels, strict=True):
            target = max(50, min(width, image.width() * 2))
            label.setPixmap(QPixmap.fromImage(image.scaledToWidth(
                target, Qt.TransformationMode.SmoothTransformation)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width()

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
        dialog.accepted.connect(lambda: self._print_accepted(printer))
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

    def save(self) -> Path | None:
        pdf = self.pdf
        path = save_pdf(self, self.tr("Save PDF"), self.file_name, lambda: pdf)
        if path is not None:
            self.saved_path = path
            self.saved.emit(path)
        return path
