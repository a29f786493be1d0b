"""Shared fixtures: where the shared material lives, and one extracted seed per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def seed_letter():
    from extract import extract_file

    return extract_file(CORPUS / "000_84caea610c60ea8e.txt")


@pytest.fixture(scope="session")
def seed_plan():
    from extract import extract_file

    return extract_file(CORPUS / "004_c3f27cbd2c96d7bd.txt")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/*.json from the current output (review the diff).")


@pytest.fixture()
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))
