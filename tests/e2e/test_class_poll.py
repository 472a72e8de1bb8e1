"""A class poll end to end in chromium: an instructor (desktop) and three students (phones, 390
px wide, separate browser contexts) join, answer, watch the histogram update, and reveal. Also
the practice page at desktop and phone widths."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import screenshot, settled_charts, wait_for_app

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


def _context(browser, viewport):
    return browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)


def _main(page):
    return page.locator("[data-testid=stMainBlockContainer]")


def test_an_instructor_and_three_students_run_a_poll(browser, server_url):
    contexts = []
    try:
        host_ctx = _context(browser, DESKTOP)
        contexts.append(host_ctx)
        host = host_ctx.new_page()
        host.goto(f"{server_url}/class")
        wait_for_app(host)
        host.get_by_role("button", name="Start a class session").click()
        host.wait_for_url(re.compile(r"class=[0-9A-Z]{6}"), timeout=30_000)
        wait_for_app(host)
        code = re.search(r"class=([0-9A-Z]{6})", host.url).group(1)
        qr = host.locator("[data-testid=stImage] img, [data-testid=stImage] svg")
        qr.first.wait_for(timeout=30_000)  # the rerun after the URL change may still be drawing
        assert qr.count() >= 1
        screenshot(host, "class-host-code")

        students = []
        for _ in range(3):
            ctx = _context(browser, PHONE)
            contexts.append(ctx)
            student = ctx.new_page()
            student.goto(f"{server_url}/class?join={code}")
            wait_for_app(student)
            student.get_by_text("Waiting for your instructor's question").wait_for(timeout=30_000)
            assert "seat=" in student.url
            students.append(student)
        screenshot(students[0], "class-student-waiting")

        _main(host).get_by_role("link", name="Gradient descent").click()
        wait_for_app(host)
        host.get_by_role("button", name="Poll the class on this prediction").click()
        host.get_by_text("0 answers so far").wait_for(timeout=30_000)
        before = settled_charts(host)
        assert len(before) == 1, "the experiment's charts show before the reveal"

        for student, option in zip(students, ("SGD", "SGD", "Batch GD"), strict=True):
            student.get_by_text("Send my answer").wait_for(timeout=30_000)
            student.get_by_text(option, exact=True).click()
            send = student.get_by_role("button", name="Send my answer")
            send.wait_for(timeout=10_000)
            student.wait_for_function(
                "() => [...document.querySelectorAll('button')].some(b => "
                "b.innerText.includes('Send my answer') && !b.disabled)",
                timeout=20_000,
            )
            send.click()
            student.get_by_text("Your answer is in").wait_for(timeout=30_000)
            # before the reveal a student sees no chart and no count
            assert student.locator("[data-testid=stVegaLiteChart]").count() == 0
            assert student.get_by_text(re.compile(r"\d+ answers? so far")).count() == 0
        screenshot(students[0], "class-student-answered")

        host.get_by_text("3 answers so far").wait_for(timeout=30_000)
        after = settled_charts(host, differ_from=before)
        assert after != before, "the histogram did not change with the answers"
        screenshot(host, "class-host-live")

        host.get_by_role("button", name="Reveal the answers and run the experiment").click()
        wait_for_app(host)
        # the click's rerun may not have started when the script state is first read: wait for
        # the charts to change from the live histogram (a busy server starts it later)
        revealed = settled_charts(host, differ_from=after)
        assert len(revealed) >= 3, "the experiment did not run after the reveal"
        assert host.locator("[data-testid=stException]").count() == 0
        screenshot(host, "class-host-revealed")

        for student in students:
            student.get_by_text("See the experiment").wait_for(timeout=30_000)
            # the results chart is drawn a moment after the link's text shows
            chart = student.locator("[data-testid=stVegaLiteChart]")
            chart.first.wait_for(timeout=30_000)
            assert chart.count() == 1
            assert student.locator("[data-testid=stException]").count() == 0
        screenshot(students[0], "class-student-revealed")
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_practice_page_answer_and_checklist(browser, server_url, viewport):
    ctx = _context(browser, viewport)
    try:
        page = ctx.new_page()
        page.goto(f"{server_url}/practice")
        wait_for_app(page)
        page.wait_for_url(re.compile(r"learner=[A-Za-z0-9_-]{22}"), timeout=20_000)
        name = "desktop" if viewport is DESKTOP else "phone"
        screenshot(page, f"practice-{name}")
        page.get_by_label("Your answer, as you would say it in the interview").fill(
            "<b>SGD</b> is *noisy* but cheap: E[g_B] = ∇L."
        )
        page.get_by_role("button", name="Check my answer").click()
        page.get_by_text("Key points of a full answer").wait_for(timeout=30_000)
        wait_for_app(page)
        assert page.get_by_text("<b>SGD</b> is *noisy* but cheap: E[g_B] = ∇L.").count() == 1
        assert page.locator("[data-testid=stException]").count() == 0
        screenshot(page, f"practice-{name}-checklist")
    finally:
        ctx.close()
