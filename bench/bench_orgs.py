"""Organizations at a city's scale: 10,000 organizations with ten years of history.

Usage: .venv/bin/python -m bench.bench_orgs [--orgs 10000] [--samples 40] [--reports 1000]

Figures, each beside a floor measured in the same run:
- organization search p95: `listing.count` + `listing.page(flt, 0, 200)` with the list's own
  defaults (sort by name) for name fragments, pinyin initials, credit-code prefixes and a
  filter by type; floor: the very SQL statements the service ran (captured from peewee's
  log on a first call), executed bare with sqlite3 on a connection with the same pragmas;
- the due-and-overdue view as it opens, `app.services.due.items(within=None)` (every area's
  sources, each kind in its own reminder period) p95; floor: its SQL run bare the same way;
- annual reports for `--reports` organizations in one `annual_report.render_batch` into a
  folder: time per report. Floor (`floor_report`): for the same organizations' data, already
  gathered and not timed, reportlab platypus builds the same tables bare — the same rows of
  Paragraph cells (same CJK font, size and wrapping) in ruled `Table`s of the same column
  widths, one `SimpleDocTemplate.build` per report into memory — without the gathering, the
  cover, declaration, contents page (so one layout pass instead of `multiBuild`'s two), page
  header and "第 N 页 共 M 页" canvas, the headings, the hanging-punctuation re-wrap and the
  file writes.

The register is made once by `app.services.orgs.demo.generate(N, seed=1)` on a fresh
migrated SQLite file and cached under bench/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    OUT,
    bare_connection,
    captured,
    machine,
    p95,
    report,
    run_bare,
    timed,
)

GOAL_SEARCH_MS = 200
GOAL_DUE_MS = 200


def orgs_register(orgs: int, seed: int = 1) -> Path:
    """A SQLite register with `orgs` demo organizations and their history (cached)."""
    from app.services.orgs import demo
    from app.store.db import bound, make_database
    from app.store.migrations import migrate

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"orgs-{orgs}-{seed}.sqlite3"
    if path.exists():
        return path
    print(f"building {path.name} with demo.generate({orgs}, seed={seed}) ...", file=sys.stderr)
    tmp = path.with_suffix(".partial")
    for stale in OUT.glob(tmp.name + "*"):
        stale.unlink()
    start = time.perf_counter()
    with bound(make_database(tmp)) as db:
        db.connect()
        migrate()
        demo.generate(orgs, seed=seed)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"(built in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
    for side in ("-wal", "-shm"):
        Path(str(tmp) + side).unlink(missing_ok=True)
    tmp.rename(path)
    return path


def search_terms(rng: random.Random, k: int) -> dict[str, list[Any]]:
    from app.domain.orgs.kinds import OrgKind
    from app.services.orgs.listing import OrgFilter
    from app.store.models import Organization

    rows = [(n, i, c) for n, i, c in Organization.select(
        Organization.name, Organization.name_initials, Organization.credit_code).tuples()]
    picks = [rows[rng.randrange(len(rows))] for _ in range(k)]
    codes = [c for _n, _i, c in rows if c]

    def fragment(name: str) -> str:
        size = rng.choice((1, 2, 2, 3))
        at = rng.randrange(max(1, len(name) - size))
        return name[at:at + size]

    return {
        "name fragment (1-3 chars)": [OrgFilter(text=fragment(n)) for n, _i, _c in picks],
        "pinyin initials (2-4 letters)": [OrgFilter(text=i[: rng.choice((2, 3, 4))])
                                          for _n, i, _c in picks],
        "credit-code prefix (4-18 chars)": [
            OrgFilter(text=codes[rng.randrange(len(codes))][: rng.choice((4, 8, 12, 18))])
            for _ in range(k)] if codes else [],
        "filter by type": [OrgFilter(kind=rng.choice(list(OrgKind))) for _ in range(k)],
        "whole list (no filter)": [OrgFilter() for _ in range(max(5, k // 4))],
    }


def bench_search(path: Path, k: int) -> None:
    from app.services.orgs import listing

    raw = bare_connection(path)
    rng = random.Random(5)
    for label, filters in search_terms(rng, k).items():
        if not filters:
            continue
        service, floor = [], []
        for flt in filters:
            def run(flt: Any = flt) -> None:
                listing.count(flt)
                listing.page(flt, 0, 200)

            sql = captured(run)
            run_bare(raw, sql)                     # warm both the same way
            floor += timed(lambda s=sql: run_bare(raw, s))
            service += timed(run)
        report(f"search: {label}", p95(service), p95(floor), GOAL_SEARCH_MS)


def bench_due(path: Path, repeat: int) -> int:
    """What the due view asks when it opens: every area's items, each kind in its own
    reminder period (the view's first choice)."""
    from app.services import due

    def view() -> list:
        return due.items(within=None)

    raw = bare_connection(path)
    found: list = []
    sql = captured(lambda: found.extend(view()))
    run_bare(raw, sql)
    service = timed(view, repeat)
    floor = timed(lambda: run_bare(raw, sql), repeat)
    report(f"due view as it opens ({len(found):,} items)", p95(service), p95(floor), GOAL_DUE_MS)
    return len(found)


# --- the annual-report floor -------------------------------------------------------------------


def floor_report(data: Any) -> bytes:
    """The same tables as the report, built bare (see the module docstring)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from reports import annual_report as r
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

    org, staff, d = data.org, data.staff, r.chinese_date
    money = r.format_money
    four = (34.0, 51.0, 34.0, 51.0)
    story = [
        table([["单位名称", org.name, "", ""],
               ["统一社会信用代码", org.credit_code, "登记证号", org.certificate_number],
               ["业务主管单位", org.supervisor or "无", "登记管理机关", org.registration_authority],
               ["法定代表人", org.legal_representative, "成立登记时间", d(org.founded_on)],
               ["服务领域", org.sector, "注册资金（元）",
                "" if org.registered_capital_fen is None else money(org.registered_capital_fen)],
               ["业务范围", org.business_scope, "", ""], ["住所", org.address, "", ""],
               ["邮政编码", org.post_code, "联系电话", org.phone],
               ["联系人", org.contact, "电子邮箱", org.email], ["网址", org.website, "", ""],
               ["专职工作人员（人）", str(staff.full_time), "兼职工作人员（人）",
                str(staff.part_time)],
               ["志愿者（人）", str(staff.volunteers), "志愿服务时长（小时）",
                r.format_hours(staff.volunteer_minutes)]], four),
        table([["序号", "事项", "办理情况", "批准时间"]]
              + [[str(i), c.item, c.handling, d(c.approved_on)]
                 for i, c in enumerate(data.changes, 1)], (12, 48, 80, 30)),
        table([["序号", "会议名称", "章程规定", "召开时间", "出席情况", "主要议题及决议"]]
              + [[str(i), m.kind, m.charter_rule, d(m.held_on), m.attendance, m.content]
                 for i, m in enumerate(data.meetings or (), 1)], (12, 26, 28, 28, 26, 50)),
        table([["项目", "行次", "年初数", "期末数"]]
              + [[label, str(i), "", ""] for i, (label, _a) in
                 enumerate(r._BALANCE_ROWS, 1)], (66, 16, 44, 44)),
        table([["项目", "非限定性", "限定性", "合计"]]
              + [[label, "", "", ""] for label, _a in r._INCOME_ROWS + r._EXPENSE_ROWS],
              (56, 38, 38, 38)),
        table([["序号", "活动名称", "类型", "时间", "地点", "批准单位", "收费情况"]]
              + [[str(i), a.name, a.kind, d(a.held_on), a.place, a.approved_by, a.fee]
                 for i, a in enumerate(data.activities, 1)], (11, 38, 18, 28, 26, 30, 19)),
        table([["序号", "项目编号", "项目名称", "购买主体", "合同金额（元）", "已拨付（元）"]]
              + [[str(i), p.number, p.name, p.purchaser, money(p.amount_fen),
                  money(p.paid_fen)] for i, p in enumerate(data.projects, 1)],
              (11, 24, 45, 30, 30, 30)),
        table([["序号", "服务活动（项目）", "参与志愿者（人次）", "服务时长（小时）"]]
              + [[str(i), v.activity, str(v.volunteers), r.format_hours(v.minutes)]
                 for i, v in enumerate(data.volunteer_lines, 1)], (12, 90, 34, 34)),
        table([["年度", "年检结论", "报送时间", "备注"]]
              + [[f"{x.year}年度", x.result, d(x.submitted_on), x.remarks]
                 for x in data.inspections], (24, 34, 36, 76)),
        table([["名录", "列入时间", "列入事由", "移出时间"]]
              + [[c.list_name, d(c.listed_on), c.reason, d(c.removed_on)]
                 for c in data.credit_entries], (40, 32, 66, 32)),
    ]
    inc = data.incubation
    if inc is not None:
        story += [
            table([["孵化阶段", inc.stage, "", ""],
                   ["孵化导师", "、".join(inc.mentors), "", ""],
                   ["提供服务", "；".join(inc.services), "", ""]], four),
            table([["序号", "培训名称", "培训时间", "参加情况"]]
                  + [[str(i), t.title, d(t.held_on), t.attendance]
                     for i, t in enumerate(inc.trainings, 1)], (12, 86, 32, 40)),
            table([["序号", "评估类型", "评估时间", "评估结论", "评估人（机构）"]]
                  + [[str(i), e.kind, d(e.evaluated_on), e.result, e.evaluator]
                     for i, e in enumerate(inc.evaluations, 1)], (12, 40, 32, 40, 46)),
        ]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=22 * mm, bottomMargin=20 * mm).build(story)
    return buf.getvalue()


def bench_reports(path: Path, count: int) -> None:
    from app.services.orgs import annual_report

    year = dt.date.today().year - 1
    ids = annual_report.batch_ids(year)[:count]
    folder = Path(tempfile.mkdtemp(prefix="annual-", dir=OUT))
    try:
        start = time.perf_counter()
        result = annual_report.render_batch(year, folder, ids)
        total = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.iterdir()) / max(1, result.written)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    gather_start = time.perf_counter()
    data = []
    for i in range(0, len(ids), annual_report.CHUNK):
        gathered = annual_report._gather(ids[i:i + annual_report.CHUNK], year, dt.date.today())
        data += [gathered[oid] for oid in ids[i:i + annual_report.CHUNK]]
    gather = time.perf_counter() - gather_start
    start = time.perf_counter()
    for item in data:
        floor_report(item)
    floor = time.perf_counter() - start
    n = max(1, result.written)
    report(f"annual report, per report ({n:,} in one batch)", total * 1000 / n,
           floor * 1000 / n, None)
    print(f"  batch of {n:,}: {total:.1f} s in all, of which gathering {gather:.2f} s "
          f"({gather * 1000 / n:.1f} ms per report); {size / 1024:.0f} KiB per PDF; "
          f"{len(result.skipped)} skipped")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = orgs_register(args.orgs, args.seed)

    from app.store.connection import open_register
    from app.store.models import Activity, Organization, OrgInspection

    open_register(str(path))
    print(f"organizations on {Organization.select().count():,} organizations "
          f"({OrgInspection.select().count():,} inspections, "
          f"{Activity.select().where(Activity.org_id.is_null(False)).count():,} activities; "
          f"{machine()})")
    bench_search(path, args.samples)
    bench_due(path, max(10, args.samples // 2))
    bench_reports(path, args.reports)


if __name__ == "__main__":
    main()
