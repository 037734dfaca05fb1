"""Tables, one module per area; this face re-exports them so callers import from one place.

One BaseModel on the proxy; timestamps are naive UTC, money fen, hours minutes.
"""

from __future__ import annotations

from app.store.models.base import (
    AuditLog,
    BaseModel,
    NumberSequence,
    SchemaVersion,
    Setting,
    utcnow,
)
from app.store.models.cards import Card, ScanLog
from app.store.models.exports import NationalExport
from app.store.models.hours import (
    Activity,
    Certificate,
    HoursMonth,
    HoursVolunteerMonth,
    ServiceRecord,
)
from app.store.models.orgs import (
    OrgAgreement,
    Organization,
    OrgChange,
    OrgChecklistItem,
    OrgCreditEntry,
    OrgDocument,
    OrgEvaluation,
    OrgInspection,
    OrgMentor,
    OrgRating,
    OrgReview,
    OrgService,
    OrgTransition,
    OrgYearFigures,
    Training,
    TrainingAttendance,
)
from app.store.models.points import Good, PointsEntry, Redemption, RedemptionLine, StockMovement
from app.store.models.projects import (
    BudgetLine,
    Indicator,
    Milestone,
    Payment,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    ProjectTransition,
    Purchaser,
    Tranche,
)
from app.store.models.volunteers import Area, Volunteer, VolunteerNameGram, VolunteerPhoto

__all__ = [
    "MODELS",
    "V2_MODELS",
    "V3_MODELS",
    "V4_MODELS",
    "V5_MODELS",
    "V6_MODELS",
    "V8_MODELS",
    "Activity",
    "Area",
    "AuditLog",
    "BaseModel",
    "BudgetLine",
    "Card",
    "Certificate",
    "Good",
    "HoursMonth",
    "HoursVolunteerMonth",
    "Indicator",
    "Milestone",
    "NationalExport",
    "NumberSequence",
    "OrgAgreement",
    "OrgChange",
    "OrgChecklistItem",
    "OrgCreditEntry",
    "OrgDocument",
    "OrgEvaluation",
    "OrgInspection",
    "OrgMentor",
    "OrgRating",
    "OrgReview",
    "OrgService",
    "OrgTransition",
    "OrgYearFigures",
    "Organization",
    "Payment",
    "PointsEntry",
    "Project",
    "ProjectDocument",
    "ProjectEvaluation",
    "ProjectTransition",
    "Purchaser",
    "Redemption",
    "RedemptionLine",
    "ScanLog",
    "SchemaVersion",
    "ServiceRecord",
    "Setting",
    "StockMovement",
    "Training",
    "TrainingAttendance",
    "Tranche",
    "Volunteer",
    "VolunteerNameGram",
    "VolunteerPhoto",
    "utcnow",
]

# Tables added by schema version 2 (service hours, points, shop, certificates).
V2_MODELS: tuple[type[BaseModel], ...] = (
    Activity, ServiceRecord, PointsEntry, Good, Redemption, RedemptionLine, StockMovement,
    Certificate, Card, ScanLog,
)

# Tables added by schema version 3 (social organizations).
V3_MODELS: tuple[type[BaseModel], ...] = (
    Organization, OrgTransition, OrgReview, OrgAgreement, OrgMentor, Training,
    TrainingAttendance, OrgService, OrgEvaluation, OrgChecklistItem, OrgInspection,
    OrgCreditEntry, OrgRating, OrgChange, OrgYearFigures, OrgDocument,
)

# Tables added by schema version 4 (hours sent to the national volunteer system).
V4_MODELS: tuple[type[BaseModel], ...] = (NationalExport,)

# Tables added by schema version 5 (government-purchased service projects).
V5_MODELS: tuple[type[BaseModel], ...] = (
    Purchaser, Project, ProjectTransition, Tranche, Payment, BudgetLine, Indicator, Milestone,
    ProjectEvaluation, ProjectDocument,
)

# Tables added by schema version 6 (running totals read by the home page).
V6_MODELS: tuple[type[BaseModel], ...] = (HoursMonth,)

# Tables added by schema version 8 (the hours report's per-volunteer monthly roll-up).
V8_MODELS: tuple[type[BaseModel], ...] = (HoursVolunteerMonth,)

MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion, NumberSequence, Setting, Area, Volunteer, VolunteerNameGram,
    VolunteerPhoto, AuditLog, *V2_MODELS, *V3_MODELS, *V4_MODELS, *V5_MODELS, *V6_MODELS,
    *V8_MODELS,
)
