"""Fixtures of the shared-widget tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.ui.common import service_text


@pytest.fixture
def english() -> Iterator[None]:
    """Service messages rendered in English for one test."""
    service_text.set_language("en")
    try:
        yield
    finally:
        service_text.set_language("zh_CN")
