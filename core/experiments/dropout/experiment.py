"""Why dropout helps: one net trained per keep probability, inverted dropout's scaling checked."""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import mlp
from core.activations import sigmoid
from core.config import Settings, choice, integer, number, subset
from core.data import (
    CLASSIFICATION_2D,
    Dataset,
    boundary_note,
    fingerprint,
    make_classification_2d,
    subsample,
)
from core.experiments.budget import check_budget
from core.experiments.dropout.masks import (
    CHECK_DRAWS,
    CHECK_QS,
    DEEPER_DRAWS,
    MASK_DRAWS,
    activation_check,
    averaged_log_loss,
    averaged_probability,
    deeper_check,
    mc_dropout_logits,
    point_losses,
)
from core.optim import adam
from core.progress import report as report_progress
from core.train import fit

# Every matrix here is small: one BLAS thread is several times faster than two fighting over a
# shared machine (the same choice core.train makes inside fit).
_BLAS = ThreadpoolController()

# Keep probabilities q offered by the page; core.mlp takes the drop probability p = 1 - q.
KEEP_PROBS = (1.0, 0.9, 0.8, 0.65, 0.5, 0.35, 0.2)
KEEP_KEYS = tuple(
    f"{q:g}" if q < 1 else "1.0"  # plain-format: option names of the page's own settings
    for q in KEEP_PROBS
)
# The prediction compares these two, so every run trains them whatever else is selected.
ALWAYS = (1.0, 0.5)
# A budget refusal's other way out: the fewest networks a run trains (those it always trains).
FEWER_KEEP_PROBS = {"select fewer keep probabilities": {"keep_probs": ALWAYS}}
WIDTHS = (16, 32, 64, 128)
LOSS = "bce_with_logits"
# Test points per training point: the test set is large so its loss is a good estimate.
TEST_PER_TRAIN = 4
GRID = 32
# The Monte Carlo view pushes MC_GRID^2 x MC_SAMPLES rows through the net: a coarser grid.
MC_GRID = 25
MC_SAMPLES = 25
# Uploaded data: the training rows are capped so that epochs x rows x the net's multiply-adds per
# example stays within UPLOAD_WORK (and UPLOAD_MIN_TRAIN..UPLOAD_MAX_TRAIN); the test split keeps
# TEST_PER_TRAIN rows per training row, as with the 2-D sets.
UPLOAD_WORK = 3.5e8
UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN = 20, 200
# Per-keep-probability runs kept in core, so adding a pill trains only the new q.
CACHED_RUNS = 32
# Seconds on the lab's machine (one core's CPU seconds). The per-run constants are fitted to
# timings of every width, depth, size and length on a grid (relative least squares, in one process
# on the 2-core machine), then multiplied by BUSY: the slow-down bench/budget.py measured while
# other jobs shared the cores. SECONDS_BASE is a fresh process's first run (lazy imports, first
# calls). Per run: a fixed part; per epoch a fixed step, the element-wise work on every hidden
# unit of every training example (activations, Adam; masks too when q < 1) and the matrix
# products; about 100 evaluations on train + test; with q < 1 the Monte Carlo rows (grid and test
# set, MC_SAMPLES masks each); the mask checks on one training point.
SECONDS_BASE, BUSY = 0.9, 1.4
SECONDS_PER_RUN = 0.018
SECONDS_PER_EPOCH = 5.2e-5
SECONDS_PER_UNIT = 4.3e-9  # per training example x hidden unit, per epoch
SECONDS_PER_MASKED_UNIT = 4.2e-9  # the same, extra when q < 1 (drawing and applying masks)
SECONDS_PER_MAC = 2.0e-10  # per multiply-add of a training step (forward and backward)
SECONDS_PER_EVAL_MAC = 6.4e-11
SECONDS_PER_MC_MAC, SECONDS_PER_MC_UNIT = 2.1e-11, 1.45e-8
SECONDS_PER_CHECK_UNIT = 3.3e-9  # per masked draw x first-layer unit of the mask checks
SECONDS_PER_DEEPER_MAC = 3.4e-10  # per masked draw x layer-2 multiply-add (q < 1, depth >= 2)

Progress = Callable[[float, str], None]


def keep_key(q: float) -> str:
    """The option name of a keep probability: ``"1.0"``, ``"0.8"``, ``"0.65"``."""
    return "1.0" if q >= 1 else f"{q:g}"  # plain-format: an option name, the setting itself


