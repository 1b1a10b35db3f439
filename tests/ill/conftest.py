from typing import Any

import pytest

from tests.counters import clear_counters
from tests.world.ill import County, make_county


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Four named users per test: PBKDF2's deliberate slowness would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return make_county()


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    """Lockout and rate-limit counters start at zero in every test."""
    clear_counters()
