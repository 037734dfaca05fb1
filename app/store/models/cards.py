"""ID cards and every kiosk scan."""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow
from app.store.models.volunteers import Volunteer


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
