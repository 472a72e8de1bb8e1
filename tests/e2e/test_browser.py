"""Every page, opened by its deep link as a first visitor, renders charts in a real browser."""

import pytest

from tests.e2e.conftest import screenshot, wait_for_app
from ui.pages import LESSONS

pytestmark = pytest.mark.e2e


def test_home_links_to_every_lesson(page, server_url):
    page.goto(server_url)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    for lesson in LESSONS:
        assert page.get_by_text(lesson.question).count() >= 1
    screenshot(page, "home")


@pytest.mark.parametrize("lesson", [l for l in LESSONS if l.is_lesson], ids=lambda l: l.url_path)
def test_deep_link_renders_charts(page, server_url, lesson):
    page.goto(f"{server_url}/{lesson.url_path}")
    wait_for_app(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0
    page.wait_for_selector(
        "[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg"
    )
    assert page.locator("[data-testid=stVegaLiteChart]").count() >= 3
    screenshot(page, lesson.url_path)


def test_deep_link_with_parameters_restores_controls(page, server_url):
    page.goto(f"{server_url}/gradient_descent?lr=0.5&batch=4")
    wait_for_app(page)
    assert page.get_by_text("Diverged").count() >= 1
    assert page.locator("[data-testid=stException]").count() == 0


def test_moving_a_slider_changes_a_chart(page, server_url):
    page.goto(f"{server_url}/gradient_descent")
    wait_for_app(page)
    before = page.locator("[data-testid=stVegaLiteChart]").nth(2).inner_html()
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("End")
    page.wait_for_timeout(300)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    after = page.locator("[data-testid=stVegaLiteChart]").nth(2).inner_html()
    assert after != before


def test_quiz_opens_by_deep_link(page, server_url):
    page.goto(f"{server_url}/quiz?quiz_seed=3")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Interview quiz").count() >= 1
    assert page.get_by_role("button", name="Check").count() == 1
    screenshot(page, "quiz")
