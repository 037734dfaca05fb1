"""Shared by the benchmarks: the city-scale register they run on, timing and printing.

Benchmarks are not tests: they print figures and ratios to a floor, they assert nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def register_path(volunteers: int = 1_000_000, seed: int = 1) -> Path:
    """A SQLite register with `volunteers` demo volunteers made by `yilian demo` (cached)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"register-{volunteers}-{seed}.sqlite3"
    if not path.exists():
        print(f"building {path.name} with `yilian demo --volunteers {volunteers}` ...",
              file=sys.stderr)
        tmp = path.with_suffix(".partial")
        for stale in OUT.glob(tmp.name + "*"):
            stale.unlink()
        subprocess.run([sys.executable, "-m", "app.cli", "-q", "--db", str(tmp), "demo",
                        "--volunteers", str(volunteers), "--seed", str(seed)], check=True,
                       cwd=ROOT)
        import sqlite3

        con = sqlite3.connect(tmp)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        for side in (".partial-wal", ".partial-shm"):
            Path(str(tmp) + side.removeprefix(".partial")).unlink(missing_ok=True)
        tmp.rename(path)
    return path


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    """Wall-clock milliseconds of each of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def report(label: str, value_ms: float, floor_ms: float | None, goal_ms: float | None) -> None:
    ratio = f"{value_ms / floor_ms:5.2f}x floor" if floor_ms else ""
    floor = f"floor {floor_ms:8.1f} ms" if floor_ms is not None else ""
    goal = ""
    if goal_ms is not None:
        goal = f"goal ≤ {goal_ms:g} ms {'OK' if value_ms <= goal_ms else 'MISSED'}"
    print(f"{label:<38} {value_ms:8.1f} ms   {floor:<20} {ratio:<12} {goal}")


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
