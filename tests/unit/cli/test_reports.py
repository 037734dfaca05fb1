"""`yilian report annual` run in-process through `app.cli.main.main` on a SQLite register."""

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest

from app.cli.main import main
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import registration
from app.store.db import bound, database, make_database
from app.store.migrations import migrate
from app.store.models import OrgInspection

CODE = "51420000MJH200395N"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite register with a registered 社会团体, a filed community group and a group that
    is neither."""
    path = str(tmp_path / "register.sqlite3")
    with bound(make_database(path)) as conn:
        conn.connect()
        migrate()
        oid = registration.create(OrgDraft(
            name="夕阳红志愿服务协会", kind=OrgKind.SOCIAL_GROUP, credit_code=CODE,
            legal_representative="黄志强", registration_authority="武汉市江岸区民政局"),
            LegalStatus.REGISTERED, dt.date(2020, 5, 1)).id
        OrgInspection.create(org=oid, year=2024, submitted_on=dt.date(2025, 4, 1),
                             result="basic_pass")
        registration.create(OrgDraft(name="和平社区读书会", kind=OrgKind.COMMUNITY),
                            LegalStatus.FILED, dt.date(2021, 3, 1))
        registration.create(OrgDraft(name="筹备中的兴趣小组", kind=OrgKind.COMMUNITY))
    return path


def yilian(*args: str) -> int:
    """Run the CLI in this process, leaving the proxy as it was found."""
    previous = database.obj
    try:
        return main(list(args))
    finally:
        if database.obj is not None and database.obj is not previous:
            database.obj.close()
        database.initialize(previous)


def text(path: Path) -> str:
    with pdfplumber.open(path) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_one_report_by_code_with_case_and_spaces_forgiven(db, tmp_path, capsys):
    out = tmp_path / "年报.pdf"
    code = "5142 0000 mjh2 0039 5n"
    assert yilian("--db", db, "report", "annual", "--org", code, "--year", "2025",
                  "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == str(out)
    body = text(out)
    assert "夕阳红志愿服务协会" in body and CODE in body and "2025年度" in body
    assert "2024年度 基本合格" in body


def test_one_report_by_id_for_an_org_without_code(db, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    assert yilian("--db", db, "report", "annual", "--org", "#2", "--year", "2025",
                  "--out", str(out)) == 0
    assert "和平社区读书会" in text(out)


@pytest.mark.parametrize(("org", "year", "message"), [
    ("51420000MJH233402K", "2025", "找不到统一社会信用代码"),
    ("#99", "2025", "找不到该社会组织"),
    ("#abc", "2025", "不是有效的内部编号"),
    (CODE, "3000", "报告年度应在"),
])
def test_unknown_org_or_bad_year_exits_1_with_a_reason(db, tmp_path, capsys, org, year,
                                                       message):
    out = tmp_path / "r.pdf"
    assert yilian("--db", db, "report", "annual", "--org", org, "--year", year,
                  "--out", str(out)) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_all_writes_a_folder_and_prints_progress(db, tmp_path, capsys):
    folder = tmp_path / "年报"
    assert yilian("--db", db, "report", "annual", "--year", "2025", "--all",
                  "--out-dir", str(folder)) == 0
    captured = capsys.readouterr()
    assert "已生成2份2025年度报告" in captured.out
    assert "正在生成年度报告 2/2 (100%)" in captured.err
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["2-和平社区读书会-2025年度报告.pdf",
                     f"{CODE}-夕阳红志愿服务协会-2025年度报告.pdf"]
    assert all((folder / n).read_bytes().startswith(b"%PDF") for n in names)


def test_org_and_all_are_exclusive(db, tmp_path, capsys):
    assert yilian("--db", db, "report", "annual", "--year", "2025") == 1
    assert "--org" in capsys.readouterr().err
    assert yilian("--db", db, "report", "annual", "--year", "2025", "--all") == 1
    assert "--out-dir" in capsys.readouterr().err
