"""A project as the form fills it in, and the checks it must pass (DOMAIN.md §6).

Status moves only through the lifecycle machine; money is fen; the contractor is an
organization id (its standing is the service's business, since it needs the register).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from app.domain.errors import FormErrors
from app.domain.normalize import clean_text, text_problem
from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.money import MAX_FEN, format_yuan

MAX_NAME = 200
LONG_TERM_YEARS = 3  # a term ending later than this: allowed, but warned
MAX_TEXT = 5000  # free-text columns (content, remarks)

# Free-text fields: label and longest length (the register's column widths).
TEXT_LIMITS = {
    "name": ("项目名称", MAX_NAME), "service_area": ("服务区域", 200),
    "target_group": ("服务对象", 200), "content": ("服务内容", MAX_TEXT),
    "lead": ("项目负责人", 40), "finance_lead": ("财务负责人", 40),
    "evaluator": ("评价机构", 120), "remarks": ("备注", MAX_TEXT),
}


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(slots=True)
class ProjectDraft:
    name: str = ""
    purchaser_id: int | None = None
    contractor_id: int | None = None
    method: PurchaseMethod | None = None
    budget_fen: int | None = None
    contract_amount_fen: int | None = None
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    service_area: str = ""
    target_group: str = ""
    content: str = ""
    lead: str = ""
    finance_lead: str = ""
    evaluator: str = ""
    remarks: str = ""

    def validated(self) -> ProjectDraft:
        """A cleaned copy, or FormErrors with a Chinese message for every bad field."""
        out = dataclasses.replace(self)
        errors: dict[str, str] = {}
        for name in ("name", "service_area", "target_group", "lead", "finance_lead",
                     "evaluator"):
            setattr(out, name, clean_text(getattr(out, name)))
        out.content, out.remarks = out.content.strip(), out.remarks.strip()
        for name, (label, limit) in TEXT_LIMITS.items():
            problem = text_problem(getattr(out, name), label, limit)
            if problem:
                errors[name] = problem
        if not out.name:
            errors["name"] = "请填写项目名称"
        if out.purchaser_id is None:
            errors["purchaser_id"] = "请选择购买主体"
        if out.method is None:
            errors["method"] = "请选择采购方式"
        if out.budget_fen is None:
            errors["budget_fen"] = "请填写预算金额"
        elif not 0 < out.budget_fen < MAX_FEN:
            errors["budget_fen"] = "预算金额应大于0"
        if out.contract_amount_fen is not None:
            if not 0 < out.contract_amount_fen < MAX_FEN:
                errors["contract_amount_fen"] = "合同金额应大于0"
            elif out.budget_fen and out.contract_amount_fen > out.budget_fen:
                errors["contract_amount_fen"] = (
                    f"合同金额{format_yuan(out.contract_amount_fen)}超过预算"
                    f"{format_yuan(out.budget_fen)}")
        if out.starts_on and out.ends_on and out.ends_on <= out.starts_on:
            errors["ends_on"] = "服务结束日期应晚于开始日期"
        if out.signed_on and out.ends_on and out.signed_on > out.ends_on:
            errors["signed_on"] = "合同签订日期不能晚于服务结束日期"
        if errors:
            raise FormErrors(errors)
        return out

    def warnings(self) -> list[str]:
        """Worth a second look, not a refusal: a service term beyond three years (ending
        after the same calendar day three years on; a day count would drift with leap
        years)."""
        if self.starts_on and self.ends_on and self.ends_on > add_years(
                self.starts_on, LONG_TERM_YEARS):
            return ["服务期限超过三年（政府购买服务合同一般不超过1年，"
                    "可持续性服务不超过3年），请确认"]
        return []
