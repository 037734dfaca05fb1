"""Settings shared by every desk on a register (kept in the database): the center's
details for printouts and the local rules. Desk-only preferences live in the GUI's QSettings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.domain.errors import FormErrors, ValidationError
from app.domain.hours import StarPolicy
from app.domain.points import DEFAULT_CATEGORY, parse_rates
from app.domain.volunteer import MinorPolicy
from app.services.common import audit
from app.store.db import writing
from app.store.models import Setting

T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class SettingKey(Generic[T]):
    key: str
    default: T
    description: str

    def parse(self, text: str) -> T:
        kind = type(self.default)
        if kind is bool:
            return text.lower() in ("1", "true", "yes")
        return kind(text)


CENTER_NAME = SettingKey("center.name", "社会组织孵化中心", "中心名称（打印在证件和报告上）")
CENTER_LOGO = SettingKey("center.logo_path", "", "中心标志图片文件")
MIN_AGE = SettingKey("volunteer.min_age", 6, "可登记的最小年龄")
GUARDIAN_UNDER = SettingKey("volunteer.guardian_under", 18, "未满此年龄须有监护人同意")
# Service hours (DOMAIN.md §2)
HOURS_MIN_SCAN_SHARE = SettingKey("hours.min_scan_share_percent", 60,
                                  "扫码时长至少占活动时长的百分比，否则不计时长")
HOURS_DAILY_CAP = SettingKey("hours.daily_cap_minutes", 720, "每人每天最多记录的服务分钟数")
HOURS_SCAN_REPEAT_SECONDS = SettingKey("hours.scan_repeat_seconds", 60,
                                       "同一人两次扫码间隔小于此秒数视为重复扫码")
HOURS_SCAN_MARGIN = SettingKey(
    "hours.scan_margin_minutes", 120,
    "签到机在活动开始前、结束后多少分钟内接受扫码（此后未签退的记录自动签退）")
STAR_THRESHOLDS = SettingKey("hours.star_thresholds", "100,300,600,1000,1500",
                             "星级志愿者所需累计服务小时数（逗号分隔，一星起）")
# Points and the shop (DOMAIN.md §3)
POINTS_RATES = SettingKey("points.rates", "*=1",
                          "每小时积分：类别=分值，分号分隔，*为默认（如 *=1;助老=2）")
POINTS_ACTIVITY_CAP = SettingKey("points.activity_cap", 0, "每次活动最多获得积分（0为不限）")
POINTS_EXPIRY_MONTHS = SettingKey("points.expiry_months", 0, "积分有效期（月，0为长期有效）")
POINTS_MIN_HOURS_TO_REDEEM = SettingKey("points.min_hours_to_redeem", 0,
                                        "首次兑换前至少需要的累计服务小时数")
# Service certificates (DOMAIN.md §7)
CERT_PERSON_IN_CHARGE = SettingKey("certificate.person_in_charge", "", "证明出具单位负责人")
CERT_HANDLER = SettingKey("certificate.handler", "", "证明经办人")
CERT_CONTACT = SettingKey("certificate.contact", "", "证明联系方式")
CERT_VERIFY_URL = SettingKey(
    "certificate.verify_url", "",
    "证明核验页面的公开地址（设置后证明二维码为“地址#签名内容”，手机扫码即可核验）")
# Hours to the national volunteer information system: the saved column layouts (JSON)
HOURS_EXPORT_LAYOUTS = SettingKey("hours.national_export_layouts", "",
                                  "导出到全国志愿服务信息系统的列对应方案（JSON）")
# The check-in kiosk (DOMAIN.md §4)
KIOSK_PIN = SettingKey("kiosk.pin", "0000", "退出签到机所需的工作人员密码（4–8位数字）")
KIOSK_OUTSIDE_WINDOW = SettingKey(
    "kiosk.outside_window", "refuse",
    "活动时间以外（同一天内）的扫码：refuse 拒绝，warn 接受并提示")
OUTSIDE_WINDOW_CHOICES = ("refuse", "warn")
# An activity's 人数上限: the kiosk always accepts and warns; manual entries follow this.
HOURS_CAPACITY_MANUAL = SettingKey(
    "hours.capacity_manual", "refuse",
    "活动人数已满时的补录：refuse 拒绝，allow 允许")
CAPACITY_MANUAL_CHOICES = ("refuse", "allow")
# Automatic backups (app.services.common.backup)
BACKUP_INTERVAL_HOURS = SettingKey("backup.interval_hours", 24,
                                   "自动备份间隔（小时，0为不自动备份）")
BACKUP_KEEP = SettingKey("backup.keep", 14, "保留的自动备份份数（超出时删除最早的自动备份）")
BACKUP_FOLDER = SettingKey("backup.folder", "", "自动备份文件夹（空为登记簿旁的backups文件夹）")
BACKUP_LAST_AT = SettingKey("backup.last_at", "", "上次备份时间（UTC，程序自动记录）")
PIN_PATTERN = re.compile(r"[0-9]{4,8}")
VERIFY_URL_PATTERN = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)

REGISTRY: tuple[SettingKey, ...] = (
    CENTER_NAME, CENTER_LOGO, MIN_AGE, GUARDIAN_UNDER, HOURS_MIN_SCAN_SHARE, HOURS_DAILY_CAP,
    HOURS_SCAN_REPEAT_SECONDS, STAR_THRESHOLDS, POINTS_RATES, POINTS_ACTIVITY_CAP,
    POINTS_EXPIRY_MONTHS, POINTS_MIN_HOURS_TO_REDEEM, CERT_PERSON_IN_CHARGE, CERT_HANDLER,
    CERT_CONTACT, CERT_VERIFY_URL, HOURS_EXPORT_LAYOUTS, KIOSK_PIN, KIOSK_OUTSIDE_WINDOW,
    HOURS_CAPACITY_MANUAL, HOURS_SCAN_MARGIN, BACKUP_INTERVAL_HOURS, BACKUP_KEEP, BACKUP_FOLDER,
    BACKUP_LAST_AT,
)


def get(key: SettingKey[T]) -> T:
    row = Setting.get_or_none(Setting.key == key.key)
    return key.default if row is None else key.parse(row.value)


def put(key: SettingKey[T], value: T) -> None:
    with writing():
        old = get(key)
        if old == value:
            return
        Setting.insert(key=key.key, value=str(value)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(value)}).execute()
        audit.record("update", "setting", key.key, {"value": old}, {"value": value})


def minor_policy() -> MinorPolicy:
    return MinorPolicy(min_age=get(MIN_AGE), guardian_under=get(GUARDIAN_UNDER))


def valid_pin(text: str) -> bool:
    """Whether `text` can be the kiosk's staff PIN: 4 to 8 ASCII digits."""
    return PIN_PATTERN.fullmatch(text) is not None


