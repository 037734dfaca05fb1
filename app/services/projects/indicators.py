"""A project's performance indicators in the three levels officials use (DOMAIN.md §7):
一级 产出/效益/满意度 → 二级 数量/质量/时效/成本/社会效益/… → the indicator itself, with unit,
target, actual, weight and score. The weights add up to at most 100 (the score's full marks)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.errors import FormErrors, NotFoundError
from app.domain.normalize import clean_text
from app.domain.projects.kinds import LEVEL2_UNDER, IndicatorLevel1, IndicatorLevel2
from app.services.common import audit
from app.store.db import writing
from app.store.models import Indicator, Project

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
LIMITS = {"name": 200, "unit": 20, "target": 60, "actual": 60}
FIELD_NAMES = {"name": "指标名称", "unit": "计量单位", "target": "指标值", "actual": "实际完成值"}
_LEVEL1_ORDER = {level: n for n, level in enumerate(IndicatorLevel1)}
_LEVEL2_ORDER = {level: n for n, level in enumerate(IndicatorLevel2)}


@dataclass(frozen=True, slots=True)
class IndicatorDraft:
    level1: IndicatorLevel1
    level2: IndicatorLevel2
    name: str
    unit: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal = Decimal(0)
    score: Decimal | None = None
    deviation: str = ""  # 偏差原因及改进措施


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    id: int
    seq: int
    level1: IndicatorLevel1
    level2: IndicatorLevel2
    level1_label: str
    level2_label: str
    name: str
    unit: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal | None
    deviation: str


def _decimal(value: object) -> Decimal:
    """Two decimals; raises InvalidOperation/ValueError/TypeError for what is not a number."""
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)  # type: ignore[arg-type]


def _num(value: Decimal) -> str:
    """12.50 -> "12.5", 120.00 -> "120" (for messages)."""
    return f"{value.normalize():f}"


def _checked(lines: list[IndicatorDraft]) -> list[dict]:
    """The rows to store, or FormErrors keyed ``indicators[i].field`` (``indicators`` for the
    weights' total)."""
    errors: dict[str, str] = {}
    rows: list[dict] = []
    total = Decimal(0)
    for i, d in enumerate(lines):
        key, n = f"indicators[{i}]", i + 1
        row: dict = {"seq": i + 1, "deviation": d.deviation.strip()}
        try:
            level1 = IndicatorLevel1(d.level1)
        except ValueError:
            errors[f"{key}.level1"] = f"第{n}项：请选择一级指标"
            level1 = None
        try:
            level2 = IndicatorLevel2(d.level2)
        except ValueError:
            errors[f"{key}.level2"] = f"第{n}项：请选择二级指标"
            level2 = None
        if level1 is not None and level2 is not None and level2 not in LEVEL2_UNDER[level1]:
            allowed = "、".join(x.label for x in LEVEL2_UNDER[level1])
            errors[f"{key}.level2"] = (f"第{n}项：“{level2.label}”不属于“{level1.label}”"
                                       f"（可选：{allowed}）")
        row["level1"], row["level2"] = str(level1 or ""), str(level2 or "")
        for field, limit in LIMITS.items():
            value = clean_text(getattr(d, field))
            if field == "name" and not value:
                errors[f"{key}.name"] = f"第{n}项：请填写指标名称"
            elif len(value) > limit:
                errors[f"{key}.{field}"] = f"第{n}项：{FIELD_NAMES[field]}不能超过{limit}个字"
            row[field] = value
        weight: Decimal | None
        try:
            weight = _decimal(d.weight if d.weight is not None else 0)
        except (InvalidOperation, ValueError, TypeError):
            errors[f"{key}.weight"] = f"第{n}项：权重应为数字"
            weight = None
        if weight is not None and not Decimal(0) <= weight <= HUNDRED:
            errors[f"{key}.weight"] = f"第{n}项：权重应在0到100之间"
            weight = None
        score: Decimal | None = None
        if d.score is not None:
            try:
                score = _decimal(d.score)
            except (InvalidOperation, ValueError, TypeError):
                errors[f"{key}.score"] = f"第{n}项：得分应为数字"
            else:
                if score < 0:
                    errors[f"{key}.score"] = f"第{n}项：得分不能为负数"
                elif weight is not None and score > weight:
                    errors[f"{key}.score"] = f"第{n}项：得分{_num(score)}不能超过权重{_num(weight)}"
        total += weight or 0
        row["weight"], row["score"] = weight, score
        rows.append(row)
    if total > HUNDRED:
        errors["indicators"] = f"各项指标权重合计{_num(total)}，不能超过100"
    if errors:
        raise FormErrors(errors)
    return rows


def _line(r: Indicator) -> IndicatorLine:
    level1, level2 = IndicatorLevel1(r.level1), IndicatorLevel2(r.level2)
    return IndicatorLine(r.id, r.seq, level1, level2, level1.label, level2.label, r.name,
                         r.unit, r.target, r.actual, _decimal(r.weight),
                         None if r.score is None else _decimal(r.score), r.deviation)


def indicators(project_id: int) -> list[IndicatorLine]:
    """By 一级, then 二级 (in the order of the official table), then as entered."""
    lines = [_line(r) for r in Indicator.select().where(Indicator.project == project_id)]
    lines.sort(key=lambda x: (_LEVEL1_ORDER[x.level1], _LEVEL2_ORDER[x.level2], x.seq, x.id))
    return lines


def set_indicators(project_id: int, lines: list[IndicatorDraft]) -> list[IndicatorLine]:
    """Replace the project's indicators with `lines` (in that order within each level).

    Raises:
        FormErrors: keyed ``indicators[i].field`` (i counts from 0; the message says 第i+1项),
            ``indicators`` when the weights add up to more than 100.
        NotFoundError: no such project.
    """
    rows = _checked(lines)
    with writing():
        project = Project.get_or_none(Project.id == project_id)
        if project is None:
            raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
        before = Indicator.select().where(Indicator.project == project_id).count()
        Indicator.delete().where(Indicator.project == project_id).execute()
        for row in rows:
            Indicator.create(project=project_id, **row)
        audit.record("set_indicators", "project", project.number, {"count": before},
                     {"count": len(rows), "indicators": rows})
        return indicators(project_id)


def score_total(project_id: int) -> Decimal | None:
    """The indicators' scores added up (None while no indicator is scored)."""
    scores = [x.score for x in indicators(project_id) if x.score is not None]
    return sum(scores, Decimal(0)).quantize(CENT) if scores else None


def weight_total(project_id: int) -> Decimal:
    """The weights added up: the full marks the score is out of (100 when complete)."""
    return sum((x.weight for x in indicators(project_id)), Decimal(0)).quantize(CENT)
