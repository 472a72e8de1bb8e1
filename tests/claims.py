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
import operator
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from core.facts import read, significant

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_DOC = ROOT / "docs" / "claims.md"
BEGIN, END = "<!-- computed-claims -->", "<!-- /computed-claims -->"
SIDES = {
    "above": operator.gt,
    "at_most": operator.le,
    "at_least": operator.ge,
    "below": operator.lt,
}


# Nouns a lesson's sentences count ("{n} rows"): a count of 1 with one of them in the plural is a
# sentence a reader marks wrong ("1 of the 1 rows", "1 usable rows", "spent 0 of its 1 steps";
# audit pass 54 found eleven, one per place). Verbs and units ("1 s") are not in the list, and
# a 1 inside a name, a bound or a setting ("L1 weights", "class-1 points", "L ≥ 1 hidden layers",
# "q = 1 masks nothing") is not a count.
COUNTED = [
    "rows",
    "epochs",
    "steps",
    "positives",
    "negatives",
    "units",
    "points",
    "parameters",
    "masks",
    "layers",
    "features",
    "draws",
    "folds",
    "networks",
    "nets",
    "examples",
    "classes",
    "weights",
    "trees",
    "rounds",
    "pieces",
    "gradients",
    "characters",
    "values",
    "updates",
    "settings",
    "runs",
    "numbers",
    "keys",
    "heads",
    "digits",
    "comparisons",
    "columns",
    "coefficients",
    "bytes",
    "bounds",
    "sets",
    "scores",
    "samples",
    "prevalences",
    "outputs",
    "models",
    "links",
    "levels",
    "inputs",
    "flags",
    "fields",
    "errors",
    "days",
    "bins",
    "entries",
    "teeth",
    "depths",
    "seconds",
    "minutes",
    "tokens",
    "batches",
    "thresholds",
    "predictions",
    "labels",
    "neurons",
    "presets",
    "questions",
]
ONE_IN_PLURAL = re.compile(
    r"(?<![\w.,\-])(?<![=≥≤<>−+×] )1 (?:(?:usable|true|hidden|standard|test|training|train|dead|"
    r"active|validation|new|other|more) )?(" + "|".join(COUNTED) + r")\b"
)

# A negative number printed with Python's hyphen "-" where the pages print the minus sign "−"
# (passes 55 and 56 found it in seven lessons: "(-3.5 SE)", "gained -0.0286", "from -1 to 1");
# a hyphen inside a word, a power of ten ("1e-06") or a range ("2-4") is not a sign.
ASCII_MINUS = re.compile(r"(?<![\w.)\]])-(?=\.?\d|∞|\()")

# "mean ± SE" in a sentence: two numbers, the first with an optional unit ("55.0 % ± 6.4 %")
MEAN_PLUS_MINUS_SE = re.compile(
    r"(?<![\w.−-])(?P<mean>[−-]?\d[\d,]*(?:\.\d+)?(?:e[−-]?\d+)?)(?: ?%| percentage points)? ± "
    r"(?P<se>\d[\d,]*(?:\.\d+)?(?:e[−-]?\d+)?)(?![\d.])"
)


def misprinted_estimate(text: str, *, se_digits_free: bool = False) -> str | None:
    """The first "mean ± SE" in ``text`` printed against core.facts.estimate's rule, or None:
    the SE at 2 significant digits (audit passes 62–68 found SEs at one digit and at five:
    "0.48667 ± 0.02886"), the mean to the SE's last decimal at least ("0.1004 ± 0.0054", never
    "0.1 ± 0.0054", pass 61). A mean may print longer where the page prints that value so
    elsewhere (one text per value: trees' "7.337 ± 0.10" is the decomposition tooltip's total).
    With ``se_digits_free`` the SE's digits are the lesson's to choose (it checks them itself)."""
    for m in MEAN_PLUS_MINUS_SE.finditer(text):
        mean_text, se_text = m.group("mean"), m.group("se")
        se = read(se_text)
        whole = se >= 100 and se == se.to_integral_value()  # "1,300" (core.facts.se_num)
        if se != 0 and significant(se_text) != 2 and not whole and not se_digits_free:
            return m.group(0)
        if se != 0 and read(mean_text).as_tuple().exponent > se.as_tuple().exponent:
            return m.group(0)
    return None


class Verifiers:
    """The verifier of every claim of one lesson module (``CLAIMS``, ``facts``, ``PRESETS``)."""

    def __init__(
        self,
        lesson,
        *,
        witnesses: Iterable = (),
        unreachable: dict[str, str] | None = None,
        longer_se: dict[str, str] | None = None,
        run: Callable | None = None,
    ):
        """``witnesses``: Configs that, with the presets, make the lesson emit every claim.
        ``unreachable``: claim -> why no setting reaches it (a safety net kept for honesty).
        ``longer_se``: claim -> why its "mean ± SE" may print the SE past 2 digits (its own
        verifier checks the digits)."""
        self.lesson = lesson
        self.checks: dict[str, Callable] = {}
        self.witnesses = list(witnesses)
        self.unreachable = dict(unreachable or {})
        self.longer_se = dict(longer_se or {})
        self.run = run or lesson.run

    def __call__(self, key: str):
        if key not in self.lesson.CLAIMS:
            raise KeyError(f"{key!r} is not a claim of {self.lesson.__name__}")

        def register(fn):
            self.checks[key] = fn
            return fn

        return register

    def sides(self, measure: Callable, limit: float, **claims: str) -> None:
        """Verifiers for claims that say on which side of ``limit`` a number falls:
        ``measure(config, result, fact)`` checks the fact's values and returns the number, and
        each claim, given as ``above=key`` (>), ``at_most=key`` (<=), ``at_least=key`` (>=) or
        ``below=key`` (<), asserts its side."""
        for side, key in claims.items():
            compare = SIDES[side]

            def check(config, result, fact, compare=compare, side=side):
                value = measure(config, result, fact)
                assert compare(value, limit), f"{value!r} is not {side.replace('_', ' ')} {limit!r}"

            self(key)(check)

    def check(self, config, result=None) -> list:
        """Run (unless given the result), then assert every emitted fact; returns the facts."""
        result = self.run(config) if result is None else result
        facts = self.lesson.facts(config, result)
        for fact in facts:
            assert fact.claim in self.checks, f"no verifier for claim {fact.claim!r}"
            plural = ONE_IN_PLURAL.search(fact.text)
            assert plural is None, f"{fact.claim}: a count of 1 in the plural: {plural.group(0)!r}"
            hyphen = ASCII_MINUS.search(fact.text)
            where = fact.text[max(0, hyphen.start() - 40) : hyphen.end() + 12] if hyphen else ""
            assert hyphen is None, f"{fact.claim}: a hyphen for a minus sign: …{where!r}…"
            estimate = misprinted_estimate(fact.text, se_digits_free=fact.claim in self.longer_se)
            assert estimate is None, (
                f"{fact.claim}: a mean ± SE not as estimate prints it: {estimate!r}"
            )
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
