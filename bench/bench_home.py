"""The home page and a project report at city scale: 5,000 projects, 10,000 organizations,
1,000,000 volunteers and 10,000,000 service records.

Usage: .venv/bin/python -m bench.bench_home [--samples 20] [--reports 10]

Figures, each beside a floor measured in the same run:
- the home summary (`app.services.home.summary`) p95 over `--samples` calls (its hours come
  from the monthly roll-up, schema 6); floor: the very SQL statements the call ran (captured
  from peewee's log), executed bare with sqlite3 on a connection with the register's own
  pragmas;
- a project report (`app.services.projects.report.render`) for a project with 50 indicators
  and 20 payments, median of `--reports`; floor: reportlab platypus building the same tables
  bare (the same rows of CJK Paragraph cells in ruled Tables, one SimpleDocTemplate.build
  into memory) from the same gathered data, without the cover, chart, headings, page
  furniture and second layout pass.

The register is made once and cached under bench/out/: a copy of bench_hours' 1M/10M
register (built first if missing) with `orgs.demo.generate(10_000)` and
`projects.demo.generate(5_000)` added through the services (the projects' activities bring
their own approved records through `hours.records.approve`), plus the report's project
(50 indicators, 20 payments) inserted bare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.bench_hours import build as build_hours
from bench.common import OUT, bare_connection, captured, machine, p95, report, run_bare, timed

GOAL_HOME_MS = 500
GOAL_REPORT_MS = 1000
REPORT_PROJECT = "XM2026-9999"


def home_register(volunteers: int, records: int, orgs: int, projects: int) -> Path:
    path = OUT / f"home-{volunteers}-{records}-{orgs}-{projects}.sqlite3"
    if path.exists():
        return path
    base = build_hours(volunteers, records)
    tmp = path.with_suffix(".partial")
    for stale in OUT.glob(tmp.name + "*"):
        stale.unlink()
    print(f"building {path.name} ...", file=sys.stderr, flush=True)
    shutil.copyfile(base, tmp)
    from app.services.orgs import demo as org_demo
    from app.services.projects import demo as project_demo
    from app.store.db import bound, make_database
    from app.store.migrations import migrate

    with bound(make_database(tmp)) as db:
        db.connect()
        migrate()
        start = time.perf_counter()
        org_demo.generate(orgs, seed=1)
        print(f"  {orgs:,} organizations in {time.perf_counter() - start:.0f} s",
              file=sys.stderr, flush=True)
        start = time.perf_counter()
        made = project_demo.generate(projects, seed=1)
        print(f"  {made.projects:,} projects ({made.activities:,} activities, "
              f"{made.records:,} records) in {time.perf_counter() - start:.0f} s",
              file=sys.stderr, flush=True)
        _report_project()
        db.execute_sql("ANALYZE")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in ("-wal", "-shm"):
        Path(str(tmp) + side).unlink(missing_ok=True)
    tmp.rename(path)
    return path


def _report_project() -> None:
    """A closed project with 50 indicators and 20 payments over 3 tranches, inserted bare
    (copied from a demo project for its purchaser, contractor and dates)."""
    from app.domain.projects.kinds import LEVEL2_UNDER
    from app.store.db import bulk_insert, writing
    from app.store.models import Activity, Project, utcnow

    with writing():
        src = Project.select().where(Project.status == "closed").order_by(Project.id).first()
        contract = 2_000_000_00
        row = Project.create(
            number=REPORT_PROJECT, name="历下区社区居家养老综合服务项目（基准测试）",
            name_initials="LXQSQJJYLZHFWXM", name_pinyin="", purchaser=src.purchaser_id,
            contractor=src.contractor_id, method=src.method, budget_fen=contract,
            contract_amount_fen=contract, paid_fen=contract, signed_on=src.signed_on,
            starts_on=src.starts_on, ends_on=src.ends_on, service_area=src.service_area,
            target_group=src.target_group, content=src.content * 3, lead=src.lead,
            finance_lead=src.finance_lead, evaluator=src.evaluator, status="closed",
            status_since=src.status_since)
        pid = row.id
        shares = (800_000_00, 600_000_00, 600_000_00)
        bulk_insert("tranche", ("project_id", "seq", "planned_fen", "share", "condition",
                                "due_on"),
                    [(pid, k + 1, fen, Decimal(40 if k == 0 else 30), f"第{k + 1}批拨付条件",
                      src.ends_on) for k, fen in enumerate(shares)])
        tranche_ids = [t for (t,) in Project.raw(
            "SELECT id FROM tranche WHERE project_id = ? ORDER BY seq", pid).tuples()]
        payments = []
        for k in range(20):  # 8 + 6 + 6 payments of 100,000 yuan
            seq = 0 if k < 8 else 1 if k < 14 else 2
            payments.append((pid, tranche_ids[seq], src.starts_on + dt.timedelta(days=k * 15),
                             100_000_00, f"第{k + 1}笔", "bench", utcnow()))
        bulk_insert("payment", ("project_id", "tranche_id", "paid_on", "amount_fen", "note",
                                "actor", "at"), payments)
        pairs = [(l1, l2) for l1, subs in LEVEL2_UNDER.items() for l2 in subs]
        bulk_insert("indicator", ("project_id", "seq", "level1", "level2", "name", "unit",
                                  "target", "actual", "weight", "score", "deviation"),
                    [(pid, k + 1, str(pairs[k % len(pairs)][0]), str(pairs[k % len(pairs)][1]),
                      f"第{k + 1}项三级指标：服务对象覆盖与服务质量达标情况", "人次", "≥300",
                      "312", Decimal("1.70"), Decimal("1.65"),
                      "部分服务对象住院，入户次数略低于计划；已调整排班。" if k % 4 == 0 else "")
                     for k in range(50)])
        bulk_insert("budget_line", ("project_id", "source", "initial_fen", "adjusted_fen",
                                    "executed_fen", "weight", "score", "reason"),
                    [(pid, "fiscal", contract, contract, contract, Decimal(10), Decimal(10), "")])
        bulk_insert("milestone", ("project_id", "name", "due_on", "done_on", "note"),
                    [(pid, f"节点{k + 1}", src.starts_on, src.starts_on, "") for k in range(6)])
        bulk_insert("project_evaluation", ("project_id", "kind", "evaluator", "score", "grade",
                                           '"on"', "conclusion", "problems", "suggestions",
                                           "remarks"),
                    [(pid, "final", "济南市社会工作评估中心", Decimal("91.5"), "excellent",
                      src.ends_on, "项目完成合同约定的服务内容。" * 5, "个别指标未达成。" * 3,
                      "扩大服务覆盖面。" * 3, "")])
        Activity.update(project_id=pid).where(Activity.project_id == src.id).execute()


def bench_home(path: Path, samples: int) -> None:
    """The home summary as the page asks for it, against the same statements run bare."""
    from app.services import home

    raw = bare_connection(path)
    sql = captured(home.summary)
    run_bare(raw, sql)
    home.summary()
    service = timed(home.summary, samples)
    floor = timed(lambda: run_bare(raw, sql), samples)
    report("home summary p95", p95(service), p95(floor), GOAL_HOME_MS)
    s = home.summary()
    print(f"  {s.volunteers.registered:,} volunteers, {s.orgs.total:,} organizations, "
          f"{s.projects.total:,} projects, hours this year {s.hours.this_year_minutes // 60:,},"
          f" {s.due.total:,} due items; {len(sql)} statements")


def floor_report(data: Any) -> bytes:
    """The report's tables built bare (see the module docstring)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from reports.annual_report import format_money
    from reports.fonts import cjk_font

    font = cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])

    def table(rows: list[list[str]], widths: tuple[float, ...]) -> Table:
        t = Table([[Paragraph(text, cell) for text in row] for row in rows],
                  colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(style)
        return t

    def money(fen: int | None) -> str:
        return "" if fen is None else format_money(fen)

    def day(d: dt.date | None) -> str:
        return "" if d is None else d.isoformat()

    story = [
        table([["项目名称", data.name, "项目编号", data.number],
               ["购买主体", data.purchaser, "承接主体", data.contractor],
               ["合同金额", money(data.contract_fen), "大写", data.contract_capitals],
               ["服务期限", f"{day(data.starts_on)}至{day(data.ends_on)}", "服务对象",
                data.target_group],
               ["服务内容", data.content, "", ""]], (30, 55, 30, 55)),
        table([["资金来源", "年初预算", "调整后预算", "执行数", "执行率", "权重", "得分"]]
              + [[b.source, money(b.initial_fen), money(b.adjusted_fen), money(b.executed_fen),
                  "", str(b.weight or ""), str(b.score or "")] for b in data.budget],
              (26, 26, 26, 26, 20, 22, 24)),
        table([["批次", "拨付条件", "计划金额", "计划日期", "支付日期", "支付金额"]]
              + [[p.batch, p.condition, money(p.planned_fen), day(p.due_on), day(p.paid_on),
                  money(p.amount_fen)] for p in data.payments], (18, 42, 28, 26, 26, 30)),
        table([["一级指标", "二级指标", "三级指标", "单位", "指标值", "完成值", "权重", "得分",
                "偏差原因"]]
              + [[i.level1, i.level2, i.name, i.unit, i.target, i.actual, str(i.weight),
                  str(i.score or ""), i.deviation] for i in data.indicators],
              (18, 18, 34, 12, 16, 16, 12, 12, 32)),
        table([["节点", "计划日期", "完成日期", "说明"]]
              + [[m.name, day(m.due_on), day(m.done_on), m.note] for m in data.milestones],
              (60, 30, 30, 50)),
        table([["活动", "日期", "志愿者（人）", "时长（小时）"]]
              + [[v.activity, day(v.held_on), str(v.volunteers), f"{v.minutes / 60:.1f}"]
                 for v in data.services], (80, 30, 30, 30)),
        table([["综合得分", str(data.score or ""), "评价等级", data.grade],
               ["评价结论", data.conclusion, "", ""], ["存在问题", data.problems, "", ""],
               ["建议", data.suggestions, "", ""]], (30, 55, 30, 55)),
    ]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=22 * mm, bottomMargin=20 * mm).build(story)
    return buf.getvalue()


