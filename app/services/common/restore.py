"""Checking a backup file and putting it back in place of the register.

`inspect` reads the whole file before anything is replaced: every member against the SHA-256
in the manifest, the snapshot's `PRAGMA integrity_check`, its schema version (a newer one
than this program knows is refused; an older one is upgraded) and its row counts.

`restore` is crash-safe on SQLite: it first backs up the current register, extracts and
checks the backup in a folder beside the register (same file system), upgrades the snapshot
there, copies the attachments in (each file by temporary name and rename; stored names carry
their hash, so files the old register still needs are never overwritten with other content),
links the old register aside as ``<name>.replaced-YYYYmmdd-HHMMSS.sqlite3`` and finally
renames the snapshot over the register in one `os.replace`. A process killed at any moment
leaves either the old register or the restored one at the path, never a mixture or none.
PostgreSQL goes through `pg_restore --clean --if-exists --single-transaction`, which the server
rolls back if it fails or is killed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.services.common import attachments, audit, settings
from app.services.common.backup import (
    BEFORE_RESTORE,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    PG_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    BackupResult,
    _fsync,
    _fsync_dir,
    create_automatic,
    known_schema_version,
    pg_command,
    pg_connection_args,
    snapshot_facts,
)
from app.services.common.progress import NullProgress, ProgressState
from app.store.db import bound, database, is_sqlite, make_database, sqlite_path, writing
from app.store.migrations import migrate

_CHUNK = 1024 * 1024
WORK_PREFIX = ".yilian-restore-"


@dataclass(frozen=True)
class Inspection:
    """What a backup file holds, and every problem found in it (empty when it is sound)."""

    path: Path
    size: int
    backend: str = ""
    created_at: dt.datetime | None = None  # naive UTC
    app_version: str = ""
    schema_version: int = 0
    automatic: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RestoreResult:
    inspection: Inspection
    before: BackupResult | None  # the automatic backup of the register that was replaced
    kept: Path | None  # the replaced SQLite file, kept aside
    upgraded_from: int  # the backup's schema version (upgraded to the current one)


def inspect(file: str | os.PathLike[str]) -> Inspection:
    """Check a backup file without changing anything; problems are Chinese sentences."""
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    try:
        return _read(Path(file), work, extract_files=False)[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def restore(file: str | os.PathLike[str], state: ProgressState | None = None,
            now: dt.datetime | None = None) -> RestoreResult:
    """Replace the bound register (and its attachments) with the backup in `file`, then
    reopen it in this thread. Run it where no other thread of this process is using the
    register (the GUI calls it on its own thread).

    Raises:
        BackupError: the file failed a check, is of the other backend, the register is in use
            elsewhere, or a tool failed; the register is then as it was.
    """
    state = state or NullProgress()
    file = Path(file).expanduser()
    root = attachments.attachments_dir()
    path = sqlite_path()
    home = path.parent if path is not None else root.parent
    home.mkdir(parents=True, exist_ok=True)
    for stale in home.glob(WORK_PREFIX + "*"):  # left by a restore that was killed
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=home))
    try:
        state.set_progress(0, 4, "正在检查备份文件")
        inspection, member = _read(file, work, extract_files=True)
        if inspection.problems:
            raise BackupError("备份文件未通过检查，登记簿未作任何改动：\n"
                              + "\n".join(inspection.problems))
        current = "sqlite" if is_sqlite() else "postgresql"
        if inspection.backend != current:
            raise BackupError(f"这是{_backend_name(inspection.backend)}登记簿的备份，"
                              f"当前登记簿是{_backend_name(current)}，不能直接恢复")
        assert member is not None
        state.set_progress(1, 4, "正在备份当前登记簿")
        before = create_automatic(BEFORE_RESTORE, now)
        state.set_progress(2, 4, "正在恢复")
        if current == "sqlite":
            kept = _swap_sqlite(member, work / "files", root, now)
        else:
            _pg_restore(member, work / "files", root)
            kept = None
        state.set_progress(3, 4, "正在重新打开登记簿")
        _reopen()
        with writing():
            settings.put(settings.BACKUP_LAST_AT, before.created_at.isoformat())
            audit.record("restore", "register", _iso(inspection.created_at) or "", None,
                         {"file": str(file), "created_at": _iso(inspection.created_at),
                          "schema_version": inspection.schema_version,
                          "counts": inspection.counts, "before": str(before.path),
                          "kept": str(kept) if kept else None})
        state.set_progress(4, 4, "恢复完成")
        return RestoreResult(inspection, before, kept, inspection.schema_version)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if database.obj is not None and database.is_closed():
            database.connect(reuse_if_open=True)


# ---- reading and checking ------------------------------------------------------------------

def _read(file: Path, work: Path, extract_files: bool) -> tuple[Inspection, Path | None]:
    """Check `file`; the snapshot (and with `extract_files` the attachments under
    work/files) extracted into `work` and synced. Never raises for a bad file."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        return Inspection(file, 0, problems=(f"无法读取备份文件{file}：{exc.strerror}",)), None
    try:
        with zipfile.ZipFile(file) as zf:
            return _read_zip(file, size, zf, work, extract_files)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        return Inspection(file, size, problems=(
            f"不是益联备份文件，或文件已损坏、不完整（{exc}）",)), None


