"""The project report PDF read back: cover and capitals, every indicator, repeated headers,
page numbers, the chart, and the pages as images."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from reports.project_report import (
    BudgetRow,
    IndicatorRow,
    MilestoneRow,
    PaymentRow,
    ProjectReportData,
    ServiceLine,
    chart_groups,
    format_decimal,
    format_rate,
    milestone_status,
    render_project_report,
)

MM = 72 / 25.4
GROUPS = (("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"),
          ("产出指标", "成本指标"), ("效益指标", "社会效益指标"),
          ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标"))


def indicator_name(i: int) -> str:
    return f"社区助老服务绩效指标第{i}项"


def sample(indicators: int = 50, payments: int = 20, **kw) -> ProjectReportData:
    inds = []
    for i in range(1, indicators + 1):
        level1, level2 = GROUPS[(i - 1) * len(GROUPS) // max(indicators, 1)]
        inds.append(IndicatorRow(
            level1, level2, indicator_name(i), unit="人次", target=f"≥{100 + i}",
            actual=str(95 + i), weight=Decimal("1.60"), score=Decimal("1.45"),
            deviation="部分活动因天气原因延期，已在第四季度补齐。" if i % 7 == 0 else ""))
    pays = []
    for i in range(1, payments + 1):
        pays.append(PaymentRow(f"第{(i + 1) // 2}批", "完成阶段服务并经购买主体验收合格"
                               if i % 2 else "", 2_400_000 if i % 2 else None,
                               dt.date(2026, 1 + (i - 1) // 2, 15),
                               dt.date(2026, 1 + (i - 1) // 2, 20), 1_200_000))
    values = dict(
        number="XM2026-0001", name="江岸区社区居家养老服务项目", purchaser="武汉市江岸区民政局",
        contractor="武汉市江岸区阳光社会工作服务中心", report_date=dt.date(2026, 12, 28),
        method="竞争性磋商", status="已评价", budget_fen=50_000_000,
        contract_fen=48_000_000, contract_capitals="肆拾捌万元整", paid_fen=24_000_000,
        signed_on=dt.date(2025, 12, 20), starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31), service_area="江岸区解放路街道、二七街道",
        target_group="辖区60周岁以上独居、空巢老人", content="助餐、助洁、精神慰藉、健康讲座。" * 4,
        lead="王芳", finance_lead="李娜", evaluator="湖北公益评估中心", evaluation_kind="终期评价",
        evaluated_on=dt.date(2026, 12, 20), score=Decimal("91.50"), grade="优秀",
        work_done="评价机构按照绩效指标体系，采用资料核查、现场走访和满意度问卷相结合的方法开展评价。",
        conclusion="项目总体完成了合同约定的服务内容，绩效目标基本实现。",
        problems="志愿者队伍稳定性不足。", suggestions="建立志愿者激励机制。", other="无",
        budget=(BudgetRow("财政资金", 50_000_000, 48_000_000, 46_000_000, Decimal(10),
                          Decimal("9.5"), "尾款待结项审计后拨付"),
                BudgetRow("单位资金", 2_000_000, 2_000_000, 2_000_000, Decimal(0), Decimal(0))),
        payments=pays, indicators=inds,
        milestones=(MilestoneRow("项目启动会", dt.date(2026, 1, 10), dt.date(2026, 1, 9)),
                    MilestoneRow("中期评估", dt.date(2026, 6, 30), dt.date(2026, 7, 5)),
                    MilestoneRow("结项验收", dt.date(2027, 1, 15))),
        services=(ServiceLine("重阳节敬老活动", dt.date(2026, 10, 29), 12, 2_880),
                  ServiceLine("社区健康讲座", dt.date(2026, 11, 5), 5, 450)),
        volunteers=15, volunteer_minutes=3_330, attachments=("项目合同", "结项审计报告"))
    values.update(kw)
    return ProjectReportData(**values)


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return [(p.extract_text() or "").replace(" ", "") for p in doc.pages]


def crossings(page) -> list[str]:
    """Characters that a table rule runs through (text over or out of its cell)."""
    edges = [e for e in page.edges if e["orientation"] in ("v", "h")]
    bad = []
    for c in page.chars:
        for e in edges:
            if e["orientation"] == "v":
                hit = (c["x0"] + 0.5 < e["x0"] < c["x1"] - 0.5
                       and c["top"] + 1 < e["bottom"] and e["top"] < c["bottom"] - 1)
            else:
                hit = (c["top"] + 1 < e["top"] < c["bottom"] - 1
                       and c["x0"] + 0.5 < e["x1"] and e["x0"] < c["x1"] - 0.5)
            if hit:
                bad.append(c["text"])
                break
    return bad


def test_formatting_helpers():
    assert format_decimal(Decimal("10.00")) == "10"
    assert format_decimal(Decimal("8.50")) == "8.5"
    assert format_decimal(Decimal("7.255")) == "7.26"
    assert format_decimal(None) == ""
    assert format_rate(46_000_000, 48_000_000) == "95.83%"
    assert format_rate(5, 0) == "—"
    today = dt.date(2026, 7, 1)
    assert milestone_status(MilestoneRow("a", dt.date(2026, 6, 1), dt.date(2026, 5, 30)),
                            today) == "已完成"
    assert milestone_status(MilestoneRow("b", dt.date(2026, 6, 1), dt.date(2026, 6, 2)),
                            today) == "逾期完成"
    assert milestone_status(MilestoneRow("c", dt.date(2026, 6, 1)), today) == "已逾期"
    assert milestone_status(MilestoneRow("d", dt.date(2026, 8, 1)), today) == "未到期"


def test_the_cover_has_the_parties_and_the_amount_in_capitals(tmp_path):
    texts = pages_text(render_project_report(sample()), tmp_path)
    cover = texts[0]
    for needle in ("政府购买服务项目绩效评价报告", "（终期评价）",
                   "项目名称：江岸区社区居家养老服务项目",
                   "编号：XM2026-0001", "实施单位（盖章）：武汉市江岸区阳光社会工作服务中心",
                   "主管部门：武汉市江岸区民政局", "评价机构：湖北公益评估中心",
                   "¥480,000.00", "（大写：肆拾捌万元整）", "项目负责人（签名）：",
                   "报告日期：2026年12月28日"):
        assert needle in cover, needle
    assert "页共" not in cover


def test_fifty_indicators_and_twenty_payments_across_pages(tmp_path):
    texts = pages_text(render_project_report(sample()), tmp_path)
    everything = "".join(texts)
    with pdfplumber.open(tmp_path / "r.pdf") as doc:   # a name wraps inside its cell
        cells = {(cell or "").replace("\n", "") for page in doc.pages
                 for table in page.extract_tables() for row in table for cell in row}
    assert all(indicator_name(i) in cells for i in range(1, 51))
    indicator_pages = [t for t in texts if "社区助老服务绩效指标" in t]
    assert len(indicator_pages) >= 2
    for text in indicator_pages:   # the header row repeats on every page the table spans
        assert "三级指标" in text and "完成值" in text and "偏差原因及改进措施" in text
    payment_pages = [t for t in texts if "12,000.00" in t]
    assert len(payment_pages) >= 2
    for text in payment_pages:
        assert "支付条件" in text and "计划金额" in text and "支付金额" in text
    assert everything.count("12,000.00") == 20
    # totals: 50 × 1.6 weight, 50 × 1.45 score; planned 10 × 24,000, paid 20 × 12,000
    assert "合计8072.5" in everything
    assert "合计240,000.00240,000.00" in everything


def test_page_numbers_on_every_page_but_the_cover(tmp_path):
    texts = pages_text(render_project_report(sample()), tmp_path)
    total = len(texts) - 1
    assert total >= 5
    for number, text in enumerate(texts[1:], 1):
        assert f"第{number}页共{total}页" in text


def test_budget_execution_rates_and_the_score_table(tmp_path):
    everything = "".join(pages_text(render_project_report(sample()), tmp_path))
    for needle in ("年初预算", "调整后预算", "执行数", "执行率", "财政资金", "单位资金", "其他资金",
                   "95.83%", "100.00%", "96.00%", "尾款待结项审计后拨付",
                   "综合得分91.5分", "评价等级优秀", "预算执行109.595.00%"):
        assert needle in everything, needle


def test_the_chart_is_drawn_with_chinese_labels(tmp_path):
    data = sample()
    groups = chart_groups(data)
    assert [g[0] for g in groups] == ["预算执行", *[level2 for _, level2 in GROUPS]]
    (tmp_path / "r.pdf").write_bytes(render_project_report(data))
    with pdfplumber.open(tmp_path / "r.pdf") as doc:
        page = next(p for p in doc.pages if "图1" in (p.extract_text() or ""))
        text = (page.extract_text() or "").replace(" ", "")
        for label in ("预算执行", "数量指标", "服务对象满意度指标", "得分（分）", "权重（分）"):
            assert label in text, label
        # one bar per group and series, in the two series' colours
        fills = [tuple(round(v, 2) for v in r["non_stroking_color"]) for r in page.rects
                 if r.get("non_stroking_color") and len(r["non_stroking_color"]) == 3]
        assert fills.count((0.16, 0.36, 0.62)) >= len(groups)
        assert fills.count((0.78, 0.8, 0.84)) >= len(groups)


def test_services_milestones_and_signatures(tmp_path):
    everything = "".join(pages_text(render_project_report(sample()), tmp_path))
    for needle in ("重阳节敬老活动", "2026年10月29日", "合计1755.5",
                   "参与志愿者15人，志愿服务总时长55.5小时", "项目启动会", "逾期完成", "未到期",
                   "项目负责人", "财务负责人", "姓名：王芳", "姓名：李娜", "（盖章）",
                   "1.项目合同", "2.结项审计报告", "五、经验做法、存在问题及原因", "六、建议",
                   "七、其他", "志愿者队伍稳定性不足"):
        assert needle in everything, needle


def test_an_empty_project_prints_its_blanks(tmp_path):
    data = sample(indicators=0, payments=0, budget=(), milestones=(), services=(),
                  volunteers=0, volunteer_minutes=0, score=None, grade="", evaluation_kind="",
                  contract_fen=None, contract_capitals="", attachments=())
    texts = pages_text(render_project_report(data), tmp_path)
    everything = "".join(texts)
    for needle in ("尚未设定绩效指标", "尚无拨付计划", "未设置里程碑", "尚无关联的服务活动",
                   "综合得分未评分", "评价等级未评定"):
        assert needle in everything, needle
    assert "图1" not in everything and "大写" not in texts[0]


def test_no_text_crosses_a_rule_or_the_margins(tmp_path):
    long = "社区" * 40
    data = sample(name="江岸区" + "社区居家养老" * 12 + "服务项目", content=long,
                  suggestions="\n".join("建议加强志愿者培训，" * 30 for _ in range(3)))
    (tmp_path / "r.pdf").write_bytes(render_project_report(data))
    with pdfplumber.open(tmp_path / "r.pdf") as doc:
        for page in doc.pages:
            assert crossings(page) == [], page.page_number
            assert all(c["x0"] >= 20 * MM - 1 and c["x1"] <= page.width - 20 * MM + 1
                       for c in page.chars), page.page_number


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pages_render_to_images(tmp_path):
    """The cover and a page the indicator table continues on, looked at as pictures: A4,
    ink inside the side margins only, and the continuation page ruled as a table."""
    from PIL import Image

    texts = pages_text(render_project_report(sample()), tmp_path)
    indicator_pages = [n for n, t in enumerate(texts, 1) if "社区助老服务绩效指标" in t]
    continued = indicator_pages[-1]  # the table's last page, its header repeated
    assert len(indicator_pages) >= 2 and "三级指标" in texts[continued - 1]
    for number in (1, continued):
        stem = tmp_path / f"page{number}"
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-gray", "-singlefile", "-f",
                        str(number), "-l", str(number), str(tmp_path / "r.pdf"), str(stem)],
                       check=True, timeout=60)
        image = Image.open(f"{stem}.png").convert("L")
        width, height = image.size
        assert abs(width / height - 210 / 297) < 0.01
        margin = int(19 * 40 / 25.4)
        for side in (image.crop((0, 0, margin, height)),
                     image.crop((width - margin, 0, width, height))):
            assert side.getextrema() == (255, 255), number  # nothing spills into a margin
        body = image.crop((margin, 0, width - margin, height))
        rows = [[body.getpixel((x, y)) < 160 for x in range(body.width)]
                for y in range(body.height)]
        assert sum(map(sum, rows)) > 1000, number  # there is print on the page
        if number == continued:  # a ruled table: many rules across the text width
            rules = sum(1 for row in rows if sum(row) > 0.8 * body.width)
            assert rules >= 10, rules
