"""Benchmark: each page's experiment on the largest upload the lab accepts (20,000 rows x 30 features).

Usage::

    python bench/upload_worst_case.py            # every page, default and heavy settings
    python bench/upload_worst_case.py --quick    # every page at its default settings
    python bench/upload_worst_case.py --parse    # the parser on hostile files only

First the parser alone: files within the 5 MB limit built to cost it the most (a row of millions
of commas, a header of millions of names, one huge field, an unclosed quote, the most rows and
columns that fit, UTF-16), each with its CPU seconds and whether it was read or refused.

Writes a seeded 20,000-row CSV with 30 numeric features (3 classes, or a numeric target for the
regularization page) in a temporary folder, reads it with ``core.upload.read_csv_upload`` /
``dataset_from_frame`` as the uploader does, and times what the page runs on it, cold (nothing
cached in core): for batch size every batch size and the noise study, for dropout its run (the three keep
probabilities selected by default), for depth and trees the grid or sweep, for regularization
the run. Prints wall and CPU seconds, the rows each page used after its cap, and the CPU seconds
of the same settings on the page's bundled data for comparison. On a busy machine wall time
exceeds CPU time; CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import data, upload  # noqa: E402
from core.experiments import batch_size as bs  # noqa: E402
from core.experiments import dropout as do  # noqa: E402
from core.experiments import network_depth as nd  # noqa: E402
from core.experiments import regularization as rx  # noqa: E402
from core.experiments import trees  # noqa: E402

N_ROWS, N_FEATURES = 20_000, 30


def write_csv(folder: Path, *, task: str, seed: int = 0) -> Path:
    """A CSV like a large user upload: standard-normal features, a noisy linear target.

    ``task="collinear"`` is the regularization page's hardest upload: a noise-free linear target
    and two pairs of features 0.01 apart, where coordinate descent needs the most sweeps."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_ROWS, N_FEATURES))
    noise = rng.standard_normal(N_ROWS)
    if task == "collinear":
        X[:, 1] = X[:, 0] + 0.01 * rng.standard_normal(N_ROWS)
        X[:, 3] = X[:, 2] + 0.01 * rng.standard_normal(N_ROWS)
        noise = 0.0
    score = X @ rng.standard_normal(N_FEATURES) + noise
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(N_FEATURES)])
    if task == "classification":
        frame["label"] = np.array(["a", "b", "c"])[
            np.digitize(score, np.quantile(score, [1 / 3, 2 / 3]))
        ]
    else:
        frame["label"] = score
    path = folder / f"upload_{task}.csv"
    frame.to_csv(path, index=False, float_format="%.2f")  # ~3.2 MB, under the 5 MB limit
    return path


def load(path: Path, task: str) -> data.Dataset:
    frame = upload.read_csv_upload(path.read_bytes())
    return upload.dataset_from_frame(frame, target="label", task=task, name=path.name)[0]


# Each runner takes ds=None for the bundled data and returns the training rows it used.
def _batch_size(config, ds):
    bs.experiment._RUNS.clear()  # each batch size's run is kept in core
    bs.run(config, data=ds)
    return len(bs.prepare_data(config, ds)[0].y_train)


def _dropout(config, ds):
    from core.experiments.dropout import experiment

    experiment._RUNS.clear()  # the runs of each keep probability are cached in core
    do.run(config, data=ds)
    return len(do.prepare_data(config, ds)[0].y_train)


def _depth(config, ds):
    nd._CELLS.clear()
    nd.run(config, data=ds)
    return len(nd.prepare_data(config, ds)[0].y_train)


def _trees(config, ds):
    trees.run_sweep(config, data=ds)
    return len(trees.prepare_data(config, ds)[0].y_train)


def _regularization(config, ds):
    rx._penalty_part.cache_clear()  # the bundled paths are cached in core
    rx.run(config, data=ds)
    return len(rx.prepare_data(config, ds)[0].y_train) if ds is not None else 0


