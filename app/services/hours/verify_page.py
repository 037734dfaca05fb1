"""The public verification page: one self-contained HTML file a centre puts on any static
host, so that a school or an employer checks a certificate with a phone camera.

The certificate's QR holds `ADDRESS#PAYLOAD` once the address is set
(settings.CERT_VERIFY_URL, certificates.qr_text). The browser keeps the fragment to itself,
so the payload never reaches the web server; the page verifies the Ed25519 signature
locally against the public key(s) embedded here, with the same checks and the same Chinese
reasons as app.domain.signing.verify.

Ed25519 runs through WebCrypto where the browser has it, otherwise through @noble/ed25519
with @noble/hashes' SHA-512 (MIT), bundled at development time into
resources/verify/noble-ed25519.min.js from resources/verify/noble-entry.js with
``esbuild noble-entry.js --bundle --format=iife --global-name=nobleEd25519 --minify``
and embedded here with its licence (resources/verify/LICENSE.noble.txt) in a comment.
"""

from __future__ import annotations

import base64
import html as html_lib
import json
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from app.domain import signing
from app.services.common import settings
from app.services.hours import certificates

RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "verify"
TEMPLATE = RESOURCES / "verify.html.in"
LIBRARY = RESOURCES / "noble-ed25519.min.js"
LICENSE = RESOURCES / "LICENSE.noble.txt"
DEFAULT_NAME = "verify.html"


def mask_name(name: str) -> str:
    """The holder's name as the page shows it: 张*, 王*明, 欧阳**娜 (as the page's maskName)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _raw_key(pem: str | bytes) -> tuple[str, str]:
    key = signing.load_public_key(pem)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return signing.key_id(key), base64.b64encode(raw).decode("ascii")


def public_keys(extra_public_keys: Sequence[str | bytes] = ()) -> list[dict[str, str]]:
    """The keys the page trusts: the register's own (made if missing), then any older keys
    the centre still wants honoured (PEM), without repeats."""
    keys: list[dict[str, str]] = []
    for pem in (certificates.public_key_pem(), *extra_public_keys):
        kid, raw = _raw_key(pem)
        if all(k["id"] != kid for k in keys):
            keys.append({"id": kid, "raw": raw})
    return keys


def _script_json(value: object) -> str:
    """JSON that cannot end the <script> element it is written into."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")


def html(extra_public_keys: Sequence[str | bytes] = ()) -> str:
    """The page's text for this register.

    Raises:
        CertificateInvalidError: an extra public key is not an Ed25519 PEM key.
    """
    library = LIBRARY.read_text(encoding="utf-8").strip()
    licence = LICENSE.read_text(encoding="utf-8").strip()
    if "</script" in library.lower() or "*/" in licence:
        raise ValueError("bundled verifier cannot be embedded as it is")
    center = html_lib.escape(settings.get(settings.CENTER_NAME), quote=True)
    page = TEMPLATE.read_text(encoding="utf-8")
    for mark, value in (("@@LICENSE@@", licence), ("@@LIBRARY@@", library),
                        ("@@KEYS@@", _script_json(public_keys(extra_public_keys))),
                        ("@@CENTER_NAME@@", center)):
        page = page.replace(mark, value)
    return page


def write(path: Path, extra_public_keys: Sequence[str | bytes] = ()) -> Path:
    """Write the page to `path` (a folder gets verify.html inside) and return the file.

    Raises:
        OSError: not written, named after `path` (not the temporary file beside it).
    """
    path = Path(path)
    if path.is_dir():
        path = path / DEFAULT_NAME
    text = html(extra_public_keys)
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(text, encoding="utf-8")
        part.replace(path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        if part.exists():
            part.unlink()
    return path
