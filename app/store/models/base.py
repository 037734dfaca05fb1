"""Tables every area shares: the schema version, number counters, settings, the audit trail."""

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
