"""Service and domain messages in the interface's language.

The services and the domain speak Chinese by design (the CLI prints their messages and the
tests assert them), so the English interface renders them here, at the last moment before a
widget shows them: each Chinese sentence is matched in full against a table of patterns, and
the English sentence is filled in with the variable parts — numbers, dates and times
translated where they carry Chinese units, names and typed values kept as typed. A message
the table does not know is shown unchanged (and logged once at DEBUG, to extend the table);
a message made of several (joined by a line break or "；") is rendered part by part.

No Qt here: the language is set by `app.ui.resources.install_translators`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.ui.common import service_text_areas as areas

log = logging.getLogger(__name__)

_state = {"language": "zh_CN"}
_missed: set[str] = set()


def set_language(language: str) -> None:
    """The interface language: "en" renders in English, anything else leaves messages as is."""
    _state["language"] = language


def language() -> str:
    return _state["language"]


def shown(message: str) -> str:
    """`message` (a Chinese service or domain message) in the interface's language."""
    if _state["language"] != "en" or not message:
        return message
    return _english(message, None)


def shown_all(messages: Mapping[str, str]) -> dict[str, str]:
    """Every value of a field -> message mapping (FormErrors.errors) through `shown`."""
    return {name: shown(text) for name, text in messages.items()}


def shown_duration(text: str) -> str:
    """A duration as `format_minutes` writes it ("2小时30分") in the interface's language."""
    return _minutes(text) if _state["language"] == "en" else text


def renderings_used(message: str) -> set[str]:
    """The patterns that render `message` in English (for the test that no pattern is dead)."""
    used: set[str] = set()
    _english(message, used)
    return used


# ---------------------------------------------------------------- the parts filled in

_LABELS = {
    # volunteer fields and import headers
    "姓名": "Name", "性别": "Sex", "证件类型": "ID type", "身份证号码": "ID number",
    "证件号码": "ID number", "出生日期": "Date of birth", "联系电话": "Phone",
    "所在区": "District", "所属区": "District", "街道": "Street", "所属街道": "Street",
    "社区": "Community", "所属社区": "Community", "技能特长": "Skills",
    "服务意向": "Service preferences", "可服务时间": "Available time",
    "政治面貌": "Political status", "学历": "Education", "工作单位": "Employer",
    "工作单位/学校": "Employer or school", "紧急联系人": "Emergency contact",
    "紧急联系电话": "Emergency phone", "监护人姓名": "Guardian's name",
    "监护人身份证号码": "Guardian's ID number", "监护人电话": "Guardian's phone",
    "监护人同意": "Guardian's consent", "登记日期": "Registration date", "备注": "Remarks",
    # activities
    "活动名称": "Activity name", "组织单位": "Organizer", "地点": "Place",
    "服务类别": "Service category",
    # the shop
    "物品名称": "Item name", "单位": "Unit", "兑换积分": "Points price",
    "入库数量": "Quantity received", "报损数量": "Quantity written off",
    "报损原因": "Write-off reason", "撤销原因": "Reason for undoing", "兑换数量": "Quantity",
    # organizations and projects (service_text_areas)
    **areas.LABELS,
}
_VOLUNTEER_STATUS = {"在册": "active", "暂停": "suspended", "已退出": "withdrawn",
                     "已合并": "merged"}
_ACTIVITY_STATUS = {"进行中": "open", "已结束": "closed", "已取消": "cancelled"}
_ENTRY_KINDS = {"服务获得": "Earned by service", "奖励": "Bonus", "调整": "Adjustment",
                "兑换": "Redemption", "过期": "Expiry", "冲正": "Reversal",
                "合并转出": "Merge (out)", "合并转入": "Merge (in)"}
_SEX = {"男": "male", "女": "female"}
_MINUTES = re.compile(r"(?P<sign>-?)(?:(?P<h>\d+)小时)?(?:(?P<m>\d+)分(?:钟)?)?")
_WHO = re.compile(r"(?P<number>\S+) (?P<name>.+)（(?P<status>[^（）]+)）")

