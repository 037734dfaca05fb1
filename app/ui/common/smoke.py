"""`yilian --smoke OUTDIR [--db EMPTY_REGISTER]`: prove a built bundle works, unattended.

A PyInstaller bundle fails at run time, not at build time, when a data file, a Qt plugin
or a binary was left out. This run touches each of them the way a desk does: translations,
a new register (migrations), a volunteer registered through the services (stdnum's region
tables, pypinyin), the main window with every page (forms, icons), and a card printed
through the cards page's own background job and preview (reportlab, the CJK font, qrcode,
pypdfium2). It prints one line per step, writes OUTDIR/card.pdf, and exits 0; it keeps the
user's desk settings, data folder and log untouched (all of it goes to OUTDIR).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

SMOKE_NAME = "王芳"
SMOKE_ID_NUMBER = "110105199001010010"
SMOKE_PHONE = "13800138000"
TIMEOUT_MS = 120_000


class _Reporter:
    """Lines to stdout and to OUTDIR/smoke.log (a windowed Windows build has no stdout)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "smoke.log"
        self.path.write_text("", encoding="utf-8")

    def __call__(self, step: str, detail: object = "") -> None:
        line = f"smoke: {step}: {detail}"
        if sys.stdout is not None:
            print(line, flush=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def run(argv: Sequence[str]) -> int:
    """Run the smoke test; argv as sys.argv (program name first)."""
    parser = argparse.ArgumentParser(prog="yilian --smoke")
    parser.add_argument("--smoke", metavar="OUTDIR", required=True, type=Path)
    parser.add_argument("--db", help="an empty register to use instead of OUTDIR/smoke.sqlite3")
    args, _rest = parser.parse_known_args(list(argv)[1:])
    folder: Path = args.smoke.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app import __version__
    from app.domain.volunteer import VolunteerDraft
    from app.services import register
    from app.services.volunteers import registration as volunteers
    from app.ui import desk_settings
    from app.ui.common.errors import install_excepthook, setup_logging
    from app.ui.resources import app_icon, install_translators
    from reports.fonts import font_path

    say = _Reporter(folder)
    say("version", __version__)
    QCoreApplication.setOrganizationName(desk_settings.ORGANIZATION)
    QCoreApplication.setApplicationName("YilianSmoke")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(folder / "desk"))
    app = QApplication(list(argv))
    say("platform", QApplication.platformName())
    say("log", setup_logging(folder))
    install_excepthook()
    loaded = install_translators(app, "zh_CN")
    say("translations", len(loaded))

    import psycopg2

    say("postgres driver", psycopg2.__version__)
    target = args.db
    if target is None:
        path = folder / "smoke.sqlite3"
        for stale in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        target = str(path)
    opened = register.open(target)
    say("register", f"{register.describe()} schema {opened.to_version}")
    record = volunteers.register(VolunteerDraft(
        name=SMOKE_NAME, id_number=SMOKE_ID_NUMBER, phone=SMOKE_PHONE))
    say("volunteer", f"{record.number} {record.draft.name}")

    from app.ui.main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()
    app.processEvents()
    say("window", window.windowTitle())
    window.nav.setCurrentRow(window.stack.indexOf(window.cards))
    app.processEvents()

    say("font", font_path())
    task = window.cards.print_cards([record.id])
    failures: list[object] = []
    task.failed.connect(failures.append)
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    if not task.done:
        loop.exec()
    pdf = window.cards.pdf
    if failures or pdf is None:
        say("card", f"FAILED {failures or 'timeout'}")
        return 1
    out = folder / "card.pdf"
    out.write_bytes(pdf)
    say("card", f"{out} {len(pdf)} bytes")
    say("preview", "open" if window.cards.preview is not None else "missing")

    window.close()
    app.processEvents()
    register.close()
    say("done", 0)
    return 0