def keep_label(q: float) -> str:
    """Legend and pill text: ``"q = 1.0 (no dropout)"`` or ``"q = 0.5"``."""
    if q >= 1:
        return "q = 1.0 (no dropout)"
    return f"q = {q:g}"  # plain-format: a keep probability setting echoed back


@dataclass(frozen=True)
class Config(Settings):
    """The dropout lesson: one ReLU net ``2 -> width x depth -> 1`` trained with Adam on the full
    batch of few noisy points, once per keep probability in ``keep_probs`` (and always at q = 1
    and q = 0.5, which the prediction compares).

    Each hidden unit is kept with probability q (``core.mlp.forward`` gets ``dropout = 1 - q``)
    and scaled by 1/q while training (inverted dropout).
    """

    dataset: str = choice("moons", CLASSIFICATION_2D)
    n_train: int = integer(40, 20, 100, step=10)
    noise: float = number(0.35, 0.0, 1.0, step=0.05)
    seed: int = integer(0, 0, 2**31 - 1)
    width: int = integer(128, 16, 128, grid=WIDTHS)
    depth: int = integer(2, 1, 3)
    learning_rate: float = number(0.003, 3e-4, 0.03, log=True)
    epochs: int = integer(200, 50, 400, step=50)
    keep_probs: tuple = subset(
        (1.0, 0.8, 0.5), KEEP_PROBS, hint="Select at least one keep probability."
    )

    def check(self):
        check_budget(
            estimated_seconds(self),
            ("epochs", "width", "n_train", "depth"),
            what=f"Training {len(trained_keep_probs(self))} networks",
            config=self,
            estimate=estimated_seconds,
            moves=FEWER_KEEP_PROBS,
        )

    @property
    def sizes(self) -> tuple[int, ...]:
        return (2, *([self.width] * self.depth), 1)


