"""Cold start of the desktop application on the city-scale register.

Usage: .venv/bin/python -m bench.bench_startup [--runs K]

Starts the real application (`python -m app --db …`, so app/__main__.py → app.ui.application
with its logging, translators, register opening, window and start-up upkeep) in a subprocess
on the offscreen platform, K times, and reads from its log the line "window shown after N ms"
that the application writes at the main window's first paint. Two figures per run:

- wall: from spawning the process to that log line (its time stamp, millisecond resolution);
- in-app: N, from `main()` entered to the first paint (without the interpreter's start and
  the imports before `main`).

Floor: the same, for a process that only imports PySide6, makes a QApplication and shows an
empty QMainWindow (wall time from spawning to its first paint, printed on stdout).

The register is bench_home's (`bench/out/home-1000000-10000000-10000-5000.sqlite3`, built by
`.venv/bin/python -m bench.bench_home`), copied once to `bench/out/startup-home.sqlite3` and
opened there once untimed (so a schema upgrade, and the backup before it, are not counted),
with the automatic backup schedule turned off in the copy (a scheduled backup of a 4.5 GB
register would be the first thing each fresh desk does). Each run has a fresh settings and
data folder (XDG_CONFIG_HOME, XDG_DATA_HOME), so the daily upkeep (forgotten check-outs,
points expiry) runs every time, as on a day's first start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import OUT, ROOT, machine, report

SOURCE = OUT / "home-1000000-10000000-10000-5000.sqlite3"
COPY = OUT / "startup-home.sqlite3"
LINE = "window shown after "
TIMEOUT_S = 120

PREPARE = """
import sys
from app.services import register
from app.services.common import settings
result = register.open(sys.argv[1])
settings.put(settings.BACKUP_INTERVAL_HOURS, 0)
register.close()
print(result.from_version, result.to_version, result.backup)
"""

FLOOR = """
import time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class First(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            QApplication.instance().quit()
        return False

app = QApplication([])
window = QMainWindow()
spy = First()
window.installEventFilter(spy)
window.show()
app.exec()
"""


def prepare() -> Path:
    """The copy of bench_home's register, upgraded once, without the backup schedule."""
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: run `.venv/bin/python -m bench.bench_home` first")
    if not COPY.exists():
        print(f"copying {SOURCE.name} to {COPY.name} …", file=sys.stderr)
        partial = COPY.with_suffix(".partial")
        shutil.copyfile(SOURCE, partial)
        partial.rename(COPY)
        backups = OUT / "backups"
        before = set(backups.iterdir()) if backups.is_dir() else set()
        done = subprocess.run([sys.executable, "-c", PREPARE, str(COPY)], cwd=ROOT, check=True,
                              capture_output=True, text=True)
        print(f"opened once (from version, to version, backup): {done.stdout.strip()}",
              file=sys.stderr)
        for made in (set(backups.iterdir()) if backups.is_dir() else set()) - before:
            made.unlink()          # the backup before the upgrade: the copy's, not needed
        for old in OUT.glob(f"{COPY.stem}.v*.bak.sqlite3"):
            old.unlink()
    return COPY


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("YILIAN_DB", None)
    return env


def _log_line(log: Path) -> str | None:
    if not log.exists():
        return None
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if LINE in line:
            return line
    return None


def start_app(register: Path) -> tuple[float, float]:
    """(wall ms from spawn to the logged first paint, the N the application logged)."""
    with tempfile.TemporaryDirectory(prefix="yilian-start-") as tmp:
        home = Path(tmp)
        log = home / "data" / "yilian" / "yilian.log"
        spawned = time.time()
        proc = subprocess.Popen([sys.executable, "-m", "app", "--db", str(register)], cwd=ROOT,
                                env=_env(home), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + TIMEOUT_S
            line = None
            while line is None:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"no '{LINE}' line in {log} (exit {proc.returncode})")
                time.sleep(0.005)
                found = list(home.glob("data/*/yilian.log"))
                line = _log_line(found[0]) if found else None
            time.sleep(2)          # let the start-up upkeep run on (it is not waited for)
        finally:
            proc.terminate()
            proc.wait(30)
    stamp = dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    in_app = float(line.split(LINE)[1].split()[0])
    return (stamp - spawned) * 1000, in_app


def start_floor() -> float:
    """Wall ms from spawn to an empty QMainWindow's first paint."""
    with tempfile.TemporaryDirectory(prefix="yilian-floor-") as tmp:
        spawned = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", FLOOR], cwd=ROOT, env=_env(Path(tmp)),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()
        ms = (time.perf_counter() - spawned) * 1000
        proc.wait(30)
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    register = prepare()
    print(f"cold start on {register.name} ({machine()})")
    start_app(register)    # warm the file cache and the bytecode once, untimed
    start_floor()
    walls, in_apps, floors = [], [], []
    for _ in range(args.runs):
        wall, in_app = start_app(register)
        walls.append(wall)
        in_apps.append(in_app)
        floors.append(start_floor())
    print(f"  runs: wall {[round(w) for w in walls]} ms, in-app {[round(n) for n in in_apps]} "
          f"ms, floor {[round(f) for f in floors]} ms")
    report("start to first paint (median, wall)", statistics.median(walls),
           statistics.median(floors), 1500)
    report("main() to first paint (median, in-app)", statistics.median(in_apps), None, None)


if __name__ == "__main__":
    main()
