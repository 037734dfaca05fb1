"""Social organizations: the register, incubation and legal-status history, the yearly records
(inspections, figures for the annual report), ratings, credit-list entries and attachments.

Enumerated columns hold the English values of `app.domain.orgs.kinds` and friends; money is
integer fen; dates are calendar dates (no time zone), moments naive UTC.
"""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow


class Organization(BaseModel):
    """One social organization (社会组织). The credit code is unique where there is one;
    filed community organizations and groups in incubation often have none yet."""

    id = pw.AutoField()
    name = pw.CharField(max_length=120)
    name_initials = pw.CharField(max_length=120, index=True)
    name_pinyin = pw.CharField(max_length=400)
    kind = pw.CharField(max_length=32, index=True)
    pne_form = pw.CharField(max_length=20, default="")
    service_field = pw.CharField(max_length=32, default="", index=True)
    credit_code = pw.CharField(max_length=18, null=True, unique=True)
    code_override_reason = pw.TextField(default="")  # kept although a check failed: why
    certificate_number = pw.CharField(max_length=40, default="")
    legal_representative = pw.CharField(max_length=40, default="")
    supervisor_unit = pw.CharField(max_length=120, default="")
    registration_authority = pw.CharField(max_length=120, default="")
    address = pw.CharField(max_length=200, default="")
    post_code = pw.CharField(max_length=10, default="")
    district = pw.CharField(max_length=40, default="")
    street = pw.CharField(max_length=60, default="", index=True)
    community = pw.CharField(max_length=60, default="")
    contact_person = pw.CharField(max_length=40, default="")
    contact_phone = pw.CharField(max_length=20, default="")
    email = pw.CharField(max_length=120, default="")
    website = pw.CharField(max_length=200, default="")
    capital_fen = pw.BigIntegerField(null=True)  # registered capital / start-up / original fund
    business_scope = pw.TextField(default="")
    founded_on = pw.DateField(null=True)
    certificate_valid_from = pw.DateField(null=True)
    certificate_valid_to = pw.DateField(null=True, index=True)
    incubation_state = pw.CharField(max_length=20, null=True, index=True)  # None: never applied
    incubation_since = pw.DateField(null=True)
    legal_status = pw.CharField(max_length=20, default="unregistered", index=True)
    legal_since = pw.DateField(null=True)
    filed_on = pw.DateField(null=True)
    registered_on = pw.DateField(null=True)
    deregistered_on = pw.DateField(null=True)
    rating = pw.CharField(max_length=4, default="")
    rated_on = pw.DateField(null=True)
    remarks = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)


class OrgTransition(BaseModel):
    """Every move of either state machine, for the timeline (nothing is ever rewritten)."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id", index=False)
    machine = pw.CharField(max_length=12)  # incubation / legal
    from_state = pw.CharField(max_length=20, null=True)
    to_state = pw.CharField(max_length=20)
    on = pw.DateField()
    authority = pw.CharField(max_length=120, default="")
    note = pw.TextField(default="")
    actor = pw.CharField(max_length=80, default="")
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("org_id", "on"), False),)


class OrgReview(BaseModel):
    """The admission review: first review, expert scores, public notice (初审, 专家评审, 公示)."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    first_review_on = pw.DateField(null=True)
    first_review_opinion = pw.TextField(default="")
    expert_review_on = pw.DateField(null=True)
    expert_score = pw.DecimalField(max_digits=5, decimal_places=1, null=True)
    experts = pw.CharField(max_length=200, default="")
    notice_from = pw.DateField(null=True)
    notice_to = pw.DateField(null=True)
    conclusion = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)


