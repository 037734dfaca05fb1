"""The columns an organization register may have in Excel — the template's headers and the
names street offices actually use — and how their words map to the register's values
(民非 = 民办非企业单位, 登记 → registered, 备案 → filed)."""

from __future__ import annotations

from pathlib import Path

from app.domain.normalize import clean_text
from app.domain.orgs.kinds import OrgKind, PneForm, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.services.common import import_preview
from app.services.common.sheet_reading import Column, ColumnTable

COLUMNS: tuple[Column, ...] = (
    Column("name", "组织名称", ("名称", "社会组织名称", "单位名称", "机构名称", "组织全称"),
           "必填。与登记证书或备案证明上的名称一致。", width=28),
    Column("kind", "组织类型",
           ("类型", "组织类别", "单位类型", "登记类型", "社会组织类型", "机构类型"),
           "必填：社会团体、民办非企业单位（社会服务机构）、基金会或社区社会组织；"
           "“民非”“社团”也可。", choices=OrgKind.labels(), width=18),
    Column("credit_code", "统一社会信用代码",
           ("信用代码", "社会信用代码", "统一代码", "统一社会信用代码证号"),
           "已登记的必填，18位；社区社会组织备案的可留空。请保持文本格式。", text=True, width=22),
    Column("legal_representative", "法定代表人/负责人",
           ("法定代表人", "负责人", "法人代表", "法人", "法定代表人（负责人）"), "选填。",
           width=12),
    Column("contact_phone", "联系电话", ("电话", "手机", "联系方式", "手机号码", "办公电话"),
           "选填。手机号码或带区号的固定电话。", text=True, width=14),
    Column("supervisor_unit", "业务主管单位", ("主管单位", "业务指导单位"),
           "选填；直接登记的四类组织可留空。", width=18),
    Column("founded_on", "成立日期", ("成立时间", "成立年月"), "选填，如2018-05-02。",
           width=12, date=True),
    Column("legal_status", "登记/备案",
           ("登记备案", "登记或备案", "登记状态", "法律身份", "登记备案情况", "是否登记"),
           "填“登记”或“备案”；留空为未登记（如孵化中的团队）。社区社会组织只能备案。",
           choices=("登记", "备案"), width=10),
    Column("legal_on", "登记/备案日期", ("登记日期", "备案日期", "登记备案日期"),
           "选填；留空取成立日期。", width=12, date=True),
    Column("registration_authority", "登记管理机关", ("登记机关", "备案机关", "登记管理机构"),
           "选填，如××区民政局。", width=16),
    Column("certificate_number", "登记证号", ("证书编号", "登记证书号", "登记证书编号"),
           "选填。", text=True, width=14),
    Column("pne_form", "单位形式", (), "民办非企业单位选填：法人、合伙或个体。",
           choices=PneForm.labels(), width=8),
    Column("service_field", "服务领域", ("活动领域", "业务领域", "服务类别"),
           "选填：" + "、".join(ServiceField.labels()) + "。",
           choices=ServiceField.labels(), width=10),
    Column("address", "住所", ("地址", "住所/地址", "办公地址", "活动地址", "注册地址"),
           "选填。", width=28),
    Column("post_code", "邮政编码", ("邮编",), "选填，6位数字。", text=True, width=8),
    Column("district", "所属区", ("区", "区县"), "选填。", width=10),
    Column("street", "街道", ("所属街道", "街道(镇)", "乡镇街道"), "选填。", width=14),
    Column("community", "社区", ("所属社区", "社区(村)"), "选填。", width=14),
    Column("contact_person", "联系人", (), "选填。", width=10),
    Column("email", "电子邮箱", ("邮箱", "Email", "E-mail"), "选填。", width=18),
    Column("website", "网址", ("网站",), "选填。", width=18),
    Column("capital_yuan", "注册资金（元）", ("注册资金", "开办资金", "原始基金", "注册资本"),
           "选填，单位为元；列名写“（万元）”时按万元读。", width=12),
    Column("business_scope", "业务范围", (), "选填。", width=30),
    Column("certificate_valid_from", "证书有效期起", ("有效期起",), "选填。", width=12,
           date=True),
    Column("certificate_valid_to", "证书有效期至", ("有效期至", "有效期止"), "选填。",
           width=12, date=True),
    Column("code_override_reason", "代码保留原因", (),
           "统一社会信用代码校验不通过但证书上确为此代码时，写明原因。", width=16),
    Column("remarks", "备注", (), "选填。", width=20),
)

