"""Signed service-certificate payloads (the QR code on 志愿服务记录证明).

A school or an employer given the center's public key must be able to check a certificate
offline, without access to the register, so the QR carries the certified facts themselves
and an Ed25519 signature over them (asymmetric: the verifier's copy of the key cannot sign).

Payload (ASCII, upper case, `.`-separated; 10 fields)::

    YLC1.KEYID.NUMBER.VOLUNTEER.NAME.MINUTES.FROM.TO.ISSUED.SIGNATURE

- ``YLC1``      format tag (Yilian certificate, version 1);
- ``KEYID``     8 base32 characters of SHA-256 over the raw public key, so a certificate of
  another installation is told apart from an altered one;
- ``NUMBER``    certificate number (``ZM2026-000001``); ``VOLUNTEER`` volunteer number;
- ``NAME``      the holder's name, UTF-8 in base32 without padding (keeps the payload in the
  QR alphanumeric set: a denser code, no character-set guessing by readers, and a USB
  scanner that types it as keystrokes still works);
- ``MINUTES``   approved minutes (decimal); ``FROM``/``TO``/``ISSUED`` dates as YYYYMMDD;
- ``SIGNATURE`` the 64-byte Ed25519 signature over everything before the last ``.``,
  base32 without padding (103 characters).

Every encoded part is checked to be in canonical form (re-encoding gives the same text),
so no two texts verify as the same certificate and every single-character change is refused.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

TAG = "YLC1"
SEP = "."
FIELDS = 10
_NUMBER_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,23}$")
_DIGITS_RE = re.compile(r"^(?:0|[1-9][0-9]{0,8})$")
_DATE_RE = re.compile(r"^[0-9]{8}$")
_B32_RE = re.compile(r"^[A-Z2-7]+$")


class CertificateInvalidError(ValueError):
    """A payload that is not a genuine certificate of the given key.

    Args:
        message: a Chinese sentence for the person checking the certificate.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CertificateClaim:
    """What a certificate's QR code vouches for."""

    number: str
    volunteer_number: str
    holder: str
    minutes: int
    period_from: dt.date
    period_to: dt.date
    issued_on: dt.date
    key_id: str = ""

    @property
    def hours_text(self) -> str:
        return format_hours(self.minutes)

    @property
    def period_text(self) -> str:
        return f"{chinese_date(self.period_from)}至{chinese_date(self.period_to)}"


def format_hours(minutes: int) -> str:
    """Minutes as hours for printouts: "12", "12.5", "2.08" (two decimals at most, rounded
    half up, trailing zeros dropped) — hours are stored as minutes, never as floats."""
    hundredths = (abs(minutes) * 100 + 30) // 60
    whole, frac = divmod(hundredths, 100)
    text = str(whole) if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")
    return f"-{text}" if minutes < 0 else text


def chinese_date(day: dt.date) -> str:
    """Dates on official printouts: Arabic numerals, 2026年11月23日 (DOMAIN.md §7)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- keys ------------------------------------------------------------------------------

def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_text(key: Ed25519PrivateKey) -> str:
    """The 32 raw private bytes in base64, as the register stores them."""
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise CertificateInvalidError("登记簿中保存的证明签名私钥已损坏，无法签名") from exc


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as PEM (SubjectPublicKeyInfo), the form handed to verifiers."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """Read a PEM public key; anything else than Ed25519 is refused in Chinese."""
    data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise CertificateInvalidError("公钥文件无法读取：应为 PEM 格式的 Ed25519 公钥") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateInvalidError(
            "公钥类型不对：证明使用 Ed25519 签名，请使用出具单位导出的公钥")
    return key


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """A short, printable fingerprint of the public key (8 base32 characters)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b32(hashlib.sha256(raw).digest()[:5])


# --- payload -----------------------------------------------------------------------------

def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes | None:
    """Decode unpadded base32, or None when the text is not the canonical encoding."""
    if not text or not _B32_RE.fullmatch(text):
        return None
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except binascii.Error:
        return None
    return data if _b32(data) == text else None


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _parse_date(text: str) -> dt.date | None:
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _signed_part(claim: CertificateClaim, kid: str) -> str:
    for label, value in (("证明编号", claim.number), ("志愿者编号", claim.volunteer_number)):
        if not _NUMBER_RE.fullmatch(value):
            raise ValueError(f"{label}“{value}”含有二维码不能携带的字符")
    if not claim.holder or not 0 <= claim.minutes < 10**9:
        raise ValueError("证明缺少姓名或服务时长超出范围")
    return SEP.join((TAG, kid, claim.number, claim.volunteer_number,
                     _b32(claim.holder.encode("utf-8")), str(claim.minutes),
                     _date(claim.period_from), _date(claim.period_to),
                     _date(claim.issued_on)))


def sign(claim: CertificateClaim, key: Ed25519PrivateKey) -> str:
    """The QR payload for `claim`, signed with the installation's private key."""
    body = _signed_part(claim, key_id(key))
    return body + SEP + _b32(key.sign(body.encode("ascii")))


_ALTERED = "签名不符：证明内容被改动，或是伪造的证明"


def verify(payload: str, public_key: Ed25519PublicKey) -> CertificateClaim:
    """Check a payload against the issuer's public key and return what it certifies.

    Surrounding whitespace (a scanner's line end) is ignored; nothing else is normalised,
    because the signature covers the exact text.

    Raises:
        CertificateInvalidError: not a certificate payload, altered or forged, or signed
            by another installation's key; the message says which, in Chinese.
    """
    text = payload.strip()
    if not text.isascii() or not text.isprintable() or not text.startswith(TAG + SEP):
        raise CertificateInvalidError("这不是益联志愿服务记录证明的二维码（格式标记不对）")
    parts = text.split(SEP)
    if len(parts) != FIELDS:
        raise CertificateInvalidError("二维码内容不完整或格式不对，可能被改动")
    body, sig_text = text.rsplit(SEP, 1)
    signature = _unb32(sig_text)
    if signature is None or len(signature) != 64:
        raise CertificateInvalidError("签名格式不对：证明内容可能被改动")
    expected = key_id(public_key)
    if parts[1] != expected:
        raise CertificateInvalidError(
            f"此证明不是用这把公钥对应的私钥签发的（证明的密钥标识{parts[1]}，"
            f"公钥的密钥标识{expected}）：可能来自其他单位，或被改动")
    try:
        public_key.verify(signature, body.encode("ascii"))
    except InvalidSignature:
        raise CertificateInvalidError(_ALTERED) from None
    return _claim(parts, expected)


def _claim(parts: list[str], kid: str) -> CertificateClaim:
    """Decode the fields of a payload whose signature has been checked."""
    _tag, _kid, number, volunteer, name_b32, minutes, start, end, issued, _sig = parts
    name = _unb32(name_b32)
    dates = [_parse_date(x) for x in (start, end, issued)]
    if (name is None or not _DIGITS_RE.fullmatch(minutes) or None in dates
            or not _NUMBER_RE.fullmatch(number) or not _NUMBER_RE.fullmatch(volunteer)):
        raise CertificateInvalidError("二维码内容格式不对")
    try:
        holder = name.decode("utf-8")
    except UnicodeDecodeError:
        raise CertificateInvalidError("二维码中的姓名无法识别") from None
    start_day, end_day, issued_day = dates
    assert start_day is not None and end_day is not None and issued_day is not None
    return CertificateClaim(number=number, volunteer_number=volunteer, holder=holder,
                            minutes=int(minutes), period_from=start_day, period_to=end_day,
                            issued_on=issued_day, key_id=kid)