Convert = Callable[[str], str]


def _label(text: str) -> str:
    return _LABELS.get(text, text)


def _labels(text: str) -> str:
    """"姓名、联系电话" -> "Name, Phone"."""
    return ", ".join(_label(part) for part in text.split("、"))


def _quoted_labels(text: str) -> str:
    """"“姓名”“身份证号码”" -> "“Name”, “ID number”"."""
    return ", ".join(f"“{_label(part)}”" for part in re.findall(r"“([^”]*)”", text))


def _volunteer_status(text: str) -> str:
    return _VOLUNTEER_STATUS.get(text, text)


def _activity_status(text: str) -> str:
    return _ACTIVITY_STATUS.get(text, text)


def _entry_kind(text: str) -> str:
    return _ENTRY_KINDS.get(text, text)


def _sex(text: str) -> str:
    return _SEX.get(text, text)


def _minutes(text: str) -> str:
    """format_minutes' "2小时30分" / "45分钟" -> "2 h 30 min" / "45 min"."""
    match = _MINUTES.fullmatch(text)
    if match is None or not (match["h"] or match["m"]):
        return text
    parts = [f"{match['h']} h" if match["h"] else "", f"{match['m']} min" if match["m"] else ""]
    return match["sign"] + " ".join(p for p in parts if p)


def _who(text: str) -> str:
    """"V00000012 张三（在册）" -> "V00000012 张三 (active)"."""
    match = _WHO.fullmatch(text)
    if match is None:
        return text
    return f"{match['number']} {match['name']} ({_volunteer_status(match['status'])})"


def _nested(text: str) -> str:
    """A part that is itself a service message (or several)."""
    return _english(text, None)


def _in_brackets(text: str) -> str:
    return f" ({text})" if text else ""


# ---------------------------------------------------------------- the table

@dataclass(frozen=True)
class Rendering:
    """One Chinese message shape and its English sentence (`str.format` with the groups)."""

    pattern: re.Pattern[str]
    english: str
    convert: Mapping[str, Convert] = field(default_factory=dict)

    def render(self, match: re.Match[str]) -> str:
        parts = {name: (self.convert[name](value or "") if name in self.convert
                        else value or "")
                 for name, value in match.groupdict().items()}
        return self.english.format(**parts)


def _r(pattern: str, english: str, **convert: Convert) -> Rendering:
    return Rendering(re.compile(pattern), english, convert)


def _area_rendering(row: areas.Row) -> Rendering:
    """A row of service_text_areas, its converters named by string resolved here."""
    shared: dict[str, Convert] = {"nested": _nested, "label": _label}
    pattern, english, convert = row
    return _r(pattern, english, **{name: shared[c] if isinstance(c, str) else c
                                   for name, c in convert.items()})


# The organization and project areas' rows (they go before the generic shapes below).
AREA_RENDERINGS: tuple[Rendering, ...] = tuple(_area_rendering(row) for row in areas.ROWS)

_NAME_NUMBER = r"(?P<name>.+)（(?P<number>[^（）]+)）"
_HM = r"\d\d:\d\d"