def eval_every(config: Config) -> int:
    """Epochs between two measurements of the losses (about 100 per run; the last epoch is
    always measured): between two of them a loss is not seen."""
    return max(1, config.epochs // 100)


def trained_keep_probs(config: Config) -> tuple[float, ...]:
    """The keep probabilities a run trains: the selected ones and ALWAYS, from q = 1 down."""
    chosen = set(config.keep_probs) | set(ALWAYS)
    return tuple(q for q in KEEP_PROBS if q in chosen)


# ---- cost -----------------------------------------------------------------------------------------


def _macs(sizes: Sequence[int]) -> int:
    """Multiply-adds of one example's forward pass through layers of these sizes."""
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def run_seconds(
    sizes: Sequence[int], n_train: int, n_test: int, epochs: int, keep_prob: float, maps: bool
) -> float:
    """Seconds of one keep probability's run: training, evaluations, the Monte Carlo view and the
    mask checks."""
    units, width = sum(sizes[1:-1]), sizes[1]
    macs = _macs(sizes)
    masked = keep_prob < 1
    per_epoch = (
        SECONDS_PER_EPOCH
        + (SECONDS_PER_UNIT + masked * SECONDS_PER_MASKED_UNIT) * n_train * units
        + SECONDS_PER_MAC * n_train * macs
    )
    evaluations = epochs // max(1, epochs // 100) + 1
    seconds = SECONDS_PER_RUN + epochs * per_epoch
    seconds += SECONDS_PER_EVAL_MAC * evaluations * (n_train + n_test) * macs
    seconds += SECONDS_PER_CHECK_UNIT * (MASK_DRAWS + len(CHECK_QS) * CHECK_DRAWS) * width
    if masked:
        mc_rows = MC_SAMPLES * n_test + (MC_GRID**2 * MC_SAMPLES if maps else 0)
        seconds += mc_rows * (SECONDS_PER_MC_MAC * macs + SECONDS_PER_MC_UNIT * units)
        if len(sizes) > 3:  # layer 2's check
            seconds += SECONDS_PER_DEEPER_MAC * DEEPER_DRAWS * width * sizes[2]
    return seconds


def estimated_seconds(config: Config, data: Dataset | None = None) -> float:
    """Seconds of ``run(config, data)`` on the lab's machine, nothing cached: one run per trained
    keep probability (masks cost extra when q < 1: in every training step, in the Monte Carlo
    view and in the mask checks).

    With ``data`` (an upload) the rows and layer sizes are those the run would use.
    """
    if data is None:
        sizes, n_train, maps = config.sizes, config.n_train, True
    else:
        ds, _ = prepare_data(config, data)
        sizes, n_train = layer_sizes(config, ds), len(ds.y_train)
        maps = boundary_note(ds) is None
    n_test = TEST_PER_TRAIN * n_train
    return SECONDS_BASE + BUSY * sum(
        run_seconds(sizes, n_train, n_test, config.epochs, q, maps)
        for q in trained_keep_probs(config)
    )


def estimated_seconds_on_upload(config: Config, data: Dataset) -> float:
    """Seconds of ``run(config, data)``: :func:`estimated_seconds` on the rows and layer sizes the
    upload gives (the page's spinner read the Config alone, which prices the 2-D set the upload
    replaces: "about 1 s" at 20 points for a run on 104 rows of a 3,000-row file estimated at
    2.1 s; audit pass 54 g). A file :func:`check_data` refuses is priced as the Config: the page
    says so before it runs."""
    try:
        return estimated_seconds(config, data)
    except ValueError:
        return estimated_seconds(config)


def page_seconds(config: Config) -> float:
    """The page's cost: ``estimated_seconds`` (kept for callers of the old name)."""
    return estimated_seconds(config)


# ---- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One keep probability's trained network and what is measured on it.

    Attributes
    ----------
    key, label : str
        Option name (``"0.5"``) and legend text (``"q = 0.5"``).
    curves : DataFrame
        epoch, train_loss, test_loss, train_accuracy, test_accuracy (evaluated epochs only,
        measured without masks).
    summary : dict
        key, label, keep_prob, final losses and accuracies, gap_loss (test - train), gap_accuracy
        (train - test), best_test_loss and best_epoch (its lowest test loss and where),
        mc_test_loss and mc_test_accuracy (the probability averaged over MC_SAMPLES masks),
        diverged, stopped_reason.
    test_losses : ndarray
        The final network's loss on each test point (their mean is the final test loss).
    boundary : DataFrame
        x1, x2, prob: inference probability of class 1 on a GRID x GRID grid.
    mc : DataFrame
        x1, x2, mean, std: the probability averaged over MC_SAMPLES dropout masks and its spread.
    points : DataFrame
        x1, x2, y, split ("train" / "test").
    unit : dict
        The checked first-layer unit: layer, index, activation a at inference, q, train_mean
        (mean of mask * a / q over MASK_DRAWS masks), unscaled_mean (mean of mask * a), draws,
        standard_error (a * sqrt((1 - q) / (q * draws))).
    mask_trace : DataFrame
        draw, scaled (mask * a / q of that draw), running_scaled, running_unscaled (means over
        draws 1..draw), at about TRACE_POINTS log-spaced draws.
    expectation : DataFrame
        q, rule, value, standard_error: the unit's expected activation for q in CHECK_QS: the
        training-time mean of mask * a / q over CHECK_DRAWS masks (measured, with its standard
        error), the inference value a, and the two double-scaling mistakes (inverted dropout
        plus x q, or plus / q, at inference).
    deeper : DataFrame
        unit, inference, mean, standard_error: layer 2's units on training point 1 at inference
        and averaged over DEEPER_DRAWS masks on both hidden layers (empty for one hidden layer
        or q = 1).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the 2-D sets.
    test_labels : ndarray
        The test points' classes, kept for every data set (``points`` is empty for an upload
        without maps, and the chance bar of the Monte Carlo sentence reads these).
    """

    key: str
    label: str
    curves: pd.DataFrame
    summary: dict
    test_losses: np.ndarray
    boundary: pd.DataFrame
    mc: pd.DataFrame
    points: pd.DataFrame
    unit: dict
    mask_trace: pd.DataFrame
    expectation: pd.DataFrame
    deeper: pd.DataFrame
    notes: tuple[str, ...] = ()
    test_labels: np.ndarray | None = None


@dataclass(frozen=True)
class Result:
    """The page's runs, one per trained keep probability, and their tables.

    Attributes
    ----------
    runs : dict
        keep probability -> :class:`Run`, for every trained q (the selected ones and ALWAYS).
    selected : tuple of float
        The keep probabilities the learner selected (the charts show these).
    summary : DataFrame
        One row per trained q, from q = 1 down (``Run.summary`` and ``selected``).
    curves : DataFrame
        Every selected run's curves in long form (:func:`combined_curves`).
    expectation, deeper : DataFrame
        Every run's ``expectation`` and ``deeper`` tables, with a keep_prob column.
    loss : str
        The loss trained on: ``bce_with_logits`` (two classes) or ``cross_entropy``.
    n_test : int
        Test points every run is scored on.
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the 2-D sets.
    """

    runs: dict
    selected: tuple[float, ...]
    summary: pd.DataFrame
    curves: pd.DataFrame
    expectation: pd.DataFrame
    deeper: pd.DataFrame
    loss: str
    n_test: int
    notes: tuple[str, ...] = ()

    def shown(self) -> list[Run]:
        """The selected runs, from q = 1 down."""
        return [self.runs[q] for q in KEEP_PROBS if q in self.selected]


# ---- data -----------------------------------------------------------------------------------------


def _data(config: Config) -> Dataset:
    return make_classification_2d(
        config.dataset,
        n_samples=config.n_train * (1 + TEST_PER_TRAIN),
        noise=config.noise,
        test_size=TEST_PER_TRAIN / (1 + TEST_PER_TRAIN),
        seed=config.seed,
    )


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't train on, with a message that says what to change."""
    if data.task != "classification":
        raise ValueError("The dropout lesson trains a classifier; pick a class-label target.")


