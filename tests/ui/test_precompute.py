"""Defaults and presets computed ahead: stored per code version, read before computing."""

import dataclasses

import pytest

from core.experiments import gradient_descent as gd
from ui import precompute, runner


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_PRECOMPUTED", str(tmp_path))
    return tmp_path


def test_a_stored_result_is_served_and_another_config_is_not(store, monkeypatch):
    config = gd.Config(epochs=2, n_samples=40)
    result = gd.run(config)
    precompute.save("gradient_descent", config, result)
    assert (store / precompute.code_version() / "gradient_descent").is_dir()
    monkeypatch.setattr(gd, "run", lambda c: pytest.fail("a stored result was computed again"))
    served = runner._run("gradient_descent", config)
    assert served.summary.equals(result.summary)
    other = dataclasses.replace(config, seed=1)
    assert precompute.load("gradient_descent", other) is None


def test_a_change_in_core_reads_another_folder(store, monkeypatch):
    config = gd.Config(epochs=2, n_samples=40)
    precompute.save("gradient_descent", config, gd.run(config))
    monkeypatch.setattr(precompute, "code_version", lambda: "another-version")
    assert precompute.load("gradient_descent", config) is None


def test_write_through_stores_what_a_page_run_computes(store, monkeypatch):
    monkeypatch.setenv(precompute.WRITE_ENV, "1")
    config = gd.Config(epochs=3, n_samples=40)
    runner._run("gradient_descent", config)
    assert precompute.load("gradient_descent", config) is not None


def test_every_lesson_default_and_preset_is_a_link_to_compute():
    links = precompute.links()
    assert ("app_pages/gradient_descent.py", {}) in links
    assert ("app_pages/gradient_descent.py", {"preset": "noise-free-data"}) in links
    assert all(path.startswith("app_pages/") for path, _ in links)


def test_the_background_filler_stays_off_in_tests(store, monkeypatch):
    def spawned(*args, **kwargs):
        raise AssertionError(f"a background filler was started: {args}")

    monkeypatch.setattr(precompute.subprocess, "Popen", spawned)
    precompute.ensure_in_background()  # LAB_PRECOMPUTE=0 in the tests: starts nothing
