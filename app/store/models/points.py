"""Points and the shop: the append-only ledger, goods, redemptions and stock movements."""

from __future__ import annotations

import peewee as pw

from app.store.models.base import BaseModel, utcnow
from app.store.models.hours import Activity, ServiceRecord
from app.store.models.volunteers import Volunteer


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
