"""How the batch-size lesson's sentences name runs and write numbers."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd

from core.facts import (
    _rounded,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    listing,
    num,
    padded,
    percent_places,
    read,
    reads_alike,
)


def b(label: str) -> str:
    """'B = 32', 'B = full (280)'."""
    return f"B = {label}"


def duration(seconds: float, digits: int = 3) -> str:
    """A measured time with three (or ``digits``) significant digits, in µs, ms or s."""
    seconds = float(seconds)  # a NumPy float's repr is not a number
    # the unit is chosen on the rounded value: 999.7 µs prints "1.00 ms", not "1e+03 µs"
    if float(_rounded(seconds * 1e6, digits)) < 1e3:
        return f"{_measured(seconds * 1e6, digits)} µs"
    if float(_rounded(seconds * 1e3, digits)) < 1e3:
        return f"{_measured(seconds * 1e3, digits)} ms"
    return f"{_measured(seconds, digits)} s"


def _measured(value: float, digits: int) -> str:
    """``value`` for :func:`duration`: ``digits`` significant digits, halves rounded up, zeros
    kept ("22.0", "1.00", "141"), as gradient descent prints a measured time: not the digits
    :func:`num` adds so that no fraction prints as a whole number ("21.9997 ms" of one timing on a
    shared server, audit pass 60 g; "207.0 µs", "158.8 µs" beside a fixed part of "96.98 µs",
    audit pass 65 b), nor its digits against a 5 that rounding up made: one timing's precision is
    not a tenth of a microsecond."""
    plain = _rounded(value, digits)  # halves rounded up, float round-off cleaned
    if "e" in plain:
        return num(value, digits)
    return padded(plain, digits)


def minus(x: float) -> str:
    """A slope with three decimals and a typographic minus: '−1.055'."""
    return decimals(x + 0.0, 3).replace("-", "−")


def share(p: float, places: int = 1) -> str:
    """An accuracy (a share of test or training points) in percent, halves rounded up as a reader
    rounds a share of counts: 153 of 240 is 63.75 %, "63.8%" (float formatting gives "63.7%").
    Rounded to 12 decimals first, so best − 0.01 = 0.6274999999999999 is the 62.75 it stands for.
    A share strictly between 0 and 1 gets decimals while it would print as 0 % or 100 % (1,999 of
    2,000 test points, an upload's cap, is "99.95%", not "100.0%")."""
    text = decimals(round(p, 12), places, 100)
    while 0 < p < 1 and Decimal(text) in (0, 100) and places < 12:
        places += 1
        text = decimals(round(p, 12), places, 100)
    return text + "%"


def points(x: float) -> str:
    """A difference of two accuracies in signed percentage points, halves rounded up, with a
    decimal more while a nonzero one would print as 0 (1/2100 is "+0.05", not "+0.0")."""
    for places in range(1, 8):
        text = decimals(round(x, 12), places, 100)
        if x == 0 or Decimal(text) != 0:
            break
    return f"+{text}" if x > 0 else text


def gap_points(train: float, test: float, *ties: tuple[float, float]) -> str:
    """train − test in signed percentage points as :func:`points` prints it, with decimals added
    until the accuracy dumbbell's printed gap (the difference of the two accuracies printed at
    any decimals it may use: the run's own, :func:`core.facts.percent_places`, or more) reads as
    this text, the longer of the two rounding, halves up, to the shorter: not "+7.3 points"
    beside a tooltip of 58.78 % − 51.43 % = 7.35, which a reader rounds to 7.4 (288 of 490 and
    108 of 210 are 7.3469 points apart). ``ties``: other runs' (train, test) at the same gap,
    whose printed gaps the text must read as too."""
    x = train - test
    printed = [
        Decimal(decimals(a, q, 100)) - Decimal(decimals(b, q, 100))
        for a, b in ((train, test), *ties)
        for q in range(percent_places(a, b), 17)
    ]
    for places in range(1, 17):
        text = decimals(round(x, 12), places, 100)
        if x != 0 and Decimal(text) == 0:
            continue
        shown = Decimal(text)
        if all(reads_alike(shown, gap) for gap in printed):
            return f"+{text}" if x > 0 else text
    return points(x)


def kib(n_bytes: float) -> str:
    """Bytes in KiB to one decimal, halves rounded up (1,280 bytes is "1.3 KiB", not "1.2")."""
    kib = (Decimal(int(n_bytes)) / 1024).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{kib:,} KiB"


def finished(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of runs that did not diverge."""
    return table[~table["diverged"]]


def best_runs(table: pd.DataFrame) -> pd.DataFrame:
    """The rows with the highest test accuracy: one, or every run tied at it (accuracies are
    shares of the same test points, so a tie is exact: 109 of 120 at B = 1, 8, 32 and 64 of
    preset 'Scaling too far', where naming one of them "the best" ranked a tie)."""
    return table[table["test_accuracy"] == table["test_accuracy"].max()]


def rose(row) -> bool:
    return (not row["diverged"]) and row["train_loss"] > row["start_train_loss"]


def accuracy_se(p: float, n_test: int) -> float:
    """Standard error of an accuracy p measured on n_test points, with Agresti and Coull's
    "plus four" estimate: p~ = (p n + 2) / (n + 4), sqrt(p~ (1 - p~) / (n + 4)).

    The plug-in sqrt(p (1 - p) / n) is 0 at a perfect (or a zero) score, which would call one
    mistake in 120 test points "more than one standard error" away; this one stays above 0.
    """
    tilde = (p * n_test + 2.0) / (n_test + 4.0)
    return math.sqrt(tilde * (1.0 - tilde) / (n_test + 4.0))


def eta_text(x: float) -> str:
    """A learning rate, 3 significant digits or more until it is the reader's rounding of it:
    η·B/32 = 1/32 = 0.03125 prints "0.03125", not round-half-even's "0.0312"."""
    exact = Decimal(repr(float(x)))
    return next((num(x, d) for d in range(3, 18) if agrees(num(x, d), exact)), num(x, 17))


def etas(rows: pd.DataFrame) -> str:
    return listing(
        [f"{b(r['label'])} (η = {eta_text(r['learning_rate'])})" for _, r in rows.iterrows()]
    )


def uncapped(config, diverged: pd.DataFrame, capped_runs: pd.DataFrame | None) -> tuple[str, int]:
    """(why capping the scaled η would not fix some diverged runs, how many) or ("", 0): those
    that diverged at an η the rule did not raise above the one set for B = 32, and those whose
    η it raised that diverged again when trained at that η (``Result.capped_runs``; SGD at η = 0.7
    under the √ rule on the gaussians, n = 1,000, noise 0.1, seed 460, width 64, depth 3: B = 64
    at η = 0.99 and again at 0.7, beside "lower η, or cap the scaled η"; audit pass 58 b)."""
    base = f"the η = {eta_text(config.learning_rate)} set for B = 32"
    unscaled = diverged[diverged["learning_rate"] <= config.learning_rate]
    again = (
        set()
        if capped_runs is None or not len(capped_runs)
        else set(capped_runs.loc[capped_runs["diverged"], "key"])
    )
    scaled = diverged[diverged["learning_rate"] > config.learning_rate]
    # the summary by position or indexed by its keys (the recipe's)
    keys = scaled["key"] if "key" in scaled.columns else scaled.index.to_series()
    repeated = scaled[keys.isin(again).to_numpy()]
    reasons = []
    if len(unscaled):
        reasons.append(f"{etas(unscaled)} diverged at an η the rule did not raise above {base}")
    if len(repeated):
        names = listing([b(label) for label in repeated["label"]])
        reasons.append(
            f"{names} diverged again when trained at {base}"
            if unscaled.empty
            else f"{names} diverged again when trained at that η"
        )
    return "; ".join(reasons), len(unscaled) + len(repeated)


# The main loss chart's y axis stops at this many times the largest starting loss, so that a run
# whose loss explodes does not flatten the others.
AXIS_CAP = 10


def axis_cap(curves: pd.DataFrame, summary: pd.DataFrame, loss: str) -> tuple[float | None, str]:
    """(the loss chart's y-axis top or None, a caption naming the runs it cuts off or "").

    The axis stops at AXIS_CAP × the largest loss at epoch 0 only where some curve goes above
    it; the caption says so and names those runs with their highest loss, so that a line leaving
    the chart is not read as a loss that stopped at the top (preset 'Scaling too far': B = full's
    training loss reached 1,305 against an axis top of 7.748, with no word on the page; audit
    pass 55 d)."""
    cap = AXIS_CAP * float(curves.loc[curves["epoch"] == 0, loss].max())
    # the chart drops points that are not finite: only the drawn ones can leave the axis
    drawn = curves[np.isfinite(curves[loss].to_numpy(dtype=float))]
    peaks = drawn.groupby("key", sort=False)[loss].max()
    over = [k for k in summary["key"] if k in peaks.index and peaks[k] > cap]
    if not over:
        return None, ""
    s = summary.set_index("key")
    # num's digits, as every printed loss ("1,305" printed a fraction, 1,305.3, as a whole
    # number), at one count of significant digits with zeros kept (core.facts.alike): "B = 256
    # (up to 1.22e+05, diverged) and B = full (280) (up to 1.3e+03)" at the preset 'Scaling too
    # far' read 1,304.7 to two digits beside three (audit pass 67 c)
    shown = dict(zip(over, alike(*(float(peaks[k]) for k in over)), strict=True))
    names = [
        f"{b(s.loc[k, 'label'])} (up to {shown[k]}"
        + (", diverged)" if bool(s.loc[k, "diverged"]) else ")")
        for k in over
    ]
    one = len(over) == 1
    return cap, (
        f"The loss axis stops at {AXIS_CAP}× the largest starting loss, {num(cap)}: "
        f"{listing(names)} {'goes' if one else 'go'} above it and {'is' if one else 'are'} cut "
        "off at the top."
    )


def loss_texts(*values: float, digits: int = 3, printed=()) -> tuple[str, ...]:
    """Final or starting training losses one sentence compares: :func:`core.facts.alike`'s texts,
    or, where its pull to a neighbour's longer count would give a loss another sentence already
    prints (``printed``: (value, text) pairs) a second number, not only more zeros, and where
    that does give every loss its one number: each at :func:`core.facts.apart`'s digits with its
    own zeros kept, a value :func:`num` prints longer (never a rounded-up 5)
    keeping its digits alone (:func:`core.facts.at_one_precision` with the values). At the preset
    'Scaling too far' the start's 0.774768 (num: "0.7748") pulled the full batch's 0.830245 to
    "0.8302" in the answer and the 'rose' warning, beside the loss spread's "0.830" (audit pass
    69 e)."""
    texts = alike(*values, digits=digits)
    known = dict(printed)

    def same(a: str, b: str) -> bool:
        try:
            return read(a) == read(b)
        except InvalidOperation:
            return a == b

    def kept(shown) -> bool:
        return all(same(known.get(v, t), t) for v, t in zip(values, shown, strict=True))

    if kept(texts):
        return texts
    d = apart_digits(values, digits)
    own = tuple(padded(num(v, d), d) for v in values)
    return own if kept(own) else texts


def spread_factor(spread: float) -> str:
    """A factor between two final training losses, as the loss spread and the recipe print it:
    :func:`core.facts.apart` of 1 and ``spread`` (digits until it prints apart from 1), zeros
    kept to 3 significant digits as the losses beside it print theirs (core.facts.alike): "span
    a factor of 4.8: from 0.1548 at B = 32 to 0.7427 at B = 1" (preset 'Momentum, same learning
    rate') read the factor, 4.798, to two digits beside losses to four (audit pass 67 c)."""
    return padded(apart(1.0, spread)[1], 3)
