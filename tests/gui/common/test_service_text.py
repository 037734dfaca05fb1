"""Service and domain messages in the English interface: real validations through the
domain and the services come out in English (user data kept as typed), the volunteer editor
shows an English error at its field, Chinese is left alone, and no pattern is dead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from app.domain import hours as rules
from app.domain.errors import DuplicateError, FormErrors, ValidationError
from app.domain.hours import ActivityDraft, HoursPolicy
from app.domain.idcard import check_character, parse_id_number
from app.domain.phone import normalize_phone
from app.domain.volunteer import Status, VolunteerDraft, check_status_change
from app.services.cards import checkin
from app.services.cards import issuing as cards
from app.services.common.sheet_reading import ImportFileError
from app.services.hours import activities
from app.services.points import ledger as points
from app.services.points import shop
from app.services.volunteers import importing
from app.services.volunteers import registration as volunteers
from app.ui.common import service_text
from app.ui.common.service_text import shown
from tests.gui.common.english import english_of

# Ideographs, CJK punctuation and full-width forms: none may be left in English text.
TODAY = dt.date(2026, 7, 1)

Sample = tuple[str, tuple[str, ...]]   # a Chinese message, the user data inside it






def resident_id(birth: dt.date, seq: int = 1) -> str:
    first17 = f"110105{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def _refusals(call: Callable[[], object], *typed: str) -> list[Sample]:
    try:
        call()
    except FormErrors as exc:
        return [(text, typed) for text in exc.errors.values()]
    except (ValidationError, DuplicateError, ImportFileError) as exc:
        return [(getattr(exc, "message", None) or str(exc), typed)]
    raise AssertionError(f"{call} raised nothing")


def domain_messages() -> list[Sample]:
    """Messages made by the real domain rules (no register needed)."""
    out: list[Sample] = []
    for number in ("11010519491231002\u0663", "", "1.10105E+17", "110105491231002",
                   "11010519491231002", "11010519491231002A", "990105194912310021",
                   "110105194913310021", "110105290012310021", "110105194912310021"):
        out += _refusals(lambda n=number: parse_id_number(n, TODAY))
    for phone in ("138\u0663", "", "8765432", "12345"):
        out += _refusals(lambda p=phone: normalize_phone(p), "8765432", "12345")
    adult = resident_id(dt.date(1990, 1, 1))
    female = resident_id(dt.date(1990, 1, 1), 2)
    minor = resident_id(dt.date(2011, 5, 1))
    drafts = (
        (VolunteerDraft(name="", sex="未知", id_type="bogus", phone=""), ("未知",)),
        (VolunteerDraft(name="张三", id_type="passport", id_number="E12\u0663",
                        birth_date=TODAY + dt.timedelta(days=1), phone="13800138000"), ()),
        (VolunteerDraft(name="张三", id_type="passport", id_number="E1",
                        birth_date=dt.date(1990, 1, 1), phone="13800138000"), ()),
        (VolunteerDraft(name="李娜", id_number=female, sex="男", phone="13800138000",
                        registered_on=TODAY + dt.timedelta(days=1)), ()),
        (VolunteerDraft(name="张" * 41, id_number=adult, phone="13800138000",
                        remarks="备注\x01"), ("张" * 41,)),
        (VolunteerDraft(name="小明", id_number=resident_id(dt.date(2023, 1, 1)),
                        phone="13800138000"), ()),
        (VolunteerDraft(name="小明", id_number=minor, phone="13800138000"), ()),
        (VolunteerDraft(name="小明", id_number=minor, phone="13800138000",
                        guardian_name="王芳", guardian_phone="12345",
                        guardian_id_number="110105194912310021"), ("12345",)),
        (VolunteerDraft(name="小明", id_number=minor, phone="13800138000",
                        guardian_name="王芳", guardian_phone="13900139000",
                        guardian_id_number=resident_id(dt.date(2012, 1, 1)),
                        guardian_consent=True), ()),
    )
    for draft, typed in drafts:
        out += _refusals(lambda d=draft: d.validated(today=TODAY), *typed)
    out += _refusals(lambda: check_status_change(Status.WITHDRAWN, Status.SUSPENDED, "x"))
    out += _refusals(lambda: check_status_change(Status.ACTIVE, Status.SUSPENDED, ""))

    start = dt.datetime(2026, 7, 1, 9)
    out += _refusals(lambda: ActivityDraft(name="", capacity=0, project_id=-1).validated())
    for end in (start, start + dt.timedelta(days=2), start + dt.timedelta(hours=25)):
        out += _refusals(lambda e=end: ActivityDraft(name="义诊", starts_at=start,
                                                     ends_at=e).validated(), "义诊")
    out += _refusals(lambda: ActivityDraft(name="义诊", starts_at=start, ends_at=start,
                                           place="地\x02").validated(), "义诊")
    end = start + dt.timedelta(hours=3)
    policy = HoursPolicy()
    now = dt.datetime(2026, 7, 2)
    manual = (
        (None, None, ""), (start, start, "陪伴"), (start, now + dt.timedelta(hours=1), "陪伴"),
        (start, start + dt.timedelta(hours=4), "陪伴"), (start, start + dt.timedelta(hours=2),
                                                         "x" * 501),
    )
    for s, e, content in manual:
        out += _refusals(lambda s=s, e=e, c=content: rules.validate_manual(
            s, e, start, end, c, 0, now, policy))
    out += _refusals(lambda: rules.validate_manual(start, end, start, end, "陪伴", 600, now,
                                                   policy))
    out += _refusals(lambda: rules.scan_action(start, start, start - dt.timedelta(hours=1),
                                               policy))
    warn = HoursPolicy(outside_window="warn")
    early, late = start - dt.timedelta(hours=3), end + dt.timedelta(hours=3)
    for p in (policy, warn):
        for action, at in (("check_in", early), ("check_in", end), ("check_out", late)):
            try:
                text = rules.check_scan_time(action, at, start, end, p)
            except ValidationError as exc:
                text = exc.message
            out.append((text, ()))
    out.append((rules.overlap_message("义诊", start, None), ("义诊",)))
    out.append((rules.overlap_message("义诊", start, end), ("义诊",)))
    out.append((rules.capacity_message("义诊", 5, 5), ("义诊",)))
    out.append((rules.capacity_message("义诊", 5, 5) + "，不能再补录其他人", ("义诊",)))
    try:
        rules.parse_local_datetime("明天上午")
    except ValidationError as exc:
        out.append((exc.message, ("明天上午",)))
    for thresholds in ("一百", "300,100"):
        out += _refusals(lambda t=thresholds: rules.StarPolicy.parse(t))
    return out


# Real messages of services that need a particular register state, as the services word
# them (and what is user data in each); the register-driven tests below produce the others.
SAMPLES: list[Sample] = [
    ("该证件号码已登记：V00000012 张三（在册），请打开该记录修改，不要重复登记", ("张三",)),
    ("证件号码重复", ()),
    ("找不到志愿者（编号12）", ()), ("找不到志愿者编号V00000099", ()),
    ("找不到志愿者（内部编号[7, 8]）", ()), ("找不到志愿者（12）", ()),
    ("该记录已被其他人修改，请重新打开后再编辑", ()),
    ("该记录已被其他人修改，请重新打开后再操作", ()),
    ("照片不能超过2 MB，请压缩后再上传", ()), ("照片须为JPEG或PNG格式", ()),
    ("该证件号码属于已合并的记录V00000003 张三，请在保留的记录上修改", ("张三",)),
    ("读取文件之后，第4行的志愿者V00000003 张三已被修改，未导入任何数据，请重新读取文件",
     ("张三",)),
    ("第4行更新V00000003 张三后不符合规则（请填写手机号码；未成年人须取得监护人同意），"
     "未导入任何数据", ("张三",)),
    ("导入期间有人登记了相同证件号码的志愿者，未导入任何数据，请重新读取文件", ()),
    ("读取之后已有2人被登记（V00000003 张三、V00000004 李四），未导入任何数据，请重新读取文件",
     ("张三", "李四")),
    ("身份证号码被Excel存成了数字，后几位已丢失（显示为1.10105E+17）："
     "请把该列设为文本格式后重新填写号码", ()),
    ("出生日期“45000000”不是日期", ()),
    ("文件被占用，无法读取：名单.xlsx（请先在Excel中关闭它）", ("名单",)),
    ("无法读取名单.xlsx：文件已损坏、有密码保护或不是Excel表格（bad zip）", ("名单",)),
    ("名单.xlsx中的表格列数过多（20000列），最多16384列："
     "请删除表格右侧多余的列（或远处单元格里的内容）后重新导入", ("名单",)),
    ("名单.xlsx中的表格过大（900000行×40列）：请删除多余的行和列，或分成几个文件导入",
     ("名单",)),
    ("工作表“花名册”第2行的表头缺少：联系电话、所属社区", ("花名册",)),
    ("有3行存在问题，未导入任何数据；请修改后重新读取，或选择跳过有问题的行", ()),
    ("没有可以导入的行", ()),
    ("张三（V00000003）已退出志愿者队伍，此证不再有效", ("张三",)),
    ("V00000003已合并到其他记录，此证已作废，请补发新证", ()),
    ("登记簿中没有编号为V00000099的志愿者", ()),
    ("张三的第2张志愿者证没有发放记录，请联系工作人员补发", ("张三",)),
    ("此证已作废：张三的志愿者证已挂失或补发，请使用最新的证件", ("张三",)),
    ("找不到服务记录（12）", ()), ("找不到活动（12）", ()),
    ("张三（V00000003）已退出，不能记录服务时长", ("张三",)),
    ("活动“义诊”已结束，不能扫码", ("义诊",)),
    ("张三 签退成功：12小时，待审核（已达每日上限12小时）", ("张三",)),
    ("张三 已签退：在场时间不足活动时长的60%，本次不计时长", ("张三",)),
    ("张三 已签退：与其他服务记录时间重叠，本次不计时长，请联系工作人员", ("张三",)),
    ("张三在“义诊”签到后尚未签退，请先在该活动签退", ("张三", "义诊")),
    ("活动“义诊”已取消，不能补录服务时长", ("义诊",)),
    ("请填写驳回原因", ()), ("请填写冲正原因", ()), ("冲正记录不能再冲正", ()),
    ("只有已通过的记录需要冲正；未审核的记录请直接驳回", ()),
    ("该记录已冲正，不能重复冲正", ()), ("统计方式应为志愿者、活动、社区或月份", ()),
    ("积分余额不足（可能另一窗口刚刚使用了积分），未做任何更改，请刷新后重试", ()),
    ("积分不足：当前余额100分，需要132分", ()),
    ("积分须为整数", ()), ("积分须大于0", ()), ("积分不能为0", ()),
    ("V00000003 张三已合并到另一条记录，请在保留的记录上操作", ("张三",)),
    ("找不到积分记录12", ()),
    ("兑换扣除的积分请在爱心超市撤销该兑换单（物品一并退回）", ()),
    ("“服务获得”记录不能冲正，如需更正请做积分调整", ()),
    ("积分记录12已冲正过，不能重复冲正", ()),
    ("找不到物品12", ()), ("已有名为“大米”的物品", ("大米",)),
    ("该物品已被其他人修改，请重新打开后再编辑", ()),
    ("“大米”库存不足（可能另一窗口刚刚取走），请刷新后重试", ("大米",)),
    ("“大米”库存只有2袋，不能报损5袋", ("大米", "袋")),
    ("请至少选择一件物品", ()),
    ("张三（V00000003）状态为“暂停”，不能兑换", ("张三",)),
    ("累计服务满10小时后才能兑换（目前2.5小时）", ()),
    ("“大米”已下架", ("大米",)),
    ("兑换单R2026000012已撤销，不能重复撤销", ()), ("找不到兑换单12", ()),
    ("兑换数量须为大于0的整数", ()), ("入库数量不能超过1000000", ()),
    ("请填写报损原因", ()),
    # what the register-driven tests below produce, for the dead-pattern check
    ("张三 签到成功：社区义诊", ("张三", "社区义诊")), ("张三 重复扫码，已忽略", ("张三",)),
    ("张三（V00000003）的志愿者资格已暂停，请联系工作人员", ("张三",)),
    ("监护人同意应填“是”或“否”，现在是“也许”", ("也许",)),
    ("“大米”库存不足：需要3袋，库存1袋", ("大米", "袋")),
    ("积分不足：需要132分，余额100分", ()),
    ("登记日期“下个月”无法识别，请写成2026-07-01这样的日期", ("下个月",)),
    ("身份证号码与第3行（赵一）相同，同一人只能登记一次", ("赵一",)),
    ("该证件号码已登记：V00000003 张三（在册），不能重复登记", ("张三",)),
    ("找不到文件：/tmp/名单.xlsx", ("名单",)),
    ("不支持的文件类型“.txt”，请选择Excel文件（.xlsx）", ()),
    ("在空表.xlsx中找不到表头：需要一行同时含有“姓名”“身份证号码”“联系电话”等列名", ("空表",)),
    ("无法识别的二维码：不是本系统的志愿者证", ()),
    ("志愿者证校验失败：二维码被改动、伪造，或是其他单位发放的证件", ()),
    ("未读到卡片内容，请重新扫码", ()),
    ("此证已作废（遗失）：张三的志愿者证已挂失或补发，请使用最新的证件", ("张三", "遗失")),
]


# ---------------------------------------------------------------- (c) Chinese: identity

def test_chinese_interface_shows_messages_unchanged() -> None:
    assert service_text.language() == "zh_CN"
    for message, _typed in [*domain_messages(), *SAMPLES]:
        assert shown(message) == message
    assert service_text.shown_duration("2小时30分") == "2小时30分"


# ---------------------------------------------------------------- (a) English, no register

def test_domain_validations_read_in_english(english: None) -> None:
    samples = domain_messages()
    assert len(samples) > 50
    for message, typed in samples:
        english_of(message, *typed)
    assert english_of("身份证号码应为18位，现在是17位") == \
        "ID number has 17 characters; it needs 18."
    assert english_of("积分不足：需要132分，余额100分") == \
        "Not enough points: 132 needed, 100 available."


def test_listed_service_messages_read_in_english(english: None) -> None:
    for message, typed in SAMPLES:
        english_of(message, *typed)
    assert english_of("张三 签退成功：2小时30分，待审核", "张三") == \
        "张三 checked out: 2 h 30 min, awaiting approval."
    assert service_text.shown_duration("45分钟") == "45 min"


def test_an_unknown_message_is_left_as_it_is(english: None) -> None:
    assert shown("这句话没有译文") == "这句话没有译文"
    assert shown("") == ""


def test_every_pattern_renders_a_real_message() -> None:
    used: set[str] = set()
    for message, _typed in [*domain_messages(), *SAMPLES]:
        used |= service_text.renderings_used(message)
    # The organization and project rows have their own check (test_service_text_areas.py).
    dead = {r.pattern.pattern for r in service_text.RENDERINGS
            if r not in service_text.AREA_RENDERINGS} - used
    assert not dead, sorted(dead)


# ---------------------------------------------------------------- (a) English, real register

def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["志愿者花名册"])
    sheet.append(["序号", "姓名", "身份证号码", "联系电话", "登记日期", "监护人同意"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_problems_read_in_english(register, english, tmp_path) -> None:
    taken = resident_id(dt.date(1985, 3, 3), 7)
    volunteers.register(VolunteerDraft(name="周杰", id_number=taken, phone="13700137000"))
    good = resident_id(dt.date(1990, 1, 1), 5)
    path = _sheet(tmp_path / "名单.xlsx", [
        [1, "赵一", good, "13800138000", "", ""],
        [2, "钱二", "11010519491231002", "13800138001", "", ""],
        [3, "孙三", resident_id(dt.date(1991, 2, 2)), "12345", "", ""],
        [4, "李四", good, "13800138002", "", ""],
        [5, "周杰", taken, "13700137000", "", ""],
        [6, "吴六", resident_id(dt.date(2012, 6, 6)), "13800138003", "", ""],
        [7, "郑七", resident_id(dt.date(1992, 3, 3)), "13800138004", "下个月", ""],
        [8, "王八", resident_id(dt.date(1993, 4, 4)), "13800138005", "", "也许"],
        [9, "冯九", 110105199001010000, "13800138006", "", ""],
    ])
    preview = importing.read(path, today=TODAY)
    reasons = [p.reason for p in preview.problems]
    assert len(reasons) >= 8
    names = ("赵一", "钱二", "孙三", "李四", "周杰", "吴六", "郑七", "王八", "冯九")
    shown_reasons = [english_of(r, *names, "下个月", "也许") for r in reasons]
    assert "ID number has 17 characters; it needs 18." in shown_reasons
    assert any(s.startswith("Same ID number as row 3 (赵一)") for s in shown_reasons)
    assert any("already registered" in s and "(active)" in s for s in shown_reasons)

    for bad, typed in ((tmp_path / "无.xlsx", ("无",)), (tmp_path / "名单.txt", ("名单",))):
        if bad.suffix == ".txt":
            bad.write_text("x")
        for message, _ in _refusals(lambda b=bad: importing.read(b)):
            english_of(message, str(tmp_path), *typed)
    headless = Workbook()
    assert headless.active is not None
    headless.active.append(["甲", "乙"])
    headless.save(tmp_path / "空表.xlsx")
    [(message, _)] = _refusals(lambda: importing.read(tmp_path / "空表.xlsx"))
    assert english_of(message, "空表").endswith("“Name”, “ID number”, “Phone”.")


def test_registering_twice_reads_in_english(register, english) -> None:
    number = resident_id(dt.date(1988, 8, 8))
    volunteers.register(VolunteerDraft(name="陈红", id_number=number, phone="13800138000"))
    [(message, _)] = _refusals(lambda: volunteers.register(
        VolunteerDraft(name="陈红", id_number=number, phone="13800138000")))
    assert "already registered" in english_of(message, "陈红")


def test_kiosk_results_read_in_english(register, english) -> None:
    at = dt.datetime(2026, 3, 1, 9)
    aid = activities.create(ActivityDraft(name="社区义诊", starts_at=at,
                                          ends_at=at + dt.timedelta(hours=3))).id
    people = []
    for seq, name in enumerate(("刘一", "陈二", "杨三"), start=1):
        vid = volunteers.register(VolunteerDraft(
            name=name, id_number=resident_id(dt.date(1980, 1, 1), seq),
            phone="13800138000")).id
        cards.issue(vid)
        people.append((vid, cards.payload_for(vid)))
    typed = ("刘一", "陈二", "杨三", "社区义诊", "遗失")
    (_first, payload), (second, old), (third, payload3) = people
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    cards.reissue(second, "遗失")
    volunteers.change_status(third, Status.SUSPENDED, "外出")
    results = [checkin.scan(text, aid, at=at + dt.timedelta(minutes=5))
               for text in ("", "HELLO", forged, old, payload3)]
    assert not any(r.accepted for r in results)
    results += [checkin.scan(payload, aid, at=at + dt.timedelta(minutes=m))
                for m in (5, 5, 150)]
    results.append(checkin.scan(payload, aid, at=at - dt.timedelta(hours=5)))
    assert [r.kind for r in results[5:8]] == ["checked_in", "repeat", "checked_out"]
    for result in results:
        english_of(result.message, *typed)
        english_of(result.warning, *typed)
    assert shown(results[7].message) == "刘一 checked out: 2 h 25 min, awaiting approval."


def test_shop_refusals_read_in_english(register, english) -> None:
    vid = volunteers.register(VolunteerDraft(
        name="黄蓉", id_number=resident_id(dt.date(1990, 9, 9)), phone="13800138000")).id
    points.bonus(vid, 100, "测试积分")
    rice = shop.create_good("大米", 132, "袋")
    shop.receive(rice.id, 1, "捐赠")
    [(message, _)] = _refusals(lambda: shop.redeem(vid, [(rice.id, 1)]))
    assert english_of(message, "大米") == "Not enough points: 132 needed, 100 available."
    [(message, _)] = _refusals(lambda: shop.redeem(vid, [(rice.id, 3)]))
    assert english_of(message, "大米") == (
        "Not enough “大米” in stock: 3 needed, 1 available. "
        "Not enough points: 396 needed, 100 available.")
    for call in (lambda: shop.create_good("", 5), lambda: shop.create_good("油", 0),
                 lambda: shop.write_off(rice.id, 5, "过期"), lambda: shop.redeem(vid, [])):
        for message, _ in _refusals(call):
            english_of(message, "大米", "袋")


# ---------------------------------------------------------------- (b) one real widget

def test_editor_in_english_shows_an_english_id_error(qtbot, page, english) -> None:
    editor = page.open_editor(None)
    assert editor is not None
    qtbot.keyClicks(editor.id_number, "11010519491231002")
    qtbot.keyClicks(editor.inputs["phone"], "13800138000")
    editor.save()
    assert editor.error_text("id_number") == "ID number has 17 characters; it needs 18."
