"""English renderings of the organization and project areas' service and domain messages.

The rows `service_text` adds to its table (before its generic shapes), and the field labels
its label lookups add. Kept apart so the volunteer half and this half stay readable; this
module imports nothing of `service_text`, so a converter that `service_text` owns is named
by a string ("nested": a part that is itself a message, "label": a field label) and resolved
there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

Convert = Callable[[str], str]
Row = tuple[str, str, Mapping[str, "Convert | str"]]

LABELS = {
    # organizations (app/domain/orgs/draft.py TEXT_LIMITS, app/services/orgs/import_columns.py)
    "组织名称": "Organization name", "组织类型": "Organization type",
    "统一社会信用代码": "Unified social credit code", "保留原因": "Reason for keeping the code",
    "代码保留原因": "Reason for keeping the code", "登记证号": "Certificate number",
    "法定代表人": "Legal representative", "法定代表人/负责人": "Legal representative or head",
    "业务主管单位": "Supervising unit", "登记管理机关": "Registration authority",
    "住所": "Address", "邮政编码": "Post code", "联系人": "Contact person",
    "电子邮箱": "Email", "网站": "Website", "网址": "Website", "业务范围": "Business scope",
    "成立日期": "Founding date", "登记/备案": "Registered or filed",
    "登记/备案日期": "Date registered or filed", "单位形式": "Form of unit",
    "服务领域": "Service field", "注册资金（元）": "Registered capital (yuan)",
    "证书有效期起": "Certificate valid from", "证书有效期至": "Certificate valid until",
    "公示开始日期": "Start of the public notice", "延期原因": "Reason for the extension",
    "导师姓名": "Mentor's name", "培训主题": "Training topic", "培训时长": "Training length",
    "列入原因": "Reason for listing", "移出原因": "Reason for removal",
    "年检结论": "Inspection result", "日期": "The date",
    # yearly figures (app/services/orgs/year_figures.py)
    "专职工作人员人数": "Number of full-time staff",
    "兼职工作人员人数": "Number of part-time staff",
    "单位会员人数": "Number of member organizations", "个人会员人数": "Number of members",
    "资产负债表": "Balance sheet", "业务活动表": "Statement of activities",
    "流动资产合计": "Total current assets", "长期投资合计": "Total long-term investments",
    "固定资产合计": "Total fixed assets", "资产总计": "Total assets",
    "流动负债合计": "Total current liabilities",
    "长期负债合计": "Total long-term liabilities", "负债合计": "Total liabilities",
    "非限定性净资产": "Unrestricted net assets", "限定性净资产": "Restricted net assets",
    "净资产合计": "Total net assets", "捐赠收入": "Donations",
    "会费收入": "Membership fees", "提供服务收入": "Service income",
    "商品销售收入": "Sales", "政府补助收入": "Government grants",
    "投资收益": "Investment income", "其他收入": "Other income",
    "业务活动成本": "Programme costs", "管理费用": "Administrative expenses",
    "筹资费用": "Fundraising expenses", "其他费用": "Other expenses",
    # projects (app/domain/projects/draft.py, app/services/projects/)
    "项目名称": "Project name", "服务区域": "Service area", "服务对象": "Beneficiaries",
    "服务内容": "Service content", "项目负责人": "Project lead",
    "财务负责人": "Finance lead", "评价机构": "Evaluator", "购买主体": "Purchaser",
    "购买主体名称": "Purchaser name", "采购方式": "Procurement method",
    "预算金额": "Budget", "合同金额": "Contract amount", "金额": "Amount",
    "付款金额": "Payment amount", "计划金额": "Planned amount",
    "付款比例": "Payment share", "付款条件": "Payment condition", "权重": "Weight",
    "得分": "Score", "评价得分": "Evaluation score", "评价日期": "Evaluation date",
    "节点名称": "Milestone name", "完成日期": "Completion date",
    "一级指标": "Level-1 indicator", "二级指标": "Level-2 indicator",
    "指标名称": "Indicator name", "指标值": "Target value", "计量单位": "Unit of measure",
    "实际完成值": "Actual value",
}

# Labels of the areas' enumerations (states, kinds, lists), as the messages quote them.
NAMES = {
    # incubation, legal status, project status (app/domain/*/...)
    "申请入驻": "applied", "评审中": "under review", "已入驻": "admitted",
    "未通过": "not admitted", "孵化中": "incubating", "已出壳": "graduated",
    "中途退出": "left early", "未登记": "unregistered", "已备案": "filed",
    "已登记": "registered", "已注销": "deregistered", "草稿": "draft",
    "采购中": "procurement", "已签约": "contracted", "服务中": "in service",
    "中期评估": "mid-term evaluation", "结项验收": "final acceptance",
    "已评价": "evaluated", "已结项": "closed", "已终止": "terminated",
    # organization types and forms, fields, lists, grades
    "社会团体": "social group", "民办非企业单位（社会服务机构）":
        "private non-enterprise unit (social service agency)",
    "民办非企业单位": "private non-enterprise unit", "基金会": "foundation",
    "社区社会组织": "community social organization", "活动异常名录": "list of abnormal activity",
    "严重违法失信名单": "list of serious violations and dishonesty",
    "1A级": "grade 1A", "2A级": "grade 2A", "3A级": "grade 3A", "4A级": "grade 4A",
    "5A级": "grade 5A", "合格": "pass", "基本合格": "basic pass", "不合格": "fail",
    # credit-code departments and kinds (app/domain/orgs/uscc.py)
    "机构编制": "public-sector staffing", "外交": "foreign affairs",
    "司法行政": "judicial administration", "文化": "culture", "民政": "civil affairs",
    "旅游": "tourism", "宗教": "religious affairs", "工会": "trade unions",
    "市场监管": "market regulation", "中央军委改革和编制办公室": "military staffing office",
    "农业": "agriculture", "其他": "other", "机关": "government body",
    "事业单位": "public institution", "群众团体": "mass organization", "企业": "enterprise",
    "个体工商户": "individual business", "农民专业合作社": "farmers' cooperative",
    # indicators (app/domain/projects/kinds.py)
    "产出指标": "output", "效益指标": "outcome", "满意度指标": "satisfaction",
    "数量指标": "quantity", "质量指标": "quality", "时效指标": "timeliness",
    "成本指标": "cost", "社会效益指标": "social benefit",
    "可持续影响指标": "sustainability", "服务对象满意度指标": "beneficiary satisfaction",
    # funding sources, packets, checklist items
    "财政资金": "Public funds", "单位资金": "Own funds", "其他资金": "Other funds",
    "备案材料": "The filing documents", "登记材料": "The registration documents",
    "章程草案": "draft charter", "成立会议纪要": "founding meeting minutes",
    "法定代表人/负责人身份证明及简历": "legal representative's ID and CV",
    "住所证明": "proof of address", "验资报告/资金证明": "capital verification",
    "业务主管单位同意文件": "supervising unit's consent",
    "成立": "founded", "备案": "filed", "登记": "registered",
}

_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
D = r"\d{4}年\d{1,2}月\d{1,2}日"
_SUBJECTS = {"孵化状态": "The incubation state", "法律身份": "The legal status",
             "项目状态": "The project status"}


def _date(text: str) -> str:
    """fmt_date's "2026年7月1日" -> "2026-07-01"."""
    match = _DATE.fullmatch(text)
    if match is None:
        return text
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"


