"""Seeded toy and bundled datasets: the same seed always gives the same split, and nothing downloads."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# scikit-learn is imported inside the functions that use it: importing it (and SciPy with it)
# takes about 1 s, which lessons that only draw lines and surfaces need not pay.

CLASSIFICATION_2D = ("moons", "circles", "xor", "gaussians", "spiral")
REGRESSION_CURVES = ("linear", "sine", "cubic", "step", "plane", "saddle")
BUNDLED = ("breast_cancer", "diabetes", "wine", "digits")

_MAX_SAMPLES = 100_000


@dataclass(frozen=True)
class Dataset:
    """A train/test split with its metadata.

    Attributes
    ----------
    X_train, X_test : ndarray of shape (n, d), float64
    y_train, y_test : ndarray of shape (n,); int64 class labels or float64 targets
    task : {"classification", "regression"}
    feature_names : tuple of str, length d
    n_classes : int; 0 for regression
    name : str
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    task: str
    feature_names: tuple[str, ...]
    n_classes: int
    name: str
    target_names: tuple[str, ...] = field(default=())

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    def to_frame(self) -> pd.DataFrame:
        """Both splits as one tidy DataFrame with a ``split`` column (for charts and CSV)."""
        frames = []
        for split, X, y in (
            ("train", self.X_train, self.y_train),
            ("test", self.X_test, self.y_test),
        ):
            df = pd.DataFrame(X, columns=list(self.feature_names))
            df["y"] = y
            df["split"] = split
            frames.append(df)
        return pd.concat(frames, ignore_index=True)


def _check_common(n_samples: int, noise: float, test_size: float) -> None:
    if not isinstance(n_samples, (int, np.integer)) or not 8 <= n_samples <= _MAX_SAMPLES:
        raise ValueError(
            f"'n_samples' must be an integer in [8, {_MAX_SAMPLES}]; got {n_samples!r}."
        )
    if not np.isfinite(noise) or not 0.0 <= noise <= 10.0:
        raise ValueError(f"'noise' must be in [0, 10]; got {noise!r}.")
    if not 0.05 <= test_size <= 0.9:
        raise ValueError(f"'test_size' must be in [0.05, 0.9]; got {test_size!r}.")


def _split(
    X, y, *, test_size, seed, stratify, name, task, feature_names, n_classes, target_names=()
):
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y if stratify else None
    )
    return Dataset(
        X_train=np.ascontiguousarray(X_train, dtype=np.float64),
        X_test=np.ascontiguousarray(X_test, dtype=np.float64),
        y_train=y_train,
        y_test=y_test,
        task=task,
        feature_names=tuple(feature_names),
        n_classes=n_classes,
        name=name,
        target_names=tuple(target_names),
    )


def make_classification_2d(
    name: str = "moons",
    *,
    n_samples: int = 400,
    noise: float = 0.2,
    test_size: float = 0.3,
    seed: int = 0,
) -> Dataset:
    """A seeded 2-D binary classification set, split into train and test.

    Parameters
    ----------
    name : {"moons", "circles", "xor", "gaussians", "spiral"}
    n_samples : int
        Total points before the split.
    noise : float
        Standard deviation of the Gaussian noise added to the points (label noise for none).
    test_size : float
        Fraction held out, stratified by class.
    seed : int

    Returns
    -------
    Dataset with X of shape (n, 2), labels 0/1 (int64).
    """
    from sklearn import datasets as skd

    _check_common(n_samples, noise, test_size)
    rng = np.random.default_rng(seed)
    if name == "moons":
        X, y = skd.make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    elif name == "circles":
        X, y = skd.make_circles(n_samples=n_samples, noise=noise, factor=0.5, random_state=seed)
    elif name == "xor":
        X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
        y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
        X = X + noise * rng.standard_normal(X.shape)
    elif name == "gaussians":
        X, y = skd.make_blobs(
            n_samples=n_samples,
            centers=[(-1.0, -1.0), (1.0, 1.0)],
            cluster_std=0.5 + 2.0 * noise,
            random_state=seed,
        )
    elif name == "spiral":
        half = n_samples // 2
        counts = (half, n_samples - half)
        parts, labels = [], []
        for label, count in enumerate(counts):
            t = np.sqrt(rng.uniform(0.0, 1.0, count)) * 3.0 * np.pi
            sign = 1.0 if label == 0 else -1.0
            pts = sign * np.column_stack([t * np.cos(t), t * np.sin(t)]) / (3.0 * np.pi)
            parts.append(pts + noise * 0.5 * rng.standard_normal(pts.shape))
            labels.append(np.full(count, label))
        X, y = np.vstack(parts), np.concatenate(labels)
    else:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(CLASSIFICATION_2D)}.")
    return _split(
        X,
        np.asarray(y, dtype=np.int64),
        test_size=test_size,
        seed=seed,
        stratify=True,
        name=name,
        task="classification",
        feature_names=("x1", "x2"),
        n_classes=2,
    )