class OrgAgreement(BaseModel):
    """The incubation agreement; an extension is a new end date with its reason, kept."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    starts_on = pw.DateField()
    ends_on = pw.DateField(index=True)  # the current end, after any extension
    original_end = pw.DateField()
    space = pw.CharField(max_length=120, default="")  # office space given (工位/房间)
    extensions = pw.TextField(default="")  # JSON list of {"from", "to", "reason", "on"}
    created_at = pw.DateTimeField(default=utcnow)


class OrgMentor(BaseModel):
    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    name = pw.CharField(max_length=40)
    expertise = pw.CharField(max_length=120, default="")
    starts_on = pw.DateField(null=True)
    ends_on = pw.DateField(null=True)


class Training(BaseModel):
    """A training the centre held; several organizations may attend one."""

    id = pw.AutoField()
    title = pw.CharField(max_length=120)
    held_on = pw.DateField(index=True)
    trainer = pw.CharField(max_length=80, default="")
    place = pw.CharField(max_length=120, default="")
    minutes = pw.IntegerField(default=0)


class TrainingAttendance(BaseModel):
    id = pw.AutoField()
    training = pw.ForeignKeyField(Training, column_name="training_id")
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    attendees = pw.IntegerField(default=1)
    names = pw.CharField(max_length=200, default="")

    class Meta:
        indexes = ((("org_id", "training_id"), True),)


class OrgService(BaseModel):
    """A service the incubator gave: space, registration help, a small grant (with amount)."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    kind = pw.CharField(max_length=20)  # space / registration_help / small_grant / other
    on = pw.DateField()
    description = pw.TextField(default="")
    amount_fen = pw.BigIntegerField(default=0)


class OrgEvaluation(BaseModel):
    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    kind = pw.CharField(max_length=12)  # periodic / exit
    on = pw.DateField()
    score = pw.DecimalField(max_digits=5, decimal_places=1, null=True)
    evaluator = pw.CharField(max_length=80, default="")
    conclusion = pw.TextField(default="")


class OrgChecklistItem(BaseModel):
    """One item of the registration-readiness checklist (章程, 成立会议纪要, …)."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    item = pw.CharField(max_length=40)
    done_on = pw.DateField(null=True)
    document = pw.IntegerField(null=True)  # org_document.id holding it, if attached
    note = pw.TextField(default="")

    class Meta:
        indexes = ((("org_id", "item"), True),)


class OrgInspection(BaseModel):
    """One annual inspection (年检) per organization and year, for the year before."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id", index=False)
    year = pw.IntegerField()
    supervisor_submitted_on = pw.DateField(null=True)
    submitted_on = pw.DateField(null=True)
    result = pw.CharField(max_length=12, null=True)  # pass / basic_pass / fail
    concluded_on = pw.DateField(null=True)
    remarks = pw.TextField(default="")
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("org_id", "year"), True), (("year", "result"), False))


class OrgCreditEntry(BaseModel):
    """An entry on 活动异常名录 or 严重违法失信名单, and its removal."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    list_kind = pw.CharField(max_length=12)
    listed_on = pw.DateField()
    reason = pw.TextField()
    authority = pw.CharField(max_length=120, default="")
    removed_on = pw.DateField(null=True)
    removal_reason = pw.TextField(default="")


class OrgRating(BaseModel):
    """Rating history (等级评估); the organization row holds the current one."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    rating = pw.CharField(max_length=4)
    rated_on = pw.DateField()
    valid_until = pw.DateField()
    evaluator = pw.CharField(max_length=120, default="")


class OrgChange(BaseModel):
    """A change of a registered item (name, address, legal representative, …), for the
    annual report's changes table; written by edits and by staff for approvals elsewhere."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    item = pw.CharField(max_length=40)
    before = pw.TextField(default="")
    after = pw.TextField(default="")
    approved_on = pw.DateField(null=True)
    on = pw.DateField(index=True)


class OrgYearFigures(BaseModel):
    """What staff enter for an annual report that the register does not hold itself."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id", index=False)
    year = pw.IntegerField()
    staff_full_time = pw.IntegerField(default=0)
    staff_part_time = pw.IntegerField(default=0)
    members_units = pw.IntegerField(null=True)
    members_individuals = pw.IntegerField(null=True)
    activity_overview = pw.TextField(default="")
    meetings = pw.TextField(default="")  # JSON list
    finance = pw.TextField(default="")  # JSON of the balance sheet / activity statement
    remarks = pw.TextField(default="")

    class Meta:
        indexes = ((("org_id", "year"), True),)


class OrgDocument(BaseModel):
    """A file attached to an organization, copied beside the register and checked by hash."""

    id = pw.AutoField()
    org = pw.ForeignKeyField(Organization, column_name="org_id")
    title = pw.CharField(max_length=120)
    kind = pw.CharField(max_length=40, default="")
    file_name = pw.CharField(max_length=200)
    stored_as = pw.CharField(max_length=300)  # relative to the attachments folder
    sha256 = pw.CharField(max_length=64)
    size = pw.BigIntegerField()
    added_at = pw.DateTimeField(default=utcnow)
    actor = pw.CharField(max_length=80, default="")