def _read_zip(file: Path, size: int, zf: zipfile.ZipFile, work: Path, extract_files: bool
              ) -> tuple[Inspection, Path | None]:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError:
        return Inspection(file, size, problems=("备份文件中没有清单（manifest.json），"
                                                "不是益联备份或不完整",)), None
    except (ValueError, zipfile.BadZipFile) as exc:
        return Inspection(file, size, problems=(f"备份清单已损坏（{exc}）",)), None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return Inspection(file, size, problems=("不是本程序能识别的益联备份格式",)), None
    problems: list[str] = []
    backend = str(manifest.get("backend", ""))
    members: dict[str, str] = dict(manifest.get("members") or {})
    counts = {str(k): int(v) for k, v in dict(manifest.get("counts") or {}).items()}
    version = int(manifest.get("schema_version") or 0)
    created = _parse_time(manifest.get("created_at"))
    names = set(zf.namelist()) - {MANIFEST}
    for name in sorted(names - set(members)):
        problems.append(f"备份中有清单以外的文件：{name}")
    for name in sorted(set(members) - names):
        problems.append(f"备份中缺少文件：{name}")
    main = SQLITE_MEMBER if backend == "sqlite" else PG_MEMBER
    if main not in members:
        problems.append("备份中没有数据库快照")
    snapshot = None
    for name in sorted(set(members) & names):
        if not _safe_member(name):
            problems.append(f"备份中的文件名不安全：{name}")
            continue
        keep = name == main or (extract_files and name.startswith(FILES_PREFIX))
        dest = work / name if keep else None
        try:
            digest = _extract(zf, name, dest)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            problems.append(f"备份中的{name}已损坏（{exc}）")
            continue
        if digest != members[name]:
            problems.append(f"备份中的{name}校验值不符，文件已损坏或被改动")
        elif name == main:
            snapshot = dest
    known = known_schema_version()
    if snapshot is not None and backend == "sqlite":
        problem = _integrity(snapshot)
        if problem:
            problems.append(problem)
            snapshot = None
        else:
            version, actual = snapshot_facts(snapshot)
            if actual != counts:
                problems.append("快照中的记录数与备份清单不符")
            counts = actual
    elif snapshot is not None and backend == "postgresql" and shutil.which("pg_restore"):
        listed = subprocess.run([pg_command("pg_restore"), "--list", str(snapshot)],
                                capture_output=True, text=True, check=False)
        if listed.returncode != 0:
            problems.append(f"数据库转储无法读取：{listed.stderr.strip()}")
            snapshot = None
    if version > known:
        problems.append(f"备份的数据库版本为{version}，高于本程序支持的{known}，"
                        "请升级益联后再恢复")
    files = sum(1 for n in members if n.startswith(FILES_PREFIX))
    inspection = Inspection(file, size, backend, created, str(manifest.get("app_version", "")),
                            version, bool(manifest.get("automatic")), counts, files,
                            tuple(problems))
    return inspection, snapshot


