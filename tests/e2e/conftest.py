"""A served app and a headless Debian chromium for browser tests (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench._server import CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("LAB_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def server_url():
    try:
        with serve() as (url, _pid):
            yield url
    except RuntimeError as err:  # pragma: no cover - the server did not start
        pytest.fail(str(err))


@pytest.fixture(scope="session")
def browser(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and no skeleton placeholders remain."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_ms
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(500)


def screenshot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