REQUIRED = frozenset({"name", "kind"})
TABLE = ColumnTable(COLUMNS, identifying=frozenset({"name", "kind"}), required=REQUIRED,
                    what="社会组织")
BY_FIELD = TABLE.by_field

KIND_FROM_TEXT: dict[str, OrgKind] = {
    **{kind.label: kind for kind in OrgKind},
    **{kind.value: kind for kind in OrgKind},
    "社会团体": OrgKind.SOCIAL_GROUP, "社团": OrgKind.SOCIAL_GROUP,
    "民办非企业单位": OrgKind.PRIVATE_NON_ENTERPRISE, "民非": OrgKind.PRIVATE_NON_ENTERPRISE,
    "民办非企业": OrgKind.PRIVATE_NON_ENTERPRISE, "民办非": OrgKind.PRIVATE_NON_ENTERPRISE,
    "社会服务机构": OrgKind.PRIVATE_NON_ENTERPRISE,
    "民办非企业单位(社会服务机构)": OrgKind.PRIVATE_NON_ENTERPRISE,
    "基金会": OrgKind.FOUNDATION, "公募基金会": OrgKind.FOUNDATION,
    "非公募基金会": OrgKind.FOUNDATION, "慈善基金会": OrgKind.FOUNDATION,
    "社区社会组织": OrgKind.COMMUNITY, "社区组织": OrgKind.COMMUNITY,
    "社区社团": OrgKind.COMMUNITY,
}

STATUS_FROM_TEXT: dict[str, LegalStatus] = {
    "登记": LegalStatus.REGISTERED, "已登记": LegalStatus.REGISTERED,
    "注册": LegalStatus.REGISTERED, "已注册": LegalStatus.REGISTERED,
    "备案": LegalStatus.FILED, "已备案": LegalStatus.FILED,
    "": LegalStatus.UNREGISTERED, "未登记": LegalStatus.UNREGISTERED,
    "未登记未备案": LegalStatus.UNREGISTERED, "无": LegalStatus.UNREGISTERED,
    **{s.value: s for s in LegalStatus if s is not LegalStatus.DEREGISTERED},
}

PNE_FORM_FROM_TEXT: dict[str, PneForm] = {
    **{f.label: f for f in PneForm}, **{f.value: f for f in PneForm},
    "法人型": PneForm.LEGAL_PERSON, "合伙型": PneForm.PARTNERSHIP, "个体型": PneForm.INDIVIDUAL,
}

FIELD_FROM_TEXT: dict[str, ServiceField] = {
    **{f.label: f for f in ServiceField}, **{f.value: f for f in ServiceField},
    "为老服务": ServiceField.ELDERLY, "助老": ServiceField.ELDERLY,
    "残疾人服务": ServiceField.DISABILITY, "青少年": ServiceField.CHILDREN,
    "儿童青少年": ServiceField.CHILDREN, "文化体育": ServiceField.CULTURE_SPORTS,
    "文化": ServiceField.CULTURE_SPORTS, "体育": ServiceField.CULTURE_SPORTS,
    "环境保护": ServiceField.ENVIRONMENT, "社区服务": ServiceField.COMMUNITY_GOVERNANCE,
    "卫生": ServiceField.HEALTH, "医疗": ServiceField.HEALTH, "法律": ServiceField.LEGAL_SERVICES,
}


def _key(text: str) -> str:
    return clean_text(text).replace("（", "(").replace("）", ")").replace(" ", "")


def lookup(table: dict, text: str) -> object | None:
    """The value a cell's word names in one of the tables above (spaces and bracket widths
    forgiven), or None."""
    key = _key(text)
    found = table.get(key)
    if found is None:
        found = table.get(key.lower())
    if found is None:
        for word, value in table.items():
            if word and _key(word) == key:
                return value
    return found


TEMPLATE_SHEET = "社会组织登记"


def write_template(path: Path) -> None:
    """The organization import template (headers, text columns, drop-down lists, notes)."""
    import_preview.write_template(
        Path(path), TABLE, TEMPLATE_SHEET,
        "可以直接导入街道自己的台账：表头可在前几行，“序号”列、空行和“合计”行会被忽略；"
        "导入前会逐行检查统一社会信用代码、类型与登记/备案是否相符，并列出有问题的行。")
