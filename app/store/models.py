"""Tables. One BaseModel on the proxy; timestamps are naive UTC, money fen, hours minutes."""

from __future__ import annotations

import datetime as dt

import peewee as pw

from app.store.db import database


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version the file or server is at."""

    version = pw.IntegerField()
    migrated_at = pw.DateTimeField(default=utcnow)


class NumberSequence(BaseModel):
    """Counters that only go up, so an assigned number is never handed out twice."""

    name = pw.CharField(primary_key=True, max_length=40)
    next_value = pw.BigIntegerField(default=1)


class Setting(BaseModel):
    """Rules and printout details shared by every desk on the register."""

    key = pw.CharField(primary_key=True, max_length=80)
    value = pw.TextField()


class Area(BaseModel):
    """Districts, streets and communities seen in the register, for filter lists."""

    id = pw.AutoField()
    district = pw.CharField(max_length=40, default="")
    street = pw.CharField(max_length=60, default="")
    community = pw.CharField(max_length=60, default="")

    class Meta:
        indexes = ((("street", "community", "district"), True),)


class Volunteer(BaseModel):
    id = pw.AutoField()
    number = pw.CharField(max_length=16, unique=True)
    name = pw.CharField(max_length=40)
    name_initials = pw.CharField(max_length=40, index=True)
    name_pinyin = pw.CharField(max_length=120)
    sex = pw.CharField(max_length=1)
    id_type = pw.CharField(max_length=16)
    id_number = pw.CharField(max_length=32)
    birth_date = pw.DateField(index=True)
    phone = pw.CharField(max_length=20, index=True)
    district = pw.CharField(max_length=40, default="")
    street = pw.CharField(max_length=60, default="")
    community = pw.CharField(max_length=60, default="")
    skills = pw.TextField(default="")
    service_preferences = pw.TextField(default="")
    available_time = pw.CharField(max_length=120, default="")
    political_status = pw.CharField(max_length=20, default="")
    education = pw.CharField(max_length=20, default="")
    employer = pw.CharField(max_length=120, default="")
    emergency_contact = pw.CharField(max_length=40, default="")
    emergency_phone = pw.CharField(max_length=20, default="")
    guardian_name = pw.CharField(max_length=40, default="")
    guardian_id_number = pw.CharField(max_length=32, default="")
    guardian_phone = pw.CharField(max_length=20, default="")
    guardian_consent = pw.BooleanField(default=False)
    registered_on = pw.DateField(index=True)
    remarks = pw.TextField(default="")
    status = pw.CharField(max_length=16, default="active", index=True)
    status_reason = pw.TextField(default="")
    # Running totals kept by the service-hours and points services in the same transaction
    # as the rows they summarise, so the list can sort and filter by them at a million rows.
    approved_minutes = pw.IntegerField(default=0, index=True,
                                       constraints=[pw.SQL("DEFAULT 0")])
    points_balance = pw.IntegerField(default=0, index=True, constraints=[
        pw.SQL("DEFAULT 0"), pw.Check("points_balance >= 0")])
    status_changed_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = (
            (("id_number", "id_type"), True),
            (("name_pinyin",), False),
            (("street", "community"), False),
            (("community",), False),
        )


class VolunteerNameGram(BaseModel):
    """Every 1- and 2-character piece of each name: a fragment search is an index lookup."""

    gram = pw.CharField(max_length=4)
    volunteer = pw.ForeignKeyField(Volunteer, on_delete="CASCADE", index=False,
                                   column_name="volunteer_id")

    class Meta:
        primary_key = pw.CompositeKey("gram", "volunteer")
        # SQLite: WITHOUT ROWID (set when the table is created) stores the rows in the
        # primary-key B-tree itself, halving the table's size.


class VolunteerPhoto(BaseModel):
    """Kept apart so the volunteer table stays narrow for list scans."""

    volunteer = pw.ForeignKeyField(Volunteer, primary_key=True, on_delete="CASCADE")
    image = pw.BlobField()
    updated_at = pw.DateTimeField(default=utcnow)


class AuditLog(BaseModel):
    """Who changed what and when, with the values before and after (JSON)."""

    id = pw.AutoField()
    at = pw.DateTimeField(default=utcnow, index=True)
    actor = pw.CharField(max_length=80)
    action = pw.CharField(max_length=40)
    entity = pw.CharField(max_length=40)
    entity_id = pw.CharField(max_length=40)
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


class Activity(BaseModel):
    """A service activity (志愿服务活动) that volunteers attend and record hours for."""

    id = pw.AutoField()
    name = pw.CharField(max_length=120)
    organizer = pw.CharField(max_length=120, default="")
    place = pw.CharField(max_length=200, default="")
    starts_at = pw.DateTimeField(index=True)  # local time of the event, naive
    ends_at = pw.DateTimeField()
    category = pw.CharField(max_length=40, default="")
    capacity = pw.IntegerField(null=True)
    project_id = pw.IntegerField(null=True, index=True)  # purchased-service project, later
    status = pw.CharField(max_length=16, default="open")  # open / closed / cancelled
    created_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)


class ServiceRecord(BaseModel):
    """Minutes a volunteer served at an activity (志愿服务记录).

    kind: scanned (check-in/out, staff cannot type it), manual (entered, needs approval) or
    reversal (corrects an approved record: negative minutes, `reverses` points at it).
    status: open (checked in, not out yet), pending, approved, rejected.
    """

    id = pw.AutoField()
    volunteer = pw.ForeignKeyField(Volunteer, column_name="volunteer_id", index=False)
    activity = pw.ForeignKeyField(Activity, column_name="activity_id", index=False)
    kind = pw.CharField(max_length=12)
    status = pw.CharField(max_length=12)
    started_at = pw.DateTimeField()
    ended_at = pw.DateTimeField(null=True)
    minutes = pw.IntegerField(default=0)
    content = pw.TextField(default="")
    flags = pw.CharField(max_length=60, default="")  # e.g. "auto_checkout,short_stay"
    reverses = pw.ForeignKeyField("self", null=True, column_name="reverses_id", index=False)
    reason = pw.TextField(default="")
    recorded_by = pw.CharField(max_length=80, default="")
    decided_by = pw.CharField(max_length=80, default="")
    decided_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)
    # The raw foreign-key values peewee adds, declared for the type checker.
    volunteer_id: int
    activity_id: int
    reverses_id: int | None

    class Meta:
        indexes = (
            (("volunteer", "started_at"), False),
            (("activity", "volunteer"), False),
            (("status", "id"), False),
            # Covering for the hours report: a month's records are read from the index alone.
            (("started_at", "status", "kind", "minutes", "volunteer", "activity", "reverses"),
             False),
        )


class PointsEntry(BaseModel):
    """The append-only points ledger: earn, bonus, adjust, redeem, expire, reverse."""

    # The foreign keys' raw ids, which peewee adds at run time, spelled out for mypy.
    volunteer_id: int
    record_id: int | None
    activity_id: int | None
    reverses_id: int | None

    id = pw.AutoField()
    volunteer = pw.ForeignKeyField(Volunteer, column_name="volunteer_id", index=False)
    kind = pw.CharField(max_length=12)
    points = pw.IntegerField()  # signed
    balance_after = pw.IntegerField(constraints=[pw.Check("balance_after >= 0")])
    record = pw.ForeignKeyField(ServiceRecord, null=True, column_name="record_id", index=False)
    # The record's activity, copied so the per-activity cap is one indexed sum, no join.
    activity = pw.ForeignKeyField(Activity, null=True, column_name="activity_id", index=False)
    redemption_id = pw.IntegerField(null=True)
    reverses = pw.ForeignKeyField("self", null=True, column_name="reverses_id", index=False)
    reason = pw.TextField(default="")
    actor = pw.CharField(max_length=80, default="")
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("volunteer", "id"), False), (("record",), False), (("at",), False),
                   (("activity", "volunteer"), False))


# Partial: most rows (earn) have neither, so a 100,000-row approval does not pay for them.
PointsEntry.add_index(PointsEntry.index(PointsEntry.reverses)
                      .where(PointsEntry.reverses.is_null(False)))
PointsEntry.add_index(PointsEntry.index(PointsEntry.redemption_id)
                      .where(PointsEntry.redemption_id.is_null(False)))


class Good(BaseModel):
    """An item of the redemption shop (爱心超市) with its price in points and its stock."""

    id = pw.AutoField()
    name = pw.CharField(max_length=80, unique=True)
    unit = pw.CharField(max_length=10, default="件")
    points_price = pw.IntegerField(constraints=[pw.Check("points_price > 0")])
    stock = pw.IntegerField(default=0, constraints=[pw.Check("stock >= 0")])
    active = pw.BooleanField(default=True)
    version = pw.IntegerField(default=1)


class Redemption(BaseModel):
    """One visit to the shop: several goods for points, undone as a whole if at all."""

    volunteer_id: int

    id = pw.AutoField()
    number = pw.CharField(max_length=20, unique=True)
    volunteer = pw.ForeignKeyField(Volunteer, column_name="volunteer_id", index=False)
    total_points = pw.IntegerField()
    status = pw.CharField(max_length=12, default="done")  # done / reversed
    actor = pw.CharField(max_length=80, default="")
    at = pw.DateTimeField(default=utcnow)
    reversed_at = pw.DateTimeField(null=True)
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("volunteer", "at"), False),)


class RedemptionLine(BaseModel):
    redemption_id: int
    good_id: int

    id = pw.AutoField()
    redemption = pw.ForeignKeyField(Redemption, column_name="redemption_id")
    good = pw.ForeignKeyField(Good, column_name="good_id", index=False)
    quantity = pw.IntegerField(constraints=[pw.Check("quantity > 0")])
    points_each = pw.IntegerField()


class StockMovement(BaseModel):
    """Stock in and out: receive, issue (by a redemption), return (its undo), write_off."""

    good_id: int
    redemption_id: int | None

    id = pw.AutoField()
    good = pw.ForeignKeyField(Good, column_name="good_id", index=False)
    kind = pw.CharField(max_length=12)
    quantity = pw.IntegerField()  # signed
    redemption = pw.ForeignKeyField(Redemption, null=True, column_name="redemption_id",
                                    index=False)
    reason = pw.TextField(default="")
    actor = pw.CharField(max_length=80, default="")
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("good", "id"), False), (("redemption",), False), (("at",), False))


class Certificate(BaseModel):
    """A service certificate (志愿服务记录证明) issued: its number is never reused.

    `payload` is the signed QR text (the certified facts); `details` a JSON snapshot of the
    rest of the printout (ID, activities, issuer, remarks) as issued, so a reprint shows
    what was certified even after the records or the volunteer change. `volunteer` may move
    to the kept record of a merge; the payload keeps the number it was issued to.
    """

    id = pw.AutoField()
    number = pw.CharField(max_length=24, unique=True)
    volunteer = pw.ForeignKeyField(Volunteer, column_name="volunteer_id")
    period_from = pw.DateField(null=True)
    period_to = pw.DateField(null=True)
    minutes = pw.IntegerField()
    issued_at = pw.DateTimeField(default=utcnow)
    issued_by = pw.CharField(max_length=80, default="")
    payload = pw.TextField()
    details = pw.TextField(default="{}")


class Card(BaseModel):
    """A volunteer ID card as issued: reissuing raises the serial and revokes the old one."""

    id = pw.AutoField()
    volunteer = pw.ForeignKeyField(Volunteer, column_name="volunteer_id", index=False)
    serial = pw.IntegerField()
    issued_at = pw.DateTimeField(default=utcnow)
    issued_by = pw.CharField(max_length=80, default="")
    revoked_at = pw.DateTimeField(null=True)
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("volunteer", "serial"), True),)


class ScanLog(BaseModel):
    """Every kiosk scan, accepted or refused: when, where, what was read and the outcome."""

    id = pw.AutoField()
    at = pw.DateTimeField(default=utcnow, index=True)
    activity_id = pw.IntegerField(null=True)
    station = pw.CharField(max_length=60, default="")
    payload = pw.CharField(max_length=200, default="")
    volunteer_id = pw.IntegerField(null=True)
    outcome = pw.CharField(max_length=20)  # checked_in / checked_out / repeat / refused
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("activity_id", "at"), False),)


MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion, NumberSequence, Setting, Area, Volunteer, VolunteerNameGram,
    VolunteerPhoto, AuditLog, Activity, ServiceRecord, PointsEntry, Good, Redemption,
    RedemptionLine, StockMovement, Certificate, Card, ScanLog,
)

# Tables added by schema version 2 (service hours, points, shop, certificates).
V2_MODELS: tuple[type[BaseModel], ...] = (
    Activity, ServiceRecord, PointsEntry, Good, Redemption, RedemptionLine, StockMovement,
    Certificate, Card, ScanLog,
)
