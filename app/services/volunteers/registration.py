"""Registering and keeping volunteers: one record per person, the ID number the key."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

import peewee as pw

from app.domain.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from app.domain.pinyin import name_grams, name_keys
from app.domain.search import reversed_key
from app.domain.volunteer import (
    STATUS_LABELS,
    IdType,
    Status,
    VolunteerDraft,
    check_status_change,
    format_volunteer_number,
)
from app.services.common import audit, numbering, settings
from app.store.db import bulk_insert, database, writing
from app.store.models import Area, Volunteer, VolunteerNameGram, VolunteerPhoto, utcnow

DRAFT_FIELDS = tuple(f.name for f in fields(VolunteerDraft))
MAX_PHOTO_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class VolunteerRecord:
    """A volunteer as stored: the registration data plus what the register adds."""

    id: int
    number: str
    draft: VolunteerDraft
    status: Status
    status_reason: str
    status_changed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    has_photo: bool

    @property
    def name(self) -> str:
        return self.draft.name


def _record(row: Volunteer, has_photo: bool | None = None) -> VolunteerRecord:
    draft = VolunteerDraft(**{f: getattr(row, f) for f in DRAFT_FIELDS})
    draft.id_type = IdType(row.id_type)
    if has_photo is None:
        has_photo = VolunteerPhoto.select().where(VolunteerPhoto.volunteer == row.id).exists()
    return VolunteerRecord(
        id=row.id, number=row.number, draft=draft, status=Status(row.status),
        status_reason=row.status_reason, status_changed_at=row.status_changed_at,
        created_at=row.created_at, updated_at=row.updated_at, version=row.version,
        has_photo=has_photo)


def _columns(draft: VolunteerDraft) -> dict:
    data = {f: getattr(draft, f) for f in DRAFT_FIELDS}
    data["id_type"] = str(draft.id_type)
    initials, full = name_keys(draft.name)
    data["name_initials"] = initials
    data["name_pinyin"] = full.replace(" ", "")[:120]  # a sort key: the column's width
    data["phone_rev"] = reversed_key(draft.phone)   # tail search (尾号)
    data["id_number_rev"] = reversed_key(draft.id_number)
    return data


def _duplicate(id_type: str, id_number: str, exclude: int | None = None) -> DuplicateError | None:
    query = Volunteer.select().where(
        (Volunteer.id_number == id_number) & (Volunteer.id_type == str(id_type)))
    if exclude is not None:
        query = query.where(Volunteer.id != exclude)
    row = query.first()
    if row is None:
        return None
    label = STATUS_LABELS[Status(row.status)]
    return DuplicateError(
        f"该证件号码已登记：{row.number} {row.name}（{label}），请打开该记录修改，不要重复登记",
        existing=row.number)


def find_duplicate(draft: VolunteerDraft) -> DuplicateError | None:
    """The existing record with the same ID number, as the error a save would raise."""
    return _duplicate(draft.id_type, draft.id_number)


def validate(draft: VolunteerDraft, today: dt.date | None = None) -> VolunteerDraft:
    """Clean and check a draft under this register's minor policy (raises FormErrors)."""
    return draft.validated(settings.minor_policy(), today)


def remember_areas(triples: set[tuple[str, str, str]]) -> None:
    rows = [{"district": d, "street": s, "community": c} for d, s, c in triples if s or c]
    if rows:
        Area.insert_many(rows).on_conflict_ignore().execute()


def register(draft: VolunteerDraft, photo: bytes | None = None,
             today: dt.date | None = None) -> VolunteerRecord:
    """Validate and store a new volunteer; assigns the volunteer number.

    Raises:
        FormErrors: the draft is invalid (nothing is stored).
        DuplicateError: the ID number is registered already; `existing` is its number.
    """
    clean = validate(draft, today)
    if photo is not None:
        _check_photo(photo)
    with writing():
        dup = find_duplicate(clean)
        if dup is not None:
            raise dup
        number = format_volunteer_number(numbering.reserve(numbering.VOLUNTEER))
        try:
            with database.atomic():  # a savepoint: PostgreSQL may go on after a conflict
                row = Volunteer.create(number=number, **_columns(clean))
        except pw.IntegrityError:
            raise find_duplicate(clean) or DuplicateError("证件号码重复", "") from None
        bulk_insert("volunteer_name_gram", ("gram", "volunteer_id"),
                    [(g, row.id) for g in name_grams(clean.name)])
        remember_areas({(clean.district, clean.street, clean.community)})
        if photo is not None:
            VolunteerPhoto.create(volunteer=row.id, image=photo)
        audit.record("register", "volunteer", number, None, asdict(clean))
        return _record(row, photo is not None)


