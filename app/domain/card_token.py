"""The signed payload in a volunteer ID card's QR code (志愿者证二维码).

Payload (ASCII, upper case, `:`-separated; 4 fields)::

    YL1:V00000123:2:K7QD3M2XWA

- ``YL1``   format tag (Yilian card, version 1); a later format gets a new tag;
- ``V00000123``  the volunteer number (upper-case letters, digits, ``-``; 1–16 characters);
- ``2``     the card serial, decimal without leading zeros (1 for the first card; a reissue
  raises it, so the older card's payload names an older serial and is refused as revoked);
- ``K7QD3M2XWA`` the first 50 bits of HMAC-SHA256 over ``YL1|NUMBER|SERIAL`` under the
  installation's key, in RFC 4648 base32 (``A-Z2-7``), 10 characters.

Why this shape:

- every character is in the QR alphanumeric set (0-9 A-Z space $ % * + - . / :), so the code
  is encoded in alphanumeric mode (about 26 characters fit a version-2 code, 25 × 25 modules,
  large modules on a small card) and a USB scanner acting as a keyboard types nothing an input
  method or a keyboard layout could change (no lower case, no punctuation beyond ``:``);
- a truncated HMAC, not a public-key signature: cards are only ever checked by the register
  that issued them (the kiosk looks the card up anyway), and an HMAC keeps the payload short.
  50 bits is plenty for an online check — each guess costs a scan that is logged — while an
  Ed25519 signature would add ~100 characters and make the code four times denser;
- the key is per installation, so another center's card (same format, other key) fails the
  signature check: "bad_signature" covers both forged and foreign cards.

Every part is checked to be in canonical form, so exactly one text verifies for a card and any
single-character change is refused. Comparison of the MAC is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

TAG = "YL1"
SEP = ":"
MAC_CHARS = 10                       # 50 bits of the HMAC, base32
MAX_SERIAL = 999_999
_NUMBER_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_SERIAL_RE = re.compile(r"^[1-9][0-9]{0,5}$")
_MAC_RE = re.compile(rf"^[A-Z2-7]{{{MAC_CHARS}}}$")
MIN_KEY_BYTES = 16

# Reason codes the verifier (here and in app.services.cards.issuing) reports.
UNKNOWN_FORMAT = "unknown_format"
BAD_SIGNATURE = "bad_signature"


@dataclass(frozen=True)
class CardClaim:
    """What a genuine payload says: whose card and which issue of it."""

    number: str
    serial: int


class CardRefused(ValueError):
    """A scanned card that is not accepted.

    Args:
        reason_code: unknown_format, bad_signature (here); revoked, unknown_card,
            unknown_volunteer, withdrawn, suspended, merged (app.services.cards.issuing).
        message_zh: a Chinese sentence to show at the kiosk.
    """

    def __init__(self, reason_code: str, message_zh: str) -> None:
        super().__init__(f"{reason_code}: {message_zh}")
        self.reason_code = reason_code
        self.message_zh = message_zh

    @property
    def code(self) -> str:
        """Alias of reason_code."""
        return self.reason_code

    @property
    def message(self) -> str:
        """Alias of message_zh (like ValidationError.message)."""
        return self.message_zh


def _mac(number: str, serial: int, key: bytes) -> str:
    message = f"{TAG}|{number}|{serial}".encode("ascii")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:MAC_CHARS]


def _check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError("card key must be at least 16 bytes")


def make(number: str, serial: int, key: bytes) -> str:
    """The payload for card `serial` of volunteer `number`.

    Raises:
        ValueError: a number outside the payload's character set, a serial out of range,
            or a key too short to sign with.
    """
    _check_key(key)
    if not _NUMBER_RE.fullmatch(number):
        raise ValueError(f"volunteer number {number!r} cannot be put on a card")
    if not 1 <= serial <= MAX_SERIAL:
        raise ValueError(f"card serial {serial} out of range")
    return SEP.join((TAG, number, str(serial), _mac(number, serial, key)))


def read(payload: str, key: bytes) -> CardClaim:
    """Check a scanned payload's format and signature; surrounding whitespace (a scanner's
    Enter or Tab) is ignored.

    Raises:
        CardRefused: unknown_format (not a card of this format) or bad_signature (altered,
            forged, or issued by another installation).
    """
    _check_key(key)
    text = payload.strip()
    # `$` matches before a final newline, so each part is fullmatched, and anything but
    # printable ASCII (a NUL, a line break inside, a full-width colon) is refused first.
    if not (text.isascii() and text.isprintable()):
        raise CardRefused(UNKNOWN_FORMAT, "无法识别的二维码：不是本系统的志愿者证")
    parts = text.split(SEP)
    if len(parts) != 4 or parts[0] != TAG or not _NUMBER_RE.fullmatch(parts[1]) \
            or not _SERIAL_RE.fullmatch(parts[2]) or not _MAC_RE.fullmatch(parts[3]):
        raise CardRefused(UNKNOWN_FORMAT, "无法识别的二维码：不是本系统的志愿者证")
    number, serial = parts[1], int(parts[2])
    if not hmac.compare_digest(_mac(number, serial, key), parts[3]):
        raise CardRefused(BAD_SIGNATURE,
                          "志愿者证校验失败：二维码被改动、伪造，或是其他单位发放的证件")
    return CardClaim(number, serial)