PAGES = {
    "batch size": (
        _batch_size,
        "classification",
        {
            "default": bs.Config(),
            "40 epochs, 3 x 64, Adam": bs.Config(
                epochs=40, width=64, depth=3, optimizer="adam", n_samples=400
            ),
        },
    ),
    "dropout": (
        _dropout,
        "classification",
        {
            "default": do.Config(),
            "400 epochs, 3 x 128": do.Config(epochs=400, width=128, depth=3, n_train=20),
        },
    ),
    "network depth": (
        _depth,
        "classification",
        {
            "default": nd.Config(),
            "depth 8, widths 8 and 32": nd.Config(max_depth=8, widths=(8, 32), n_samples=400),
        },
    ),
    "trees (sweep)": (
        _trees,
        "classification",
        {
            "default": trees.Config(),
            "50 trees, cross-check": trees.Config(n_estimators=50, cross_check=True),
        },
    ),
    "regularization": (_regularization, "regression", {"default": rx.Config()}),
    "regularization, collinear": (
        _regularization,
        "collinear",
        {"near-collinear, no noise": rx.Config()},
    ),
}


def hostile_files() -> dict[str, bytes]:
    """Files within the 5 MB limit built to cost the parser as much as possible."""
    limit = upload.MAX_UPLOAD_BYTES
    widest = ",".join(f"c{i}" for i in range(upload.MAX_UPLOAD_COLUMNS)) + "\n"
    row = ",".join(["1.5"] * upload.MAX_UPLOAD_COLUMNS) + "\n"
    return {
        "one row of 5 M commas": b"a,b\n" + b"," * (limit - 5),
        "a header of 2.6 M names 'a'": b",".join([b"a"] * (limit // 2)),
        "one 5 MB field": b"a,b\n" + b"x" * (limit - 6) + b",1",
        "an open quote to the end": b'a,b\n"' + b"1,2\n" * ((limit - 6) // 4),
        "1.3 M short rows": b"a,b\n" + b"1,2\n" * ((limit - 4) // 4),
        "200 columns, rows up to 5 MB": (
            widest + row * min(upload.MAX_UPLOAD_ROWS, (limit - len(widest)) // len(row))
        ).encode(),
        "UTF-16, 20,000 rows x 12": (
            ",".join(f"f{i}" for i in range(12)) + "\n" + ("1.25," * 11 + "0\n") * 20_000
        ).encode("utf-16"),
    }


def parse_rows() -> None:
    """Seconds of read_csv_upload on each hostile file, and what it answered."""
    print(f"{'file (at most 5 MB)':32s} {'bytes':>10s} {'cpu s':>7s}  answer")
    for name, content in hostile_files().items():
        assert len(content) <= upload.MAX_UPLOAD_BYTES, name
        cpu = time.process_time()
        try:
            frame = upload.read_csv_upload(content)
            answer = f"read: {frame.shape[0]:,} rows x {frame.shape[1]} columns"
        except ValueError as err:
            answer = f"refused: {str(err)[:70]}"
        cpu = time.process_time() - cpu
        print(f"{name:32s} {len(content):10,d} {cpu:7.2f}  {answer}", flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time the default settings only")
    parser.add_argument(
        "--parse", action="store_true", help="time the parser on hostile files only"
    )
    args = parser.parse_args()
    parse_rows()
    if args.parse:
        return
    rx.run(rx.Config())  # the regularization page's fixed demo parts, cached in core, not timed
    with tempfile.TemporaryDirectory() as folder:
        sets = {
            task: load(write_csv(Path(folder), task=task), task.replace("collinear", "regression"))
            for task in ("classification", "regression", "collinear")
        }
    header = (
        f"{'page':26s} {'setting':28s} {'rows used':>9s} {'wall s':>7s} {'cpu s':>7s} "
        f"{'bundled cpu s':>13s}"
    )
    print(header)
    print("-" * len(header))
    for page, (runner, task, settings) in PAGES.items():
        for name, config in settings.items():
            if args.quick and name != "default":
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                rows = runner(config, sets[task])
            except ValueError as err:
                print(f"{page:26s} {name:28s} refused: {err}")
                continue
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            bundled = time.process_time()
            runner(config, None)
            bundled = time.process_time() - bundled
            print(f"{page:26s} {name:28s} {rows:9,d} {wall:7.2f} {cpu:7.2f} {bundled:13.2f}")


if __name__ == "__main__":
    main()
