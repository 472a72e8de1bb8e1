"""Checks of a lesson's facts: one verifier per declared claim, run on every fact a run emits.

A lesson's claims test module builds a :class:`Verifiers` for the lesson, registers one function
per claim that asserts the fact is true of the run (recomputing from the result, never trusting
the sentence), and hands its tests to pytest::

    verify = Verifiers(gd, witnesses=[gd.Config(noise=0.0)])

    @verify("no_decay")
    def _(config, result, fact):
        assert config.decay_rate == 0

    test_every_claim_has_a_verifier = verify.every_claim_has_a_verifier
    test_presets_show_what_they_say = verify.presets_show_what_they_say
    test_every_claim_is_witnessed = verify.every_claim_is_witnessed

plus a hypothesis test over the Config space that calls ``verify.check(config)``.

``python -m tests.claims --write`` regenerates the computed part of docs/claims.md.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_DOC = ROOT / "docs" / "claims.md"
BEGIN, END = "<!-- computed-claims -->", "<!-- /computed-claims -->"


class Verifiers:
    """The verifier of every claim of one lesson module (``CLAIMS``, ``facts``, ``PRESETS``)."""

    def __init__(
        self,
        lesson,
        *,
        witnesses: Iterable = (),
        unreachable: dict[str, str] | None = None,
        run: Callable | None = None,
    ):
        """``witnesses``: Configs that, with the presets, make the lesson emit every claim.
        ``unreachable``: claim -> why no setting reaches it (a safety net kept for honesty)."""
        self.lesson = lesson
        self.checks: dict[str, Callable] = {}
        self.witnesses = list(witnesses)
        self.unreachable = dict(unreachable or {})
        self.run = run or lesson.run

    def __call__(self, key: str):
        if key not in self.lesson.CLAIMS:
            raise KeyError(f"{key!r} is not a claim of {self.lesson.__name__}")

        def register(fn):
            self.checks[key] = fn
            return fn

        return register

    def check(self, config, result=None) -> list:
        """Run (unless given the result), then assert every emitted fact; returns the facts."""
        result = self.run(config) if result is None else result
        facts = self.lesson.facts(config, result)
        for fact in facts:
            assert fact.claim in self.checks, f"no verifier for claim {fact.claim!r}"
            self.checks[fact.claim](config, result, fact)
        return facts

    # ---- tests a lesson module hands to pytest -------------------------------------------------
    @property
    def every_claim_has_a_verifier(self):
        def test():
            declared = {c.key for c in self.lesson.CLAIMS}
            assert set(self.checks) == declared, declared ^ set(self.checks)

        return test

    @property
    def presets_show_what_they_say(self):
        @pytest.mark.parametrize("name", list(self.lesson.PRESETS))
        def test(name):
            preset = self.lesson.PRESETS[name]
            emitted = {f.claim for f in self.check(preset.config)}
            missing = [key for key in preset.shows if key not in emitted]
            assert not missing, f"preset {name!r} promises {missing}; its run emitted {emitted}"

        return test

    @property
    def every_claim_is_witnessed(self):
        def test():
            configs = [p.config for p in self.lesson.PRESETS.values()] + self.witnesses
            emitted = set()
            for config in configs:
                emitted |= {f.claim for f in self.check(config)}
            never = {c.key for c in self.lesson.CLAIMS} - emitted - set(self.unreachable)
            assert not never, f"add a witness Config that emits {sorted(never)}"

        return test


def lesson_modules():
    """(lesson, module) for every registered lesson whose experiment declares CLAIMS."""
    from ui.pages import LESSONS

    out = []
    for lesson in LESSONS:
        if not lesson.experiment:
            continue
        module = importlib.import_module(f"core.experiments.{lesson.experiment}")
        if hasattr(module, "CLAIMS"):
            out.append((lesson, module))
    return out


def computed_table() -> str:
    """The docs/claims.md table of every computed claim: page, claim, condition, test."""
    rows = ["| Page | Claim | Emitted when | Checked by |", "|---|---|---|---|"]
    for lesson, module in lesson_modules():
        test = f"`tests/core/test_{lesson.experiment}_claims.py`"
        for claim in module.CLAIMS:
            says = claim.says.replace("|", "\\|")
            condition = claim.condition.replace("|", "\\|")
            rows.append(f"| {lesson.title} | `{claim.key}`: {says} | {condition} | {test} |")
    return "\n".join(rows)


def rewrite_doc(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{computed_table()}\n{END}{tail}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        print(computed_table())
    else:
        CLAIMS_DOC.write_text(rewrite_doc(CLAIMS_DOC.read_text()))
        print(f"rewrote {CLAIMS_DOC.relative_to(ROOT)}")