def make_regression(
    name: str = "sine",
    *,
    n_samples: int = 200,
    noise: float = 0.1,
    test_size: float = 0.3,
    seed: int = 0,
) -> Dataset:
    """A seeded 1-D or 2-D regression set y = f(x) + noise, split into train and test.

    ``linear`` (y = 2x - 1), ``sine`` (sin 3x), ``cubic`` and ``step`` have one feature on [-1.5, 1.5];
    ``plane`` (y = x1 - 2 x2) and ``saddle`` (y = x1^2 - x2^2) have two on [-1, 1]^2.
    """
    _check_common(n_samples, noise, test_size)
    rng = np.random.default_rng(seed)
    curves_1d = {
        "linear": lambda x: 2.0 * x - 1.0,
        "sine": lambda x: np.sin(3.0 * x),
        "cubic": lambda x: x**3 - x,
        "step": lambda x: np.where(x > 0.0, 1.0, -1.0),
    }
    curves_2d = {
        "plane": lambda X: X[:, 0] - 2.0 * X[:, 1],
        "saddle": lambda X: X[:, 0] ** 2 - X[:, 1] ** 2,
    }
    if name in curves_1d:
        X = rng.uniform(-1.5, 1.5, size=(n_samples, 1))
        f = curves_1d[name](X[:, 0])
        names: tuple[str, ...] = ("x",)
    elif name in curves_2d:
        X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
        f = curves_2d[name](X)
        names = ("x1", "x2")
    else:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(REGRESSION_CURVES)}.")
    y = f + noise * rng.standard_normal(n_samples)
    return _split(
        X,
        y.astype(np.float64),
        test_size=test_size,
        seed=seed,
        stratify=False,
        name=name,
        task="regression",
        feature_names=names,
        n_classes=0,
    )


def load_bundled(name: str, *, test_size: float = 0.3, seed: int = 0) -> Dataset:
    """One of scikit-learn's bundled sets (shipped inside the package, no download), standardized.

    The scaler is fitted on the training split only, so no test information leaks into training.
    Regression targets (diabetes) are standardized the same way.
    """
    from sklearn import datasets as skd
    from sklearn.preprocessing import StandardScaler

    loaders = {
        "breast_cancer": (skd.load_breast_cancer, "classification"),
        "diabetes": (skd.load_diabetes, "regression"),
        "wine": (skd.load_wine, "classification"),
        "digits": (skd.load_digits, "classification"),
    }
    if name not in loaders:
        raise ValueError(f"Unknown bundled dataset {name!r}; choose one of {', '.join(BUNDLED)}.")
    if not 0.05 <= test_size <= 0.9:
        raise ValueError(f"'test_size' must be in [0.05, 0.9]; got {test_size!r}.")
    loader, task = loaders[name]
    bunch = loader()
    X = np.asarray(bunch.data, dtype=np.float64)
    if task == "classification":
        y = np.asarray(bunch.target, dtype=np.int64)
        n_classes = int(y.max()) + 1
        target_names = tuple(str(t) for t in bunch.target_names)
    else:
        y = np.asarray(bunch.target, dtype=np.float64)
        n_classes = 0
        target_names = ()
    ds = _split(
        X,
        y,
        test_size=test_size,
        seed=seed,
        stratify=task == "classification",
        name=name,
        task=task,
        feature_names=[str(f) for f in bunch.feature_names],
        n_classes=n_classes,
        target_names=target_names,
    )
    scaler = StandardScaler().fit(ds.X_train)
    y_train, y_test = ds.y_train, ds.y_test
    if task == "regression":
        mu, sd = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mu) / sd, (y_test - mu) / sd
    return Dataset(
        X_train=scaler.transform(ds.X_train),
        X_test=scaler.transform(ds.X_test),
        y_train=y_train,
        y_test=y_test,
        task=task,
        feature_names=ds.feature_names,
        n_classes=n_classes,
        name=name,
        target_names=target_names,
    )


def make_dataset(name: str, **kwargs) -> Dataset:
    """Any dataset by name: a 2-D classification set, a regression curve or a bundled set."""
    if name in CLASSIFICATION_2D:
        return make_classification_2d(name, **kwargs)
    if name in REGRESSION_CURVES:
        return make_regression(name, **kwargs)
    if name in BUNDLED:
        kwargs.pop("n_samples", None)
        kwargs.pop("noise", None)
        return load_bundled(name, **kwargs)
    choices = ", ".join(CLASSIFICATION_2D + REGRESSION_CURVES + BUNDLED)
    raise ValueError(f"Unknown dataset {name!r}; choose one of {choices}.")


