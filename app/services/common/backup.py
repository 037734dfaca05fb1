"""Backups of the register: one `.ylbak` file (a zip) per backup, made while others work.

Inside the zip:

* ``register.sqlite3`` — a SQLite snapshot taken with SQLite's online backup API (one read
  transaction; with WAL other desks and threads keep writing meanwhile), or
  ``register.pgdump`` — `pg_dump -Fc` of a PostgreSQL register;
* ``files/…`` — the attachments folder (volunteer photos are rows, so they are in the
  snapshot);
* ``manifest.json`` — format, backend, schema and app version, when, row counts per table and
  the SHA-256 of every other member, written last.

The zip is written under a temporary name in the target folder and renamed only when it is
complete and synced, so a full disk or a killed process never leaves a file that looks like a
whole backup. Automatic backups (on a schedule, before a migration, before a restore) go to
one folder and only they are pruned, oldest first.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__
from app.domain.errors import FormErrors, ValidationError
from app.services.common import attachments, audit, settings
from app.services.common.progress import NullProgress, ProgressState
from app.store.db import (
    create_private_file,
    database,
    default_data_dir,
    is_sqlite,
    make_private_folder,
    sqlite_path,
    writing,
)
from app.store.migrations import MIGRATIONS

EXTENSION = ".ylbak"
FORMAT = "yilian-backup-1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "register.sqlite3"
PG_MEMBER = "register.pgdump"
FILES_PREFIX = "files/"
AUTO_PATTERN = re.compile(r"^yilian-auto-(\d{8}-\d{6})-[a-z-]+\.ylbak$")
_CHUNK = 1024 * 1024

# Reasons an automatic backup is made (part of its file name)
SCHEDULED = "scheduled"
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"


class BackupError(ValidationError):
    """A backup or restore that cannot be done; the message says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__("backup", message)


@dataclass(frozen=True)
class BackupResult:
    """A finished backup file."""

    path: Path
    size: int
    created_at: dt.datetime  # naive UTC
    backend: str  # "sqlite" or "postgresql"
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    automatic: bool = False


def known_schema_version() -> int:
    return MIGRATIONS[-1].version


def backup_folder() -> Path:
    """Where automatic backups go: the setting, else `backups` beside a SQLite register
    (or in the data folder for PostgreSQL)."""
    chosen = settings.get(settings.BACKUP_FOLDER).strip()
    if chosen:
        return Path(chosen).expanduser()
    path = sqlite_path()
    return (path.parent if path is not None else default_data_dir()) / "backups"


