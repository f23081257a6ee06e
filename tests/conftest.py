import os

import pytest

from msgen.errors import OfficeMissing
from msgen.office import find_soffice


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_office: runs LibreOffice; skipped locally when it is missing, fails under CI",
    )


def _require_office() -> str:
    """The soffice path; without LibreOffice, skip locally but fail in CI (never silently pass)."""
    try:
        return find_soffice()
    except OfficeMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have LibreOffice: {exc}")
        pytest.skip(str(exc))


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_office"):
        _require_office()


@pytest.fixture
def needs_office() -> str:
    """Use as a fixture (gives the soffice path) or as @pytest.mark.needs_office."""
    return _require_office()
