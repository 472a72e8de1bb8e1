"""One batch size's training run, and the table that compares the runs."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import mlp
from core.data import Dataset
from core.experiments.batch_size.memory import activation_memory
from core.experiments.batch_size.settings import (
    _BLAS,
    BATCH_KEYS,
    LOSS,
    Config,
    Progress,
    batch_key,
    batch_label,
    layer_sizes,
    output_head,
    prepare_data,
)
from core.facts import ROUND_OFF
from core.losses import LOSSES
from core.optim import OPTIMIZERS
from core.train import accuracy, fit, prepare_targets


@dataclass(frozen=True)
class RunResult:
    """One batch size's run.

    Attributes
    ----------
    key, label : str
        Option name (``"32"``, ``"full"``) and legend text.
    curves : DataFrame
        One row per completed epoch (0 = before training): epoch, updates, examples, seconds
        (training time only, evaluation excluded), train_loss, test_loss, train_accuracy,
        test_accuracy.
    summary : dict
        key, label, batch_size, learning_rate, updates (including a diverging one), updates_per_epoch,
        epochs_done, start_train_loss, final losses and accuracies, gap_accuracy (train - test),
        gap_loss (test - train), seconds, seconds_per_update, activation_bytes, diverged,
        stopped_reason.
    """

    key: str
    label: str
    curves: pd.DataFrame
    summary: dict
    notes: tuple[str, ...] = ()


def _evaluate(params, X, T, loss=LOSS):
    logits = mlp.forward(params, X)[0]
    return LOSSES[loss].fn(logits, T), accuracy(loss, logits, T)


def _training_seconds(update_ends, updates_done, callback_seconds) -> np.ndarray:
    """Cumulative training time at the end of each epoch, evaluation time removed.

    ``update_ends[u]`` is fit's clock after update u + 1; ``updates_done[e]`` counts the updates
    after epoch e (``updates_done[0] = 0``). Epoch e >= 2 took the time between the last updates of
    epochs e - 1 and e minus the evaluating callback in between. Epoch 1 follows fit's own
    initial evaluation, so it is timed as the median of the others (all do the same work).
    """
    ends = [update_ends[u - 1] for u in updates_done[1:]]
    durations = [ends[e] - ends[e - 1] - callback_seconds[e - 1] for e in range(1, len(ends))]
    if ends:
        first = float(np.median(durations)) if durations else float(ends[0])
        durations = [first, *durations]
    return np.concatenate([[0.0], np.cumsum(np.maximum(durations, 0.0))])


def train_run(
    config: Config,
    batch_size: int | None,
    data: Dataset | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Train the net with ``batch_size`` (None: the full batch); loss and accuracy per epoch.

    Evaluation happens in a callback whose own time is subtracted, so the wall-time axis
    measures training (per-update seconds come from ``History.steps``). ``progress(fraction,
    message)`` is told after every epoch.
    """
    ds, notes = prepare_data(config, data)
    with _BLAS.limit(limits=1, user_api="blas"):
        return _train(config, batch_size, ds, notes, data is not None, progress)


