"""Writing many organizations at once (an import, demo data) through the driver's bulk path.

`registration.create` stores one organization with its legal move and audit row; this does
the same for thousands in a handful of statements. Call inside `writing()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.legal_status import LegalStatus
from app.domain.pinyin import name_keys
from app.services.common import audit
from app.services.orgs.registration import DRAFT_FIELDS, legal_columns
from app.store.db import bulk_insert, database, is_sqlite

_ENUMS = ("kind", "pne_form", "service_field")
_LEGAL = ("legal_status", "legal_since", "filed_on", "registered_on", "deregistered_on")
ORG_COLUMNS = (*DRAFT_FIELDS, "name_initials", "name_pinyin", *_LEGAL,
               "incubation_state", "incubation_since", "rating", "rated_on",
               "created_at", "updated_at", "version")
TRANSITION_COLUMNS = ("org_id", "machine", "from_state", "to_state", '"on"', "authority",
                      "note", "actor", "at")


@cache
def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin without spaces), as `registration.columns` makes them."""
    initials, full = name_keys(name)
    return initials, full.replace(" ", "")


def org_values(draft: OrgDraft, status: LegalStatus, legal_on: dt.date | None,
               now: dt.datetime, *, incubation: tuple[str | None, dt.date | None] = (None, None),
               rating: tuple[str, dt.date | None] = ("", None),
               extra_legal: dict[str, Any] | None = None) -> tuple:
    """One `organization` row in ORG_COLUMNS order for a validated draft."""
    values: list[Any] = []
    for name in DRAFT_FIELDS:
        value = getattr(draft, name)
        if name in _ENUMS:
            value = str(value) if value is not None else ""
        elif name == "credit_code":
            value = value or None
        values.append(value)
    initials, full = pinyin_keys(draft.name)
    legal: dict[str, Any] = dict.fromkeys(_LEGAL)
    legal["legal_status"] = str(LegalStatus.UNREGISTERED)
    if status is not LegalStatus.UNREGISTERED and legal_on is not None:
        legal.update(legal_columns(status, legal_on))
    if extra_legal:
        legal.update(extra_legal)
    return (*values, initials, full, *(legal[c] for c in _LEGAL), *incubation, *rating,
            now, now, 1)


def insert_organizations(rows: Sequence[tuple]) -> list[int]:
    """Insert ORG_COLUMNS rows; returns their ids in the same order.

    The new ids are read back as the rows above the largest id before the insert, matched
    in order by (name, credit code): inside the write transaction on SQLite nothing else
    inserts; on PostgreSQL another desk's rows, if any, are skipped by the match.
    """
    if not rows:
        return []
    before = database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM organization").fetchone()[0]
    prepared = [_for_driver(row) for row in rows] if is_sqlite() else list(rows)
    bulk_insert("organization", ORG_COLUMNS, prepared)
    found = database.execute_sql(
        f"SELECT id, name, credit_code FROM organization WHERE id > {database.param} "
        "ORDER BY id", (before,)).fetchall()
    name_at, code_at = ORG_COLUMNS.index("name"), ORG_COLUMNS.index("credit_code")
    ids: list[int] = []
    k = 0
    for oid, name, code in found:
        if k < len(rows) and (name, code) == (rows[k][name_at], rows[k][code_at]):
            ids.append(oid)
            k += 1
    if len(ids) != len(rows):
        raise RuntimeError("写入的社会组织与读回的记录对不上，未写入任何数据")
    return ids


def _for_driver(row: tuple) -> tuple:
    """Dates and moments as text for sqlite3 (its default adapters are deprecated)."""
    return tuple(v.isoformat(" ") if isinstance(v, dt.datetime)
                 else v.isoformat() if isinstance(v, dt.date) else v for v in row)


def insert_transitions(rows: Sequence[tuple]) -> int:
    """Insert TRANSITION_COLUMNS rows (org_id, machine, from, to, on, authority, note, actor,
    at)."""
    if is_sqlite():
        rows = [_for_driver(row) for row in rows]
    return bulk_insert("org_transition", TRANSITION_COLUMNS, rows)


def legal_transitions(org_id: int, status: LegalStatus, on: dt.date, authority: str,
                      now: dt.datetime, actor: str, note: str = "") -> list[tuple]:
    """The org_transition rows that put a new organization in `status` (none if unregistered)."""
    if status is LegalStatus.UNREGISTERED:
        return []
    return [(org_id, "legal", str(LegalStatus.UNREGISTERED), str(status), on, authority, note,
             actor, now)]


def audit_many(action: str, items: list[tuple[int, dict[str, Any]]]) -> None:
    """One audit row per organization, in bulk."""
    audit.record_many(action, "organization", list(items))


__all__ = ["ORG_COLUMNS", "TRANSITION_COLUMNS", "audit_many", "insert_organizations",
           "insert_transitions", "legal_transitions", "org_values", "pinyin_keys"]
