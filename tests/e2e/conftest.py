"""A served app and a headless Debian chromium for browser tests (never a downloaded browser)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.serving import CHROMIUM_ARGS, serve

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


# Each chart's drawn marks: the <svg class=marks> vega-embed renders, or its canvas's pixels.
# An empty string means the chart has not drawn yet.
_CHART_MARKS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(c => {
    const canvas = c.querySelector('canvas');
    if (canvas) return canvas.toDataURL();
    const svg = c.querySelector('svg.marks');
    return svg ? svg.outerHTML : '';
})"""


# What a chart shows, not how it came to be drawn: vega numbers its clip paths and gradients
# page-wide in drawing order ("#clip12") and points at them through the page's URL, and a chart
# updated in place keeps reused marks in a different DOM order, and may keep an axis's stale
# aria-label or an unused gradient in <defs>, where a fresh draw would not. So the digest drops
# ids, aria-labels, url(...) references and <defs> and sorts the SVG's tags and texts; a canvas
# is digested as its pixels.
_VOLATILE = re.compile(r' (?:id|aria-label)="[^"]*"|url\([^)]*\)|<defs>.*?</defs>', re.DOTALL)
_TOKEN = re.compile(r"<[^>]*>|[^<]+")  # a tag or the text between tags


def _digest(marks: str) -> str:
    if not marks:
        return ""
    if not marks.startswith("<"):
        return hashlib.sha256(marks.encode()).hexdigest()
    tokens = sorted(_TOKEN.findall(_VOLATILE.sub("", marks)))
    return hashlib.sha256("\n".join(tokens).encode()).hexdigest()


def chart_fingerprints(page) -> list[str]:
    """A digest of what every Vega-Lite chart on the page has drawn, in page order."""
    return [_digest(marks) for marks in page.evaluate(_CHART_MARKS)]


def settled_charts(page, differ_from=None, timeout_s: float = 60.0) -> list[str]:
    """Chart fingerprints once every chart has drawn and two reads 0.4 s apart agree.

    With ``differ_from``, keep waiting until the settled fingerprints also differ from it
    (a rerun's new charts arrive after the script finishes); on timeout return the last read,
    so the caller's assertion shows what was on the page.
    """
    deadline = time.monotonic() + timeout_s
    previous = None
    idle = "[data-testid=stApp][data-test-script-state=notRunning]"
    while True:
        current = chart_fingerprints(page)
        # a rerun still running may hold its first charts steady for 0.4 s on a busy machine
        # before drawing the rest (dropout's 9 charts read as 8 in CI)
        drawn = bool(current) and all(current) and page.locator(idle).count() > 0
        stable = drawn and current == previous
        if stable and (differ_from is None or current != differ_from):
            return current
        if time.monotonic() > deadline:
            return current
        previous = current
        page.wait_for_timeout(400)
