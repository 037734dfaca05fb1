"""The user guide (docs/guide/README.md) and its screenshot driver agree.

The driver itself runs under Xvfb (scripts/make-user-guide.sh), too slow for the suite; here
only what can silently drift: every picture the guide shows is in docs/guide/img/, and the
driver's task list has the guide's sections, in the same order.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

GUIDE_DIR = Path(__file__).resolve().parents[2] / "docs" / "guide"


@pytest.fixture(scope="module")
def make_guide() -> ModuleType:
    """docs/guide/make_guide.py, imported from its file (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_guide", GUIDE_DIR / "make_guide.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while it loads
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


@pytest.fixture(scope="module")
def guide() -> str:
    return (GUIDE_DIR / "README.md").read_text("utf-8")


def test_every_picture_the_guide_shows_exists(make_guide: ModuleType, guide: str) -> None:
    images = make_guide.guide_images(guide)
    assert len(images) >= 9  # at least one per task
    missing = [image for image in images if not (GUIDE_DIR / image).is_file()]
    assert missing == []


def test_no_picture_link_escapes_the_pattern(make_guide: ModuleType, guide: str) -> None:
    """Every Markdown image is one the driver's check sees (img/NN-name.png), so a picture
    it does not make cannot slip past it."""
    every_link = re.findall(r"!\[[^\]]*\]\(([^)]*)\)", guide)
    assert every_link == make_guide.guide_images(guide)


def test_the_driver_covers_the_guide_sections_in_order(make_guide: ModuleType,
                                                       guide: str) -> None:
    assert make_guide.guide_sections(guide) == [task.title for task in make_guide.TASKS]
    numbers = [int(n) for n in re.findall(r"^## (\d+)\. ", guide, re.MULTILINE)]
    assert numbers == list(range(1, len(make_guide.TASKS) + 1))


def test_every_task_has_a_driver_step(make_guide: ModuleType) -> None:
    for task in make_guide.TASKS:
        assert callable(getattr(make_guide.Driver, task.run, None)), task.run


def test_the_guide_is_linked_from_the_readme() -> None:
    readme = (GUIDE_DIR.parents[1] / "README.md").read_text("utf-8")
    assert "docs/guide/README.md" in readme
