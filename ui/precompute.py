"""Every lesson's default and presets, computed ahead and kept on disk for every replica.

An instructor's link (a lesson at its defaults, or ``?preset=...``) should open at once on its
first visit, whichever replica serves it. ``python -m ui.precompute`` opens every lesson at its
defaults and at each preset (AppTest, revealed) with write-through on, so every run those pages
make is stored under ``<store>/<code version>/``; the app's result route reads the store before
it computes anything (``ui.runner``).

- Versioned by the code: the version is a hash of every ``core/**/*.py``; a change in the science
  looks for another folder, and the command removes the folders of other versions.
- Bounded: only defaults and presets are stored (a few hundred files at most).
- Where: ``$LAB_PRECOMPUTED`` or ``.lab_precomputed/`` beside the app. The Docker image builds it;
  a server that starts without it fills it in the background, in a low-priority process, unless
  ``LAB_PRECOMPUTE=0`` (the tests set that). Only one process fills a version at a time.
- Results are pickles the app itself wrote (never user data: uploads are not stored).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DONE = "complete"
WRITE_ENV = "LAB_PRECOMPUTE_WRITE"


def store() -> Path:
    return Path(os.environ.get("LAB_PRECOMPUTED", ROOT / ".lab_precomputed"))


@functools.cache
def code_version() -> str:
    """A hash of the science's source: results computed by other code are never served."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "core").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def folder() -> Path:
    return store() / code_version()


def _file(module_name: str, config) -> Path:
    key = hashlib.sha256(f"{module_name}:{config!r}".encode()).hexdigest()[:32]
    return folder() / module_name / f"{key}.pkl"


def load(module_name: str, config):
    """The stored result of ``run(config)``, or None."""
    path = _file(module_name, config)
    if not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            stored_config, result = pickle.load(f)
    except Exception:  # a partial or older file: compute instead
        return None
    return result if stored_config == config else None


def writing() -> bool:
    return os.environ.get(WRITE_ENV) == "1"


def save(module_name: str, config, result) -> None:
    """Store a result (atomically: a reader never sees half a file)."""
    path = _file(module_name, config)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        pickle.dump((config, result), tmp, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp.name, path)


def links() -> list[tuple[str, dict]]:
    """(page path, query) of every lesson's default and preset link."""
    import importlib

    from ui.controls import slug
    from ui.pages import LESSONS

    out = []
    for lesson in LESSONS:
        if not lesson.is_lesson:
            continue
        out.append((lesson.path, {}))
        module = importlib.import_module(f"core.experiments.{lesson.experiment}")
        out += [(lesson.path, {"preset": slug(name)}) for name in getattr(module, "PRESETS", {})]
    return out


def compute() -> int:
    """Open every link once with write-through on; returns how many links ran."""
    from streamlit.testing.v1 import AppTest

    os.environ[WRITE_ENV] = "1"
    done = 0
    for path, query in links():
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
        for key, value in {"reveal": "1", **query}.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(path).run()
        if at.exception:
            print(f"{path} {query}: {at.exception[0].message}", file=sys.stderr)
        done += 1
        print(f"{path} {query or ''}", flush=True)
    return done


@contextlib.contextmanager
def _only_one_filler():
    """Hold the version's lock file, or raise FileExistsError if another process holds it."""
    folder().mkdir(parents=True, exist_ok=True)
    lock = folder() / "lock"
    fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    try:
        yield
    finally:
        os.close(fd)
        lock.unlink(missing_ok=True)


def main() -> None:
    started = time.perf_counter()
    try:
        with _only_one_filler():
            n = compute()
            elapsed = time.perf_counter() - started
            done = f"{n} links in {elapsed:.0f} s\n"  # plain-format: a log line
            (folder() / DONE).write_text(done)
    except FileExistsError:
        print("another process is filling this version's store")
        return
    for other in store().iterdir():
        if other.is_dir() and other.name != code_version():
            shutil.rmtree(other, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"stored in {folder()} ({elapsed:.0f} s)")  # plain-format: a log line


def ensure_in_background() -> None:
    """At server start: fill the store in a low-priority process if this version lacks it."""
    if os.environ.get("LAB_PRECOMPUTE", "1") == "0" or (folder() / DONE).exists():
        return
    lock = folder() / "lock"
    if lock.exists():
        if time.time() - lock.stat().st_mtime < 3600:
            return  # another process is filling it
        lock.unlink(missing_ok=True)  # left by a process that died
    subprocess.Popen(
        [sys.executable, "-m", "ui.precompute"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: os.nice(10),  # the server's visitors come first
    )


if __name__ == "__main__":
    main()