def make_line(
    *,
    n_samples: int = 200,
    noise: float = 1.0,
    slope: float = 2.0,
    intercept: float = -1.0,
    x_mean: float = 1.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Points on the line y = slope * x + intercept plus Gaussian noise, for a two-parameter model.

    ``x`` is drawn from N(x_mean, 1). A non-zero mean correlates the slope and the intercept in the
    squared-error loss, so its contours are tilted ellipses: a narrow valley where plain gradient
    descent zig-zags, like the loss surfaces of real models.

    Returns
    -------
    X : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples,)
    """
    _check_common(n_samples, noise, 0.3)
    rng = np.random.default_rng(seed)
    x = x_mean + rng.standard_normal(n_samples)
    y = slope * x + intercept + noise * rng.standard_normal(n_samples)
    return x.reshape(-1, 1), y


def fingerprint(dataset: Dataset) -> str:
    """A short content hash of a dataset (both splits, names and task): a cache key for runs on it."""
    import hashlib

    h = hashlib.sha256()
    for array in (dataset.X_train, dataset.X_test, dataset.y_train, dataset.y_test):
        h.update(np.ascontiguousarray(array).tobytes())
    # the name too: two visitors uploading the same bytes under different names get runs that
    # say their own file's name
    h.update(
        repr((dataset.feature_names, dataset.target_names, dataset.task, dataset.name)).encode()
    )
    return h.hexdigest()[:16]


def _sample_rows(y: np.ndarray, size: int, *, stratify: bool, seed: int) -> tuple[np.ndarray, bool]:
    """Sorted indices of a seeded sample of ``size`` rows, and whether it is stratified by class
    (asked for, and possible: a class of one row, or fewer rows left out than classes, is not)."""
    from sklearn.model_selection import train_test_split

    if stratify:
        try:
            keep, _ = train_test_split(
                np.arange(len(y)), train_size=size, random_state=seed, stratify=y
            )
            return np.sort(keep), True
        except ValueError:  # a class too small to stratify: fall back to a plain sample
            pass
    return np.sort(np.random.default_rng(seed).permutation(len(y))[:size]), False


def subsample(
    dataset: Dataset,
    *,
    max_train: int | None = None,
    max_test: int | None = None,
    seed: int = 0,
    why: str = "to keep this page's run within its time budget",
    why_test: str | None = None,
) -> tuple[Dataset, list[str]]:
    """At most ``max_train`` training and ``max_test`` test rows: a seeded sample, and a note.

    ``why`` ends the note; given ``why_test``, each split's cut has a note of its own, the test
    split's ended by ``why_test`` (a page's row cap for the test rows beside the time budget for
    the training rows).

    Classification samples are stratified, so every class keeps its share. A split already small
    enough is kept whole (and no note is written), so applying it twice changes nothing.

    Returns
    -------
    (Dataset, notes) : the sampled dataset (same name, features and classes) and a sentence that
    says what was left out and why, for the page to show (no sentence when nothing was).
    """
    stratify = dataset.task == "classification"
    parts, used = {}, {}
    for split, limit, offset in (("train", max_train, 0), ("test", max_test, 1)):
        X, y = getattr(dataset, f"X_{split}"), getattr(dataset, f"y_{split}")
        if limit is None or len(y) <= limit:
            parts[split] = (X, y)
            continue
        keep, stratified = _sample_rows(y, int(limit), stratify=stratify, seed=seed + offset)
        parts[split] = (X[keep], y[keep])
        if stratified:
            kind = "stratified by class"
        elif stratify:
            kind = "not stratified: this split's class counts do not allow it"
        else:
            kind = "random"
        used[split] = f"{len(keep):,} of the {len(y):,} {split} rows (a seeded sample, {kind})"
    if why_test is None:
        notes = [f"Used {' and '.join(used.values())} {why}."] if used else []
    else:
        reasons = {"train": why, "test": why_test}
        notes = [f"Used {text} {reasons[split]}." for split, text in used.items()]
    if not notes:
        return dataset, []
    return (
        Dataset(
            X_train=np.ascontiguousarray(parts["train"][0]),
            X_test=np.ascontiguousarray(parts["test"][0]),
            y_train=parts["train"][1],
            y_test=parts["test"][1],
            task=dataset.task,
            feature_names=dataset.feature_names,
            n_classes=dataset.n_classes,
            name=dataset.name,
            target_names=dataset.target_names,
        ),
        notes,
    )


def boundary_note(data: Dataset | None) -> str | None:
    """Why maps of P(class 1) over the input plane can't be drawn for ``data`` (None: they can).

    They need exactly two features and two classes; the bundled 2-D sets (``data=None``) have both.
    """
    if data is None:
        return None
    if data.n_features != 2:
        return f"Decision boundaries need two features; your data has {data.n_features}."
    if data.n_classes != 2:
        return (
            "The maps shade P(class 1) of a two-class problem; your data has "
            f"{data.n_classes} classes."
        )
    return None
