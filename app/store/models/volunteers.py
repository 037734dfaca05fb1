"""The volunteer register: people, their name grams for search, photos, and the areas seen."""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow


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
    # The phone and ID number written backwards (schema 7): a search by the last digits
    # the masked list shows (尾号 8000, 002X) is then an index prefix range. SQL DEFAULT ''
    # so a bulk path that does not name them still inserts (its rows just lack tails).
    phone_rev = pw.CharField(max_length=20, default="", index=True,
                             constraints=[pw.SQL("DEFAULT ''")])
    id_number_rev = pw.CharField(max_length=32, default="", index=True,
                                 constraints=[pw.SQL("DEFAULT ''")])
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
    merged_into_id = pw.IntegerField(null=True)  # the record this one was merged into (schema 3)
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
