"""Realistic demo data: valid ID numbers, Chinese names, streets and communities.

Fast enough for a city-scale register (1,000,000 volunteers) because it writes through the
driver's bulk path and computes pinyin once per name part, not once per person.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from app.domain.idcard import check_character
from app.domain.pinyin import name_grams, name_keys
from app.domain.search import reversed_key
from app.domain.volunteer import POLITICAL_STATUSES, IdType, Status, format_volunteer_number
from app.services.common import audit, numbering
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.volunteers.registration import remember_areas
from app.store.db import bulk_insert, writing
from app.store.models import utcnow

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
    "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文",
    "华", "红", "玉兰", "建国", "志强", "海燕", "子涵", "梓萱", "浩然", "欣怡", "宇轩",
    "雨桐", "一诺", "思远", "晓东", "丹", "鑫", "婷", "俊", "鹏", "辉", "波", "斌",
    "宇", "浩", "凯", "佳", "琳", "晨", "瑶", "鹤", "嘉怡", "子轩", "梦琪", "诗涵",
    "明轩", "若曦", "晓峰", "春梅", "秋菊", "冬梅", "国庆", "卫东", "红梅", "金凤", "玉梅",
)
DISTRICT = "历下区"
AREA_CODES = ("370102", "370103", "370104", "370105", "370112", "110105", "320303", "440305")
STREET_NAMES = (
    "解放路", "千佛山", "趵突泉", "泉城路", "大明湖", "文东", "建新", "燕山", "姚家",
    "龙洞", "智远", "舜华路", "东关", "甸柳", "历山路",
)
COMMUNITY_PARTS = ("和平", "幸福", "阳光", "安康", "友谊", "光明", "锦绣", "翠苑", "花园", "新村")
SKILLS = ("医疗护理", "心理咨询", "法律咨询", "教育辅导", "文艺表演", "摄影摄像", "驾驶",
          "外语翻译", "计算机", "家电维修", "")
PREFERENCES = ("助老", "助残", "扶弱", "帮教", "环保", "文明劝导", "应急救援", "社区治理", "文化")


@dataclass(frozen=True)
class DemoResult:
    volunteers: int
    first_number: str
    last_number: str


def areas() -> list[tuple[str, str, str]]:
    """15 streets, 138 communities — the size of the district in DOMAIN.md."""
    result = []
    for i, street in enumerate(STREET_NAMES):
        per_street = 9 + (i % 3 == 0)  # 5 streets with 10, 10 with 9 = 140; trim to 138
        for j in range(per_street):
            part = COMMUNITY_PARTS[j % len(COMMUNITY_PARTS)]
            result.append((DISTRICT, f"{street}街道", f"{street[:2]}{part}社区"))
    return result[:138]


@cache
def _keys(name: str) -> tuple[str, str]:
    initials, full = name_keys(name)
    return initials, full.replace(" ", "")


def _name_keys(surname: str, given: str) -> tuple[str, str]:
    si, sf = _keys(surname)
    gi, gf = _keys(given)
    return si + gi, sf + gf


def _id_number(rng: random.Random, birth: dt.date, sex: str) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.randrange(0, 5) * 2 + (1 if sex == "M" else 0)
    first17 = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def _people(rng: random.Random, count: int, today: dt.date,
            area_list: list[tuple[str, str, str]]) -> Iterator[tuple]:
    seen: set[str] = set()
    made = 0
    start = today.toordinal()
    while made < count:
        surname = (rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01
                   else rng.choice(SURNAMES))
        given = rng.choice(GIVEN)
        if rng.random() < 0.3 and len(given) == 1:
            given += rng.choice(GIVEN)[0]
        name = surname + given
        sex = "M" if rng.random() < 0.45 else "F"
        age_days = int(rng.triangular(14 * 365, 80 * 365, 45 * 365))
        birth = dt.date.fromordinal(start - age_days)
        id_number = _id_number(rng, birth, sex)
        if id_number in seen:
            continue
        seen.add(id_number)
        made += 1
        initials, full = _name_keys(surname, given)
        district, street, community = rng.choice(area_list)
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        registered = dt.date.fromordinal(start - rng.randrange(0, 5 * 365))
        roll = rng.random()
        status = (Status.WITHDRAWN if roll < 0.03 else
                  Status.SUSPENDED if roll < 0.08 else Status.ACTIVE)
        minor = (today.year - birth.year) < 18
        guardian = (surname + rng.choice(GIVEN), phone) if minor else ("", "")
        if minor:
            g_birth = birth.replace(year=birth.year - 28)
            g_id = _id_number(rng, g_birth, "M")
        else:
            g_id = ""
        yield (name, initials, full, sex, id_number, birth, phone, district, street, community,
               rng.choice(SKILLS), "、".join(rng.sample(PREFERENCES, 2)),
               rng.choice(POLITICAL_STATUSES), guardian[0], g_id, guardian[1], minor,
               registered, str(status))


COLUMNS = ("number", "name", "name_initials", "name_pinyin", "sex", "id_type", "id_number",
           "birth_date", "phone", "district", "street", "community", "skills",
           "service_preferences", "available_time", "political_status", "education", "employer",
           "emergency_contact", "emergency_phone", "guardian_name", "guardian_id_number",
           "guardian_phone", "guardian_consent", "registered_on", "remarks", "status",
           "status_reason", "created_at", "updated_at", "version", "phone_rev",
           "id_number_rev")


def generate(count: int, seed: int = 1, state: ProgressState | None = None,
             today: dt.date | None = None, batch: int = 20_000) -> DemoResult:
    """Add `count` demo volunteers in batches; each batch is one transaction."""
    state = state or NullProgress()
    today = today or dt.date.today()
    rng = random.Random(seed)
    area_list = areas()
    with writing():
        remember_areas(set(area_list))
    people = _people(rng, count, today, area_list)
    done = 0
    first = last = ""
    now = utcnow()
    from app.store.models import Volunteer

    while done < count:
        check(state)
        size = min(batch, count - done)
        chunk = [next(people) for _ in range(size)]
        with writing():
            start = numbering.reserve(numbering.VOLUNTEER, size)
            rows = []
            for i, p in enumerate(chunk):
                (name, initials, full, sex, id_number, birth, phone, district, street, community,
                 skills, prefs, political, g_name, g_id, g_phone, consent, registered,
                 status) = p
                rows.append((
                    format_volunteer_number(start + i), name, initials, full, sex,
                    str(IdType.RESIDENT), id_number, birth, phone, district, street, community,
                    skills, prefs, "周末", political, "", "", "", "", g_name, g_id, g_phone,
                    consent, registered, "", status, "", now, now, 1,
                    reversed_key(phone), reversed_key(id_number)))
            bulk_insert("volunteer", COLUMNS, rows)
            id_of = {v.number: v.id for v in Volunteer.select(
                Volunteer.number, Volunteer.id).where(
                Volunteer.number.between(rows[0][0], rows[-1][0]))}
            bulk_insert("volunteer_name_gram", ("gram", "volunteer_id"),
                        ((g, id_of[r[0]]) for r in rows for g in name_grams(r[1])))
            audit.record("demo", "volunteer", f"{rows[0][0]}..{rows[-1][0]}", None,
                         {"count": size, "seed": seed})
        first = first or rows[0][0]
        last = rows[-1][0]
        done += size
        state.set_progress(done, count, "正在生成演示数据")
    return DemoResult(done, first, last)
