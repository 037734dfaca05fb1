"""Service records sent to the national volunteer information system (全国志愿服务信息系统).

One row per record exported: the hours are entered there from the sheet, so exporting a
record again would count it twice unless the user means it (schema 4).
"""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow
from app.store.models.hours import ServiceRecord


class NationalExport(BaseModel):
    """When a service record was last written to a national-platform sheet, and how often."""

    record = pw.ForeignKeyField(ServiceRecord, column_name="record_id", primary_key=True)
    exported_at = pw.DateTimeField(default=utcnow)
    exported_by = pw.CharField(max_length=80, default="")
    layout = pw.CharField(max_length=80, default="")
    file_name = pw.CharField(max_length=255, default="")
    times = pw.IntegerField(default=1)
    record_id: int

    class Meta:
        table_name = "national_export"
