"""A project's attachments (copied and hashed through the shared attachments module) and the
activities linked to it, whose approved, unreversed hours count toward it."""

import datetime as dt
import hashlib

import pytest

from app.domain.errors import ConflictError, ValidationError
from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.common import attachments, audit
from app.services.hours import activities as hours_activities
from app.services.hours import records
from app.services.projects import activities, documents
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, ProjectDocument

TODAY = dt.date(2026, 4, 1)
SIGNED = dt.date(2026, 4, 10)




# --- documents ------------------------------------------------------------------------------


def test_attach_copies_hashes_and_checks(register, tmp_path, kit):
    pid = kit.new_project()
    source = tmp_path / "incoming" / "政府购买服务合同.pdf"
    source.parent.mkdir()
    content = b"%PDF-1.7 contract " * 4000
    source.write_bytes(content)
    line = documents.attach(pid, source, kind="合同")
    sha = hashlib.sha256(content).hexdigest()
    assert (line.title, line.kind, line.file_name, line.size, line.sha256, line.actor) == (
        "政府购买服务合同", "合同", "政府购买服务合同.pdf", len(content), sha, "tester")
    stored = documents.path_for(line.id)
    assert stored == (attachments.attachments_dir() / "projects" / str(pid)
                      / f"{sha[:12]}-政府购买服务合同.pdf")
    source.unlink()
    assert stored.read_bytes() == content
    assert documents.documents(pid) == [line] == [documents.document(line.id)]
    assert AuditLog.select().where(AuditLog.entity == "project_document").count() == 1
    stored.write_bytes(b"changed")
    with pytest.raises(ValidationError, match="附件已被修改"):
        documents.path_for(line.id)
    stored.unlink()
    with pytest.raises(ValidationError, match="附件已丢失"):
        documents.path_for(line.id)


def test_refused_files_and_failed_rows_leave_nothing(register, tmp_path, monkeypatch, kit):
    pid = kit.new_project()
    with pytest.raises(ValidationError, match="找不到"):
        documents.attach(pid, tmp_path / "nothing.pdf")
    big = tmp_path / "scan.pdf"
    with big.open("wb") as f:
        f.truncate(documents.MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="50MB"):
        documents.attach(pid, big)
    source = tmp_path / "a.txt"
    source.write_text("验收报告", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(RuntimeError):
        documents.attach(pid, source)
    folder = attachments.attachments_dir() / "projects" / str(pid)
    assert not any(folder.iterdir())
    assert ProjectDocument.select().count() == 0


# --- activities and hours -------------------------------------------------------------------

START = dt.datetime(2026, 5, 9, 9, 0)


def person(seq: int) -> int:
    first17 = f"42010219850301{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13700137000")).id


def activity(name: str, day: int = 0) -> int:
    start = START + dt.timedelta(days=day)
    return hours_activities.create(ActivityDraft(
        name=name, starts_at=start, ends_at=start + dt.timedelta(hours=3))).id


def served(vid: int, aid: int, day: int = 0, hours: int = 2) -> int:
    start = START + dt.timedelta(days=day)
    return records.add_manual(vid, aid, start, start + dt.timedelta(hours=hours), "陪伴老人").id


def test_linked_activities_count_approved_unreversed_hours(register, kit):
    pid = kit.new_project()
    a, b, other = activity("助老探访"), activity("健康讲座", 1), activity("河道清理", 2)
    wang, li, zhang = person(1), person(2), person(3)
    kept = [served(wang, a), served(li, a, hours=1), served(wang, b, 1)]
    corrected = served(zhang, b, 1)
    served(zhang, other, 2)  # not on the project
    records.approve(records.pending_ids())
    records.reverse(corrected, "签到有误")
    served(li, b, 1, hours=3)  # pending: not counted
    activities.link_activity(pid, a)
    activities.link_activity(pid, b)
    activities.link_activity(pid, b)  # again: nothing changes
    lines = activities.activities(pid)
    assert [(x.name, x.volunteers, x.minutes) for x in lines] == [
        ("助老探访", 2, 180), ("健康讲座", 1, 120)]
    assert lines[0].starts_at == START
    hours = activities.volunteer_hours(pid)
    assert (hours.volunteers, hours.records, hours.minutes) == (2, len(kept), 300)
    assert [x.id for x in activities.candidates()] == [other]
    activities.unlink_activity(pid, b)
    assert activities.volunteer_hours(pid).minutes == 180
    assert hours_activities.get(b).project_id is None
    assert AuditLog.select().where(AuditLog.action.in_(
        ["link_activity", "unlink_activity"])).count() == 3


def test_an_activity_belongs_to_one_project(register, kit):
    first = kit.new_project()
    second = kit.new_project(name="青少年成长营")
    aid = activity("暑期课堂")
    stale = hours_activities.get(aid)
    activities.link_activity(first, aid)
    with pytest.raises(ValidationError, match="已关联项目XM2026-0001 社区居家养老服务项目"):
        activities.link_activity(second, aid)
    activities.unlink_activity(second, aid)  # not linked there: nothing happens
    assert hours_activities.get(aid).project_id == first
    with pytest.raises(ConflictError):  # a form opened before the link cannot write it back
        hours_activities.update(aid, stale.draft(), stale.version)
    assert activities.volunteer_hours(second) == activities.VolunteerHours(0, 0, 0)
