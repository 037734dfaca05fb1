"""Signed certificate payloads: round trip, every one-character change refused, foreign keys."""

import datetime as dt
import string
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import signing
from app.domain.signing import CertificateClaim, CertificateInvalidError

KEY = signing.generate_private_key()
OTHER_KEY = signing.generate_private_key()
CLAIM = CertificateClaim(
    number="ZM2026-000017", volunteer_number="V00000042", holder="买买提·艾力",
    minutes=750, period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 11, 23),
    issued_on=dt.date(2026, 11, 23))
PAYLOAD = signing.sign(CLAIM, KEY)
# Characters a substitution may bring in: the payload's own alphabet and some strangers.
ALPHABET = string.ascii_letters + string.digits + ".-_= 张\u00b7\n"


def test_round_trip():
    claim = signing.verify(PAYLOAD, KEY.public_key())
    assert claim == replace(CLAIM, key_id=signing.key_id(KEY))
    assert claim.hours_text == "12.5"
    assert claim.period_text == "2026年1月1日至2026年11月23日"


def test_payload_is_upper_case_qr_alphanumeric_and_compact():
    assert set(PAYLOAD) <= set(string.ascii_uppercase + string.digits + ".-")
    assert PAYLOAD.startswith("YLC1.")
    assert len(PAYLOAD) < 230


def test_scanner_line_end_is_ignored():
    assert signing.verify(f"  {PAYLOAD}\r\n", KEY.public_key()).number == CLAIM.number


@settings(max_examples=400, deadline=None)
@given(position=st.integers(0, len(PAYLOAD) - 1), replacement=st.sampled_from(ALPHABET))
def test_every_single_character_change_is_refused(position, replacement):
    if PAYLOAD[position] == replacement:
        replacement = "A" if replacement != "A" else "B"
    altered = PAYLOAD[:position] + replacement + PAYLOAD[position + 1:]
    with pytest.raises(CertificateInvalidError) as err:
        signing.verify(altered, KEY.public_key())
    assert err.value.message


def test_every_position_changed_in_every_way_is_refused():
    """Exhaustive over positions for a change within the same character class, the change
    most likely to slip through (e.g. the spare bits of the last base32 character)."""
    classes = (string.ascii_uppercase, string.digits + "234567")
    for i, ch in enumerate(PAYLOAD):
        pool = next((c for c in classes if ch in c), ".-")
        for repl in pool:
            if repl == ch:
                continue
            with pytest.raises(CertificateInvalidError):
                signing.verify(PAYLOAD[:i] + repl + PAYLOAD[i + 1:], KEY.public_key())


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, len(PAYLOAD) - 1))
def test_deleting_any_character_is_refused(position):
    with pytest.raises(CertificateInvalidError):
        signing.verify(PAYLOAD[:position] + PAYLOAD[position + 1:], KEY.public_key())


def test_another_installations_key_is_refused():
    with pytest.raises(CertificateInvalidError) as err:
        signing.verify(PAYLOAD, OTHER_KEY.public_key())
    assert "公钥" in err.value.message and signing.key_id(OTHER_KEY) in err.value.message


def test_a_forgery_with_another_key_claiming_ours_is_refused():
    """A forger who copies our key id into a payload signed with their own key."""
    forged = signing.sign(CLAIM, OTHER_KEY).split(".")
    forged[1] = signing.key_id(KEY)
    with pytest.raises(CertificateInvalidError) as err:
        signing.verify(".".join(forged), KEY.public_key())
    assert "改动" in err.value.message or "伪造" in err.value.message


def test_changed_hours_are_refused_with_a_clear_message():
    parts = PAYLOAD.split(".")
    parts[5] = "7500"
    with pytest.raises(CertificateInvalidError) as err:
        signing.verify(".".join(parts), KEY.public_key())
    assert err.value.message == "签名不符：证明内容被改动，或是伪造的证明"


@pytest.mark.parametrize("text", ["", "hello", "VOL1.ABC", "YLC1.", "YLC1." + "A." * 9,
                                  PAYLOAD.lower(), PAYLOAD + ".X"])
def test_garbage_is_refused(text):
    with pytest.raises(CertificateInvalidError):
        signing.verify(text, KEY.public_key())


def test_public_key_pem_round_trip_and_bad_pem():
    pem = signing.public_key_pem(KEY)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert signing.verify(PAYLOAD, signing.load_public_key(pem)).holder == CLAIM.holder
    with pytest.raises(CertificateInvalidError, match="PEM"):
        signing.load_public_key("not a key")


def test_private_key_text_round_trip():
    text = signing.private_key_to_text(KEY)
    again = signing.private_key_from_text(text)
    assert signing.key_id(again) == signing.key_id(KEY)


@pytest.mark.parametrize(("minutes", "text"), [(0, "0"), (60, "1"), (750, "12.5"),
                                               (125, "2.08"), (1, "0.02"), (-30, "-0.5")])
def test_format_hours(minutes, text):
    assert signing.format_hours(minutes) == text


def test_numbers_outside_the_qr_alphabet_are_not_signed():
    with pytest.raises(ValueError):
        signing.sign(replace(CLAIM, number="zm.1"), KEY)
