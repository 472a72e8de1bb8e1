"""Every page, opened by its deep link as a first visitor, renders charts in a real browser,
and moving one of its sliders by keyboard redraws a chart."""

import base64
import importlib
import io
import re
import time
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

from tests.e2e.conftest import ROOT, screenshot, settled_charts, wait_for_app
from ui.pages import LESSONS

pytestmark = pytest.mark.e2e


def slider_move(lesson):
    """The slider a lesson's page test names for the browser: (label, URL key, key pressed)."""
    page_test = importlib.import_module(f"tests.app.test_{lesson.url_path}_page")
    assert hasattr(page_test, "BROWSER_SLIDER"), f"name a BROWSER_SLIDER in {page_test.__name__}"
    return page_test.BROWSER_SLIDER


def _url_keys(url: str) -> set[str]:
    return set(parse_qs(urlparse(url).query))


def test_home_links_to_every_lesson(page, server_url):
    page.goto(server_url)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    for lesson in LESSONS:
        assert page.get_by_text(lesson.question).count() >= 1
    screenshot(page, "home")


@pytest.mark.parametrize("lesson", [l for l in LESSONS if l.is_lesson], ids=lambda l: l.url_path)
def test_deep_link_renders_and_a_slider_changes_a_chart(page, server_url, lesson):
    """A first visitor's deep link renders charts; one slider moved by keyboard redraws one.

    One test per lesson rather than two so the page is loaded once: on a 2-core machine the
    load, not the assertions, is what costs time.
    """
    label, key, press = slider_move(lesson)

    page.goto(f"{server_url}/{lesson.url_path}?reveal=1")
    wait_for_app(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0
    before = settled_charts(page)
    assert len(before) >= 3 and all(before), "the first run did not draw its charts"
    screenshot(page, lesson.url_path)
    assert key not in _url_keys(page.url)

    # Streamlit's slider thumb is an <input type=range> named by its label.
    slider = page.locator(f'input[type=range][aria-label="{label}"]')
    assert slider.count() == 1, f"no single slider labelled {label!r}"
    start = slider.get_attribute("aria-valuetext")
    slider.focus()
    slider.press(press)
    # The widget is bound to the URL: its key appears once the new value is sent.
    page.wait_for_url(lambda url: key in _url_keys(url), timeout=10_000)
    after = settled_charts(page, differ_from=before)
    wait_for_app(page)

    assert slider.get_attribute("aria-valuetext") != start
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    assert len(after) == len(before), "the slider changed how many charts the page shows"
    assert all(after), "a chart did not finish drawing after the slider moved"
    changed = [i for i, (x, y) in enumerate(zip(before, after, strict=True)) if x != y]
    assert changed, f"moving {label!r} with {press} changed no chart"
    # The app scrolls inside its own container, so a page screenshot shows one viewport:
    # bring the first redrawn chart into it.
    page.locator("[data-testid=stVegaLiteChart]").nth(changed[0]).scroll_into_view_if_needed()
    screenshot(page, f"{lesson.url_path}-slider")

    # Reset puts the slider back and drops its parameter (it used to raise "Cannot directly
    # delete query parameter ... bound to a widget" on every lesson).
    page.get_by_role("button", name="Reset to defaults").click()
    page.wait_for_url(lambda url: key not in _url_keys(url), timeout=30_000)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert slider.get_attribute("aria-valuetext") == start


def test_deep_link_with_parameters_restores_controls_and_reset_clears_them(page, server_url):
    page.goto(f"{server_url}/gradient_descent?lr=0.5&batch=4&seed=5&reveal=1")
    wait_for_app(page)
    assert page.get_by_text("SGD diverged").count() >= 1
    assert page.locator("[data-testid=stException]").count() == 0
    page.get_by_role("button", name="Reset to defaults").click()
    page.wait_for_url(lambda url: _url_keys(url) == {"reveal"}, timeout=30_000)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("SGD diverged").count() == 0
    page.reload()  # the defaults stay: nothing of the old link is left to bring them back
    wait_for_app(page)
    assert _url_keys(page.url) == {"reveal"}
    assert page.get_by_text("SGD diverged").count() == 0


def test_a_prediction_comes_before_the_result(page, server_url):
    page.goto(f"{server_url}/gradient_descent")
    wait_for_app(page)
    assert page.locator("[data-testid=stVegaLiteChart]").count() == 0
    # the sidebar's tools are there while the result waits
    assert page.get_by_role("button", name="Reset to defaults").count() == 1
    page.locator("[data-testid=stMain] [data-testid=stRadio]").get_by_text("Batch GD").click()
    wait_for_app(page)
    assert len(settled_charts(page)) >= 3
    assert page.get_by_text("Not Batch GD").count() == 1


def test_a_refused_link_keeps_the_sidebar_tools_and_says_what_to_change(page, server_url):
    """Issue 17: a run the work budget refuses blanked the page and took Share, Reset and
    Presenter mode out of the sidebar; the page now names the controls to lower."""
    refused = "data=spiral&depth=8&epochs=400&folds=10&width=32&widths=8%2C+32"
    page.goto(f"{server_url}/network_depth?{refused}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    error = page.locator("[data-testid=stAlertContentError]")
    assert error.count() == 1
    message = error.inner_text()
    assert "These settings can't run" in message
    # only the moves that are enough alone: 'Points n' at its least leaves 13.8 s of 20.5 s and
    # 'Epochs for the 1-D fits' 20.4 s (they were named too until this session's stop)
    assert "Lower 'Deepest net (hidden layers)', 'Epochs' or 'Cross-validation folds'." in message
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_role("button", name="Reset to defaults").count() == 1
    assert sidebar.get_by_text("Share this setup").count() == 1
    assert sidebar.get_by_text("Presenter mode").count() == 1
    screenshot(page, "network_depth-refused")
    # the way out the page offers works: Reset clears the link and the refusal
    sidebar.get_by_role("button", name="Reset to defaults").click()
    page.wait_for_url(lambda url: not _url_keys(url), timeout=30_000)
    wait_for_app(page)
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0


def test_quiz_opens_by_deep_link(page, server_url):
    page.goto(f"{server_url}/quiz?quiz_seed=3")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Interview quiz").count() >= 1
    assert page.get_by_role("button", name="Check").count() == 1
    screenshot(page, "quiz")


def test_moving_to_another_lesson_by_the_sidebar_drops_the_old_settings(page, server_url):
    # batch size's noise slider goes to 1.0 and network depth's to 0.5, under the same URL key
    page.goto(f"{server_url}/batch_size")
    wait_for_app(page)
    noise = page.get_by_role("slider", name="Noise")
    noise.focus()
    noise.press("End")
    page.wait_for_function("() => location.search.includes('noise=')", timeout=60_000)
    wait_for_app(page)
    page.get_by_role("link", name="Network depth").first.click()
    page.wait_for_url("**/network_depth*", timeout=60_000)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "noise" not in _url_keys(page.url)
    # the lesson ran past its controls to its prediction (it draws its charts once answered)
    assert page.get_by_text("Predict, then run.").count() == 1
    assert page.locator("[data-testid=stAlertContentError]").count() == 0


def test_a_setting_hidden_by_an_early_stop_stays_behind_and_back_returns(page, server_url):
    # Dropout's "inspect" radio is skipped (st.stop) once no keep probability is selected (the
    # settings are refused); its value must not reach the optimizers page, whose "inspect" is an
    # optimizer name (it arrived as ?inspect=None), and Back must return to the dropout page.
    page.goto(f"{server_url}/dropout?reveal=1")
    wait_for_app(page)
    page.locator("[data-testid=stRadio]", has_text="Inspect the run with").locator(
        "label"
    ).first.click()
    wait_for_app(page)
    pills = page.locator("[data-testid=stSidebar] [data-testid=stButtonGroup]").first
    for label in ("q = 1.0 (no dropout)", "q = 0.8", "q = 0.5"):  # the default selection
        pills.get_by_role("button", name=label, exact=True).click()
        wait_for_app(page)
    assert page.get_by_text("Select at least one keep probability").count() == 1
    page.get_by_role("link", name="Optimizers and saddle points").first.click()
    page.wait_for_url("**/optimizers*", timeout=60_000)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert not _url_keys(page.url)
    page.go_back()
    page.wait_for_url("**/dropout*", timeout=60_000)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0


def test_presenter_mode_stays_on_when_the_instructor_moves_to_the_next_lesson(page, server_url):
    page.goto(f"{server_url}/network_depth?present=1")
    wait_for_app(page)
    page.locator("[data-testid=stExpandSidebarButton]").click()  # presenter mode collapses it
    page.get_by_role("link", name="Dropout").first.click()
    page.wait_for_url("**/dropout*", timeout=60_000)
    wait_for_app(page)
    assert _url_keys(page.url) == {"present"}
    assert page.locator("[data-testid=stException]").count() == 0


def test_the_dark_theme_follows_the_system_and_charts_stay_readable(browser, server_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{server_url}/gradient_descent?reveal=1")
        wait_for_app(page)
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
        red, green, blue = (
            int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3]
        )
        assert red + green + blue < 120, background  # a dark background
        assert len(settled_charts(page)) >= 3
        screenshot(page, "gradient_descent-dark")
    finally:
        context.close()


def _first_chart_top(page) -> float:
    return page.locator("[data-testid=stVegaLiteChart]").first.bounding_box()["y"]


def test_presenter_mode_shows_the_main_chart_on_a_projectors_first_screen(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{server_url}/gradient_descent?reveal=1&present=1")
        wait_for_app(page)
        settled_charts(page)
        assert page.get_by_role("heading", name="Gradient descent").is_visible()
        # the chart starts in the upper half: most of it is on the first screen
        assert _first_chart_top(page) < 360, "the main chart starts too far down"
        screenshot(page, "gradient_descent-presenter-1280x720")
    finally:
        context.close()


def test_a_phone_opens_with_the_sidebar_closed(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{server_url}/gradient_descent?reveal=1")
        wait_for_app(page)
        box = page.locator("[data-testid=stSidebar]").bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, box  # off screen, to the left
        assert page.get_by_role("heading", name="Gradient descent").is_visible()
        screenshot(page, "gradient_descent-phone")
    finally:
        context.close()


def _stated_play_seconds() -> float:
    """The duration the optimizers page states for Play (its PLAY_SECONDS)."""
    text = (ROOT / "app_pages" / "optimizers.py").read_text()
    return float(re.search(r"^PLAY_SECONDS = ([\d.]+)", text, re.MULTILINE).group(1))


# Frames are drawn in time; the browser may finish drawing the last one a little later.
PLAY_SLACK_SECONDS = 6.0
_STEP_AND_PANEL = """() => {
    const slider = document.querySelector('input[type=range][aria-label="Step"]');
    const panel = [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]
        .map(e => e.innerText).find(t => /^Gradient descent at step \\d+/.test(t)) || '';
    return [slider ? slider.getAttribute('aria-valuetext') : null,
            (panel.match(/at step (\\d+)/) || [])[1] || null];
}"""


def test_optimizers_play_ends_on_time_with_map_slider_and_panel_agreeing(page, server_url, browser):
    """Play runs at its stated duration; slider and panel move together, and at the end the
    slider, the Hessian panel and the map (drawn as a fresh page draws that step) agree."""
    stated = _stated_play_seconds()
    page.goto(f"{server_url}/optimizers?reveal=1")
    wait_for_app(page)
    settled_charts(page)
    assert page.evaluate(_STEP_AND_PANEL) == ["300", "300"]
    began = time.monotonic()
    page.get_by_role("button", name="Play").click()
    seen = []
    while time.monotonic() - began < stated + PLAY_SLACK_SECONDS:
        seen.append(page.evaluate(_STEP_AND_PANEL))
        at_rest = page.get_by_role("button", name="Play").count() == 1
        if at_rest and len(seen) > 3 and seen[-1] == ["300", "300"]:
            break
        page.wait_for_timeout(100)
    elapsed = time.monotonic() - began
    assert seen[-1] == ["300", "300"], f"Play did not end in {elapsed:.1f} s: {seen[-5:]}"
    assert elapsed <= stated + PLAY_SLACK_SECONDS, f"Play took {elapsed:.1f} s for {stated} s"
    steps = {int(s) for s, _ in seen if s is not None}
    assert len(steps & set(range(1, 300))) >= 3, f"the slider did not move: {sorted(steps)}"
    # Slider and panel are two elements of one frame: at any instant they show the same frame
    # or adjacent ones, either one first (a slow frame on a busy machine jumps many steps, so
    # "adjacent" counts frames shown, not steps; the first frame follows the resting state).
    frames = sorted({int(v) for pair in seen for v in pair if v})
    order = {step: i for i, step in enumerate(frames)}

    def adjacent(a: int, b: int) -> bool:
        return abs(order[a] - order[b]) <= 1 or {a, b} <= {300, frames[0]}

    apart = [(s, p) for s, p in seen if s and p and not adjacent(int(s), int(p))]
    assert not apart, f"slider and panel disagree: {apart} in {seen}"
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "t" not in _url_keys(page.url), "the end of the race is the default step"
    after = settled_charts(page)
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    fresh.goto(f"{server_url}/optimizers?reveal=1")
    wait_for_app(fresh)
    assert settled_charts(fresh)[1] == after[1], "the Hessian eigenvalue chart differs"
    # The map after Play draws what a fresh page draws at the last step; only the order in which
    # overlapping lines are painted may differ (its marks were updated in place).
    played, opened = _map_pixels(page), _map_pixels(fresh)
    assert played.shape == opened.shape
    assert (np.abs(played - opened).max(axis=2) > 40).mean() < 0.001, "the map differs"
    fresh.context.close()


def _map_pixels(page) -> np.ndarray:
    url = page.evaluate(
        "() => document.querySelector('[data-testid=stVegaLiteChart] canvas').toDataURL()"
    )
    png = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_optimizers_click_on_the_map_moves_the_start(page, server_url):
    page.goto(f"{server_url}/optimizers?reveal=1")
    wait_for_app(page)
    before = settled_charts(page)
    x0 = page.locator('input[type=range][aria-label="Start x"]')
    assert x0.get_attribute("aria-valuetext") == "-1.800"
    box = page.locator("[data-testid=stVegaLiteChart] canvas").first.bounding_box()
    page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + 0.2 * box["height"])
    page.wait_for_url(lambda url: "x0" in _url_keys(url), timeout=30_000)
    wait_for_app(page)
    after = settled_charts(page, differ_from=before)
    assert x0.get_attribute("aria-valuetext") != "-1.800"
    assert float(x0.get_attribute("aria-valuetext")) > 0
    assert page.locator("[data-testid=stException]").count() == 0
    assert after[0] != before[0]
