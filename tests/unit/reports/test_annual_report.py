"""The annual work report PDF read back: titles per type, fields, paging, money and dates."""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from reports.annual_report import (
    ActivityRow,
    ActivityStatement,
    AnnualReportData,
    Balance,
    BalanceSheet,
    ChangeRow,
    CreditEntry,
    EvaluationLine,
    FinanceData,
    IncubationStatus,
    InspectionRow,
    MeetingRow,
    OrgInfo,
    OrgKind,
    ProjectRow,
    RatingInfo,
    Split,
    StaffInfo,
    TrainingLine,
    VolunteerLine,
    chinese_date,
    format_hours,
    format_money,
    render_annual_report,
)

CODES = {OrgKind.SOCIAL_GROUP: "51420000MJH200395N",
         OrgKind.PRIVATE_NON_ENTERPRISE: "52420000MJH233402K",
         OrgKind.FOUNDATION: "53420000MJH2448303",
         OrgKind.COMMUNITY: "51420000MJH200395N"}
MM = 72 / 25.4


def finance() -> FinanceData:
    b = Balance
    return FinanceData(
        balance=BalanceSheet(
            current_assets=b(120_000_00, 345_678_91), long_term_investments=b(0, 0),
            fixed_assets=b(30_000_00, 28_000_00), total_assets=b(150_000_00, 373_678_91),
            current_liabilities=b(10_000_00, 12_000_00), long_term_liabilities=b(0, 0),
            total_liabilities=b(10_000_00, 12_000_00),
            unrestricted_net_assets=b(100_000_00, 300_000_00),
            restricted_net_assets=b(40_000_00, 61_678_91),
            total_net_assets=b(140_000_00, 361_678_91)),
        activity=ActivityStatement(
            donation=Split(50_000_00, 80_000_00), services=Split(1_234_567_89),
            government_grants=Split(300_000_00), program_costs=Split(900_000_00, 20_000_00),
            admin_expenses=Split(45_000_00)))


def report(kind: OrgKind = OrgKind.SOCIAL_GROUP, *, activities: int = 3, rows: int = 2,
           with_finance: bool = True, name: str = "解放路街道阳光社区服务中心",
           remarks: str = "上年度年检指出的会计凭证不规范问题已于2025年6月整改完毕。"
           ) -> AnnualReportData:
    org = OrgInfo(
        kind=kind, name=name, credit_code=CODES[kind], certificate_number="鄂民证字第0395号",
        legal_representative="王明", registration_authority="武汉市江岸区民政局",
        supervisor="" if kind is OrgKind.PRIVATE_NON_ENTERPRISE else "武汉市江岸区科学技术协会",
        form="法人" if kind is OrgKind.PRIVATE_NON_ENTERPRISE else "", sector="社区服务",
        business_scope="为辖区老年人提供助餐、助洁、精神慰藉等服务；开展志愿服务活动；"
                       "承接政府购买服务项目；组织社区居民开展文体活动。",
        founded_on=dt.date(2019, 5, 8), registered_capital_fen=3_000_000_00,
        address="湖北省武汉市江岸区解放大道1234号阳光大厦3楼301室", post_code="430010",
        phone="027-88881234", contact="李华", website="https://www.example.org.cn/yangguang",
        email="yangguang.community.service@example.org.cn", unit_members=12,
        individual_members=236)
    return AnnualReportData(
        org=org, year=2025, report_date=dt.date(2026, 3, 20), number="NB2025-0042",
        staff=StaffInfo(full_time=6, part_time=3, volunteers=128, volunteer_minutes=98_430,
                        practitioners=4, party_members=5),
        changes=[ChangeRow(f"住所变更{i}", dt.date(2025, 4, 1 + i % 28), "已核准", "旧址",
                           "新址") for i in range(1, rows + 1)],
        meetings=[MeetingRow("理事会", dt.date(2025, 1, 10), "每年至少召开2次",
                             "应到9人，实到8人", "审议2024年度工作报告和财务报告")],
        finance=finance() if with_finance else None,
        activity_overview="本年度围绕社区居家养老开展服务。\n全年服务老人3200人次。",
        activities=[ActivityRow(f"社区助老服务第{i}期", "志愿服务", dt.date(2025, i % 12 + 1, 3),
                                "阳光社区活动室", approved_by="阳光社区居委会")
                    for i in range(1, activities + 1)],
        projects=[ProjectRow("JA2025-017", "江岸区社区居家养老服务项目", "武汉市江岸区民政局",
                             420_000_00, 168_000_00),
                  ProjectRow("JA2025-031", "解放路街道“一老一小”关爱服务项目",
                             "解放路街道办事处", 180_000_50, 72_000_00)],
        volunteer_lines=[VolunteerLine("助餐送餐", 320, 38_400), VolunteerLine("陪伴探访", 96, 90)],
        incubation=IncubationStatus(
            stage="入驻孵化", agreement_start=dt.date(2025, 1, 1),
            agreement_end=dt.date(2025, 12, 31), mentors=["张老师", "刘老师"],
            services=["提供办公场地", "协助登记注册", "小额资助20000元"],
            trainings=[TrainingLine("财务管理培训", dt.date(2025, 3, 15), "2人参加")],
            evaluations=[EvaluationLine("中期评估", dt.date(2025, 7, 1), "良好", "第三方机构")]),
        inspections=[InspectionRow(2020 + i % 5, "合格" if i % 3 else "基本合格",
                                   dt.date(2021 + i % 5, 5, 20), f"第{i}次记录")
                     for i in range(1, rows + 1)] +
                    [InspectionRow(2024, "基本合格", dt.date(2025, 5, 28), "会计凭证不规范")],
        rating=RatingInfo("4A", dt.date(2024, 6, 1), dt.date(2029, 5, 31)),
        credit_entries=[CreditEntry("活动异常名录", dt.date(2023, 7, 1), "未按时参加年检",
                                    dt.date(2023, 12, 1))],
        remarks=remarks)


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return [(p.extract_text() or "").replace(" ", "") for p in doc.pages]


