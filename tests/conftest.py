"""Shared fixtures: every test runs with custom integrations enabled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> Iterator[None]:
    """Let Home Assistant load custom_components/pressure_mask in every test."""
    yield