def get(volunteer_id: int) -> VolunteerRecord:
    row = Volunteer.get_or_none(Volunteer.id == volunteer_id)
    if row is None:
        raise NotFoundError(f"找不到志愿者（编号{volunteer_id}）")
    return _record(row)


def get_by_number(number: str) -> VolunteerRecord:
    row = Volunteer.get_or_none(Volunteer.number == number.upper())
    if row is None:
        raise NotFoundError(f"找不到志愿者编号{number}")
    return _record(row)


def update(volunteer_id: int, draft: VolunteerDraft, expected_version: int,
           today: dt.date | None = None) -> VolunteerRecord:
    """Save edits, refusing them if someone else saved the record since it was loaded.

    Raises:
        FormErrors, DuplicateError: as for `register`.
        ConflictError: the record changed since `expected_version` was read.
    """
    clean = validate(draft, today)
    with writing():
        current = get(volunteer_id)
        if current.version != expected_version:
            raise ConflictError("该记录已被其他人修改，请重新打开后再编辑")
        dup = _duplicate(clean.id_type, clean.id_number, exclude=volunteer_id)
        if dup is not None:
            raise dup
        updated = Volunteer.update(
            **_columns(clean), updated_at=utcnow(), version=Volunteer.version + 1,
        ).where((Volunteer.id == volunteer_id) & (Volunteer.version == expected_version)).execute()
        if updated != 1:
            raise ConflictError("该记录已被其他人修改，请重新打开后再编辑")
        if clean.name != current.draft.name:
            _replace_grams(volunteer_id, current.draft.name, clean.name)
        remember_areas({(clean.district, clean.street, clean.community)})
        before, after = audit.changes(asdict(current.draft), asdict(clean))
        audit.record("update", "volunteer", current.number, before, after)
        return get(volunteer_id)


def _replace_grams(volunteer_id: int, old_name: str, new_name: str) -> None:
    old = name_grams(old_name)
    if old:
        VolunteerNameGram.delete().where(
            (VolunteerNameGram.gram.in_(list(old)))
            & (VolunteerNameGram.volunteer == volunteer_id)).execute()
    bulk_insert("volunteer_name_gram", ("gram", "volunteer_id"),
                [(g, volunteer_id) for g in name_grams(new_name)])


def change_status(volunteer_id: int, target: Status, reason: str,
                  expected_version: int | None = None) -> VolunteerRecord:
    """Suspend, withdraw or reinstate. Nothing is deleted; the reason is kept and audited."""
    with writing():
        current = get(volunteer_id)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError("该记录已被其他人修改，请重新打开后再操作")
        check_status_change(current.status, target, reason)
        Volunteer.update(
            status=str(target), status_reason=reason.strip(), status_changed_at=utcnow(),
            updated_at=utcnow(), version=Volunteer.version + 1,
        ).where(Volunteer.id == volunteer_id).execute()
        audit.record("status", "volunteer", current.number,
                     {"status": str(current.status)},
                     {"status": str(target), "reason": reason.strip()})
        return get(volunteer_id)


def _check_photo(image: bytes) -> None:
    if len(image) > MAX_PHOTO_BYTES:
        raise ValidationError("photo", "照片不能超过2 MB，请压缩后再上传")
    if not (image.startswith(b"\x89PNG\r\n\x1a\n") or image.startswith(b"\xff\xd8")):
        raise ValidationError("photo", "照片须为JPEG或PNG格式")


def set_photo(volunteer_id: int, image: bytes | None) -> None:
    """Replace (or with None remove) the card photo."""
    if image is not None:
        _check_photo(image)
    with writing():
        number = get(volunteer_id).number
        VolunteerPhoto.delete().where(VolunteerPhoto.volunteer == volunteer_id).execute()
        if image is not None:
            VolunteerPhoto.create(volunteer=volunteer_id, image=image)
        audit.record("photo", "volunteer", number, None, {"photo": image is not None})


def photo(volunteer_id: int) -> bytes | None:
    row = VolunteerPhoto.get_or_none(VolunteerPhoto.volunteer == volunteer_id)
    return None if row is None else bytes(row.image)


def reveal(volunteer_id: int) -> tuple[str, str]:
    """The unmasked ID number and phone; the viewing is audited (personal data)."""
    record = get(volunteer_id)
    audit.record("reveal", "volunteer", record.number)
    return record.draft.id_number, record.draft.phone