@pytest.mark.parametrize(("kind", "title"), [
    (OrgKind.SOCIAL_GROUP, "社会团体年度工作报告书"),
    (OrgKind.PRIVATE_NON_ENTERPRISE, "民办非企业单位年度工作报告书"),
    (OrgKind.FOUNDATION, "基金会年度工作报告书"),
    (OrgKind.COMMUNITY, "社会团体年度工作报告书"),
])
def test_each_type_prints_its_title_and_the_register_data(tmp_path, kind, title):
    texts = pages_text(render_annual_report(report(kind)), tmp_path)
    cover = texts[0]
    for needle in (title, "（2025年度）", "解放路街道阳光社区服务中心", "单位名称（盖章）",
                   CODES[kind], "鄂民证字第0395号", "2026年3月20日", "编号：NB2025-0042"):
        assert needle in cover, needle
    everything = "".join(texts)
    for needle in ("声明", "目录", "一、基本信息", "二、内部建设情况", "三、财务会计报告",
                   "四、业务活动情况", "五、孵化培育及监督管理情况", "六、其它需要说明的情况",
                   "七、年检审查意见", "业务主管单位初审意见", "登记管理机关审定意见",
                   "承办人：", "负责人：", "2024年度：基本合格", "会计凭证不规范", "4A",
                   "活动异常名录", "社区助老服务第3期", "江岸区社区居家养老服务项目", "张老师",
                   "财务管理培训", "已于2025年6月整改完毕", "2019年5月8日"):
        assert needle in everything, needle
    assert "2021年度" in everything and "2022年度" in everything
    if kind is OrgKind.FOUNDATION:
        assert "理事（签字）" in texts[1] and "监事（签字）" in texts[1]
        assert "（印鉴）" not in texts[1]
    else:
        assert "法定代表人（签字）" in texts[1] and "（印鉴）" in texts[1]
    assert "年月日" in texts[1]
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE:
        assert "单位形式" in cover and "法人" in cover and "执业人员" in everything
    if kind in (OrgKind.PRIVATE_NON_ENTERPRISE, OrgKind.FOUNDATION):
        assert "变更前" in everything and "变更后" in everything
    else:
        assert "办理情况" in everything and "变更前" not in everything