def _name(text: str) -> str:
    return NAMES.get(text, text)


def _quoted_names(text: str) -> str:
    """"“已登记”、“已注销”" -> "“registered”, “deregistered”"."""
    return ", ".join(f"“{_name(part)}”" for part in re.findall(r"“([^”]*)”", text))


def _listed(text: str) -> str:
    """"养老、助残、其他" (names or years joined by 、) -> "elderly, ..."."""
    return ", ".join(_name(part) for part in text.split("、"))


def _field_list(text: str) -> str:
    """The service fields a sheet may name, each English name once."""
    names = (_FIELDS.get(part, part).replace("_", " ") for part in text.split("、"))
    return ", ".join(dict.fromkeys(names))


_SERVICES = {"场地": "space", "登记协助": "registration help", "小额资助": "small grant",
             "其他": "other"}
_SINCE = re.compile(r"该组织于(" + D + r")(成立|备案|登记)，")


def _since(text: str) -> str:
    """"该组织于2020年3月1日登记，" -> "The organization was registered on 2020-03-01; "."""
    match = _SINCE.fullmatch(text)
    if match is None:
        return text
    return f"The organization was {_name(match[2])} on {_date(match[1])}; "


_FIELDS = {
    "养老": "elderly", "助残": "disability", "儿童": "children", "教育": "education",
    "文体": "culture and sports", "环保": "environment",
    "社区治理": "community governance", "医疗卫生": "health", "法律服务": "legal services",
    "其他": "other", "为老服务": "elderly", "助老": "elderly", "残疾人服务": "disability",
    "青少年": "youth", "儿童青少年": "children and youth", "文化体育": "culture and sports",
    "体育": "sports", "文化": "culture", "环境保护": "environment",
    "社区服务": "community service", "医疗": "health", "卫生": "health", "法律": "legal",
    "culture_sports": "culture and sports", "community_governance": "community governance",
    "legal_services": "legal services",
}

