"""How to choose a batch size: one net and seed trained with batch sizes 1 to the full batch.

``run(config)`` trains every selected batch size (and the prediction's B = 1, 32 and full batch)
and measures the gradient noise; ``estimated_seconds(config)`` is its cost, checked by ``Config``.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.data import Dataset, fingerprint
from core.experiments.batch_size.memory import memory_frame
from core.experiments.batch_size.noise import _noise
from core.experiments.batch_size.settings import (
    _BLAS,
    BATCH_KEYS,
    Config,
    Progress,
    advised_rule,
    cap_keys,
    estimated_seconds,
    layer_sizes,
    noise_seconds,
    parse_batch_key,
    prepare_data,
    rule_keys,
    run_seconds,
)
from core.experiments.batch_size.training import _train, combined_curves, summarize
from core.progress import report as report_progress

__all__ = ["Config", "Result", "estimated_seconds", "memory_table", "run"]


@dataclass(frozen=True)
class Result:
    """What the page shows: the selected runs, the prediction's runs, gradient noise and memory.

    Attributes
    ----------
    summary : DataFrame
        One row per selected batch size, in batch-size order (:func:`summarize`): the run's
        summary plus the time, updates and epochs it took to reach the target test accuracy.
    curves : DataFrame
        The selected runs' per-epoch curves, stacked, with key and label.
    trained : DataFrame
        The summary of every run trained (the selected ones and the prediction's 1, 32, full).
    variance : DataFrame
        The gradient-noise study (see :class:`NoiseResult`).
    memory : DataFrame
        The forward activation cache and the peak of one update's activations per batch size, and
        the B-independent parameter memory (:func:`memory_table`).
    sigma2, noise_slope, theory_slope, full_gradient_norm : float
        The noise study's per-example variance and fitted slopes (B <= n / 4).
    noise_draws, n_train, n_test : int
    sizes : tuple of int
        The net's layer sizes (inputs, hidden..., outputs).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the bundled sets.
    rule_runs : DataFrame or None
        With scaling off, the summaries of the selected batch sizes above 32 trained again under
        the rule the recipe advises (``advised_rule``: linear for SGD, √ for Adam), so that its
        "try scaling η with B" is said only where the rule helps; None with a rule on.
    capped_runs : DataFrame or None
        With a rule on, the summaries of the selected batch sizes above 32 that diverged, trained
        again at the η set for B = 32 (``cap_keys``), so that "cap the scaled η" is said only of
        runs a cap lets finish; None with scaling off.
    majority : float
        The test set's share of its most common class: what always predicting that class
        scores, so that a test accuracy within one standard error of it is not read as the
        start's success (NaN where a result was built without it).
    """

    summary: pd.DataFrame
    curves: pd.DataFrame
    trained: pd.DataFrame
    variance: pd.DataFrame
    memory: pd.DataFrame
    sigma2: float
    noise_slope: float
    theory_slope: float
    full_gradient_norm: float
    noise_draws: int
    n_train: int
    n_test: int
    sizes: tuple[int, ...]
    notes: tuple[str, ...] = ()
    rule_runs: pd.DataFrame | None = None
    capped_runs: pd.DataFrame | None = None
    majority: float = math.nan

    @property
    def loss_name(self) -> str:
        """'logistic' for one output, 'cross-entropy' for k classes (uploaded data)."""
        return "logistic" if self.sizes[-1] == 1 else "cross-entropy"


class _Memo:
    """The last few runs of this process, so a changed selection of batch sizes (or a changed
    optimizer, for the noise study) recomputes only what it changes. A run's result depends only
    on its key; a run stopped by its progress callback is not kept. Bounded by entries: a
    RunResult holds one row per epoch (at most 41), a few kilobytes."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, compute):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_RUNS = _Memo(128)


def _part(progress: Progress | None, start: float, width: float, key: str) -> Progress | None:
    """A run's share [start, start + width] of the whole progress, told before it starts."""
    if progress is None:
        return None
    label = (
        "gradient noise"
        if key == "noise"
        else f"B = {key.removeprefix('rule ')}, η scaled by the rule"
        if key.startswith("rule ")
        else f"B = {key.removeprefix('cap ')}, η capped at B = 32's"
        if key.startswith("cap ")
        else f"B = {key}"
    )
    progress(start, label)
    return lambda fraction, message: progress(start + width * fraction, f"{label}, {message}")


def run(config: Config, data: Dataset | None = None, progress: Progress | None = None) -> Result:
    """Train every batch size of ``config.trained_keys`` and measure the gradient noise.

    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the 2-D set
    the config names; its dataset, n_samples and noise are then unused. ``progress(fraction,
    message)`` hears of every epoch (it may raise to stop the run). Each batch size's run and
    the noise study are kept per their own settings (the last 128 of this process), so
    selecting another batch size trains only that one. ``progress`` defaults to
    ``core.progress.report`` (the app listens there, and may cancel).
    """
    progress = progress or report_progress
    ds, notes = prepare_data(config, data)
    uploaded, data_key = data is not None, None if data is None else fingerprint(data)
    base = replace(config, batch_sizes=BATCH_KEYS)  # a run does not depend on the selection
    noise_base = replace(base, optimizer="gd", learning_rate=0.1, scaling="none", epochs=1)
    parts = [(k, run_seconds(config, parse_batch_key(k), data)) for k in config.trained_keys]
    # the recipe's advice checked: the larger batches again under the rule it names (cheap:
    # few updates each; kept like any run, so switching the rule on reuses them)
    ruled = replace(config, scaling=advised_rule(config))
    parts += [
        (f"rule {k}", run_seconds(config, parse_batch_key(k), data)) for k in rule_keys(config)
    ]
    # a divergence warning's "cap the scaled η" checked: a larger batch that diverged, again at
    # the η set for B = 32 (the run with scaling off, kept like any run)
    capped = replace(config, scaling="none")
    parts += [(f"cap {k}", run_seconds(config, parse_batch_key(k), data)) for k in cap_keys(config)]
    parts.append(("noise", noise_seconds(config, data)))
    total = sum(seconds for _, seconds in parts)
    runs, done = {}, 0.0
    with _BLAS.limit(limits=1, user_api="blas"):
        for key, seconds in parts:
            # a capped run is trained only for a batch size that diverged: no progress line
            # names one that is not trained ("B = 64, η capped at B = 32's" beside a B = 64
            # that did not diverge, linear rule at the defaults; audit pass 59 d)
            skipped = (
                key.startswith("cap ") and not runs[key.removeprefix("cap ")].summary["diverged"]
            )
            report = None if skipped else _part(progress, done / total, seconds / total, key)
            if key.startswith("rule "):
                k = key.removeprefix("rule ")
                runs[key] = _RUNS.get(
                    (k, replace(ruled, batch_sizes=BATCH_KEYS), data_key),
                    lambda k=k, report=report: _train(
                        ruled, parse_batch_key(k), ds, notes, uploaded, report
                    ),
                )
            elif key.startswith("cap "):
                k = key.removeprefix("cap ")
                if not skipped:
                    runs[key] = _RUNS.get(
                        (k, replace(capped, batch_sizes=BATCH_KEYS), data_key),
                        lambda k=k, report=report: _train(
                            capped, parse_batch_key(k), ds, notes, uploaded, report
                        ),
                    )
            elif key == "noise":
                noise = _RUNS.get(
                    ("noise", noise_base, data_key), lambda: _noise(config, ds, uploaded)
                )
            else:
                runs[key] = _RUNS.get(
                    (key, base, data_key),
                    lambda key=key, report=report: _train(
                        config, parse_batch_key(key), ds, notes, uploaded, report
                    ),
                )
            done += seconds
    shown = [runs[k] for k in config.batch_sizes]
    sizes = layer_sizes(config, None if data is None else ds)
    return Result(
        summary=summarize(shown),
        curves=combined_curves(shown),
        trained=pd.DataFrame([runs[k].summary for k in config.trained_keys]),
        variance=noise.variance,
        memory=memory_frame(sizes, len(ds.y_train), config.optimizer),
        sigma2=noise.sigma2,
        noise_slope=noise.slope,
        theory_slope=noise.theory_slope,
        full_gradient_norm=noise.full_gradient_norm,
        noise_draws=noise.draws,
        n_train=len(ds.y_train),
        n_test=len(ds.y_test),
        sizes=tuple(int(s) for s in sizes),
        notes=notes,
        rule_runs=pd.DataFrame([runs[f"rule {k}"].summary for k in rule_keys(config)])
        if config.scaling == "none"
        else None,
        capped_runs=pd.DataFrame(
            [runs[f"cap {k}"].summary for k in cap_keys(config) if f"cap {k}" in runs]
        )
        if config.scaling != "none"
        else None,
        majority=float(np.unique(ds.y_test, return_counts=True)[1].max() / len(ds.y_test)),
    )


def memory_table(config: Config, data: Dataset | None = None) -> pd.DataFrame:
    """Activation memory for every batch size of the page and the B-independent parameter memory.

    With uploaded ``data`` the net's input and output sizes and the full batch are the upload's.

    Returns
    -------
    DataFrame with key, label, batch_size, activation_bytes (the forward cache), step_bytes (the
    cache plus the backward pass's temporaries at their peak, float64) and parameter_bytes
    (parameters + gradients + optimizer state, 8 bytes each).
    """
    ds, _ = prepare_data(config, data)
    sizes = layer_sizes(config, None if data is None else ds)
    return memory_frame(sizes, len(ds.y_train), config.optimizer)