def _train(config, batch_size, ds, notes, uploaded, progress=None) -> RunResult:
    loss, n_out = output_head(ds)
    sizes = layer_sizes(config, ds if uploaded else None)
    n_train = len(ds.y_train)
    B = n_train if batch_size is None else batch_size
    T_train = prepare_targets(loss, ds.y_train, n_out)
    T_test = prepare_targets(loss, ds.y_test, n_out)
    params = mlp.init_params(sizes, init="he", seed=config.seed)
    lr = config.scaled_learning_rate(B)
    callback_seconds: list[float] = []
    rows = [
        (
            0,
            *_evaluate(params, ds.X_train, T_train, loss),
            *_evaluate(params, ds.X_test, T_test, loss),
        )
    ]

    def record(info):
        entry = time.perf_counter()
        p = info["params"]
        rows.append(
            (
                info["epoch"],
                *_evaluate(p, ds.X_train, T_train, loss),
                *_evaluate(p, ds.X_test, T_test, loss),
            )
        )
        if progress is not None:
            progress(info["epoch"] / config.epochs, f"epoch {info['epoch']} of {config.epochs}")
        # the progress listener's time is the app's, not training's (audit pass 71 h)
        callback_seconds.append(time.perf_counter() - entry)

    with np.errstate(all="ignore"):
        history = fit(
            params,
            ds.X_train,
            ds.y_train,
            loss=loss,
            optimizer=OPTIMIZERS[config.optimizer](lr),
            epochs=config.epochs,
            batch_size=batch_size,
            seed=config.seed,
            callback=record,
            eval_every=None,
        )
    curves = pd.DataFrame(
        rows, columns=["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"]
    )
    per_epoch = history.epochs.set_index("epoch").loc[curves["epoch"]]
    updates_done = per_epoch["updates"].to_numpy()
    curves["updates"] = updates_done
    curves["examples"] = per_epoch["examples"].to_numpy()
    curves["seconds"] = _training_seconds(
        history.steps["seconds"].to_numpy(), updates_done, callback_seconds
    )
    final = curves.iloc[-1]
    seconds = float(final["seconds"])
    summary = {
        "key": batch_key(batch_size),
        "label": batch_label(batch_size, n_train),
        "batch_size": B,
        "learning_rate": lr,
        "updates": int(history.n_updates),
        "updates_per_epoch": math.ceil(n_train / B),
        "epochs_done": int(final["epoch"]),
        "start_train_loss": float(curves["train_loss"].iloc[0]),
        "train_loss": float(final["train_loss"]),
        "test_loss": float(final["test_loss"]),
        "train_accuracy": float(final["train_accuracy"]),
        "test_accuracy": float(final["test_accuracy"]),
        "gap_accuracy": float(final["train_accuracy"] - final["test_accuracy"]),
        "gap_loss": float(final["test_loss"] - final["train_loss"]),
        "seconds": seconds,
        "seconds_per_update": seconds / max(1, int(final["updates"])),
        "activation_bytes": activation_memory(sizes, B),
        "diverged": bool(history.diverged),
        "stopped_reason": history.stopped_reason,
    }
    return RunResult(
        key=summary["key"], label=summary["label"], curves=curves, summary=summary, notes=notes
    )


def reaches(accuracy, target: float):
    """Whether a test accuracy (a share of counts; a number or a Series) reaches ``target``, the
    best share minus one point, up to float round-off: 149 of 300 is the 152/300 − 0.01 it
    stands for, although in floats 149/300 < 152/300 − 0.01 (a run at the target was listed as
    never reaching it)."""
    return accuracy >= target - ROUND_OFF


def summarize(results: Sequence[RunResult], *, within: float = 0.01) -> pd.DataFrame:
    """One row per run in batch-size order, with the time each needed to reach a good model.

    ``target_accuracy`` is the best final test accuracy among the runs that did not diverge,
    minus ``within``; ``seconds_to_target`` / ``updates_to_target`` / ``epochs_to_target`` are
    read at the first epoch whose test accuracy reaches it (NaN if it never does).

    Returns
    -------
    DataFrame with the columns of ``RunResult.summary`` plus target_accuracy and the three
    ``*_to_target`` columns, and ``rank`` (position in :data:`BATCH_KEYS`).
    """
    if not results:
        raise ValueError("'results' is empty; select at least one batch size.")
    table = pd.DataFrame([r.summary for r in results])
    table["rank"] = table["key"].map(BATCH_KEYS.index)
    ok = ~table["diverged"]
    best = float(table.loc[ok, "test_accuracy"].max()) if ok.any() else math.nan
    target = best - within
    reach = {"seconds_to_target": [], "updates_to_target": [], "epochs_to_target": []}
    for r in results:
        hit = r.curves[reaches(r.curves["test_accuracy"], target)]
        first = hit.iloc[0] if len(hit) and not r.summary["diverged"] else None
        reach["seconds_to_target"].append(math.nan if first is None else float(first["seconds"]))
        reach["updates_to_target"].append(math.nan if first is None else float(first["updates"]))
        reach["epochs_to_target"].append(math.nan if first is None else float(first["epoch"]))
    table = table.assign(target_accuracy=target, **reach)
    return table.sort_values("rank").reset_index(drop=True)


def combined_curves(results: Sequence[RunResult]) -> pd.DataFrame:
    """Every run's per-epoch curves stacked, with its key and label (tidy, for one chart)."""
    return pd.concat(
        [r.curves.assign(key=r.key, label=r.label) for r in results], ignore_index=True
    )


def alignment(summary: pd.DataFrame) -> float:
    """How far apart the runs end: max / min final training loss over runs that did not diverge.

    1.0 means identical losses at the end; with SGD the linear scaling rule keeps it small.
    NaN with fewer than two such runs.
    """
    losses = summary.loc[~summary["diverged"], "train_loss"]
    if len(losses) < 2 or losses.min() <= 0:
        return math.nan
    return float(losses.max() / losses.min())
