"""Evaluations of a project: the mid-term review and the final (often third-party) evaluation,
with score, grade (优秀/良好/合格/不合格), conclusion, problems and suggestions for the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.domain.errors import FormErrors, NotFoundError
from app.domain.normalize import clean_text
from app.domain.projects.kinds import Grade, grade_for
from app.services.common import audit
from app.store.db import writing
from app.store.models import Project, ProjectEvaluation

EVALUATION_KINDS = {"mid_term": "中期评估", "final": "结项评价"}
MAX_EVALUATOR = 120


@dataclass(frozen=True, slots=True)
class EvaluationLine:
    id: int
    kind: str  # mid_term / final
    kind_label: str
    on: dt.date
    evaluator: str
    score: Decimal | None
    grade: Grade | None
    grade_label: str
    conclusion: str
    problems: str
    suggestions: str
    remarks: str


def _line(row: ProjectEvaluation) -> EvaluationLine:
    grade = Grade(row.grade) if row.grade else None
    score = Decimal(row.score).quantize(Decimal("0.01")) if row.score is not None else None
    return EvaluationLine(row.id, row.kind, EVALUATION_KINDS.get(row.kind, row.kind), row.on,
                          row.evaluator, score, grade, grade.label if grade else "",
                          row.conclusion, row.problems, row.suggestions, row.remarks)


def _score(score: Decimal | None, errors: dict[str, str]) -> Decimal | None:
    if score is None:
        return None
    try:
        value = Decimal(score).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors["score"] = "评价得分应为数字"
        return None
    if not Decimal(0) <= value <= Decimal(100):
        errors["score"] = "评价得分应在0到100之间"
        return None
    return value


def record_evaluation(project_id: int, kind: str, on: dt.date, evaluator: str = "",
                      score: Decimal | None = None, grade: Grade | None = None,
                      conclusion: str = "", problems: str = "", suggestions: str = "",
                      remarks: str = "") -> EvaluationLine:
    """Keep an evaluation; without `grade` the score's band gives it (none without a score).

    Raises:
        FormErrors: an unknown kind, a score outside 0–100, an evaluator name too long.
        NotFoundError: no such project.
    """
    errors: dict[str, str] = {}
    if kind not in EVALUATION_KINDS:
        errors["kind"] = "评价类型应为中期评估或结项评价"
    value = _score(score, errors)
    evaluator = clean_text(evaluator)
    if len(evaluator) > MAX_EVALUATOR:
        errors["evaluator"] = f"评价机构不能超过{MAX_EVALUATOR}个字"
    if on is None:
        errors["on"] = "请填写评价日期"
    if errors:
        raise FormErrors(errors)
    if grade is None and value is not None:
        grade = grade_for(float(value))
    with writing():
        project = Project.get_or_none(Project.id == project_id)
        if project is None:
            raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
        values = {"kind": kind, "on": on, "evaluator": evaluator, "score": value,
                  "grade": str(grade) if grade else "", "conclusion": conclusion.strip(),
                  "problems": problems.strip(), "suggestions": suggestions.strip(),
                  "remarks": remarks.strip()}
        row = ProjectEvaluation.create(project=project_id, **values)
        audit.record("record_evaluation", "project_evaluation", row.id, None,
                     {"project": project.number, **values})
        return _line(ProjectEvaluation.get_by_id(row.id))


def evaluations(project_id: int) -> list[EvaluationLine]:
    """Oldest first (the mid-term review before the final evaluation)."""
    query = (ProjectEvaluation.select().where(ProjectEvaluation.project == project_id)
             .order_by(ProjectEvaluation.on, ProjectEvaluation.id))
    return [_line(r) for r in query]


def latest(project_id: int, kind: str = "final") -> EvaluationLine | None:
    """The newest evaluation of that kind (the report's conclusion and grade), if any."""
    row = (ProjectEvaluation.select()
           .where((ProjectEvaluation.project == project_id) & (ProjectEvaluation.kind == kind))
           .order_by(ProjectEvaluation.on.desc(), ProjectEvaluation.id.desc()).first())
    return _line(row) if row is not None else None
