"""Scanned QR payloads: random text and every small mutation of a genuine payload.

A card payload (`YL1:V00000123:2:<MAC>`) and a certificate payload verify only as issued,
after the one documented normalisation (surrounding whitespace from the scanner; the kiosk
also upper-cases, for a scanner in Caps Lock). Before the fix each part was checked with a
pattern ending in `$`, which matches before a final newline, so `YL1:V00000123:2\\n:<MAC>`
verified; and a NUL in a scan could not be logged on PostgreSQL, so the kiosk raised
instead of refusing. Nothing but the documented refusal (CardRefused,
CertificateInvalidError) escapes, and a refused scan at the kiosk records nothing but its
log line.
"""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import card_token, signing
from app.domain.card_token import CardRefused
from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.cards import checkin
from app.services.cards import issuing as cards
from app.services.hours import activities
from app.services.volunteers import registration
from app.store.models import ScanLog, ServiceRecord, Volunteer

KEY = bytes(range(32))
PAYLOAD = card_token.make("V00000123", 2, KEY)
MUTATIONS = 1000
RANDOM_TEXTS = 400
CERTIFICATE_MUTATIONS = 300
SCAN_EXAMPLES = 100
SPECIALS = ("\n", "\r", "\t", "\x00", " ", "\u3000", "\u200b", "：", "\x85", "\ufeff")


@st.composite
def mutations(draw: st.DrawFn, original: str) -> str:
    """`original` with one character inserted, deleted or replaced, or its case changed."""
    kind = draw(st.sampled_from(("insert", "delete", "replace", "case", "special")))
    at = draw(st.integers(0, len(original)))
    if kind == "delete":
        at = min(at, len(original) - 1)
        return original[:at] + original[at + 1:]
    if kind == "case":
        return original.lower() if draw(st.booleans()) else original.swapcase()
    ch = draw(st.sampled_from(SPECIALS)) if kind == "special" else draw(st.characters())
    if kind == "replace":
        at = min(at, len(original) - 1)
        return original[:at] + ch + original[at + 1:]
    return original[:at] + ch + original[at:]


def read_or_refuse(payload: str) -> card_token.CardClaim | None:
    try:
        return card_token.read(payload, KEY)
    except CardRefused as exc:
        assert exc.reason_code in (card_token.UNKNOWN_FORMAT, card_token.BAD_SIGNATURE)
        assert exc.message_zh
        return None


def test_a_newline_inside_the_payload_no_longer_verifies():
    """The regression: `$` matched before the newline in the serial part."""
    number, serial, mac = PAYLOAD.split(":")[1:]
    for forged in (f"YL1:{number}:{serial}\n:{mac}", f"YL1:{number}\n:{serial}:{mac}",
                   f"YL1:{number}:{serial}:{mac}\x00", f"YL1:{number}:{serial}:{mac[:-1]}\n"):
        with pytest.raises(CardRefused) as refused:
            card_token.read(forged, KEY)
        assert refused.value.reason_code == card_token.UNKNOWN_FORMAT
    assert card_token.read(PAYLOAD + "\r\n", KEY).serial == 2  # the scanner's Enter


@settings(max_examples=MUTATIONS, derandomize=True, deadline=None)
@given(mutations(PAYLOAD))
def test_a_mutated_card_payload_never_verifies(mutated):
    claim = read_or_refuse(mutated)
    if mutated.strip() == PAYLOAD:
        assert claim == card_token.CardClaim("V00000123", 2)
    else:
        assert claim is None


@settings(max_examples=RANDOM_TEXTS, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=60), st.binary(max_size=60).map(
    lambda b: b.decode("latin-1")), st.from_regex(r"YL1:[A-Z0-9:\n-]{0,30}", fullmatch=True)))
def test_random_text_never_verifies_and_raises_only_the_refusal(text):
    assert read_or_refuse(text) is None


SIGNER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
CERTIFICATE = signing.sign(signing.CertificateClaim(
    number="ZM2026-000123", volunteer_number="V00000123", holder="张三<b>",
    minutes=750, period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 6, 30),
    issued_on=dt.date(2026, 7, 1)), SIGNER)


@settings(max_examples=CERTIFICATE_MUTATIONS, derandomize=True, deadline=None)
@given(mutations(CERTIFICATE))
def test_a_mutated_certificate_payload_never_verifies(mutated):
    try:
        claim = signing.verify(mutated, SIGNER.public_key())
    except signing.CertificateInvalidError as exc:
        assert exc.message
        claim = None
    if mutated.strip() == CERTIFICATE:
        assert claim is not None and claim.holder == "张三<b>"
    else:
        assert claim is None


@pytest.fixture
def kiosk(register) -> tuple[str, int]:
    """A volunteer with a card and an open activity: (payload, activity id)."""
    first17 = "11010519800101001"
    vid = registration.register(VolunteerDraft(
        name="张三", id_number=first17 + check_character(first17), phone="13800138000")).id
    cards.issue(vid)
    start = dt.datetime(2026, 3, 1, 9)
    aid = activities.create(ActivityDraft(name="社区义诊", starts_at=start,
                                          ends_at=start + dt.timedelta(hours=3))).id
    return cards.payload_for(vid), aid


@settings(max_examples=SCAN_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_refused_scan_changes_nothing_but_its_log_line(kiosk, data):
    payload, aid = kiosk
    mutated = data.draw(mutations(payload))
    if mutated.strip().upper() == payload:
        return  # the same card, as the kiosk reads it
    records = ServiceRecord.select().count()
    volunteers = [(v.id, v.version, v.status) for v in Volunteer.select()]
    logged = ScanLog.select().count()
    result = checkin.scan(mutated, aid, station="一号机", at=dt.datetime(2026, 3, 1, 9, 5))
    assert not result.accepted and result.kind == checkin.REFUSED and result.message
    assert ServiceRecord.select().count() == records
    assert [(v.id, v.version, v.status) for v in Volunteer.select()] == volunteers
    assert ScanLog.select().count() == logged + 1
    last = ScanLog.select().order_by(ScanLog.id.desc()).get()
    assert last.outcome == checkin.REFUSED and last.volunteer_id is None
    assert last.payload.isprintable()


def test_a_nul_in_a_scan_is_refused_and_logged_as_an_escape(kiosk):
    """PostgreSQL text cannot hold a NUL: logging the scan as typed raised instead of
    refusing it."""
    payload, aid = kiosk
    result = checkin.scan(payload[:5] + "\x00" + payload[5:], aid,
                          at=dt.datetime(2026, 3, 1, 9, 5))
    assert not result.accepted and result.reason == card_token.UNKNOWN_FORMAT
    last = ScanLog.select().order_by(ScanLog.id.desc()).get()
    assert last.payload == payload[:5] + "\\x00" + payload[5:]


def test_case_counts_are_reported(capsys):
    with capsys.disabled():
        print(f"\nhostile QR: {MUTATIONS} card mutations, {RANDOM_TEXTS} random texts, "
              f"{CERTIFICATE_MUTATIONS} certificate mutations, {SCAN_EXAMPLES} kiosk scans "
              f"per backend")
