"""The closed vocabularies in the interface's language: every member has an English label,
shown in English mode and Chinese by default, on the organization list and panel too."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import peewee
import pytest
from pytestqt.qtbot import QtBot

import app.domain
from app.domain.labels import LabelledEnum
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.lifecycle import ProjectStatus
from app.services import due
from app.services.orgs import incubation, registration
from app.ui.common import enum_text
from app.ui.orgs.detail import OrgDetail
from app.ui.orgs.page import OrgPage


def _subclasses(cls: type[LabelledEnum]) -> list[type[LabelledEnum]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def labelled_enums() -> list[type[LabelledEnum]]:
    """Every LabelledEnum the domain defines (all its modules imported first)."""
    for info in pkgutil.walk_packages(app.domain.__path__, "app.domain."):
        importlib.import_module(info.name)
    return _subclasses(LabelledEnum)


def test_every_member_of_every_vocabulary_has_english():
    enums = labelled_enums()
    assert len(enums) >= 13  # the 13 vocabularies of 2026; more may come
    missing = [f"{cls.__name__}.{m.name}" for cls in enums for m in cls
               if not enum_text.english(m)]
    assert missing == []
    for cls in enums:  # a combo of English labels must still tell its members apart
        english = [enum_text.english(m) for m in cls]
        assert len(set(english)) == len(english), cls.__name__


def test_every_due_kind_has_english(english):
    for source in due.SOURCES.values():
        assert enum_text.due_kind(source.label).isascii(), source.label
    assert enum_text.due_kind("未知") == "未知"  # unknown kinds shown as the service gave them


def test_chinese_by_default():
    assert enum_text.label(LegalStatus.FILED) == "已备案"
    assert enum_text.labels(IncubationState)[-2] == "已出壳"
    assert enum_text.short_label(OrgKind.PRIVATE_NON_ENTERPRISE) == "民办非企业单位"
    assert enum_text.due_kind("年检") == "年检"


def test_english_in_english_mode(english):
    assert enum_text.label(LegalStatus.FILED) == "Filed"
    assert enum_text.label(OrgKind.SOCIAL_GROUP) == "Social group"
    assert enum_text.labels(IncubationState)[-2] == "Graduated"
    assert enum_text.label(Rating.A5) == "5A"
    assert enum_text.label(ProjectStatus.IN_SERVICE) == "In service"
    assert enum_text.short_label(OrgKind.PRIVATE_NON_ENTERPRISE) == \
        "Private non-enterprise unit"
    assert enum_text.due_kind("年检") == "Annual inspection"
    assert LegalStatus.FILED.label == "已备案"  # the data label stays Chinese


def _org() -> int:
    record = registration.create(OrgDraft(name="阳光助老服务社", kind=OrgKind.COMMUNITY),
                                 LegalStatus.FILED, legal_on=dt.date(2024, 3, 1))
    incubation.move(record.id, IncubationState.APPLIED, dt.date(2024, 4, 1))
    return record.id


def _legal_filter_and_header(qtbot: QtBot, org_id: int) -> tuple[list[str], str]:
    page = OrgPage()
    qtbot.addWidget(page)
    combo = page.legal_combo
    texts = [combo.itemText(i) for i in range(1, combo.count())]
    assert [combo.itemData(i) for i in range(1, combo.count())] == list(LegalStatus)
    detail = OrgDetail()
    qtbot.addWidget(detail)
    detail.show_org(org_id)
    return texts, detail.states.text()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_org_list_filter_and_panel_header(qtbot: QtBot, register: peewee.Database,
                                          language: str, request: pytest.FixtureRequest):
    org_id = _org()
    if language == "en":
        request.getfixturevalue("english")
    texts, header = _legal_filter_and_header(qtbot, org_id)
    if language == "en":
        assert texts == ["Unregistered", "Filed", "Registered", "Deregistered"]
        assert header.startswith("Community social organization · Filed")
        assert "Applied" in header
    else:
        assert texts == ["未登记", "已备案", "已登记", "已注销"]
        assert header.startswith("社区社会组织 · 已备案")
        assert "申请入驻" in header