def valid_verify_url(text: str) -> bool:
    """Whether `text` can be the public verification page's address: empty (none), or an
    http(s) address without spaces and without a fragment (the QR appends `#PAYLOAD`)."""
    text = text.strip()
    return not text or (VERIFY_URL_PATTERN.fullmatch(text) is not None and "#" not in text)


def outside_window() -> str:
    """The kiosk's rule for scans outside the activity's window: "refuse" or "warn"
    (anything else stored is read as the safe "refuse")."""
    value = get(KIOSK_OUTSIDE_WINDOW).strip().lower()
    return value if value in OUTSIDE_WINDOW_CHOICES else "refuse"


def capacity_manual() -> str:
    """Manual entries beyond an activity's capacity: "refuse" (the default) or "allow"."""
    value = get(HOURS_CAPACITY_MANUAL).strip().lower()
    return value if value in CAPACITY_MANUAL_CHOICES else "refuse"


# ---- the local rules (the settings dialog's 规则 page; a command line can use the same) ----

# Whole-number rules: (lowest, highest, Chinese name, unit). The scan margin stops at 180
# minutes because records.LONGEST_RECORD (30 h) allows a 24-hour activity two such margins.
RULE_LIMITS: dict[str, tuple[int, int, str, str]] = {
    HOURS_MIN_SCAN_SHARE.key: (0, 100, "最低在场比例", "%"),
    HOURS_DAILY_CAP.key: (1, 24 * 60, "每日时长上限", "分钟"),
    HOURS_SCAN_REPEAT_SECONDS.key: (0, 3600, "重复扫码间隔", "秒"),
    HOURS_SCAN_MARGIN.key: (0, 180, "扫码提前/延后时间", "分钟"),
    POINTS_ACTIVITY_CAP.key: (0, 1_000_000, "每次活动积分上限", "分"),
    POINTS_EXPIRY_MONTHS.key: (0, 600, "积分有效期", "个月"),
    POINTS_MIN_HOURS_TO_REDEEM.key: (0, 100_000, "首次兑换所需时长", "小时"),
}
RULE_CHOICES: dict[str, tuple[str, ...]] = {
    KIOSK_OUTSIDE_WINDOW.key: OUTSIDE_WINDOW_CHOICES,
    HOURS_CAPACITY_MANUAL.key: CAPACITY_MANUAL_CHOICES,
}
RULES: tuple[SettingKey, ...] = (
    STAR_THRESHOLDS, POINTS_RATES, POINTS_ACTIVITY_CAP, POINTS_EXPIRY_MONTHS,
    POINTS_MIN_HOURS_TO_REDEEM, HOURS_MIN_SCAN_SHARE, HOURS_DAILY_CAP, HOURS_CAPACITY_MANUAL,
    HOURS_SCAN_REPEAT_SECONDS, HOURS_SCAN_MARGIN, KIOSK_OUTSIDE_WINDOW,
)