def test_contents_lists_the_sections_with_their_pages(tmp_path):
    texts = pages_text(render_annual_report(report()), tmp_path)
    contents = texts[2]
    assert "目录" in contents
    for heading in ("一、基本信息", "三、财务会计报告", "七、年检审查意见"):
        match = re.search(re.escape(heading) + r"[.·…]*(\d+)", contents)
        assert match, heading
        page = int(match.group(1))
        assert heading in texts[page], (heading, page)   # texts[0] is the cover


def test_page_numbers_on_every_page_but_the_cover(tmp_path):
    texts = pages_text(render_annual_report(report()), tmp_path)
    total = len(texts) - 1
    assert "页共" not in texts[0]
    for number, text in enumerate(texts[1:], 1):
        assert f"第{number}页共{total}页" in text


def test_long_tables_repeat_their_header_on_every_page(tmp_path):
    pdf = render_annual_report(report(activities=120, rows=60))
    texts = pages_text(pdf, tmp_path)
    assert len(texts) > 10
    assert len(PdfReader(tmp_path / "r.pdf").pages) == len(texts)
    activity_pages = [t for t in texts if re.search(r"社区助老服务第\d+期", t)]
    assert len(activity_pages) >= 3
    for text in activity_pages:
        assert "活动名称" in text and "收费情况" in text and "批准单位" in text
    change_pages = [t for t in texts if re.search(r"住所变更\d+", t)]
    assert len(change_pages) >= 2
    for text in change_pages:
        assert "事项" in text and "办理情况" in text and "批准时间" in text
    inspection_pages = [t for t in texts if re.search(r"第\d+次记录", t)]
    assert len(inspection_pages) >= 2
    for text in inspection_pages:
        assert "年检结论" in text and "报送时间" in text
    everything = "".join(texts)
    assert all(f"社区助老服务第{i}期" in everything for i in range(1, 121))
    assert all(f"住所变更{i}" in everything for i in range(1, 61))


def test_dates_are_written_in_chinese_with_arabic_numerals(tmp_path):
    assert chinese_date(dt.date(2026, 11, 23)) == "2026年11月23日"
    data = report()
    data = AnnualReportData(**{**data.__dict__, "report_date": dt.date(2026, 11, 23)})
    texts = pages_text(render_annual_report(data), tmp_path)
    assert "报告日期：2026年11月23日" in texts[0]
    assert "2025年4月2日" in "".join(texts)   # a change's approval date


def test_money_in_yuan_and_in_wan_yuan_for_foundations(tmp_path):
    assert format_money(1_234_567_89) == "1,234,567.89"
    assert format_money(180_000_50, wan=True) == "18.0001"
    assert format_money(-5) == "-0.05"
    assert format_hours(98_430) == "1640.5"
    society = "".join(pages_text(render_annual_report(report()), tmp_path))
    for needle in ("注册资金（元）", "3,000,000.00", "合同金额（元）", "420,000.00",
                   "600,000.50", "1,234,567.89", "345,678.91", "373,678.91", "单位：元",
                   "1640.5", "640"):
        assert needle in society, needle
    assert "万元" not in society
    foundation = "".join(pages_text(render_annual_report(report(OrgKind.FOUNDATION)),
                                    tmp_path))
    for needle in ("原始基金（万元）", "300.0000", "合同金额（万元）", "42.0000", "60.0001",
                   "123.4568", "单位：万元"):
        assert needle in foundation, needle
    assert "单位：元" not in foundation


def test_finance_prints_ruled_blanks_without_figures(tmp_path):
    texts = pages_text(render_annual_report(report(with_finance=False)), tmp_path)
    everything = "".join(texts)
    assert "资产负债表" in everything and "业务活动表" in everything
    assert "负债和净资产总计" in everything and "净资产变动额" in everything
    assert "1,234,567.89" not in everything
    page = next(t for t in texts if "资产负债表" in t)
    line = next(row for row in page.splitlines() if row.startswith("资产总计"))
    assert line == "资产总计4"      # the label and the line number, no figures


