"""The card QR payload: round trip, canonical form, and refusal of every edited payload."""

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import card_token
from app.domain.card_token import BAD_SIGNATURE, UNKNOWN_FORMAT, CardClaim, CardRefused

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
QR_ALPHANUMERIC = set(string.digits + string.ascii_uppercase + " $%*+-./:")
ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase + " $%*+-./:|_\t"

numbers = st.from_regex(re.compile(r"[A-Z0-9][A-Z0-9-]{0,15}"), fullmatch=True)
serials = st.integers(1, card_token.MAX_SERIAL)


def test_round_trip_and_shape():
    payload = card_token.make("V00000123", 2, KEY)
    tag, number, serial, mac = payload.split(":")
    assert (tag, number, serial) == ("YL1", "V00000123", "2")
    assert len(mac) == card_token.MAC_CHARS
    assert set(payload) <= QR_ALPHANUMERIC
    assert payload == payload.upper() and len(payload) <= 30
    assert card_token.read(payload, KEY) == CardClaim("V00000123", 2)
    # a keyboard-wedge scanner's Enter or Tab is ignored
    assert card_token.read(payload + "\r\n", KEY) == CardClaim("V00000123", 2)


@given(numbers, serials)
def test_round_trip_any_card(number, serial):
    payload = card_token.make(number, serial, KEY)
    assert set(payload) <= QR_ALPHANUMERIC
    assert card_token.read(payload, KEY) == CardClaim(number, serial)


def test_another_installation_is_a_bad_signature():
    payload = card_token.make("V00000123", 1, OTHER_KEY)
    with pytest.raises(CardRefused) as caught:
        card_token.read(payload, KEY)
    assert caught.value.reason_code == BAD_SIGNATURE
    assert "其他单位" in caught.value.message_zh


@pytest.mark.parametrize("text", [
    "", "hello", "YL1:V1:1", "YL2:V00000123:1:AAAAAAAAAA", "yl1:v00000123:1:aaaaaaaaaa",
    "YL1:V00000123:01:AAAAAAAAAA", "YL1:V00000123:0:AAAAAAAAAA", "YL1::1:AAAAAAAAAA",
    "YL1:V00000123:1:AAAAAAAAA1", "YL1:V00000123:1:AAAAAAAAAA:", "ZM2026-000001",
])
def test_unknown_format(text):
    with pytest.raises(CardRefused) as caught:
        card_token.read(text, KEY)
    assert caught.value.reason_code == UNKNOWN_FORMAT


def test_signature_covers_number_and_serial():
    payload = card_token.make("V00000123", 2, KEY)
    mac = payload.rsplit(":", 1)[1]
    for forged in (f"YL1:V00000124:2:{mac}", f"YL1:V00000123:3:{mac}"):
        with pytest.raises(CardRefused) as caught:
            card_token.read(forged, KEY)
        assert caught.value.reason_code == BAD_SIGNATURE


def test_make_refuses_what_cannot_be_printed():
    for number, serial in (("v1", 1), ("V:1", 1), ("V1", 0), ("V1", 10**6)):
        with pytest.raises(ValueError):
            card_token.make(number, serial, KEY)
    with pytest.raises(ValueError):
        card_token.make("V1", 1, b"short")


@settings(max_examples=500)
@given(numbers, serials, st.data())
def test_no_single_character_change_is_accepted(number, serial, data):
    payload = card_token.make(number, serial, KEY)
    i = data.draw(st.integers(0, len(payload)), label="position")
    kind = data.draw(st.sampled_from(
        ["insert"] if i == len(payload) else ["replace", "insert", "delete"]), label="kind")
    ch = data.draw(st.sampled_from(ALPHABET).filter(
        lambda c: kind == "insert" or c != payload[i]), label="char")
    if kind == "replace":
        mutant = payload[:i] + ch + payload[i + 1:]
    elif kind == "insert":
        mutant = payload[:i] + ch + payload[i:]
    else:
        mutant = payload[:i] + payload[i + 1:]
    if mutant.strip() == payload:  # whitespace added before the code: a scanner's Tab
        assert card_token.read(mutant, KEY) == CardClaim(number, serial)
        return
    with pytest.raises(CardRefused):
        card_token.read(mutant, KEY)


def test_exceptions_carry_code_and_message_aliases():
    err = CardRefused(BAD_SIGNATURE, "x")
    assert (err.code, err.message) == (err.reason_code, err.message_zh)