def last_backup_at() -> dt.datetime | None:
    """When this register was last backed up (naive UTC), by any desk; None if never."""
    text = settings.get(settings.BACKUP_LAST_AT).strip()
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def create(target: str | os.PathLike[str], state: ProgressState | None = None,
           automatic: bool = False, note: bool = True) -> BackupResult:
    """Back up the bound register to `target` (a `.ylbak` file, replaced if it exists).

    Args:
        automatic: marks the manifest (the file name is the caller's).
        note: record the time in the register (setting and audit row); False before a
            migration, when the schema may be too old to write to.

    Raises:
        BackupError: the disk is full, the folder cannot be written, pg_dump is missing or
            fails; no partial file is left behind.
    """
    state = state or NullProgress()
    target = Path(target).expanduser()
    try:
        make_private_folder(target.parent)   # backups hold every ID number
    except OSError as exc:
        raise _os_error(exc, target) from exc
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    work = None
    try:
        work = Path(tempfile.mkdtemp(prefix=".yilian-backup-", dir=target.parent))
        state.set_progress(0, 3, "正在生成数据库快照")
        if is_sqlite():
            member, snapshot = SQLITE_MEMBER, work / SQLITE_MEMBER
            sqlite_snapshot(snapshot)
            version, counts = snapshot_facts(snapshot)
            backend = "sqlite"
        else:
            member, snapshot = PG_MEMBER, work / PG_MEMBER
            pg_dump(snapshot)
            version, counts = _live_facts()
            backend = "postgresql"
        state.set_progress(1, 3, "正在写入备份文件")
        created = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        files = list(_attachment_files())
        hashes: dict[str, str] = {}
        create_private_file(partial)     # 0600: a backup holds every ID number
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            hashes[member] = _add(zf, member, snapshot)
            for path, name in files:
                hashes[name] = _add(zf, name, path)
            manifest = {
                "format": FORMAT, "backend": backend, "app_version": __version__,
                "schema_version": version, "created_at": created.isoformat(),
                "automatic": automatic, "source": _describe_source(), "counts": counts,
                "members": hashes,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        _fsync(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
        size = target.stat().st_size
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _os_error(exc, target) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    state.set_progress(3, 3, "备份完成")
    result = BackupResult(target, size, created, backend, version, counts, len(files),
                          automatic)
    if note:
        _note(result)
    return result


def create_automatic(reason: str = SCHEDULED, now: dt.datetime | None = None,
                     note: bool = True) -> BackupResult:
    """An automatic backup into the backup folder, then prune old automatic ones."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = backup_folder()
    target = folder / f"yilian-auto-{stamp}-{reason}{EXTENSION}"
    result = create(target, automatic=True, note=note)
    prune(folder, _keep_count())
    return result


def run_due(now: dt.datetime | None = None) -> BackupResult | None:
    """The scheduled automatic backup, if the interval has passed since the last backup.
    An interval of 0 hours turns the schedule off."""
    hours = settings.get(settings.BACKUP_INTERVAL_HOURS)
    if hours <= 0:
        return None
    utc_now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    last = last_backup_at()
    if last is not None and utc_now - last < dt.timedelta(hours=hours):
        return None
    return create_automatic(SCHEDULED, now)


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in `folder`, oldest first (by the time in their names)."""
    if not folder.is_dir():
        return []
    found = [(m.group(1), p) for p in folder.iterdir()
             if (m := AUTO_PATTERN.match(p.name)) and p.is_file()]
    return [p for _stamp, p in sorted(found)]


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete automatic backups beyond the newest `keep`; other files are never touched."""
    backups = automatic_backups(folder)
    doomed = backups[:max(len(backups) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# ---- pieces -------------------------------------------------------------------------------

def sqlite_snapshot(dest: Path) -> None:
    """Copy the bound SQLite register to `dest` with the online backup API, through a
    connection of its own (so any thread may call it and the app's connection is not held).
    One step: a single read transaction, which WAL lets writers work beside."""
    path = sqlite_path()
    if path is None:
        raise BackupError("内存数据库无法备份")
    source = sqlite3.connect(str(path), timeout=30)
    try:
        target = sqlite3.connect(str(dest))
        try:
            source.backup(target)
            # A self-contained file: read-only checks need no -wal/-shm beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    except sqlite3.OperationalError as exc:
        if "full" in str(exc).lower():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dest)) from exc
        raise BackupError(f"无法读取登记簿{path}：{exc}") from exc
    finally:
        source.close()
    _fsync(dest)


def snapshot_facts(snapshot: Path) -> tuple[int, dict[str, int]]:
    """The schema version and the row count of every table in a SQLite snapshot."""
    conn = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {t: int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
                  for t in tables}
        version = 0
        if "schema_version" in counts:
            version = int(conn.execute("SELECT MAX(version) FROM schema_version")
                          .fetchone()[0] or 0)
        return version, counts
    finally:
        conn.close()


def _live_facts() -> tuple[int, dict[str, int]]:
    counts = {t: int(database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
              for t in sorted(database.get_tables())}
    version = 0
    if "schema_version" in counts:
        version = int(database.execute_sql("SELECT MAX(version) FROM schema_version")
                      .fetchone()[0] or 0)
    return version, counts


def pg_command(name: str) -> str:
    """The path of a PostgreSQL client program.

    Raises:
        BackupError: it is not installed (not on PATH).
    """
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到PostgreSQL的{name}程序，请安装PostgreSQL客户端工具并把其bin"
                          "文件夹加入PATH，或请数据库管理员备份服务器")
    return found


def pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """Arguments and environment that point pg_dump/pg_restore at the bound database
    (the password through PGPASSWORD, never on the command line)."""
    db = database.obj
    params = dict(getattr(db, "connect_params", {}) or {})
    args = ["--dbname", str(db.database)]
    if params.get("host"):
        args += ["--host", str(params["host"])]
    if params.get("port"):
        args += ["--port", str(params["port"])]
    if params.get("user"):
        args += ["--username", str(params["user"])]
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return args, env


def pg_dump(dest: Path) -> None:
    """`pg_dump -Fc` of the bound PostgreSQL database into `dest`."""
    program = pg_command("pg_dump")
    args, env = pg_connection_args()
    done = subprocess.run([program, "-Fc", "--no-owner", "--file", str(dest), *args],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        dest.unlink(missing_ok=True)
        raise BackupError(f"pg_dump 备份失败：{done.stderr.strip() or done.returncode}")
    _fsync(dest)


def _attachment_files() -> Iterator[tuple[Path, str]]:
    root = attachments.attachments_dir()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".incoming-"):
            yield path, FILES_PREFIX + path.relative_to(root).as_posix()


def _add(zf: zipfile.ZipFile, name: str, source: Path) -> str:
    """Stream `source` into the zip as `name`; its SHA-256."""
    digest = hashlib.sha256()
    with source.open("rb") as src, zf.open(name, "w", force_zip64=True) as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _describe_source() -> str:
    from app.store.db import describe

    return describe()


def _note(result: BackupResult) -> None:
    with writing():
        settings.put(settings.BACKUP_LAST_AT, result.created_at.isoformat())
        audit.record("backup", "register", result.created_at.isoformat(), None,
                     {"file": str(result.path), "size": result.size,
                      "automatic": result.automatic, "files": result.files})


def check_settings(interval_hours: str, keep: str, folder: str) -> dict[str, str]:
    """What is wrong with the backup settings as typed, {setting key: Chinese message}."""
    errors: dict[str, str] = {}
    for key, text, low, high, name in (
            (settings.BACKUP_INTERVAL_HOURS, interval_hours, 0, 24 * 30, "自动备份间隔"),
            (settings.BACKUP_KEEP, keep, 1, 1000, "保留份数")):
        try:
            number = int(text.strip())
        except ValueError:
            errors[key.key] = f"{name}应为整数"
            continue
        if not low <= number <= high:
            errors[key.key] = f"{name}须在{low}到{high}之间"
    folder = folder.strip()
    if folder and Path(folder).expanduser().exists() and not Path(folder).expanduser().is_dir():
        errors[settings.BACKUP_FOLDER.key] = "备份文件夹不是文件夹"
    elif folder and not Path(folder).expanduser().is_absolute():
        errors[settings.BACKUP_FOLDER.key] = "请填写完整的文件夹路径"
    return errors


def put_settings(interval_hours: str, keep: str, folder: str) -> None:
    """Store the backup settings, all or none.

    Raises:
        FormErrors: {setting key: message} for every value that is wrong.
    """
    errors = check_settings(interval_hours, keep, folder)
    if errors:
        raise FormErrors(errors)
    with writing():
        settings.put(settings.BACKUP_INTERVAL_HOURS, int(interval_hours.strip()))
        settings.put(settings.BACKUP_KEEP, int(keep.strip()))
        settings.put(settings.BACKUP_FOLDER, folder.strip())


def _keep_count() -> int:
    return max(settings.get(settings.BACKUP_KEEP), 1)


def _os_error(exc: OSError, target: Path) -> BackupError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return BackupError(f"磁盘空间不足，无法写入备份{target}；未留下不完整的备份文件。"
                           "请清理磁盘或换一个位置后重试")
    if isinstance(exc, PermissionError):
        return BackupError(f"没有权限写入{exc.filename or target}")
    return BackupError(f"无法写入备份{target}：{exc.strerror or exc}")


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