def bench_report(repeat: int) -> None:
    try:
        from app.services.projects import report as project_report
    except ImportError:
        print("project report: app.services.projects.report is not there yet, skipped")
        return
    from app.store.models import Project

    pid = Project.get(Project.number == REPORT_PROJECT).id
    project_report.render(pid)  # warm the font and imports
    service = timed(lambda: project_report.render(pid), repeat)
    data = project_report.data_for(pid)
    floor = timed(lambda: floor_report(data), repeat)
    pdf = project_report.render(pid)
    report("project report (50 indicators, 20 payments)", statistics.median(service),
           statistics.median(floor), GOAL_REPORT_MS)
    print(f"  {len(data.indicators)} indicators, {len(data.payments)} payment rows, "
          f"{len(data.services)} activities; {len(pdf) / 1024:.0f} KiB; "
          f"gathering {statistics.median(timed(lambda: project_report.data_for(pid), 5)):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--reports", type=int, default=10)
    args = parser.parse_args()
    path = home_register(args.volunteers, args.records, args.orgs, args.projects)

    from app.store.connection import open_register
    from app.store.models import Organization, Project, ServiceRecord, Volunteer

    open_register(str(path))
    print(f"home page on {Volunteer.select().count():,} volunteers, "
          f"{ServiceRecord.select().count():,} service records, "
          f"{Organization.select().count():,} organizations, "
          f"{Project.select().count():,} projects ({machine()}; today {dt.date.today()})")
    bench_home(path, args.samples)
    bench_report(args.reports)


if __name__ == "__main__":
    main()
