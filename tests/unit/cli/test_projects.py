"""`yilian project list|pay` and `yilian report project`, in-process on a SQLite register."""

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest

from app.cli.main import main
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.services.orgs import registration as orgs
from app.services.projects import registration
from app.store.db import bound, database, make_database
from app.store.migrations import migrate
from app.store.models import Project


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A register with a project in service (contract ¥480,000.00) and a draft one."""
    path = str(tmp_path / "register.sqlite3")
    with bound(make_database(path)) as conn:
        conn.connect()
        migrate()
        contractor = orgs.create(OrgDraft(name="阳光社工服务中心",
                                          kind=OrgKind.PRIVATE_NON_ENTERPRISE,
                                          credit_code="52420000MJH233402K"),
                                 LegalStatus.REGISTERED, dt.date(2025, 6, 1)).id
        purchaser = registration.purchaser_id_for("江岸区民政局")
        running = registration.create(ProjectDraft(
            name="社区居家养老服务项目", purchaser_id=purchaser, contractor_id=contractor,
            method=PurchaseMethod.CONSULTATION, budget_fen=50_000_000,
            contract_amount_fen=48_000_000, signed_on=dt.date(2026, 1, 1),
            starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)),
            today=dt.date(2026, 1, 1))
        Project.update(status="in_service").where(Project.id == running.id).execute()
        registration.create(ProjectDraft(
            name="青少年成长营", purchaser_id=purchaser, method=PurchaseMethod.INQUIRY,
            budget_fen=12_000_000), today=dt.date(2026, 1, 1))
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


def test_list_prints_number_name_contractor_status_and_amount(db, capsys):
    assert yilian("--db", db, "project", "list") == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines == [
        "XM2026-0001  社区居家养老服务项目  阳光社工服务中心  服务中  ¥480,000.00",
        "XM2026-0002  青少年成长营  （未定承接主体）  草稿  预算¥120,000.00"]
    assert "共2个项目" in out.err
    assert yilian("--db", db, "project", "list", "--status", "服务中") == 0
    assert capsys.readouterr().out.splitlines() == [lines[0]]
    assert yilian("--db", db, "project", "list", "--status", "draft", "--search", "qsn") == 0
    assert capsys.readouterr().out.splitlines() == [lines[1]]
    assert yilian("--db", db, "project", "list", "--status", "进行") == 1
    assert "不是项目状态" in capsys.readouterr().err


def test_pay_prints_the_total_and_refuses_an_overpayment_with_the_figures(db, capsys):
    assert yilian("--db", db, "project", "pay", "--project", "xm2026-0001",
                  "--amount", "1,234.56", "--date", "2026-03-01") == 0
    out = capsys.readouterr().out
    assert "已付款 ¥1,234.56" in out and "累计已支付 ¥1,234.56" in out
    assert yilian("--db", db, "project", "pay", "--project", "XM2026-0001",
                  "--amount", "478765.44") == 0
    assert "累计已支付 ¥480,000.00" in capsys.readouterr().out
    assert yilian("--db", db, "project", "pay", "--project", "XM2026-0001",
                  "--amount", "0.01", "--date", "2026-03-02") == 1
    err = capsys.readouterr().err
    assert "合同金额 ¥480,000.00" in err and "已支付 ¥480,000.00" in err
    assert "本次 ¥0.01" in err and "最多还可支付 ¥0.00" in err


def test_pay_refusals(db, capsys):
    assert yilian("--db", db, "project", "pay", "--project", "XM2026-0001",
                  "--amount", "12.345") == 1
    assert "最多两位小数" in capsys.readouterr().err
    assert yilian("--db", db, "project", "pay", "--project", "XM2026-0001",
                  "--amount", "10", "--date", "2026-13-01") == 1
    assert "不是有效日期" in capsys.readouterr().err
    assert yilian("--db", db, "project", "pay", "--project", "XM2099-0001",
                  "--amount", "10") == 1
    assert "找不到项目编号" in capsys.readouterr().err
    assert yilian("--db", db, "project", "pay", "--project", "XM2026-0002",
                  "--amount", "10") == 1   # a draft does not pay
    assert "未付款" in capsys.readouterr().err


def test_report_project_writes_the_pdf(db, tmp_path, capsys):
    out = tmp_path / "项目报告.pdf"
    assert yilian("--db", db, "report", "project", "--project", "XM2026-0001",
                  "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == str(out)
    with pdfplumber.open(out) as doc:
        cover = (doc.pages[0].extract_text() or "").replace(" ", "")
    assert "社区居家养老服务项目" in cover and "肆拾捌万元整" in cover
    assert yilian("--db", db, "report", "project", "--project", "XM2099-0001",
                  "--out", str(out)) == 1
    assert "找不到项目编号" in capsys.readouterr().err
