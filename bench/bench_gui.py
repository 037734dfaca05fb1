"""The GUI at city scale: cold start, first page of the list, memory scrolled to the end.

Usage: .venv/bin/python -m bench.bench_gui [--volunteers N] [--runs K]

Each figure is printed beside its floor, measured in the same run:
- cold start: a fresh process to a shown main window with the volunteer list's first page
  painted, against a fresh process that shows a bare QMainWindow (Python + Qt start-up);
- first page: constructing the volunteer page until its first rows are painted, against the
  very SQL the page ran (captured from peewee's log), bare with sqlite3 and the register's
  pragmas;
- memory: resident size with the list open and scrolled to the end (and through 50 jumps),
  against a bare QApplication with an empty QTableView.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import (
    ROOT,
    bare_connection,
    captured,
    machine,
    register_path,
    report,
    run_bare,
)

CHILD_APP = r"""
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from app.store.connection import open_register
from app.ui import desk_settings
from app.ui.resources import install_translators
QCoreApplication.setOrganizationName("YilianBench")
app = QApplication(sys.argv)
install_translators(app, "zh_CN")
open_register(sys.argv[1])
from app.ui.main_window import MainWindow
window = MainWindow()
window.show()
window.show_page(window.lazy["volunteers"])  # the window opens on Home: click Volunteers
table = window.volunteers.table
while table.model().cached_pages() == []:
    app.processEvents()
table.viewport().repaint()
print("READY", flush=True)
"""

CHILD_FLOOR = r"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print("READY", flush=True)
"""

CHILD_MEMORY = r"""
import os, random, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QTableView
def rss():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
app = QApplication(sys.argv)
if sys.argv[1] == "floor":
    view = QTableView(); view.resize(1280, 800); view.show(); app.processEvents()
    print("RSS %.1f %.1f" % rss()); sys.exit(0)
from app.store.connection import open_register
open_register(sys.argv[1])
from app.ui.main_window import MainWindow
window = MainWindow(); window.show(); app.processEvents()
window.show_page(window.lazy["volunteers"]); app.processEvents()
table = window.volunteers.table
table.scrollToBottom(); app.processEvents(); table.viewport().repaint()
rng = random.Random(1)
for _ in range(50):
    table.scrollTo(table.model().index(rng.randrange(table.model().rowCount()), 0))
    app.processEvents()
table.scrollToBottom(); app.processEvents(); table.viewport().repaint()
print("RSS %.1f %.1f" % rss())
"""


def _run_child(code: str, *args: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - start) * 1000
    rest = proc.communicate(timeout=300)[0]
    return elapsed, line + rest


def first_page_ms(path: str) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.store.connection import open_register
    from app.ui.volunteers.page import VolunteerPage

    app = QApplication.instance() or QApplication(sys.argv)
    open_register(path)
    start = time.perf_counter()
    page = VolunteerPage()
    page.resize(1280, 760)
    page.show()
    while page.model.cached_pages() == []:
        app.processEvents()
    page.table.viewport().repaint()
    elapsed = (time.perf_counter() - start) * 1000
    page.close()
    return elapsed


def first_page_floor_ms(path: str, statements: list[tuple[str, tuple]]) -> float:
    """The very SQL the page ran to open (captured), bare, with the register's pragmas."""
    con = bare_connection(Path(path))
    start = time.perf_counter()
    run_bare(con, statements)
    elapsed = (time.perf_counter() - start) * 1000
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = str(register_path(args.volunteers))
    print(f"GUI on {args.volunteers:,} volunteers ({machine()}), median of {args.runs} runs")

    _run_child(CHILD_APP, path)  # warm the OS file cache once, as a second start would be
    cold = [_run_child(CHILD_APP, path)[0] for _ in range(args.runs)]
    floor = [_run_child(CHILD_FLOOR)[0] for _ in range(args.runs)]
    report("cold start to usable window", statistics.median(cold), statistics.median(floor),
           1500)

    pages = [first_page_ms(path) for _ in range(args.runs)]
    statements = captured(lambda: first_page_ms(path))
    floors = [first_page_floor_ms(path, statements) for _ in range(args.runs)]
    report("first page shown after page opens", statistics.median(pages),
           statistics.median(floors), 300)

    app_out = _run_child(CHILD_MEMORY, path)[1]
    floor_out = _run_child(CHILD_MEMORY, "floor")[1]
    rss, peak = (float(x) for x in app_out.split()[1:3])
    floor_rss = float(floor_out.split()[1])
    print(f"{'memory, list scrolled to the end':<38} {rss:8.1f} MB   floor {floor_rss:8.1f} MB"
          f"   {rss / floor_rss:5.2f}x floor goal ≤ 400 MB {'OK' if rss <= 400 else 'MISSED'}"
          f"  (peak {peak:.1f} MB)")


if __name__ == "__main__":
    main()
