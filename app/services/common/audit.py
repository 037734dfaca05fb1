"""The audit trail every writing service leaves: who, when, what, before and after."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Mapping
from typing import Any

from app.store.db import bulk_insert
from app.store.models import AuditLog, utcnow

ENV_ACTOR = "YILIAN_USER"


def current_actor() -> str:
    """The person at the desk: YILIAN_USER, else the operating-system login."""
    try:
        return os.environ.get(ENV_ACTOR) or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _json(data: Mapping[str, Any] | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, default=_default, sort_keys=True)


def _default(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def record(action: str, entity: str, entity_id: object,
           before: Mapping[str, Any] | None = None,
           after: Mapping[str, Any] | None = None) -> None:
    """Write one audit row; call inside the transaction of the change it describes."""
    AuditLog.create(actor=current_actor(), action=action, entity=entity,
                    entity_id=str(entity_id), before=_json(before), after=_json(after))


def record_many(action: str, entity: str,
                items: list[tuple[object, Mapping[str, Any] | None]]) -> None:
    """One audit row per item of a batch (an import), written in bulk."""
    actor, now = current_actor(), utcnow()
    bulk_insert("audit_log", ("at", "actor", "action", "entity", "entity_id", "before", "after"),
                ((now, actor, action, entity, str(eid), None, _json(after))
                 for eid, after in items))


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, so an audit row says what happened at a glance."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
