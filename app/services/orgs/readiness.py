"""Registration readiness (登记/备案准备): the materials checklist and the packet it yields.

Part of incubation (a group is helped to register on the way) and re-exported by
`incubation`; a module of its own because it also writes files.

Which items are required:

* a 社区社会组织 is filed (备案) with the street: charter, founding minutes, the responsible
  person's papers and proof of address;
* a registrable type adds proof of funds, and the supervisor's consent when it has a business
  supervisor unit (the four directly registered categories have none).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import NotFoundError, ValidationError
from app.domain.orgs.kinds import OrgKind
from app.services.common import audit
from app.services.orgs import documents
from app.store.db import writing
from app.store.models import Organization, OrgChecklistItem, OrgDocument
from reports.registration_packet import PacketData, PacketItem, render

CHECKLIST_ITEMS = {
    "charter": "章程草案",
    "founding_minutes": "成立会议纪要",
    "representative_documents": "法定代表人/负责人身份证明及简历",
    "address_proof": "住所证明",
    "capital_proof": "验资报告/资金证明",
    "supervisor_consent": "业务主管单位同意文件",
}
"""Item key → Chinese name, in the order the packet lists them."""

FILING_ITEMS = frozenset({"charter", "founding_minutes", "representative_documents",
                          "address_proof"})
PACKET_LABELS = {"filing": "备案材料", "registration": "登记材料"}
INDEX_NAME = "00-材料清单.pdf"


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    item: str
    label: str
    required: bool
    done_on: dt.date | None
    note: str
    document_id: int | None


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[ChecklistLine, ...]
    complete: bool  # every required item is done
    packet: str  # "filing" (备案材料) or "registration" (登记材料)

    @property
    def packet_label(self) -> str:
        return PACKET_LABELS[self.packet]

    @property
    def missing(self) -> tuple[ChecklistLine, ...]:
        return tuple(line for line in self.items if line.required and line.done_on is None)


def _org(org_id: int) -> Organization:
    row = Organization.get_or_none(Organization.id == org_id)
    if row is None:
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return row

def _fk(row: Any) -> int:
    """The organization id of a row (the models declare no `org_id` attribute for mypy)."""
    return int(row.org_id)



def _required(item: str, kind: OrgKind, has_supervisor: bool) -> bool:
    if not kind.registrable:
        return item in FILING_ITEMS
    if item == "supervisor_consent":
        return has_supervisor
    return True


def checklist(org_id: int) -> Checklist:
    """Every item in order, done or not, and whether the required ones are all done."""
    org = _org(org_id)
    kind = OrgKind(org.kind)
    has_supervisor = bool(org.supervisor_unit.strip())
    rows = {r.item: r for r in OrgChecklistItem.select().where(OrgChecklistItem.org == org_id)}
    lines = []
    for item, label in CHECKLIST_ITEMS.items():
        row = rows.get(item)
        lines.append(ChecklistLine(
            item, label, _required(item, kind, has_supervisor),
            row.done_on if row else None, row.note if row else "",
            row.document if row and row.done_on else None))
    complete = all(line.done_on is not None for line in lines if line.required)
    return Checklist(tuple(lines), complete, "registration" if kind.registrable else "filing")


def _check_item(item: str) -> None:
    if item not in CHECKLIST_ITEMS:
        raise ValidationError("item", f"“{item}”不是材料清单中的项目")


def tick(org_id: int, item: str, done_on: dt.date, note: str = "",
         document_id: int | None = None) -> None:
    """Mark an item ready, optionally with the attached document that holds it.

    Raises:
        ValidationError: unknown item, or a document of another organization.
    """
    _check_item(item)
    with writing():
        _org(org_id)
        if document_id is not None:
            doc = OrgDocument.get_or_none(OrgDocument.id == document_id)
            if doc is None or _fk(doc) != org_id:
                raise ValidationError("document_id", "所选附件不属于该组织")
        note = note.strip()
        row = OrgChecklistItem.get_or_none((OrgChecklistItem.org == org_id)
                                           & (OrgChecklistItem.item == item))
        after = {"item": item, "done_on": done_on, "note": note, "document_id": document_id}
        if row is None:
            row = OrgChecklistItem.create(org=org_id, item=item, done_on=done_on, note=note,
                                          document=document_id)
            audit.record("tick", "org_checklist_item", row.id, None, {"org_id": org_id, **after})
            return
        before = {"item": item, "done_on": row.done_on, "note": row.note,
                  "document_id": row.document}
        OrgChecklistItem.update(done_on=done_on, note=note, document=document_id).where(
            OrgChecklistItem.id == row.id).execute()
        audit.record("tick", "org_checklist_item", row.id, before, after)


def untick(org_id: int, item: str) -> None:
    """Mark an item not ready again (the row stays, with its note)."""
    _check_item(item)
    with writing():
        _org(org_id)
        row = OrgChecklistItem.get_or_none((OrgChecklistItem.org == org_id)
                                           & (OrgChecklistItem.item == item))
        if row is None or row.done_on is None:
            return
        OrgChecklistItem.update(done_on=None, document=None).where(
            OrgChecklistItem.id == row.id).execute()
        audit.record("untick", "org_checklist_item", row.id,
                     {"item": item, "done_on": row.done_on, "document_id": row.document},
                     {"item": item, "done_on": None, "document_id": None})


def build_packet(org_id: int, out: Path, today: dt.date | None = None) -> Path:
    """Write a .zip of the ticked items' documents plus an index PDF (00-材料清单.pdf).

    Every attached document is checked against its hash first (`documents.path_for`).

    Raises:
        ValidationError: required items are missing (named in the message), or an attached
            document is lost or changed.
    """
    org = _org(org_id)
    state = checklist(org_id)
    if not state.complete:
        names = "、".join(line.label for line in state.missing)
        raise ValidationError("checklist", f"{state.packet_label}尚未备齐，还缺：{names}")
    files: list[tuple[Path, str]] = []
    items: list[PacketItem] = []
    for number, line in enumerate(state.items, start=1):
        if not line.required and line.done_on is None:
            continue
        arcname = ""
        if line.done_on is not None and line.document_id is not None:
            path = documents.path_for(line.document_id)
            file_name = documents.document(line.document_id).file_name
            arcname = f"{number:02d}-{line.label.replace('/', '、')}-{file_name}"
            files.append((path, arcname))
        items.append(PacketItem(line.label, line.required, line.done_on, arcname, line.note))
    data = PacketData(state.packet == "filing", org.name, org.credit_code or "", items,
                      today or dt.date.today())
    pdf = render(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.part")
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(INDEX_NAME, pdf)
            for path, arcname in files:
                zf.write(path, arcname)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return out
