"""The public verification page in a real browser: Debian's Chromium driven by Playwright.

The page is opened from a file URL with `#PAYLOAD` for certificates issued in a test
register; its verdict and reason are compared with app.domain.signing.verify for every
single-character change of the payload, through the WebCrypto path and through the bundled
@noble/ed25519 path. Screenshots at phone size go to /tmp/verify_shots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain import signing
from app.domain.signing import CertificateClaim, CertificateInvalidError
from app.domain.volunteer import VolunteerDraft
from app.services.hours import certificates, verify_page
from app.services.volunteers import registration as volunteers
from app.store.models import Activity, ServiceRecord, Setting

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path("/tmp/verify_shots")
TODAY = dt.date(2026, 11, 23)
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
# Every character a payload holds, and a few it never does.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-a #"
NO_SUBTLE = "delete Crypto.prototype.subtle; delete window.crypto.subtle;"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def issue(name: str = "欧阳娜娜") -> certificates.IssuedCertificate:
    v = volunteers.register(VolunteerDraft(name=name, id_number="11010519491231002X",
                                           phone="13800138000",
                                           registered_on=dt.date(2026, 1, 10)), today=TODAY)
    start = dt.datetime(2026, 3, 5, 9, 0)
    act = Activity.create(name="社区敬老服务", organizer="和平社区", starts_at=start,
                          ends_at=start + dt.timedelta(hours=3), category="助老")
    ServiceRecord.create(volunteer=v.id, activity=act.id, kind="manual", status="approved",
                         started_at=start, ended_at=start + dt.timedelta(minutes=155),
                         minutes=155)
    return certificates.issue(v.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), today=TODAY)


def open_page(browser: object, path: Path, payload: str, init_script: str = "",
              offline: bool = False) -> tuple[object, object, list[str]]:
    context = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    if offline:
        context.set_offline(True)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{path.as_uri()}#{payload}")
    page.wait_for_selector("body[data-state]")
    return context, page, requests


def python_reason(payload: str, key: object) -> str | None:
    try:
        signing.verify(payload, key)  # type: ignore[arg-type]
    except CertificateInvalidError as exc:
        return exc.message
    return None


def mutations(payload: str, alphabet: str = ALPHABET) -> list[str]:
    """Every single-character change: each character replaced by each other one of
    `alphabet`, dropped, or with one of `alphabet` slipped in before it (or at the end)."""
    out = []
    for i, original in enumerate(payload):
        out.extend(payload[:i] + c + payload[i + 1:] for c in alphabet if c != original)
        out.append(payload[:i] + payload[i + 1:])          # a character dropped
        out.extend(payload[:i] + c + payload[i:] for c in alphabet)  # one slipped in
    out.extend(payload + c for c in alphabet)
    return list(dict.fromkeys(out))


def page_verdicts(page: object, payloads: list[str]) -> list[list]:
    return page.evaluate(  # type: ignore[attr-defined]
        """async (payloads) => {
             const out = [];
             for (const p of payloads) {
               const r = await window.yilianVerify(p);
               out.push([r.valid, r.reason]);
             }
             return out;
           }""", payloads)


def check_all_refused(page: object, payload: str, key: object, alphabet: str = ALPHABET
                      ) -> int:
    # Surrounding whitespace is no change: both verifiers ignore a scanner's line end.
    mutated = [m for m in mutations(payload, alphabet) if m.strip() != payload]
    verdicts = page_verdicts(page, mutated)
    for text, (valid, reason) in zip(mutated, verdicts, strict=True):
        expected = python_reason(text, key)
        assert expected is not None, text
        assert not valid, text
        assert reason == expected, text
    return len(mutated)


def shows(page: object, selector: str) -> str:
    return str(page.inner_text(selector)).strip()  # type: ignore[attr-defined]


def test_a_real_certificate_is_valid_and_every_change_refused(register, browser, tmp_path):
    cert = issue()
    path = verify_page.write(tmp_path / "verify.html")
    context, page, requests = open_page(browser, path, cert.payload)
    try:
        assert shows(page, "#status") == "有效"
        assert shows(page, "#holder") == verify_page.mask_name("欧阳娜娜") == "欧**娜"
        assert shows(page, "#number") == cert.number == "ZM2026-000001"
        assert shows(page, "#hours") == "2.58 小时"
        assert shows(page, "#period") == "2026年3月1日至2026年3月31日"
        assert page.evaluate("window.yilianEngine()") == "webcrypto"
        key = certificates._stored_key().public_key()  # type: ignore[union-attr]
        assert check_all_refused(page, cert.payload, key) > 14000
        # A few whole navigations, as a phone camera would open them.
        for i in (0, 30, len(cert.payload) - 5):
            bad = cert.payload[:i] + ("B" if cert.payload[i] != "B" else "C") \
                + cert.payload[i + 1:]
            page.goto(f"{path.as_uri()}#{bad}")
            page.wait_for_function("document.body.dataset.state === 'invalid'")
            assert shows(page, "#status") == "无效"
            assert shows(page, "#reason") == python_reason(bad, key)
            assert not page.is_visible("#facts")
        assert {u.split("#")[0] for u in requests} == {path.as_uri()}
    finally:
        context.close()


def test_without_webcrypto_the_bundled_library_verifies(register, browser, tmp_path):
    cert = issue("王小明")
    path = verify_page.write(tmp_path / "verify.html")
    context, page, _requests = open_page(browser, path, cert.payload, init_script=NO_SUBTLE)
    try:
        assert page.evaluate("typeof (window.crypto && window.crypto.subtle)") == "undefined"
        assert shows(page, "#status") == "有效"
        assert shows(page, "#holder") == "王*明"
        assert page.evaluate("window.yilianEngine()") == "noble"
        key = certificates._stored_key().public_key()  # type: ignore[union-attr]
        # One substitution per position (and the drops and insertions): the library is slower.
        assert check_all_refused(page, cert.payload, key, alphabet="Q7") > 500
    finally:
        context.close()


def test_another_installations_certificate_is_refused(register, browser, tmp_path):
    cert = issue()
    other = signing.generate_private_key()
    foreign = signing.sign(CertificateClaim(
        number=cert.number, volunteer_number=cert.claim.volunteer_number,
        holder=cert.claim.holder, minutes=cert.minutes, period_from=cert.claim.period_from,
        period_to=cert.claim.period_to, issued_on=cert.claim.issued_on), other)
    path = verify_page.write(tmp_path / "verify.html")
    context, page, _r = open_page(browser, path, foreign)
    try:
        assert shows(page, "#status") == "无效"
        with pytest.raises(CertificateInvalidError) as refused:
            certificates.verify(foreign)
        assert shows(page, "#reason") == refused.value.message
        assert "密钥标识" in refused.value.message
    finally:
        context.close()


def test_a_rotated_out_key_is_refused_unless_the_page_keeps_it(register, browser, tmp_path):
    """The signing module tells keys apart by key id: a certificate signed by a key the
    register no longer holds is refused with the key-id reason, like another issuer's,
    unless the centre writes the page with the old public key kept (`--also-key`)."""
    cert = issue()
    old_pem = certificates.public_key_pem()
    fresh = signing.generate_private_key()
    Setting.update(value=signing.private_key_to_text(fresh)).where(
        Setting.key == certificates.PRIVATE_KEY).execute()
    Setting.update(value=signing.public_key_pem(fresh)).where(
        Setting.key == certificates.PUBLIC_KEY).execute()
    with pytest.raises(CertificateInvalidError) as refused:
        certificates.verify(cert.payload)
    path = verify_page.write(tmp_path / "verify.html")
    context, page, _r = open_page(browser, path, cert.payload)
    try:
        assert shows(page, "#status") == "无效"
        assert shows(page, "#reason") == refused.value.message
    finally:
        context.close()
    kept = verify_page.write(tmp_path / "kept.html", [old_pem])
    assert [k["id"] for k in verify_page.public_keys([old_pem])] == [
        signing.key_id(fresh), cert.claim.key_id]
    context, page, _r = open_page(browser, kept, cert.payload)
    try:
        assert shows(page, "#status") == "有效"
    finally:
        context.close()


def test_offline_phone_screens(register, browser, tmp_path):
    """No network at all, nothing requested but the file; phone-sized screenshots."""
    cert = issue()
    path = verify_page.write(tmp_path / "verify.html")
    SHOTS.mkdir(exist_ok=True)
    context, page, requests = open_page(browser, path, cert.payload, offline=True)
    try:
        assert shows(page, "#status") == "有效"
        page.screenshot(path=str(SHOTS / "valid.png"), full_page=True)
        parts = cert.payload.split(".")
        parts[5] = str(int(parts[5]) + 600)  # ten hours more than certified
        bad = ".".join(parts)
        page.goto(f"{path.as_uri()}#{bad}")
        page.wait_for_function("document.body.dataset.state === 'invalid'")
        page.screenshot(path=str(SHOTS / "invalid.png"), full_page=True)
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.state === 'empty'")
        page.screenshot(path=str(SHOTS / "empty.png"), full_page=True)
        assert {u.split("#")[0] for u in requests} == {path.as_uri()}
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing wider than the phone
    finally:
        context.close()


def test_the_page_is_one_file_that_loads_nothing(register, tmp_path):
    issue()
    text = verify_page.write(tmp_path).read_text(encoding="utf-8")
    assert "@@" not in text
    assert "MIT License" in text and "nobleEd25519" in text
    lowered = text.lower()
    for needle in ("<link", "<img", "<iframe", "<script src", "@import", "url(", "fetch(",
                   "xmlhttprequest"):
        assert needle not in lowered, needle
    assert "default-src 'none'" in text