def _extract(zf: zipfile.ZipFile, name: str, dest: Path | None) -> str:
    """SHA-256 of a member, reading it to the end (the zip's CRC is checked too); written
    to `dest` and synced when given."""
    digest = hashlib.sha256()
    with zf.open(name) as src:
        if dest is None:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
            return digest.hexdigest()
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    return digest.hexdigest()


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name \
        and ":" not in name


def _integrity(snapshot: Path) -> str:
    try:
        conn = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"数据库快照已损坏：{exc}"
    return "" if rows == ["ok"] else "数据库快照完整性检查未通过：" + "；".join(rows[:5])


# ---- putting it in place -------------------------------------------------------------------

def _swap_sqlite(snapshot: Path, files: Path, root: Path, now: dt.datetime | None) -> Path:
    """Upgrade the snapshot where it lies, then replace the register with it (see the
    module's docstring for the order). Returns where the old register was kept."""
    path = sqlite_path()
    assert path is not None
    with bound(make_database(snapshot)):
        database.connect()
        migrate()
    _journal_delete(snapshot, "备份快照")
    database.close()
    _journal_delete(path, "登记簿")  # refuses while another program has it open
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.stem}.replaced-{stamp}{path.suffix}")
    kept.unlink(missing_ok=True)
    try:
        os.link(path, kept)  # no copy, and the register stays at its path meanwhile
    except OSError:
        shutil.copy2(path, kept)
        _fsync(kept)
    _merge_files(files, root)
    os.replace(snapshot, path)
    _fsync_dir(path.parent)
    return kept


def _journal_delete(path: Path, what: str) -> None:
    """Fold the WAL into the file and leave it without -wal/-shm. SQLite only changes the
    journal mode when no other connection has the file open, which is the check we need."""
    try:
        conn = sqlite3.connect(str(path), timeout=5)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        raise BackupError(f"{what}正被其他程序或其他电脑使用（{exc}），请关闭后再恢复；"
                          "登记簿未作任何改动") from exc
    if str(mode).lower() != "delete":
        raise BackupError(f"{what}正被其他程序或其他电脑使用，请关闭后再恢复；登记簿未作任何改动")


def _merge_files(source: Path, root: Path) -> None:
    """Move the backup's attachments into the attachments folder, each by one rename
    (the work folder is on the same file system)."""
    if not source.is_dir():
        return
    for src in sorted(p for p in source.rglob("*") if p.is_file()):
        dst = root / src.relative_to(source)
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(src, dst)
        except OSError:  # another file system after all
            temp = dst.with_name(f".incoming-{dst.name}")
            shutil.copyfile(src, temp)
            _fsync(temp)
            os.replace(temp, dst)
    if root.is_dir():
        _fsync_dir(root)


def _pg_restore(dump: Path, files: Path, root: Path) -> None:
    """pg_restore in one transaction; tables the dump does not hold (added by a newer
    schema than the backup's) are dropped afterwards so the upgrade recreates them."""
    program = pg_command("pg_restore")
    args, env = pg_connection_args()
    listed = subprocess.run([program, "--list", str(dump)], capture_output=True, text=True,
                            check=False)
    tables = {parts[-2] for line in listed.stdout.splitlines()
              if " TABLE " in line and not line.startswith(";")
              and len(parts := line.split()) >= 2 and "TABLE DATA" not in line}
    database.close()
    done = subprocess.run(
        [program, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
         "--no-owner", *args, str(dump)],
        env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_restore 恢复失败，登记簿未作任何改动：{done.stderr.strip()}")
    database.connect(reuse_if_open=True)
    extra = [t for t in database.get_tables() if t not in tables]
    if extra:
        with database.atomic():
            for table in extra:
                database.execute_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    _merge_files(files, root)


def _reopen() -> None:
    database.connect(reuse_if_open=True)
    migrate()


def _backend_name(backend: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(backend, backend or "未知")


def _parse_time(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None

