"""The installable bundle: build.spec builds it, and the built program starts and prints.

Built once per session (minutes on two cores), then run as a user would run it: outside the
source tree, without the venv's PYTHONPATH, with an empty fontconfig and a fresh HOME, on the
offscreen platform. The smoke run (app/ui/common/smoke.py) opens the main window on a new
register and prints a card; the card is read back here: the volunteer's Chinese name in the
text, the CJK font embedded — the copy inside the bundle, not the system's — and a QR code
that decodes to the volunteer's card payload.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app import __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
NAME = "王芳"  # app.ui.common.smoke.SMOKE_NAME
RUN_TIMEOUT = 300


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/yilian/ built from build.spec into a temporary folder."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e .[build] or .[test])")
    out = tmp_path_factory.mktemp("bundle")
    log = out / "pyinstaller.log"
    with log.open("w") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
             str(ROOT / "build.spec")],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, check=False)
    assert done.returncode == 0, log.read_text()[-4000:]
    return out / "dist" / "yilian"


def executable(bundle: Path) -> Path:
    return bundle / ("yilian.exe" if sys.platform == "win32" else "yilian")


def user_env(tmp_path: Path) -> dict[str, str]:
    """An environment like a fresh desk's: no venv, no repo, no font configuration."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV", "YILIAN_", "QT_", "XDG_"))}
    home = tmp_path / "home"
    home.mkdir()
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    env.update(HOME=str(home), USERPROFILE=str(home), QT_QPA_PLATFORM="offscreen",
               FONTCONFIG_FILE=str(fonts_conf), YILIAN_USER="bundle-test")
    return env


@dataclass(frozen=True)
class SmokeRun:
    folder: Path
    steps: dict[str, str]
    pdf: Path


def smoke(bundle: Path, tmp_path: Path, *extra: str) -> SmokeRun:
    folder = tmp_path / "smoke"
    done = subprocess.run([str(executable(bundle)), "--smoke", str(folder), *extra],
                          cwd=tmp_path, env=user_env(tmp_path), capture_output=True,
                          text=True, encoding="utf-8", timeout=RUN_TIMEOUT, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    # Read from the log, not stdout: a windowed Windows build has no stdout.
    lines = (folder / "smoke.log").read_text(encoding="utf-8").splitlines()
    steps = dict(line.removeprefix("smoke: ").split(": ", 1) for line in lines)
    return SmokeRun(folder, steps, folder / "card.pdf")


@pytest.fixture(scope="module")
def sqlite_smoke(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> SmokeRun:
    return smoke(bundle, tmp_path_factory.mktemp("smoke"))


def test_version(bundle: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(executable(bundle)), "--version"], cwd=tmp_path,
                          env=user_env(tmp_path), capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    if sys.platform != "win32":  # windowed: no stdout to read
        assert done.stdout.strip() == f"yilian {__version__}"


def test_smoke_run_opens_the_window_and_prints_a_card(sqlite_smoke: SmokeRun) -> None:
    steps = sqlite_smoke.steps
    assert steps["version"] == __version__
    assert steps["platform"] == "offscreen"
    assert int(steps["translations"]) >= 1
    assert steps["window"].startswith("益联 — ")  # the Chinese .qm from the bundle
    assert steps["volunteer"] == f"V00000001 {NAME}"
    assert steps["preview"] == "open"  # pypdfium2's binary rendered the pages
    assert steps["postgres driver"]
    assert steps["done"] == "0"
    assert sqlite_smoke.pdf.stat().st_size > 1000


def test_card_embeds_the_bundled_font(bundle: Path, sqlite_smoke: SmokeRun) -> None:
    font = Path(sqlite_smoke.steps["font"])
    assert font.is_relative_to(bundle.resolve()), font
    assert font.name == "wqy-microhei.ttc"
    assert (font.parent / "LICENSE.txt").is_file()
    reader = PdfReader(sqlite_smoke.pdf)
    page = reader.pages[0]
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    embedded = []
    for ref in fonts.values():
        entry = ref.get_object()
        descriptor = entry.get("/FontDescriptor")
        if descriptor is None:
            continue
        descriptor = descriptor.get_object()
        assert isinstance(descriptor, DictionaryObject)
        if "/FontFile2" in descriptor:
            embedded.append(str(entry["/BaseFont"]))
    assert any("WenQuanYi" in name for name in embedded), embedded
    text = page.extract_text().replace(" ", "")
    assert NAME in text
    assert "V00000001" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no pdftoppm")
def test_card_qr_decodes_to_the_volunteer(sqlite_smoke: SmokeRun, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1",
                    str(sqlite_smoke.pdf), str(tmp_path / "card")], check=True)
    image = Image.open(next(tmp_path.glob("card*.png")))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCodeModel2)
    assert [r.text.rsplit(":", 1)[0] for r in found] == ["YL1:V00000001:1"]


def test_smoke_run_on_postgresql(bundle: Path, tmp_path: Path) -> None:
    """The bundled psycopg2 (a binary wheel) reaches a real server."""
    url = os.environ.get("YILIAN_TEST_PG")
    if not url:
        if os.environ.get("YILIAN_REQUIRE_PG"):
            pytest.fail("YILIAN_REQUIRE_PG is set but YILIAN_TEST_PG names no server")
        pytest.skip("no PostgreSQL server (run scripts/run-tests.sh)")
    from app.store.db import make_database

    database = make_database(url)
    database.connect()
    database.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
    database.execute_sql("CREATE SCHEMA public")
    database.close()
    run = smoke(bundle, tmp_path, "--db", url)
    assert run.steps["register"].startswith(("postgres://", "postgresql://"))
    assert run.steps["volunteer"] == f"V00000001 {NAME}"
    assert run.steps["done"] == "0"
