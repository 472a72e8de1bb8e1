"""Benchmark: every page's default run time (cold and warm, AppTest) and the server's memory.

Usage::

    python bench/pages.py            # print a table
    python bench/pages.py --memory   # also visit every page in chromium and read the server's RSS

Cold: a fresh AppTest with Streamlit's caches cleared (the experiment runs); warm: the same page
rerun (the cached result is drawn again). Targets: under 2 s cold and 0.5 s warm.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Cold runs compute: an empty store of precomputed results (ui/precompute.py), none filled here.
os.environ.setdefault("LAB_PRECOMPUTED", tempfile.mkdtemp(prefix="lab-bench-store-"))
os.environ.setdefault("LAB_PRECOMPUTE", "0")

from tests.serving import CHROMIUM_ARGS, READY, chromium, rss_mib, serve  # noqa: E402
from ui.pages import LESSONS  # noqa: E402


def page_times(path: str, repeats: int = 2) -> tuple[float, float]:
    """(cold, warm) seconds of one page's default run.

    Cold is the first run in this process with Streamlit's caches cleared (pages that keep a
    module-level cache of their own are warm after it, so later repeats would flatter them);
    warm is the best rerun.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    cold, warm = [], []
    for _ in range(repeats):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        at.query_params["reveal"] = "1"  # the whole result, without a prediction
        at.run()
        t0 = time.perf_counter()
        at.switch_page(path).run()
        cold.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{path}: {at.exception[0].message}")
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    return cold[0], min(warm)


def server_memory_after_all_pages() -> tuple[float, float]:
    """(RSS at start, RSS after opening every page once in chromium), in MiB."""
    from playwright.sync_api import sync_playwright

    with serve() as (url, pid), sync_playwright() as p:
        start = rss_mib(pid)
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for lesson in LESSONS:
            page.goto(f"{url}/{lesson.url_path}?reveal=1")
            page.wait_for_selector(READY, timeout=120_000)
            page.wait_for_timeout(300)
        browser.close()
        time.sleep(1.0)
        return start, rss_mib(pid)


def rows(memory: bool = False) -> list[tuple[str, str]]:
    out = []
    for lesson in LESSONS:
        cold, warm = page_times(lesson.path)
        out.append((f"Page: {lesson.title}", f"{cold:.2f} s cold, {warm:.2f} s warm"))
        print(f"{out[-1][0]}: {out[-1][1]}", flush=True)
    if memory:
        start, after = server_memory_after_all_pages()
        out.append(
            ("Server memory (RSS)", f"{start:.0f} MiB at start, {after:.0f} MiB after every page")
        )
        print(f"{out[-1][0]}: {out[-1][1]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="measure the server's memory too")
    rows(memory=parser.parse_args().memory)


if __name__ == "__main__":
    main()
