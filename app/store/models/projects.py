"""Government-purchased service projects: purchasers, projects and their lifecycle, payment
tranches and payments, budget lines, indicators, milestones, evaluations and documents.

Money is integer fen. `project.paid_fen` is the running total of its payments, kept in the
same transaction as each payment under a CHECK that it never exceeds the contract amount, so
two desks paying at once cannot overpay even if both passed the service's own check.
"""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow
from app.store.models.orgs import Organization


class Purchaser(BaseModel):
    """A purchasing department (购买主体), kept as a managed list."""

    id = pw.AutoField()
    name = pw.CharField(max_length=120, unique=True)
    contact = pw.CharField(max_length=40, default="")
    phone = pw.CharField(max_length=20, default="")
    active = pw.BooleanField(default=True)


class Project(BaseModel):
    purchaser_id: int
    contractor_id: int | None

    id = pw.AutoField()
    number = pw.CharField(max_length=24, unique=True)
    name = pw.CharField(max_length=200)
    name_initials = pw.CharField(max_length=200, index=True)
    name_pinyin = pw.CharField(max_length=600)
    purchaser = pw.ForeignKeyField(Purchaser, column_name="purchaser_id", index=True)
    contractor = pw.ForeignKeyField(Organization, column_name="contractor_id", null=True,
                                    index=True)
    contractor_warning = pw.TextField(default="")  # standing problems confirmed, and why
    method = pw.CharField(max_length=20)
    budget_fen = pw.BigIntegerField()
    contract_amount_fen = pw.BigIntegerField(null=True)
    paid_fen = pw.BigIntegerField(default=0, constraints=[
        pw.SQL("DEFAULT 0"),
        pw.Check("paid_fen >= 0 AND (contract_amount_fen IS NULL AND paid_fen = 0 "
                 "OR paid_fen <= contract_amount_fen)")])
    signed_on = pw.DateField(null=True)
    starts_on = pw.DateField(null=True)
    ends_on = pw.DateField(null=True, index=True)
    service_area = pw.CharField(max_length=200, default="")
    target_group = pw.CharField(max_length=200, default="")
    content = pw.TextField(default="")
    lead = pw.CharField(max_length=40, default="")  # 项目负责人
    finance_lead = pw.CharField(max_length=40, default="")  # 财务负责人
    evaluator = pw.CharField(max_length=120, default="")  # 评价机构
    status = pw.CharField(max_length=20, default="draft", index=True)
    status_since = pw.DateField(null=True)
    remarks = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)


class ProjectTransition(BaseModel):
    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id", index=False)
    from_state = pw.CharField(max_length=20, null=True)
    to_state = pw.CharField(max_length=20)
    on = pw.DateField()
    note = pw.TextField(default="")
    actor = pw.CharField(max_length=80, default="")
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("project_id", "on"), False),)


class Tranche(BaseModel):
    """A planned payment (e.g. 40/30/30 tied to mid-term and final acceptance)."""

    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    seq = pw.IntegerField()
    planned_fen = pw.BigIntegerField()
    share = pw.DecimalField(max_digits=5, decimal_places=2, null=True)  # percent, if by share
    condition = pw.CharField(max_length=200, default="")
    due_on = pw.DateField(null=True, index=True)

    class Meta:
        indexes = ((("project_id", "seq"), True),)


class Payment(BaseModel):
    """Money paid to the contractor; a tranche is paid when its payments reach its plan."""

    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    tranche = pw.ForeignKeyField(Tranche, column_name="tranche_id", null=True)
    paid_on = pw.DateField()
    amount_fen = pw.BigIntegerField(constraints=[pw.Check("amount_fen > 0")])
    note = pw.TextField(default="")
    actor = pw.CharField(max_length=80, default="")
    at = pw.DateTimeField(default=utcnow)


class BudgetLine(BaseModel):
    """One row of the budget-execution table: 财政资金 / 单位资金 / 其他资金."""

    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    source = pw.CharField(max_length=12)  # fiscal / own / other
    initial_fen = pw.BigIntegerField(default=0)
    adjusted_fen = pw.BigIntegerField(default=0)
    executed_fen = pw.BigIntegerField(default=0)
    weight = pw.DecimalField(max_digits=5, decimal_places=2, null=True)
    score = pw.DecimalField(max_digits=5, decimal_places=2, null=True)
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("project_id", "source"), True),)


class Indicator(BaseModel):
    """A performance indicator: 一级 / 二级 / 三级 with target, actual, weight and score."""

    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    seq = pw.IntegerField(default=0)
    level1 = pw.CharField(max_length=16)
    level2 = pw.CharField(max_length=24)
    name = pw.CharField(max_length=200)
    unit = pw.CharField(max_length=20, default="")
    target = pw.CharField(max_length=60, default="")
    actual = pw.CharField(max_length=60, default="")
    weight = pw.DecimalField(max_digits=5, decimal_places=2, default=0)
    score = pw.DecimalField(max_digits=5, decimal_places=2, null=True)
    deviation = pw.TextField(default="")  # 偏差原因及改进措施


class Milestone(BaseModel):
    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    name = pw.CharField(max_length=200)
    due_on = pw.DateField(null=True, index=True)
    done_on = pw.DateField(null=True)
    note = pw.TextField(default="")


class ProjectEvaluation(BaseModel):
    """A mid-term or final (third-party) evaluation with its score and grade."""

    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    kind = pw.CharField(max_length=12)  # mid_term / final
    evaluator = pw.CharField(max_length=120, default="")
    score = pw.DecimalField(max_digits=5, decimal_places=2, null=True)
    grade = pw.CharField(max_length=12, default="")
    on = pw.DateField()
    conclusion = pw.TextField(default="")
    problems = pw.TextField(default="")
    suggestions = pw.TextField(default="")
    remarks = pw.TextField(default="")


class ProjectDocument(BaseModel):
    """A file attached to a project, copied beside the register and checked by hash."""

    id = pw.AutoField()
    project = pw.ForeignKeyField(Project, column_name="project_id")
    title = pw.CharField(max_length=120)
    kind = pw.CharField(max_length=40, default="")
    file_name = pw.CharField(max_length=200)
    stored_as = pw.CharField(max_length=300)
    sha256 = pw.CharField(max_length=64)
    size = pw.BigIntegerField()
    added_at = pw.DateTimeField(default=utcnow)
    actor = pw.CharField(max_length=80, default="")