ROWS: tuple[Row, ...] = (
    # --- state machines (app/domain/transitions.py, incubation, legal status, projects)
    (r"(?P<subject>孵化状态|法律身份|项目状态)不能从“(?P<a>[^”]+)”改为“(?P<b>[^”]+)”："
     r"(?P<tail>.+)",
     "{subject} cannot change from “{a}” to “{b}”: {tail}",
     {"subject": lambda s: _SUBJECTS.get(s, s), "a": _name, "b": _name, "tail": "nested"}),
    (r"“(?P<a>[^”]+)”是最终状态，不能再变更",
     "“{a}” is final and cannot change again.", {"a": _name}),
    (r"“(?P<a>[^”]+)”之后只能改为(?P<names>(?:“[^”]+”、?)+)",
     "after “{a}” it can only become {names}.", {"a": _name, "names": _quoted_names}),
    (r"已经是这个状态", "it is already in that state;", {}),
    (r"社区社会组织只备案、不登记；如需登记，请先把组织类型改为社会团体、民办非企业单位或基金会",
     "a community social organization is only filed, not registered; to register it, first "
     "change its type to social group, private non-enterprise unit or foundation.", {}),
    (r"孵化状态不能改为“(?P<b>[^”]+)”：尚未申请入驻的组织只能先改为“申请入驻”",
     "The incubation state cannot become “{b}”: an organization that has not applied can "
     "only become “applied” first.", {"b": _name}),
    # --- credit codes (app/domain/orgs/uscc.py)
    (r"统一社会信用代码只能包含数字0–9和大写字母（“(?P<ch>.+)”不是）",
     "A unified social credit code may contain only the digits 0–9 and capital letters "
     "(not “{ch}”).", {}),
    (r"统一社会信用代码应为18位，现在是(?P<n>\d+)位",
     "The unified social credit code has {n} characters; it needs 18.", {}),
    (r"统一社会信用代码第(?P<pos>\d+)位是字母(?P<ch>\w)，代码中不使用字母I、O、Z、S、V"
     r"（常见原因：把数字1、0、2、5抄成了字母I、O、Z、S）",
     "Character {pos} of the unified social credit code is the letter {ch}; codes never use "
     "I, O, Z, S or V (often the digits 1, 0, 2, 5 copied as I, O, Z, S).", {}),
    (r"统一社会信用代码第(?P<pos>\d+)位“(?P<ch>.+)”不是允许的字符",
     "Character {pos} of the unified social credit code (“{ch}”) is not allowed.", {}),
    (r"统一社会信用代码第3–8位应为行政区划代码（6位数字），现在是(?P<area>.+)",
     "Characters 3–8 of the unified social credit code must be an area code (6 digits), "
     "not {area}.", {}),
    (r"统一社会信用代码第9–17位组织机构代码校验位不符（(?P<body>\w+)的校验位应为(?P<x>\w)，"
     r"现在是(?P<y>\w)）",
     "The organization code in characters 9–17 of the unified social credit code fails its "
     "check (for {body} the check character is {x}, not {y}).", {}),
    (r"第18位校验码也不符（请先核对第9–17位）",
     "The 18th check character fails too (check characters 9–17 first).", {}),
    (r"统一社会信用代码第18位校验码不符，应为(?P<x>\w)",
     "The 18th check character of the unified social credit code is wrong; it should be "
     "{x}.", {}),
    (r"(?P<body>.+)。请核对号码是否抄错", "{body} Check the code for a copying mistake.",
     {"body": "nested"}),
    (r"如证书上确为此代码，请填写保留原因",
     "If the certificate really shows this code, give a reason for keeping it.", {}),
    (r"统一社会信用代码第1位为(?P<code>\w)（(?:代码\w|(?P<dept>[^（）]+))），"
     r"(?P<kind>.+?)一般由民政部门登记，第1位应为5，请核对",
     "Character 1 of the unified social credit code is {code} ({dept}); a {kind} is "
     "normally registered by civil affairs, so it should be 5. Please check.",
     {"dept": lambda s: _name(s) or "unknown department", "kind": _name}),
    (r"统一社会信用代码第2位为(?P<code>\w)（(?:代码\w|(?P<shown>[^（）]+))），"
     r"与组织类型“(?P<kind>.+)”不符（应为(?P<x>\w)，(?P<wanted>[^（）]+)），请核对",
     "Character 2 of the unified social credit code is {code} ({shown}), which does not "
     "fit the type “{kind}” (it should be {x}, {wanted}). Please check.",
     {"shown": lambda s: _name(s) or "unknown kind", "kind": _name, "wanted": _name}),
    # --- the organization draft (app/domain/orgs/draft.py)
    (r"注册资金（开办资金）应为不小于0的金额",
     "The registered capital (start-up funds) must be an amount of 0 or more.", {}),
    (r"证书有效期的截止日期应晚于起始日期",
     "The certificate's end date must be after its start date.", {}),
    (r"已登记的社会组织须填写统一社会信用代码",
     "A registered organization needs its unified social credit code.", {}),
    (r"联系电话应为手机号码或带区号的固定电话",
     "The phone must be a mobile number or a landline with its area code.", {}),
    (r"邮政编码应为6位数字", "The post code has 6 digits.", {}),
    (r"电子邮箱格式不正确", "The email address is not valid.", {}),
    # --- dates of agreements, certificates, stages (domain and services)
    (r"孵化协议结束日期（(?P<end>" + D + r")）应晚于开始日期（(?P<start>" + D + r")）",
     "The incubation agreement must end ({end}) after it starts ({start}).",
     {"end": _date, "start": _date}),
    (r"延期后的结束日期（(?P<new>" + D + r")）应晚于当前结束日期（(?P<old>" + D + r")）",
     "The extended end ({new}) must be after the current end ({old}).",
     {"new": _date, "old": _date}),
    (r"登记证书有效期截止日期（(?P<end>" + D + r")）应晚于起始日期（(?P<start>" + D + r")）",
     "The registration certificate must end ({end}) after it starts ({start}).",
     {"end": _date, "start": _date}),
    (r"变更日期不能早于当前(?:阶段|法律身份)的开始日期（(?P<since>" + D + r")）",
     "The date of the change cannot be before the current stage began ({since}).",
     {"since": _date}),
    (r"变更日期不能早于当前状态“(?P<state>[^”]+)”的开始日期（(?P<since>" + D + r")）",
     "The date of the change cannot be before the current status “{state}” began "
     "({since}).", {"state": _name, "since": _date}),
    # --- registering organizations (app/services/orgs/registration.py, legal.py, ...)
    (r"统一社会信用代码(?P<code>\w+)已登记为“(?P<name>.+)”，一个代码只能对应一个组织，"
     r"请打开该记录修改",
     "The unified social credit code {code} is already registered as “{name}”; one code "
     "belongs to one organization. Open that record to change it.", {}),
    (r"统一社会信用代码重复", "This unified social credit code is already registered.", {}),
    (r"找不到该社会组织（内部编号(?P<id>.+)）", "Organization not found ({id}).", {}),
    (r"找不到统一社会信用代码为(?P<code>.+)的社会组织",
     "No organization has the unified social credit code {code}.", {}),
    (r"该组织已被其他人修改，请重新打开后再操作",
     "Someone else changed this organization meanwhile; reopen it and try again.", {}),
    (r"登记前请先在组织信息中填写统一社会信用代码（见登记证书）",
     "Before registering, enter the unified social credit code (see the certificate) in "
     "the organization's details.", {}),
    (r"写入的社会组织与读回的记录对不上，未写入任何数据",
     "The organizations written do not match the records read back; nothing was written.",
     {}),
    # --- incubation (app/services/orgs/incubation.py)
    (r"分数应为0到100之间的数", "The score must be a number from 0 to 100.", {}),
    (r"公示结束日期（(?P<end>" + D + r")）不能早于开始日期（(?P<start>" + D + r")）",
     "The public notice cannot end ({end}) before it starts ({start}).",
     {"end": _date, "start": _date}),
    (r"找不到这条评审记录", "This review record was not found.", {}),
    (r"该组织还没有签订孵化协议，无法延期",
     "This organization has no incubation agreement yet, so it cannot be extended.", {}),
    (r"结对结束日期不能早于开始日期", "The mentoring cannot end before it starts.", {}),
    (r"参加人数至少为1人", "At least 1 person must attend.", {}),
    (r"找不到该培训", "Training not found.", {}),
    (r"请选择服务类型（(?P<kinds>.+)）", "Please choose the kind of service ({kinds}).",
     {"kinds": lambda s: ", ".join(_SERVICES.get(p, p) for p in s.split("、"))}),
    (r"小额资助须填写资助金额（大于0）", "A small grant needs its amount (more than 0).", {}),
    (r"请选择评估类型（阶段评估或出壳评估）",
     "Please choose the kind of evaluation (periodic or graduation).", {}),
    # --- inspections, credit lists, ratings (app/services/orgs/inspections.py, rating.py)
    (r"社区社会组织只备案、不登记，不参加年检",
     "A community social organization is only filed, not registered, and has no annual "
     "inspection.", {}),
    (r"该组织尚未登记，不参加年检",
     "This organization is not registered yet and has no annual inspection.", {}),
    (r"该组织于(?P<on>" + D + r")登记，(?P<year>\d{4})年度无需年检",
     "This organization was registered on {on}; it needs no inspection for {year}.",
     {"on": _date}),
    (r"该组织已于(?P<on>" + D + r")注销，(?P<year>\d{4})年度无需年检",
     "This organization was deregistered on {on}; it needs no inspection for {year}.",
     {"on": _date}),
    (r"民办非企业单位于(?P<on>" + D + r")登记，当年登记不满6个月，(?P<year>\d{4})年度无需年检",
     "This private non-enterprise unit was registered on {on}, less than 6 months before "
     "the year's end; it needs no inspection for {year}.", {"on": _date}),
    (r"(?P<year>\d{4})年度年检自(?P<on>" + D + r")起报送，日期不能更早",
     "The inspection for {year} can be submitted from {on}; the date cannot be earlier.",
     {"on": _date}),
    (r"填写年检结论前，请先填写报送登记管理机关的日期",
     "Before the inspection result, enter the date it was submitted to the registration "
     "authority.", {}),
    (r"结论日期不能早于报送日期", "The result cannot be dated before the submission.", {}),
    (r"该组织已于(?P<on>" + D + r")列入(?P<list>[^，]+)，尚未移出",
     "This organization has been on the {list} since {on} and was not removed.",
     {"on": _date, "list": _name}),
    (r"找不到该名录记录", "List entry not found.", {}),
    (r"该记录已于(?P<on>" + D + r")移出", "This entry was already removed on {on}.",
     {"on": _date}),
    (r"移出日期不能早于列入日期（(?P<on>" + D + r")）",
     "The removal cannot be dated before the listing ({on}).", {"on": _date}),
    (r"不能评定等级：(?P<reasons>.+)", "No grade can be given: {reasons}",
     {"reasons": "nested"}),
    (r"社区社会组织只备案、未登记，不参加等级评估",
     "A community social organization is only filed, not registered, and is not graded.",
     {}),
    (r"尚未登记；取得登记证书满两个年度后方可申请评估",
     "Not registered yet; grading is possible two full years after registration.", {}),
    (r"登记于(?P<on>" + D + r")，须满两个完整年度（(?P<y1>\d{4})年、(?P<y2>\d{4})年），"
     r"(?P<start>" + D + r")起方可申请评估",
     "Registered on {on}; two full years ({y1} and {y2}) are needed, so grading is possible "
     "from {start}.", {"on": _date, "start": _date}),
    (r"已于(?P<on>" + D + r")注销", "Deregistered on {on}.", {"on": _date}),
    (r"已注销", "Deregistered.", {}),
    (r"已列入严重违法失信名单", "On the list of serious violations and dishonesty.", {}),
    (r"自(?P<on>" + D + r")列入(?P<list>活动异常名录|严重违法失信名单)：(?P<why>.*)",
     "On the {list} since {on}: {why}.", {"on": _date, "list": _name}),
    (r"(?P<year>\d{4})年度年检结论为不合格", "Failed the annual inspection for {year}.", {}),
    (r"(?P<years>\d{4}(?:、\d{4})*)年度年检逾期未报送（最近一次截止(?P<on>" + D + r")）",
     "Annual inspection for {years} not submitted in time (the last deadline was {on}).",
     {"years": lambda s: ", ".join(s.split("、")), "on": _date}),
    # --- registration documents (app/services/orgs/readiness.py)
    (r"“(?P<item>.+)”不是材料清单中的项目", "“{item}” is not on the document checklist.",
     {}),
    (r"所选附件不属于该组织", "The chosen attachment does not belong to this organization.",
     {}),
    (r"(?P<packet>备案材料|登记材料)尚未备齐，还缺：(?P<names>.+)",
     "{packet} are not complete; missing: {names}.",
     {"packet": _name, "names": _listed}),
    # --- yearly figures and annual reports (year_figures.py, annual_report.py)
    (r"(?P<why>该组织于" + D + r"(?:成立|备案|登记)，)年度应在(?P<first>\d{4})年至"
     r"(?P<last>\d{4})年之间，不能是(?P<year>-?\d+)年",
     "{why}the year must be from {first} to {last}, not {year}.", {"why": _since}),
    (r"年度应在(?P<first>\d{4})年至(?P<last>\d{4})年之间，不能是(?P<year>-?\d+)年",
     "The year must be from {first} to {last}, not {year}.", {}),
    (r"报告年度应在(?P<first>\d{4})年至(?P<last>\d{4})年之间，不能是(?P<year>-?\d+)年",
     "The report year must be from {first} to {last}, not {year}.", {}),
    (r"(?P<who>.+)：(?P<year>\d{4})年度未登记或备案，不出具年度报告",
     "{who}: not registered or filed in {year}, so there is no annual report.", {}),
    (r"内部编号(?P<id>\d+)：找不到该社会组织", "Organization {id}: not found.", {}),
    (r"业务活动概述不能超过(?P<max>\d+)字，现有(?P<n>\d+)字",
     "The overview of activities cannot be longer than {max} characters ({n} now).", {}),
    (r"第(?P<n>\d+)行会议：(?P<rest>.+)", "Meeting {n}: {rest}", {"rest": "nested"}),
    (r"请填写会议名称（如会员大会、理事会）",
     "Please enter the meeting's name (such as general assembly or board).", {}),
    (r"召开时间(?P<on>" + D + r")不在(?P<year>\d{4})年度内",
     "its date, {on}, is not in {year}.", {"on": _date}),
    (r"(?P<label>.+?人数)应为整数", "{label} must be a whole number.", {"label": "label"}),
    (r"(?P<label>.+?人数)(?P<value>\d+)过大，请检查", "{label} {value} is too large; please "
     "check.", {"label": "label"}),
    (r"(?P<table>资产负债表|业务活动表)没有“(?P<name>.+)”这一项目",
     "{table} has no line “{name}”.", {"table": "label"}),
    (r"(?P<table>资产负债表|业务活动表)“(?P<label>.+)”应填写两栏金额",
     "{table}, “{label}”: both columns need an amount.", {"table": "label", "label": "label"}),
    (r"(?P<table>资产负债表|业务活动表)“(?P<label>.+)”的金额应为整数分，不能是(?P<amount>.+)",
     "{table}, “{label}”: amounts are whole fen, not {amount}.",
     {"table": "label", "label": "label"}),
    (r"(?P<table>资产负债表|业务活动表)“(?P<label>.+)”不能为负数",
     "{table}, “{label}”: cannot be negative.", {"table": "label", "label": "label"}),
    (r"(?P<table>资产负债表|业务活动表)“(?P<label>.+)”金额过大，请检查",
     "{table}, “{label}”: the amount is too large; please check.",
     {"table": "label", "label": "label"}),
    # --- importing organizations (app/services/orgs/importing.py)
    (r"组织类型“(?P<value>.*)”无法识别，应为社会团体、民办非企业单位（社会服务机构）、基金会或社区社会组织",
     "Organization type “{value}” is not recognised; use social group, private "
     "non-enterprise unit (social service agency), foundation or community social "
     "organization.", {}),
    (r"单位形式“(?P<value>.*)”无法识别，应为法人、合伙或个体",
     "Form of unit “{value}” is not recognised; use legal person, partnership or "
     "individual.", {}),
    (r"服务领域“(?P<value>.*)”无法识别，可填(?P<fields>.+)之一",
     "Service field “{value}” is not recognised; use one of: {fields}.",
     {"fields": _field_list}),
    (r"登记/备案应填“登记”或“备案”（未登记的留空），现在是“(?P<value>.*)”",
     "Registered or filed must be one of the two values the template offers (registered "
     "or filed), or empty for unregistered; it says “{value}”.", {}),
    (r"注册资金“(?P<value>.*)”不是金额", "Registered capital “{value}” is not an amount.",
     {}),
    (r"注册资金“(?P<value>.*)”应为不小于0的金额",
     "Registered capital “{value}” must be an amount of 0 or more.", {}),
    (r"登记/备案为“登记”，但(?P<why>社区社会组织只备案.+)",
     "The row says registered, but {why}", {"why": "nested"}),
    (r"统一社会信用代码与第(?P<row>\d+)行(?:（(?P<name>.*)）)?相同，一个代码只能对应一个组织",
     "Same unified social credit code as row {row}{name}; one code belongs to one "
     "organization.", {"name": lambda s: f" ({s})" if s else ""}),
    (r"统一社会信用代码(?P<code>\w+)已登记为“(?P<name>.+)”，不能重复登记",
     "The unified social credit code {code} is already registered as “{name}”.", {}),
    (r"登记簿中已有名为“(?P<name>.+)”的组织，请确认不是重复导入",
     "The register already has an organization named “{name}”; make sure this is not an "
     "import done twice.", {}),
    (r"与第(?P<row>\d+)行组织名称相同，请确认不是重复的行",
     "Same organization name as row {row}; make sure the row is not a duplicate.", {}),
    (r"读取之后已有(?P<n>\d+)个代码被登记（(?P<sample>.+)），未导入任何数据，请重新读取文件",
     "{n} of these codes were registered after the file was read ({sample}); nothing was "
     "imported. Please read the file again.", {"sample": lambda s: s.replace("、", ", ")}),
    (r"导入期间有人登记了相同统一社会信用代码的组织，未导入任何数据，请重新读取文件",
     "Someone registered an organization with the same unified social credit code during "
     "the import; nothing was imported. Please read the file again.", {}),
    # --- projects: the draft and money (app/domain/projects/, app/services/projects/)
    (r"合同金额(?P<a>\S+?)超过预算(?P<b>\S+)",
     "The contract amount {a} is more than the budget {b}.", {}),
    (r"服务结束日期应晚于开始日期", "The service must end after it starts.", {}),
    (r"合同签订日期不能晚于服务结束日期",
     "The contract cannot be signed after the service ends.", {}),
    (r"服务期限超过三年（政府购买服务合同一般不超过1年，可持续性服务不超过3年），请确认",
     "The service term is longer than three years (a government service contract is "
     "normally at most 1 year, a continuing service at most 3); please confirm.", {}),
    (r"“(?P<value>.*)”不是有效金额，请填写数字，最多两位小数",
     "“{value}” is not a valid amount; enter a number with at most two decimals.", {}),
    (r"金额格式不正确", "The amount is not valid.", {}),
    (r"(?P<label>金额|付款金额)过大，请核对", "{label} is too large; please check.",
     {"label": "label"}),
    (r"购买主体“(?P<name>.+)”已在列表中", "Purchaser “{name}” is already in the list.",
     {}),
    (r"所选承接主体不在社会组织名录中",
     "The chosen contractor is not in the register of organizations.", {}),
    (r"所选购买主体不存在", "The chosen purchaser does not exist.", {}),
    (r"找不到该项目（内部编号(?P<id>.+)）", "Project not found ({id}).", {}),
    (r"找不到项目编号(?P<number>.+)", "No project numbered {number}.", {}),
    (r"该项目已被其他人修改，请重新打开后再编辑",
     "Someone else changed this project meanwhile; reopen it to edit.", {}),
    (r"该项目已被其他人修改，请重新打开后再操作",
     "Someone else changed this project meanwhile; reopen it and try again.", {}),
    (r"合同金额不能低于已支付金额",
     "The contract amount cannot be less than what has been paid.", {}),
    (r"已有付款的项目须保留合同金额",
     "A project with payments must keep its contract amount.", {}),
    (r"承接主体存在以下情况：(?P<problems>.+)。如确需选择，请填写理由",
     "The contractor has these problems: {problems} To choose it anyway, give a reason.",
     {"problems": "nested"}),
    (r"签约前请先选择承接主体", "Choose the contractor before signing.", {}),
    (r"签约前请先填写合同金额", "Enter the contract amount before signing.", {}),
    (r"签约前请先填写合同签订日期", "Enter the signing date before signing.", {}),
    (r"找不到该项目节点（(?P<id>.+)）", "Milestone not found ({id}).", {}),
    (r"该活动已被其他人修改，请重新打开后再操作",
     "Someone else changed this activity meanwhile; reopen it and try again.", {}),
    (r"活动“(?P<activity>.+)”已关联项目(?P<project>.+)，请先在该项目中取消关联",
     "Activity “{activity}” is linked to project {project}; unlink it there first.", {}),
    (r"评价类型应为中期评估或结项评价",
     "The evaluation is either mid-term or final.", {}),
    (r"合同金额(?P<contract>\S+?)，已支付(?P<paid>\S+?)，本次(?P<now>\S+?)将超出(?P<over>\S+)",
     "The contract amount is {contract} and {paid} has been paid; this {now} would go "
     "{over} over.", {}),
    (r"第(?P<n>\d+)期：(?P<rest>.+)", "Instalment {n}: {rest}", {"rest": "nested"}),
    (r"付款比例应大于0、不超过100%", "The payment share must be above 0 and at most 100%.",
     {}),
    (r"按比例计划须先填写合同金额", "A share of the contract needs the contract amount.", {}),
    (r"请填写计划金额或付款比例", "Please enter the planned amount or the payment share.",
     {}),
    (r"请先在项目信息中填写合同金额，再制定付款计划",
     "Enter the contract amount in the project's details before planning payments.", {}),
    (r"付款计划合计(?P<total>\S+?)超过合同金额(?P<contract>\S+)",
     "The payment plan adds up to {total}, more than the contract amount {contract}.", {}),
    (r"第(?P<n>\d+)期已有付款，不能删除",
     "Instalment {n} has payments and cannot be deleted.", {}),
    (r"第(?P<n>\d+)期已支付(?P<paid>\S+?)，计划金额不能低于已付金额",
     "Instalment {n}: {paid} has been paid; the planned amount cannot be less.", {}),
    (r"所选付款批次不属于该项目", "The chosen instalment does not belong to this project.",
     {}),
    (r"项目处于“(?P<status>[^”]+)”状态，不能付款（签约后、结项前方可付款）",
     "The project is “{status}”, so nothing can be paid (payments are possible after "
     "signing and before closing).", {"status": _name}),
    (r"项目尚未填写合同金额，不能付款",
     "The project has no contract amount yet, so nothing can be paid.", {}),
    (r"付款日期不能早于合同签订日期（(?P<on>" + D + r")）",
     "The payment cannot be dated before the contract was signed ({on}).", {"on": _date}),
    (r"资金来源应为财政资金、单位资金或其他资金",
     "The source of funds is public funds, own funds or other funds.", {}),
    (r"(?P<source>财政资金|单位资金|其他资金)重复填写", "{source} are entered twice.",
     {"source": _name}),
    (r"(?P<source>财政资金|单位资金|其他资金)：(?P<rest>.+)", "{source}: {rest}",
     {"source": _name, "rest": "nested"}),
    (r"得分(?P<score>[\d.]+)不能超过权重(?P<weight>[\d.]+)",
     "The score {score} cannot be more than the weight {weight}.", {}),
    (r"得分不能超过权重(?P<weight>[\d.]+)",
     "The score cannot be more than the weight {weight}.", {}),
    (r"各项指标权重合计(?P<total>[\d.]+)，不能超过100",
     "The weights add up to {total}; they cannot be more than 100.", {}),
    (r"第(?P<n>\d+)项：(?P<rest>.+)", "Indicator {n}: {rest}", {"rest": "nested"}),
    (r"“(?P<b>[^”]+)”不属于“(?P<a>[^”]+)”(?:（可选：(?P<allowed>.+)）)?",
     "“{b}” does not belong under “{a}”{allowed}.",
     {"a": _name, "b": _name, "allowed": lambda s: f" (choose {_listed(s)})" if s else ""}),
    # --- shapes shared by several messages of these areas
    (r"(?P<label>.+?)不能超过(?P<limit>\d+)个字",
     "{label} cannot be longer than {limit} characters.", {"label": "label"}),
    (r"(?P<label>.+?)不能晚于今天", "{label} cannot be after today.", {"label": "label"}),
    (r"(?P<label>.+?)应在0到100之间", "{label} must be from 0 to 100.", {"label": "label"}),
    (r"(?P<label>.+?)应为数字", "{label} must be a number.", {"label": "label"}),
    (r"(?P<label>.+?)应大于0", "{label} must be more than 0.", {"label": "label"}),
    (r"(?P<label>.+?)不能为负数", "{label} cannot be negative.", {"label": "label"}),
    (r"请选择(?P<label>.+)", "Please choose: {label}.", {"label": "label"}),
)