def layer_sizes(config: Config, data: Dataset | None = None) -> tuple[int, ...]:
    """``(inputs, width x depth, outputs)``: one output for two classes, k for k > 2."""
    if data is None:
        return config.sizes
    n_out = 1 if data.n_classes <= 2 else data.n_classes
    return (data.n_features, *([config.width] * config.depth), n_out)


def _work_rows(config: Config, data: Dataset) -> int:
    """The most training rows with epochs x rows x multiply-adds <= UPLOAD_WORK."""
    return int(UPLOAD_WORK // (config.epochs * _macs(layer_sizes(config, data))))


def upload_train_rows(config: Config, data: Dataset) -> int:
    """The most training rows of ``data`` a run may use: epochs x rows x multiply-adds <= UPLOAD_WORK."""
    return int(np.clip(_work_rows(config, data), UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN))


def upload_cap_reason(config: Config, data: Dataset) -> str:
    """Why :func:`prepare_data` cuts an upload to :func:`upload_train_rows` rows, as the note
    ends: the work budget where it binds; the page's most training rows where that does (width
    16, one layer, 50 epochs: the budget allows 145,833 rows and the run takes 200, which the
    note called "to keep training within the page's budget": audit pass 52 g). A cut test split
    is named for its own rule, TEST_PER_TRAIN test rows for each training row (audit pass 53:
    "208 of the 900 test rows … to keep training within the page's budget (epochs × rows ×
    network size)", though training never sees a test row), and only where it is cut."""
    overfit = "few training rows are also what a wide net overfits, the case dropout is for"
    rows = upload_train_rows(config, data)
    cut = len(data.y_test) > TEST_PER_TRAIN * rows
    if _work_rows(config, data) > UPLOAD_MAX_TRAIN:
        tests = f" (with at most {TEST_PER_TRAIN} test rows for each)" if cut else ""
        return (
            f"as the page trains on at most {UPLOAD_MAX_TRAIN} rows of an upload{tests}: "
            f"{overfit.replace(' also', '')}"
        )
    tests = (
        f"; the test split keeps at most {TEST_PER_TRAIN} rows for each training row" if cut else ""
    )
    return (
        f"to keep training within the page's budget (epochs × rows × network size{tests}); "
        f"{overfit}"
    )


def prepare_data(config: Config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset a run trains on and notes about it: the Config's 2-D set, or ``data``.

    Uploaded data is checked and capped to :func:`upload_train_rows` training rows and
    TEST_PER_TRAIN times as many test rows (seeded, stratified samples).
    """
    if data is None:
        return _data(config), ()
    check_data(data)
    rows = upload_train_rows(config, data)
    ds, notes = subsample(
        data,
        max_train=rows,
        max_test=TEST_PER_TRAIN * rows,
        seed=config.seed,
        why=upload_cap_reason(config, data),
    )
    return ds, tuple(notes)


# ---- maps ------------------------------------------------------------------------------------------


def _grid(X: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * (hi - lo)
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], size)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], size)
    a, b = np.meshgrid(g1, g2)
    return a.ravel(), b.ravel(), np.column_stack([a.ravel(), b.ravel()])


# ---- one keep probability ---------------------------------------------------------------------------


def _train_run(
    config: Config, keep_prob: float, data: Dataset | None, progress: Progress | None
) -> Run:
    ds, notes = prepare_data(config, data)
    sizes = layer_sizes(config, None if data is None else ds)
    loss = LOSS if sizes[-1] == 1 else "cross_entropy"
    dropout = 1.0 - keep_prob
    params = mlp.init_params(sizes, init="he", seed=config.seed)

    def report(state: dict) -> None:
        if progress is not None:
            progress(state["epoch"] / config.epochs, "")

    with np.errstate(all="ignore"):
        history = fit(
            params,
            ds.X_train,
            ds.y_train,
            loss=loss,
            optimizer=adam(config.learning_rate),
            epochs=config.epochs,
            batch_size=None,
            dropout=dropout,
            X_test=ds.X_test,
            y_test=ds.y_test,
            seed=config.seed,
            eval_every=eval_every(config),
            callback=None if progress is None else report,
        )
    curves = history.epochs.dropna(subset=["train_loss"])[
        ["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]
    ].reset_index(drop=True)
    trained = history.params
    with np.errstate(all="ignore"):
        test_losses = point_losses(mlp.predict_logits(trained, ds.X_test), ds.y_test)

    maps = boundary_note(None if data is None else ds) is None
    if maps:
        x1, x2, grid = _grid(np.vstack([ds.X_train, ds.X_test]), GRID)
        prob = sigmoid(mlp.predict_logits(trained, grid)[:, 0])
        m1, m2, mc_points = _grid(np.vstack([ds.X_train, ds.X_test]), MC_GRID)
        mc_grid = sigmoid(
            mc_dropout_logits(
                trained, mc_points, dropout=dropout, samples=MC_SAMPLES, seed=config.seed + 1
            )
        )
        boundary = pd.DataFrame({"x1": x1, "x2": x2, "prob": prob})
        mc = pd.DataFrame(
            {"x1": m1, "x2": m2, "mean": mc_grid.mean(axis=0), "std": mc_grid.std(axis=0)}
        )
        points = pd.concat(
            [
                pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "y": y, "split": split})
                for split, X, y in (
                    ("train", ds.X_train, ds.y_train),
                    ("test", ds.X_test, ds.y_test),
                )
            ],
            ignore_index=True,
        )
    else:
        boundary = pd.DataFrame(columns=["x1", "x2", "prob"], dtype=float)
        mc = pd.DataFrame(columns=["x1", "x2", "mean", "std"], dtype=float)
        points = pd.DataFrame(columns=["x1", "x2", "y", "split"])
    mc_test = mc_dropout_logits(
        trained, ds.X_test, dropout=dropout, samples=MC_SAMPLES, seed=config.seed + 2
    )
    mean_p = averaged_probability(mc_test)
    predicted = (mean_p > 0.5) if mean_p.ndim == 1 else mean_p.argmax(axis=1)
    mc_correct = predicted.astype(np.int64) == ds.y_test.astype(np.int64)

    unit, trace, expectation = activation_check(trained, ds.X_train[0], keep_prob, config.seed + 3)
    deeper = deeper_check(trained, ds.X_train[0], keep_prob, config.seed + 4)
    final = curves.iloc[-1]
    best = int(curves["test_loss"].idxmin()) if curves["test_loss"].notna().any() else -1
    summary = {
        "key": keep_key(keep_prob),
        "label": keep_label(keep_prob),
        "keep_prob": keep_prob,
        "train_loss": float(final["train_loss"]),
        "test_loss": float(final["test_loss"]),
        "train_accuracy": float(final["train_accuracy"]),
        "test_accuracy": float(final["test_accuracy"]),
        "gap_loss": float(final["test_loss"] - final["train_loss"]),
        "gap_accuracy": float(final["train_accuracy"] - final["test_accuracy"]),
        "best_test_loss": float(curves["test_loss"].min()),
        "best_epoch": int(curves["epoch"].iloc[best]) if best >= 0 else -1,
        "mc_test_loss": averaged_log_loss(mc_test, ds.y_test),
        "mc_test_accuracy": float(mc_correct.mean()),
        "diverged": bool(history.diverged),
        "stopped_reason": history.stopped_reason,
    }
    return Run(
        key=summary["key"],
        label=summary["label"],
        curves=curves,
        summary=summary,
        test_losses=test_losses,
        boundary=boundary,
        mc=mc,
        points=points,
        unit=unit,
        mask_trace=trace,
        expectation=expectation,
        deeper=deeper,
        notes=notes,
        test_labels=np.asarray(ds.y_test).astype(np.int64),
    )


_RUNS: OrderedDict = OrderedDict()
_RUNS_LOCK = threading.Lock()


def _run_key(config: Config, keep_prob: float, data: Dataset | None) -> tuple:
    settings = tuple(
        getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "keep_probs"
    )
    return (settings, keep_prob, None if data is None else fingerprint(data))


def train(
    config: Config,
    keep_prob: float,
    data: Dataset | None = None,
    progress: Progress | None = None,
) -> Run:
    """One keep probability's run (its network, its maps and its mask checks).

    Kept in a small cache in core (CACHED_RUNS runs), so a page that adds a keep probability
    trains only that one. ``progress(fraction, message)`` is called after every epoch; an
    exception it raises stops the run (and nothing is cached).
    """
    if not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"'keep_prob' must be in (0, 1]; got {keep_prob!r}.")
    key = _run_key(config, keep_prob, data)
    with _RUNS_LOCK:
        if key in _RUNS:
            _RUNS.move_to_end(key)
            return copy.deepcopy(_RUNS[key])
    with _BLAS.limit(limits=1, user_api="blas"):
        result = _train_run(config, keep_prob, data, progress)
    with _RUNS_LOCK:
        _RUNS[key] = result
        while len(_RUNS) > CACHED_RUNS:
            _RUNS.popitem(last=False)
    return copy.deepcopy(result)


def run(config: Config, data: Dataset | None = None, progress: Progress | None = None) -> Result:
    """Train one network per trained keep probability and gather their tables.

    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the 2-D set the
    config names; the maps (boundary, MC dropout, points) are then left empty unless it has two
    features and two classes. On an upload the run's own estimate is checked against the budget.
    ``progress(fraction, message)`` (not part of the config) reports each epoch; it defaults to
    ``core.progress.report`` (the app listens there, and may cancel).
    """
    progress = progress or report_progress
    if data is not None:
        check_budget(
            estimated_seconds(config, data),
            ("epochs", "width", "depth"),
            what=f"On your data, training {len(trained_keep_probs(config))} networks",
            config=config,
            estimate=lambda c: estimated_seconds(c, data),
            moves=FEWER_KEEP_PROBS,
        )
    qs = trained_keep_probs(config)
    runs = {}
    for i, q in enumerate(qs):
        report = None
        if progress is not None:

            def report(fraction, _message, i=i, q=q):
                progress(
                    (i + fraction) / len(qs),
                    f"training with q = {q:g}",  # plain-format: a progress message
                )

        runs[q] = train(config, q, data, report)
    any_run = runs[qs[0]]
    loss = LOSS if _n_out(data) == 1 else "cross_entropy"
    table = summarize(list(runs.values()))
    table["selected"] = table["keep_prob"].isin(config.keep_probs)

    def long(name: str) -> pd.DataFrame:
        frames = [getattr(r, name).assign(keep_prob=q) for q, r in runs.items()]
        return pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)

    return Result(
        runs=runs,
        selected=tuple(config.keep_probs),
        summary=table,
        curves=combined_curves([runs[q] for q in qs if q in config.keep_probs]),
        expectation=long("expectation"),
        deeper=long("deeper"),
        loss=loss,
        n_test=len(any_run.test_losses),
        notes=any_run.notes,
    )


def _n_out(data: Dataset | None) -> int:
    if data is None:
        return 1
    return 1 if data.n_classes <= 2 else data.n_classes


def summarize(results: Sequence[Run]) -> pd.DataFrame:
    """One row per run, ordered from q = 1.0 (no dropout) to the strongest dropout."""
    if not results:
        raise ValueError("'results' is empty; select at least one keep probability.")
    table = pd.DataFrame([r.summary for r in results])
    return table.sort_values("keep_prob", ascending=False).reset_index(drop=True)


def combined_curves(results: Sequence[Run]) -> pd.DataFrame:
    """Every run's curves in long form: key, label, keep_prob, epoch, split, loss, accuracy."""
    frames = []
    for r in results:
        for split in ("train", "test"):
            frames.append(
                pd.DataFrame(
                    {
                        "key": r.key,
                        "label": r.label,
                        "keep_prob": r.summary["keep_prob"],
                        "epoch": r.curves["epoch"],
                        "split": split,
                        "loss": r.curves[f"{split}_loss"],
                        "accuracy": r.curves[f"{split}_accuracy"],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