@pytest.mark.parametrize("kind", [OrgKind.SOCIAL_GROUP, OrgKind.PRIVATE_NON_ENTERPRISE])
def test_figures_not_entered_print_blanks_not_zeros_or_no_meetings(tmp_path, kind):
    """Without the year's figures the report said 0 staff and 本年度未召开: claims the
    register cannot make. Now the cells are blank and the meetings table has ruled rows."""
    import dataclasses

    data = dataclasses.replace(report(kind), meetings=None,
                               staff=StaffInfo(full_time=None, part_time=None, volunteers=4))
    text = "\n".join(pages_text(render_annual_report(data), tmp_path))
    assert "本年度未召开" not in text
    staff_line = next(row for row in text.splitlines() if row.startswith("专职工作人员"))
    assert staff_line == "专职工作人员（人）兼职工作人员（人）"
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE:
        assert any(row.startswith("从业人员（人）执业人员") for row in text.splitlines())
    meetings = text.split("主要议题及决议", 1)[1].splitlines()
    assert meetings[1:4] == ["1", "2", "3"]  # three numbered ruled rows to fill by hand
    entered = "\n".join(pages_text(render_annual_report(
        dataclasses.replace(report(kind), meetings=[])), tmp_path))
    assert "本年度未召开" in entered  # staff entered the year with no meetings


def test_long_text_and_long_names_wrap_inside_their_cells(tmp_path):
    long_name = "解放路街道" + "阳光" * 30 + "社区服务中心"
    remarks = "\n".join(f"整改说明第{i}段：" + "按要求完成整改。" * 40 for i in range(1, 9))
    data = report(name=long_name, remarks=remarks, activities=40)
    (tmp_path / "r.pdf").write_bytes(render_annual_report(data))
    with pdfplumber.open(tmp_path / "r.pdf") as doc:
        for page in doc.pages:   # nothing runs past the 20 mm side margins
            assert all(c["x0"] >= 20 * MM - 1 and c["x1"] <= page.width - 20 * MM + 1
                       for c in page.chars), page.page_number
        cover_values = doc.pages[0].crop((83 * MM, 0, 185 * MM, doc.pages[0].height))
        assert long_name in (cover_values.extract_text() or "").replace("\n", "")
        texts = [(p.extract_text() or "").replace(" ", "") for p in doc.pages]
    # the body of each page, without its running header and its page number
    everything = "".join("".join(t.splitlines()[1:-1]) for t in texts[1:])
    assert all(f"整改说明第{i}段" in everything for i in range(1, 9))
    assert everything.count("按要求完成整改。") == 8 * 40
    assert "yangguang.community.service@" in everything


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


@pytest.mark.parametrize("kind", [OrgKind.SOCIAL_GROUP, OrgKind.PRIVATE_NON_ENTERPRISE,
                                  OrgKind.FOUNDATION])
def test_no_text_crosses_a_rule(tmp_path, kind):
    data = report(kind, activities=30, rows=20, name="解放路街道" + "阳光" * 30 + "社区服务中心",
                  remarks="\n".join("按要求完成整改，" * 80 for _ in range(3)))
    # 13 characters fill the 项目名称 cell; the 14th, "）", may not start a line and would
    # hang over the rule if nothing kept it in
    hanging = ProjectRow("JA2025-099", "社区居家养老服务项目（一期）", "民政局（本级）", 1, 1)
    data = AnnualReportData(**{**data.__dict__, "projects": [*data.projects, hanging]})
    (tmp_path / "r.pdf").write_bytes(render_annual_report(data))
    with pdfplumber.open(tmp_path / "r.pdf") as doc:
        for page in doc.pages:
            assert crossings(page) == [], page.page_number


def test_two_renders_are_the_same_size(tmp_path):
    a, b = render_annual_report(report()), render_annual_report(report())
    assert a[:5] == b"%PDF-" and abs(len(a) - len(b)) < 200


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pages_render_to_images(tmp_path):
    (tmp_path / "r.pdf").write_bytes(render_annual_report(report()))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3",
                    str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True, timeout=60)
    assert len(list(tmp_path.glob("page*.png"))) == 3
