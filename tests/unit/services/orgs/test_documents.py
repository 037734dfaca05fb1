"""Attachments: copied beside the register, hashed, and checked when opened."""

import hashlib

import pytest

from app.domain.errors import ValidationError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.services.common import audit
from app.services.orgs import documents, registration
from app.store.db import is_sqlite, sqlite_path
from app.store.models import OrgDocument


@pytest.fixture(autouse=True)
def _attachments_in_tmp(monkeypatch, tmp_path):
    """On PostgreSQL attachments go under the user's data folder: keep tests out of it."""
    monkeypatch.setattr(documents, "default_data_dir", lambda: tmp_path / "data")



def new_org() -> int:
    return registration.create(OrgDraft(name="青苗社工服务中心", kind=OrgKind.SOCIAL_GROUP)).id


def test_attach_copies_and_hashes(register, tmp_path):
    oid = new_org()
    source = tmp_path / "incoming" / "章程（草案）.docx"
    source.parent.mkdir()
    content = b"charter " * 5000
    source.write_bytes(content)
    line = documents.attach(oid, source, kind="章程")
    sha = hashlib.sha256(content).hexdigest()
    assert (line.title, line.kind, line.file_name, line.size, line.sha256, line.actor) == (
        "章程（草案）", "章程", "章程（草案）.docx", len(content), sha, "tester")
    root = documents.attachments_dir()
    if is_sqlite():
        db = sqlite_path()
        assert db is not None and root == db.parent / f"{db.stem}.files"
    stored = documents.path_for(line.id)
    assert stored == root / "orgs" / str(oid) / f"{sha[:12]}-章程（草案）.docx"
    assert stored.read_bytes() == content
    source.unlink()  # the register keeps its own copy
    assert documents.path_for(line.id).is_file()
    assert documents.documents(oid) == [line]
    assert not list(stored.parent.glob(".incoming-*"))


def test_tampering_and_loss_are_detected(register, tmp_path):
    oid = new_org()
    source = tmp_path / "minutes.txt"
    source.write_text("成立大会纪要", encoding="utf-8")
    line = documents.attach(oid, source, "成立会议纪要")
    stored = documents.path_for(line.id)
    stored.write_text("被改过的纪要", encoding="utf-8")
    with pytest.raises(ValidationError, match="附件已被修改"):
        documents.path_for(line.id)
    stored.unlink()
    with pytest.raises(ValidationError, match="附件已丢失"):
        documents.path_for(line.id)


def test_missing_and_oversized_files_are_refused(register, tmp_path, monkeypatch):
    oid = new_org()
    with pytest.raises(ValidationError, match="找不到"):
        documents.attach(oid, tmp_path / "nothing.pdf")
    big = tmp_path / "scan.pdf"
    with big.open("wb") as f:
        f.truncate(documents.MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="50MB"):
        documents.attach(oid, big)
    assert OrgDocument.select().count() == 0


def test_a_failed_insert_leaves_no_copy(register, tmp_path, monkeypatch):
    oid = new_org()
    source = tmp_path / "a.txt"
    source.write_text("x", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", refuse)  # fails after the row is written
    with pytest.raises(RuntimeError):
        documents.attach(oid, source)
    folder = documents.attachments_dir() / "orgs" / str(oid)
    assert not any(folder.iterdir())
    assert OrgDocument.select().count() == 0
    monkeypatch.undo()
    line = documents.attach(oid, source, "标" * 200)
    assert len(line.title) == 120 and documents.path_for(line.id).read_text() == "x"
