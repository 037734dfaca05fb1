"""Service hours: activities, service records (scanned and manual), certificates issued."""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow
from app.store.models.volunteers import Volunteer


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
    org_id = pw.IntegerField(null=True, index=True)  # the organization that held it (schema 3)
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


class HoursMonth(BaseModel):
    """Approved minutes net of reversals per calendar month of the records' start (YYYY-MM),
    kept by approval and reversal in the same transaction, so the home page reads twelve
    rows instead of summing millions (schema 6). `app.store.rollups` rebuilds it."""

    month = pw.CharField(max_length=7, primary_key=True)
    minutes = pw.BigIntegerField(default=0)


class HoursVolunteerMonth(BaseModel):
    """Approved minutes per volunteer and calendar month of the records' start (schema 8),
    kept beside `HoursMonth` in the same transactions, so the hours report reads whole
    months by volunteer or community from here instead of from millions of records.

    Scanned and manual are kept apart and a reversal nets out against the kind it reverses;
    `records` counts standing records (+1 each approved, -1 each reversal), as the report
    does. A row exists once a volunteer has an approved record that month, even if netted
    to zero: the report lists such a volunteer (with zeros), so the row is never deleted
    except when a merge moves it to the kept volunteer.
    """

    volunteer_id = pw.IntegerField()
    month = pw.CharField(max_length=7)
    scanned_minutes = pw.BigIntegerField(default=0)
    manual_minutes = pw.BigIntegerField(default=0)
    records = pw.IntegerField(default=0)

    class Meta:
        table_name = "hours_volunteer_month"
        primary_key = pw.CompositeKey("volunteer_id", "month")
        indexes = (
            # Covering for a month's report: the rows are read from the index alone, in
            # volunteer order.
            (("month", "volunteer_id", "scanned_minutes", "manual_minutes", "records"), False),
        )


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