RENDERINGS: tuple[Rendering, ...] = (
    # --- resident ID numbers (app/domain/idcard.py)
    _r(r"身份证号码只能包含数字0–9和X（“(?P<ch>.+)”不是）",
       "An ID number may contain only the digits 0–9 and X (not “{ch}”)."),
    _r(r"请填写身份证号码", "Please enter the ID number."),
    _r(r"身份证号码被存成了数字，后几位已丢失（(?P<shown>.+)），请把该列设为文本后重新填写",
       "The ID number was stored as a number and its last digits are lost ({shown}); "
       "set the column to text and enter it again."),
    _r(r"这是15位旧身份证号码，请填写18位号码",
       "This is an old 15-digit ID number; please enter the 18-digit one."),
    _r(r"身份证号码应为18位，现在是(?P<n>\d+)位", "ID number has {n} characters; it needs 18."),
    _r(r"身份证号码前17位应为数字，最后一位为数字或X",
       "The first 17 characters of an ID number must be digits, the last a digit or X."),
    _r(r"身份证号码前两位“(?P<code>.*)”不是省级行政区划代码，请核对号码是否抄错",
       "The ID number starts with “{code}”, which is not a province code; "
       "check it for a copying mistake."),
    _r(r"身份证号码中的出生日期(?P<date>.+)不是有效日期",
       "The birth date in the ID number ({date}) is not a real date."),
    _r(r"身份证号码中的出生日期(?P<date>.+)不合理",
       "The birth date in the ID number ({date}) is not plausible."),
    _r(r"身份证号码校验位不正确，请核对号码是否抄错",
       "The ID number's check digit is wrong; check it for a copying mistake."),
    # --- mobile numbers (app/domain/phone.py)
    _r(r"手机号码只能包含数字0–9（“(?P<ch>.+)”不是）",
       "A mobile number may contain only the digits 0–9 (not “{ch}”)."),
    _r(r"请填写手机号码", "Please enter the mobile number."),
    _r(r"“(?P<raw>.*)”像是座机号码且缺少区号，请填写11位手机号码",
       "“{raw}” looks like a landline number without its area code; "
       "please enter an 11-digit mobile number."),
    _r(r"“(?P<raw>.*)”不是有效的手机号码（应为1开头的11位数字）",
       "“{raw}” is not a valid mobile number (11 digits starting with 1)."),
    # --- free text (app/domain/normalize.py)
    _r(r"(?P<label>.+?)含有不可见的控制字符（U\+(?P<code>[0-9A-F]{4,})），请删除后重新填写",
       "{label} contains an invisible control character (U+{code}); please remove it.",
       label=_label),
    _r(r"(?P<label>.+?)过长（(?P<n>\d+)个字），不能超过(?P<limit>\d+)个字",
       "{label} is too long ({n} characters; at most {limit}).", label=_label),
    # --- the volunteer draft and minors (app/domain/volunteer.py)
    _r(r"请填写姓名", "Please enter the name."),
    _r(r"证件类型不正确", "The ID type is not valid."),
    _r(r"性别“(?P<sex>.*)”无法识别，请填写男或女",
       "Sex “{sex}” is not recognised; enter male or female (M or F)."),
    _r(r"性别填写为(?P<given>[男女])，但身份证号码显示为(?P<actual>[男女])",
       "Sex is given as {given}, but the ID number says {actual}.", given=_sex, actual=_sex),
    _r(r"请填写证件号码", "Please enter the ID number."),
    _r(r"证件号码只能包含字母和数字0–9（“(?P<ch>.+)”不是）",
       "An ID number may contain only letters and the digits 0–9 (not “{ch}”)."),
    _r(r"证件号码应为5到20位字母或数字", "An ID number has 5 to 20 letters or digits."),
    _r(r"非身份证件请填写出生日期",
       "Please enter the date of birth (needed for an ID other than a resident ID card)."),
    _r(r"出生日期不能晚于今天", "The date of birth cannot be after today."),
    _r(r"请选择性别", "Please choose the sex."),
    _r(r"登记日期不能晚于今天", "The registration date cannot be after today."),
    _r(r"年龄(?P<age>\d+)岁，未满(?P<min>\d+)岁不能登记为志愿者",
       "Age {age}: a volunteer must be at least {min}."),
    _r(r"未满(?P<under>\d+)岁（(?P<age>\d+)岁）须填写监护人姓名",
       "Under {under} (age {age}): please enter the guardian's name."),
    _r(r"未成年人须填写监护人联系电话", "A minor needs the guardian's phone number."),
    _r(r"未成年人须填写监护人身份证号码", "A minor needs the guardian's ID number."),
    _r(r"监护人须年满18岁", "The guardian must be at least 18."),
    _r(r"监护人(?P<rest>(?:身份证号码|请填写身份证号码|这是15位).*)", "Guardian: {rest}",
       rest=_nested),
    _r(r"未成年人须取得监护人同意", "A minor needs the guardian's consent."),
    _r(r"不能从“(?P<a>.+)”改为“(?P<b>.+)”", "The status cannot change from {a} to {b}.",
       a=_volunteer_status, b=_volunteer_status),
    _r(r"请填写原因", "Please enter a reason."),
    # --- registration (app/services/volunteers/registration.py)
    _r(r"该证件号码已登记：(?P<number>\S+) (?P<name>.+)（(?P<status>[^（）]+)），"
       r"请打开该记录修改，不要重复登记",
       "This ID number is already registered: {number} {name} ({status}). "
       "Open that record to change it instead of registering again.",
       status=_volunteer_status),
    _r(r"证件号码重复", "This ID number is already registered."),
    _r(r"找不到志愿者（(?:编号|内部编号)?(?P<id>.+)）", "Volunteer not found ({id})."),
    _r(r"找不到志愿者编号(?P<number>.+)", "No volunteer numbered {number}."),
    _r(r"该记录已被其他人修改，请重新打开后再编辑",
       "Someone else changed this record meanwhile; reopen it to edit."),
    _r(r"该记录已被其他人修改，请重新打开后再操作",
       "Someone else changed this record meanwhile; reopen it and try again."),
    _r(r"照片不能超过2 MB，请压缩后再上传",
       "The photo cannot be larger than 2 MB; please compress it first."),
    _r(r"照片须为JPEG或PNG格式", "The photo must be a JPEG or PNG file."),
    # --- importing volunteers (app/services/volunteers/importing.py, import_columns.py)
    _r(r"身份证号码与第(?P<other>\d+)行（(?P<name>.*)）相同，同一人只能登记一次",
       "Same ID number as row {other} ({name}); a person can be registered only once."),
    _r(r"该证件号码已登记：(?P<who>.+)，不能重复登记",
       "This ID number is already registered: {who}.", who=_who),
    _r(r"该证件号码属于已合并的记录(?P<number>\S+) (?P<name>.+)，请在保留的记录上修改",
       "This ID number belongs to the merged record {number} {name}; "
       "change the record that was kept."),
    _r(r"读取文件之后，第(?P<row>\d+)行的志愿者(?P<who>.+)已被修改，未导入任何数据，请重新读取文件",
       "Volunteer {who} (row {row}) was changed after the file was read; nothing was "
       "imported. Please read the file again."),
    _r(r"第(?P<row>\d+)行更新(?P<who>.+?)后不符合规则（(?P<why>.+)），未导入任何数据",
       "Row {row}: the update of {who} breaks the rules ({why}); nothing was imported.",
       why=_nested),
    _r(r"导入期间有人登记了相同证件号码的志愿者，未导入任何数据，请重新读取文件",
       "Someone registered a volunteer with the same ID number during the import; nothing "
       "was imported. Please read the file again."),
    _r(r"读取之后已有(?P<n>\d+)人被登记（(?P<sample>.+)），未导入任何数据，请重新读取文件",
       "{n} of these people were registered after the file was read ({sample}); nothing "
       "was imported. Please read the file again.",
       sample=lambda text: text.replace("、", ", ")),
    _r(r"身份证号码被Excel存成了数字，后几位已丢失（显示为(?P<shown>.+)）："
       r"请把该列设为文本格式后重新填写号码",
       "Excel stored the ID number as a number and its last digits are lost (shown as "
       "{shown}); set the column to text and enter the number again."),
    _r(r"(?P<what>.+?)应填“是”或“否”，现在是“(?P<value>.*)”",
       "{what} must be yes or no (Y or N), not “{value}”.", what=_label),
    # --- reading a sheet (app/services/common/sheet_reading.py, import_preview.py)
    _r(r"(?P<what>.+?)“(?P<value>.*)”不是日期", "{what} “{value}” is not a date.",
       what=_label),
    _r(r"(?P<what>.+?)“(?P<value>.*)”无法识别，请写成2026-07-01这样的日期",
       "{what} “{value}” is not recognised; write a date such as 2026-07-01.", what=_label),
    _r(r"找不到文件：(?P<path>.+)", "File not found: {path}"),
    _r(r"不支持的文件类型“(?P<suffix>.*)”，请选择Excel文件（\.xlsx）",
       "Files of type “{suffix}” cannot be read; please choose an Excel file (.xlsx)."),
    _r(r"文件被占用，无法读取：(?P<name>.+)（请先在Excel中关闭它）",
       "{name} is in use and cannot be read (close it in Excel first)."),
    _r(r"无法读取(?P<name>.+?)：文件已损坏、有密码保护或不是Excel表格（(?P<detail>.*)）",
       "{name} cannot be read: the file is damaged, password-protected or not an Excel "
       "sheet ({detail})."),
    _r(r"(?P<name>.+?)中的表格列数过多（(?P<n>\d+)列），最多(?P<max>\d+)列："
       r"请删除表格右侧多余的列（或远处单元格里的内容）后重新导入",
       "The sheet in {name} has too many columns ({n}; at most {max}): delete the extra "
       "columns on the right (or content in far-away cells) and import again."),
    _r(r"(?P<name>.+?)中的表格过大（(?P<rows>\d+)行×(?P<cols>\d+)列）："
       r"请删除多余的行和列，或分成几个文件导入",
       "The sheet in {name} is too large ({rows} rows × {cols} columns): delete extra rows "
       "and columns, or split it into several files."),
    _r(r"工作表“(?P<sheet>.+)”第(?P<row>\d+)行的表头缺少：(?P<missing>.+)",
       "The header in row {row} of sheet “{sheet}” lacks: {missing}.", missing=_labels),
    _r(r"在(?P<name>.+?)中找不到表头：需要一行同时含有(?P<wanted>(?:“[^”]*”)+)等列名",
       "No header row found in {name}: one row must hold columns such as {wanted}.",
       wanted=_quoted_labels),
    _r(r"有(?P<n>\d+)行存在问题，未导入任何数据；请修改后重新读取，或选择跳过有问题的行",
       "{n} rows have problems; nothing was imported. Correct them and read the file "
       "again, or choose to skip the rows with problems."),
    _r(r"没有可以导入的行", "There are no rows to import."),
    # --- cards at the kiosk (app/domain/card_token.py, app/services/cards/)
    _r(r"未读到卡片内容，请重新扫码", "Nothing was read from the card; please scan again."),
    _r(r"无法识别的二维码：不是本系统的志愿者证",
       "Unrecognised QR code: not a volunteer card of this centre."),
    _r(r"志愿者证校验失败：二维码被改动、伪造，或是其他单位发放的证件",
       "Card check failed: the QR code was altered or forged, or the card is from "
       "another organisation."),
    _r(_NAME_NUMBER + r"已退出志愿者队伍，此证不再有效",
       "{name} ({number}) has left the volunteer team; this card is no longer valid."),
    _r(_NAME_NUMBER + r"的志愿者资格已暂停，请联系工作人员",
       "{name} ({number}) is suspended as a volunteer; please see a staff member."),
    _r(r"(?P<number>.+?)已合并到其他记录，此证已作废，请补发新证",
       "{number} was merged into another record; this card is void. Please issue a new "
       "card."),
    _r(r"登记簿中没有编号为(?P<number>.+)的志愿者",
       "No volunteer numbered {number} in the register."),
    _r(r"(?P<name>.+)的第(?P<serial>\d+)张志愿者证没有发放记录，请联系工作人员补发",
       "{name}'s card no. {serial} was never issued; please ask a staff member for a new "
       "card."),
    _r(r"此证已作废(?:（(?P<why>.*)）)?：(?P<name>.+)的志愿者证已挂失或补发，请使用最新的证件",
       "This card is void{why}: {name}'s card was reported lost or replaced; please use "
       "the newest card.", why=_in_brackets),
    # --- scans and manual hours (app/services/hours/records.py, app/domain/hours.py)
    _r(r"找不到服务记录（(?P<id>.+)）", "Service record not found ({id})."),
    _r(r"找不到活动（(?P<id>.+)）", "Activity not found ({id})."),
    _r(_NAME_NUMBER + r"(?P<status>暂停|已退出|已合并)，不能记录服务时长",
       "{name} ({number}) is {status}; no hours can be recorded.",
       status=_volunteer_status),
    _r(r"活动“(?P<activity>.+)”(?P<status>进行中|已结束|已取消)，不能扫码",
       "Activity “{activity}” is {status}; cards cannot be scanned for it.",
       status=_activity_status),
    _r(r"(?P<name>.+) 重复扫码，已忽略", "{name}: scanned again, ignored."),
    _r(r"(?P<name>.+) 签退成功：(?P<minutes>.+?)，待审核(?:（已达每日上限(?P<cap>.+)）)?",
       "{name} checked out: {minutes}, awaiting approval{cap}.", minutes=_minutes,
       cap=lambda text: f" (daily limit of {_minutes(text)} reached)" if text else ""),
    _r(r"(?P<name>.+) 已签退：在场时间不足活动时长的(?P<share>\d+)%，本次不计时长",
       "{name} checked out: present for less than {share}% of the activity, so no hours "
       "count this time."),
    _r(r"(?P<name>.+) 已签退：与其他服务记录时间重叠，本次不计时长，请联系工作人员",
       "{name} checked out: the time overlaps another service record, so no hours count; "
       "please see a staff member."),
    _r(r"(?P<name>.+?)在“(?P<activity>.+)”签到后尚未签退，请先在该活动签退",
       "{name} checked in at “{activity}” and has not checked out; check out there first."),
    _r(r"(?P<name>.+) 签到成功：(?P<activity>.+)", "{name} checked in: {activity}"),
    _r(r"活动“(?P<activity>.+)”已取消，不能补录服务时长",
       "Activity “{activity}” was cancelled; no hours can be added to it."),
    _r(r"活动“(?P<activity>.+)”人数已满（上限(?P<cap>\d+)人，已有(?P<n>\d+)人）"
       r"(?P<more>，不能再补录其他人)?",
       "Activity “{activity}” is full ({n} of {cap} places taken){more}.",
       more=lambda text: "; no one else can be added" if text else ""),
    _r(r"请填写驳回原因", "Please enter the reason for rejecting."),
    _r(r"请填写冲正原因", "Please enter the reason for the reversal."),
    _r(r"冲正记录不能再冲正", "A reversal cannot itself be reversed."),
    _r(r"只有已通过的记录需要冲正；未审核的记录请直接驳回",
       "Only approved records need a reversal; reject a pending record instead."),
    _r(r"该记录已冲正，不能重复冲正", "This record has already been reversed."),
    _r(r"统计方式应为志愿者、活动、社区或月份",
       "Group by volunteer, activity, community or month."),
    _r(r"时间“(?P<text>.*)”格式不正确，应为 YYYY-MM-DD HH:MM",
       "Time “{text}” is not valid; use YYYY-MM-DD HH:MM."),
    _r(r"星级门槛应为以逗号分隔的整数小时数，如 100,300,600",
       "Star thresholds are whole hours separated by commas, such as 100,300,600."),
    _r(r"星级门槛须为递增的正整数小时数",
       "Star thresholds must be rising whole numbers of hours above 0."),
    _r(r"请填写活动名称", "Please enter the activity name."),
    _r(r"请填写开始时间", "Please enter the start time."),
    _r(r"请填写结束时间", "Please enter the end time."),
    _r(r"人数上限须为正整数（不限请留空）",
       "The capacity must be a whole number above 0 (leave it empty for no limit)."),
    _r(r"项目编号不正确", "The project number is not valid."),
    _r(r"结束时间须晚于开始时间", "The end must be after the start."),
    _r(r"活动须在开始当天或次日结束", "An activity must end on the day it starts or the next."),
    _r(r"活动时长不能超过24小时", "An activity cannot last more than 24 hours."),
    _r(r"扫码时间早于签到时间，请检查本机时钟",
       "The scan is earlier than the check-in; please check this computer's clock."),
    _r(r"活动尚未开始，开始前(?P<margin>.+)内才能签到",
       "The activity has not started; check-in opens {margin} before the start.",
       margin=_minutes),
    _r(r"活动(?P<at>" + _HM + r")才开始，已提前签到，时长从活动开始计算",
       "The activity starts at {at}; checked in early, hours count from the start."),
    _r(r"活动已结束，不能再签到", "The activity is over; check-in is closed."),
    _r(r"活动已于(?P<at>" + _HM + r")结束，仍已签到，请向工作人员确认",
       "The activity ended at {at}; checked in anyway, please confirm with a staff member."),
    _r(r"活动结束已超过(?P<margin>.+)，不能签退，请联系工作人员处理",
       "The activity ended more than {margin} ago; check-out is closed, please see a staff "
       "member.", margin=_minutes),
    _r(r"活动结束已超过(?P<margin>.+)，仍已签退，时长只计到(?P<at>" + _HM + r")",
       "The activity ended more than {margin} ago; checked out anyway, hours count until "
       "{at}.", margin=_minutes),
    _r(r"请填写服务内容", "Please describe the service."),
    _r(r"服务内容不能超过500个字", "The description cannot be longer than 500 characters."),
    _r(r"结束时间须晚于开始时间（至少1分钟）",
       "The end must be at least 1 minute after the start."),
    _r(r"不能录入尚未发生的服务时间", "Hours that have not happened yet cannot be entered."),
    _r(r"补录时长(?P<minutes>.+?)超过活动时长(?P<length>.+?)，请核对",
       "{minutes} is longer than the activity ({length}); please check.",
       minutes=_minutes, length=_minutes),
    _r(r"当天已记录(?P<used>.+?)，每日上限(?P<cap>.+?)，最多还可补录(?P<room>.+)",
       "{used} already recorded that day; the daily limit is {cap}, so at most {room} more "
       "can be added.", used=_minutes, cap=_minutes, room=_minutes),
    _r(r"与“(?P<activity>.+)”的服务记录（(?P<start>\d{4}-\d\d-\d\d " + _HM + r")–"
       r"(?P<until>" + _HM + r"|尚未签退)）时间重叠，同一志愿者的服务时间不能重叠",
       "The time overlaps the service record at “{activity}” ({start}–{until}); one "
       "volunteer's service times cannot overlap.",
       until=lambda text: "not checked out" if text == "尚未签退" else text),
    # --- points and the shop (app/services/points/ledger.py, shop.py)
    _r(r"积分余额不足（可能另一窗口刚刚使用了积分），未做任何更改，请刷新后重试",
       "Not enough points (another window may just have used them); nothing was changed. "
       "Please refresh and try again."),
    _r(r"积分不足：当前余额(?P<balance>-?\d+)分，需要(?P<need>\d+)分",
       "Not enough points: {need} needed, {balance} available."),
    _r(r"积分不足：需要(?P<need>\d+)分，余额(?P<balance>-?\d+)分",
       "Not enough points: {need} needed, {balance} available."),
    _r(r"积分须为整数", "Points must be a whole number."),
    _r(r"积分须大于0", "Points must be more than 0."),
    _r(r"积分不能为0", "Points cannot be 0."),
    _r(r"(?P<number>\S+) (?P<name>.+)已合并到另一条记录，请在保留的记录上操作",
       "{number} {name} was merged into another record; use the record that was kept."),
    _r(r"找不到积分记录(?P<id>.+)", "Points entry {id} not found."),
    _r(r"兑换扣除的积分请在爱心超市撤销该兑换单（物品一并退回）",
       "Points spent in a redemption are given back by undoing the redemption in the shop "
       "(the goods go back too)."),
    _r(r"“(?P<kind>.+)”记录不能冲正，如需更正请做积分调整",
       "“{kind}” entries cannot be reversed; make a points adjustment to correct them.",
       kind=_entry_kind),
    _r(r"积分记录(?P<id>.+)已冲正过，不能重复冲正", "Points entry {id} was already reversed."),
    _r(r"找不到物品(?P<id>.+)", "Item {id} not found."),
    _r(r"已有名为“(?P<name>.+)”的物品", "There is already an item named “{name}”."),
    _r(r"该物品已被其他人修改，请重新打开后再编辑",
       "Someone else changed this item meanwhile; reopen it to edit."),
    _r(r"“(?P<name>.+)”库存不足（可能另一窗口刚刚取走），请刷新后重试",
       "Not enough “{name}” in stock (another window may just have taken it); please "
       "refresh and try again."),
    _r(r"“(?P<name>.+)”库存只有(?P<stock>\d+)(?P<unit>.*?)，不能报损(?P<qty>\d+)(?P=unit)",
       "Only {stock} {unit} of “{name}” in stock; {qty} cannot be written off."),
    _r(r"请至少选择一件物品", "Please choose at least one item."),
    _r(_NAME_NUMBER + r"状态为“(?P<status>.+)”，不能兑换",
       "{name} ({number}) is {status} and cannot redeem.", status=_volunteer_status),
    _r(r"累计服务满(?P<hours>\d+)小时后才能兑换（目前(?P<now>[\d.]+)小时）",
       "Redeeming needs {hours} hours of service ({now} so far)."),
    _r(r"“(?P<name>.+)”已下架", "“{name}” is no longer offered."),
    _r(r"“(?P<name>.+)”库存不足：需要(?P<qty>\d+)(?P<unit>.*?)，库存(?P<stock>\d+)(?P=unit)",
       "Not enough “{name}” in stock: {qty} needed, {stock} available."),
    _r(r"兑换单(?P<number>.+)已撤销，不能重复撤销",
       "Redemption {number} has already been undone."),
    _r(r"找不到兑换单(?P<id>.+)", "Redemption {id} not found."),
    *AREA_RENDERINGS,
    # --- generic shapes last: a more specific sentence above wins
    _r(r"(?P<label>.+?)须为大于0的整数", "{label} must be a whole number above 0.",
       label=_label),
    _r(r"(?P<label>.+?)不能超过(?P<limit>\d+)", "{label} cannot be more than {limit}.",
       label=_label),
    _r(r"请填写(?P<label>.+)", "Please fill in: {label}.", label=_label),
)


# ---------------------------------------------------------------- matching

def _match(message: str) -> tuple[Rendering, re.Match[str]] | None:
    for rendering in RENDERINGS:
        match = rendering.pattern.fullmatch(message)
        if match is not None:
            return rendering, match
    return None


def _english(message: str, used: set[str] | None) -> str:
    if not message.strip():
        return message
    if "\n" in message:   # FormErrors shown together: one message a line
        return "\n".join(_english(part, used) for part in message.split("\n"))
    parts = message.split("；")
    # Reasons joined by "；" (PointsError, a scan's warnings) are rendered one by one when
    # each is a known sentence; else the whole may be one sentence with a "；" inside.
    if len(parts) > 1 and all(_match(part) is not None for part in parts):
        return " ".join(_english(part, used) for part in parts)
    found = _match(message)
    if found is not None:
        rendering, match = found
        if used is not None:
            used.add(rendering.pattern.pattern)
            for name, value in match.groupdict().items():
                if value and rendering.convert.get(name) is _nested:
                    _english(value, used)
        return rendering.render(match)
    if len(parts) > 1:
        return " ".join(_english(part, used) for part in parts)
    if message not in _missed:
        _missed.add(message)
        log.debug("no English rendering for service message: %s", message)
    return message