def format_thresholds(hours: tuple[int, ...]) -> str:
    return ",".join(str(h) for h in hours)


def format_rates(rates: Mapping[str, Any]) -> str:
    """Rates as stored: the default "*" first, then the categories in the order given."""
    ordered = sorted(rates.items(), key=lambda kv: kv[0] != DEFAULT_CATEGORY)
    return ";".join(f"{category}={rate}" for category, rate in ordered)


def check_rule(key: SettingKey[T], text: str) -> T:
    """One rule's value as typed, checked and in the form it is stored in.

    Raises:
        ValidationError: field `key.key`, with a Chinese message saying what is allowed.
    """
    value = text.strip()
    if key.key == STAR_THRESHOLDS.key:
        try:
            stars = StarPolicy.parse(value)
        except ValidationError as exc:
            raise ValidationError(key.key, exc.message) from None
        return format_thresholds(stars.thresholds_hours)  # type: ignore[return-value]
    if key.key == POINTS_RATES.key:
        try:
            rates = parse_rates(value)
        except ValidationError as exc:
            message = exc.message.replace(f"“{DEFAULT_CATEGORY}”", "其他类别（*）")
            raise ValidationError(key.key, message) from None
        return format_rates(rates)  # type: ignore[return-value]
    if key.key in RULE_CHOICES:
        choices = RULE_CHOICES[key.key]
        if value.lower() not in choices:
            raise ValidationError(key.key, f"应为 {' 或 '.join(choices)}")
        return value.lower()  # type: ignore[return-value]
    if key.key in RULE_LIMITS:
        low, high, name, unit = RULE_LIMITS[key.key]
        try:
            number = int(value)
        except ValueError:
            raise ValidationError(key.key, f"{name}应为整数{unit}数") from None
        if not low <= number <= high:
            raise ValidationError(key.key, f"{name}须在{low}到{high}{unit}之间")
        return number  # type: ignore[return-value]
    raise ValueError(f"{key.key} is not a rule")


def check_rules(texts: Mapping[SettingKey, str]) -> dict[str, str]:
    """Every rule that is wrong, as {setting key: Chinese message} (empty when all are fine)."""
    errors: dict[str, str] = {}
    for key, text in texts.items():
        try:
            check_rule(key, text)
        except ValidationError as exc:
            errors[key.key] = exc.message
    return errors


def put_rules(texts: Mapping[SettingKey, str]) -> None:
    """Store the rules as typed, all or none, each change with its audit row.

    Raises:
        FormErrors: {setting key: message} for every rule that is wrong; nothing is stored.
    """
    errors = check_rules(texts)
    if errors:
        raise FormErrors(errors)
    with writing():
        for key, text in texts.items():
            put(key, check_rule(key, text))
