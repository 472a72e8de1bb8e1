"""'Your own data' on the five pages that train models: AppTest uploads real CSV bytes.

AppTest 1.67 supports ``st.file_uploader``: ``at.file_uploader(key=...).set_value((name, bytes,
mime)).run()`` registers the bytes and the script reads them back as an ``UploadedFile``, as in
the browser. (The browser's own size check never runs here, so the app's 5 MB check is what a
too-big file meets.)
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
# Light settings per page (query parameters, as in a shared link) keep each test to seconds.
PAGES = {
    "batch_size": {"epochs": "3", "reveal": "1"},
    "dropout": {"epochs": "50", "width": "16", "reveal": "1"},
    # converted lessons wait for a prediction before their results: reveal them
    "network_depth": {
        "depth": "1",
        "widths": "8, 32",
        "epochs": "10",
        "folds": "3",
        "uaepochs": "100",
        "reveal": "1",
    },
    "trees": {"n": "200", "trees": "25", "sets": "3", "bvn": "100", "reveal": "1"},
    "imbalance": {"reveal": "1"},
    "bias_variance": {"reveal": "1"},
    "regularization": {"nep": "100", "reveal": "1"},
}


def _frame(n=300, *, features=3, classes=2, seed=0, task="classification"):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    scales = np.geomspace(1, 100, features)  # raw columns on different scales: standardized
    frame = pd.DataFrame(X * scales + 5, columns=list("abcdefg")[:features])
    score = X[:, 0] + X[:, 1 % features] + 0.3 * rng.standard_normal(n)
    if task == "regression":
        frame["target"] = 3.0 * score + 7.0
    else:
        cuts = np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1])
        frame["target"] = np.array(["no", "yes", "maybe", "later"])[np.digitize(score, cuts)]
    return frame


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in PAGES[page].items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, page: str, content: bytes, name: str = "mine.csv") -> AppTest:
    at.file_uploader(key=f"{page}_own_upload").set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _banner(at) -> str:
    return " ".join(i.value for i in at.info if "Your data:" in i.value)


def _texts(at) -> str:
    parts = [*at.info, *at.caption, *at.markdown, *at.error, *at.success, *at.warning]
    return " ".join(p.value for p in parts)


def _spec_text(at) -> str:
    return " ".join(chart.proto.spec for chart in at.get("vega_lite_chart"))


def _chart_frames(at, columns) -> list[pd.DataFrame]:
    """The data of every chart on the page (Arrow, as sent to the browser) holding ``columns``."""
    frames = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frame = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            if set(columns) <= set(frame.columns):
                frames.append(frame)
    return frames


def _sidebar_errors(at) -> list[str]:
    """The sidebar's error messages as a reader sees them (markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.sidebar.error]


@pytest.mark.parametrize(
    "page",
    [
        "batch_size",  # a training split of 257: 368 rows (audit pass 54 d)
        "imbalance",  # 40 rows of the rarer class: 80 rows (after pass 54)
    ],
)
def test_a_tiny_upload_is_told_the_pages_minimum_not_the_readers(page):
    """A 15-row file was refused with "Only 15 usable rows; at least 20 are needed.", the file
    reader's floor, where batch size needs 368 rows and imbalance 80: a 20-row file was refused
    too. The refusal names the page's minimum, and a balanced file of that many rows is read."""
    from core.experiments import batch_size, imbalance

    need = {"batch_size": batch_size.min_upload_rows(), "imbalance": imbalance.MIN_UPLOAD_ROWS}[
        page
    ]
    at = _upload(_open(page), page, _csv(_frame(15)), "tiny.csv")
    errors = _sidebar_errors(at)
    assert any(f"Only 15 usable rows; at least {need} are needed" in e for e in errors), errors
    assert not any("at least 20 " in e for e in errors), errors
    _upload(at, page, _csv(_frame(need, seed=1)), "enough.csv")
    assert not at.sidebar.error, _sidebar_errors(at)


# ---- the good file, on every page -----------------------------------------------------------------


def test_batch_size_trains_on_the_upload():
    at = _open("batch_size")
    assert "full (280)" in _spec_text(at)  # the bundled 2-D set: 400 points, 280 train
    _upload(at, "batch_size", _csv(_frame(500, features=3, classes=3)))
    assert not at.error
    assert "Your data: mine.csv: 500 rows (350 train, 150 test), 3 features, 3 classes" in _banner(
        at
    )
    specs = _spec_text(at)
    idle = "'Dataset', 'Examples n (train + test)', 'Noise' have no effect while the file is loaded"
    assert idle in _banner(at)
    assert "full (350)" in specs and "full (280)" not in specs  # the full batch is the upload's
    assert "cross-entropy" in specs  # three classes: softmax loss, not the logistic one
    captions = " ".join(c.value for c in at.caption)
    assert "(3 + 2·32 + 2·32 + 3)" in captions  # 3 inputs and 3 outputs in the memory formula


def test_dropout_trains_on_the_upload_and_explains_the_hidden_maps():
    at = _open("dropout")
    n_maps = len(at.get("vega_lite_chart"))
    _upload(at, "dropout", _csv(_frame(300, features=3)))
    assert not at.error
    banner = _banner(at)
    assert "300 rows (210 train, 90 test), 3 features, 2 classes" in banner
    assert "It replaces the 2-D set chosen in the sidebar; 'Dataset', 'Training points', " in banner
    notes = _texts(at)
    assert "Decision boundaries need two features; your data has 3" in notes
    assert len(at.get("vega_lite_chart")) < n_maps  # the probability maps are gone, not empty
    # the run is capped to the lesson's budget and says so
    assert re.search(r"Used \d+ of the 210 train rows", notes)


def test_dropout_draws_the_uploads_own_points_with_two_features():
    at = _open("dropout")
    _upload(at, "dropout", _csv(_frame(150, features=2)))
    assert "Decision boundaries need two features" not in _texts(at)
    points = _chart_frames(at, ["x1", "x2", "split"])
    # 150 rows: 105 train points on each map (the 2-D set's default has 40)
    assert points and all(len(frame) == 105 for frame in points)


def test_network_depth_cross_validates_the_upload():
    at = _open("network_depth")
    _upload(at, "network_depth", _csv(_frame(400, features=4, classes=3)))
    assert not at.error
    banner = _banner(at)
    assert "400 rows (280 train, 120 test), 4 features, 3 classes" in banner
    assert "'Dataset', 'Points n', 'Noise' have no effect" in banner
    text = _texts(at)
    assert "of the 280 training points" in text  # the bundled default has 210
    assert "Decision boundaries need two features; your data has 4" in text
    assert "With d = 4 inputs and o = 3 outputs" in text  # the parameter count's formula


def test_trees_sweeps_the_upload_and_keeps_friedman_for_bias_variance():
    at = _open("trees")
    _upload(at, "trees", _csv(_frame(300, features=3)))
    assert not at.error
    banner = _banner(at)
    assert "300 rows (210 train, 90 test), 3 features, 2 classes" in banner
    assert "Friedman #1" in banner
    assert "'Classification data', 'Points (2-D sets)', 'Noise (2-D sets)' have no" in banner
    text = _texts(at)
    assert "210 training and 90 test points" in text
    assert "Decision boundaries need two features; your data has 3" in text
    assert not any(
        "decision boundary" in str(json.loads(c.proto.spec).get("title"))
        for c in at.get("vega_lite_chart")
    )


def test_trees_refuses_no_upload_for_the_idle_2d_points_it_would_not_use():
    """Audit pass 51: with a 300-row file loaded at ?n=2000&lr=0.01&sets=6&bvn=100 the page
    refused: "would take about 11 s (limit 10 s). Lower 'Training sets drawn', 'Trees per forest
    T' or 'Points (2-D sets)', …", pricing the 2,000 idle 2-D points; the run on the file (its
    sweep capped by prepare_data to what the budget leaves) was estimated at 9.6 s. A refusal
    with a file loaded names no control the page says has no effect, and this one runs."""
    from core.experiments import trees
    from core.experiments.budget import BUDGET_SECONDS

    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in {"n": "2000", "lr": "0.01", "sets": "6", "bvn": "100", "reveal": "1"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/trees.py").run()
    assert any("can't run" in e.value for e in at.error)  # the 2-D set itself is over budget
    _upload(at, "trees", _csv(_frame(300, features=3)))
    idle = ("'Classification data'", "'Points (2-D sets)'", "'Noise (2-D sets)'")
    assert all(label in _banner(at) for label in idle)
    refusals = [e.value for e in at.error]
    assert not any(label in text for text in refusals for label in idle), refusals
    assert not refusals and at.get("vega_lite_chart")
    # and the run it made is within the budget by its own estimate
    config = trees.Config(n_samples=200, learning_rate=0.01, bv_train_sets=6, bv_train_size=100)
    sweep = trees.upload_sweep_seconds(config, 210, 3, 2)
    assert sweep + trees.bias_variance_seconds(config) <= BUDGET_SECONDS


def test_network_depth_refuses_no_upload_for_the_idle_2d_points_it_would_not_use():
    """Audit pass 52: with a 300-row file of 3 features loaded at ?n=600&depth=8&widths=8, 32
    &width=32&epochs=300&folds=5 the page refused: "Training this grid would take about 12 s
    (limit 10 s). Lower … or 'Points n'", pricing the 600 idle 2-D points; the grid on the file,
    capped by prepare_data to its own 6 s, was estimated at 5.8 s on 73 of its rows. A refusal
    with a file loaded names no control the page says has no effect, and this one runs."""
    from core.experiments import network_depth as nd
    from core.experiments.budget import BUDGET_SECONDS

    query = {"n": "600", "depth": "8", "widths": "8, 32", "width": "32", "epochs": "300"}
    at = AppTest.from_file(APP, default_timeout=600)
    for key, value in {**query, "folds": "5", "reveal": "1"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/network_depth.py").run()
    assert any("can't run" in e.value for e in at.error)  # the 2-D set itself is over budget
    _upload(at, "network_depth", _csv(_frame(300, features=3)))
    idle = ("'Dataset'", "'Points n'", "'Noise'")
    assert all(label in _banner(at) for label in idle)
    refusals = [e.value for e in at.error]
    assert not any(label in text for text in refusals for label in idle), refusals
    assert not refusals and at.get("vega_lite_chart")
    # and the run it made is within the budget by its own estimate
    config = nd.Config(n_samples=100, max_depth=8, widths=(8, 32), width=32, epochs=300, folds=5)
    from core import upload

    ds = upload.dataset_from_frame(_frame(300, features=3), target="target", name="mine.csv")[0]
    rows = nd.upload_train_rows(config, ds)
    assert nd.upload_seconds(config, rows, 3, 1) <= nd.UPLOAD_SECONDS < BUDGET_SECONDS


def test_regularization_paths_use_the_upload_and_say_what_stays_synthetic():
    at = _open("regularization")
    _upload(at, "regularization", _csv(_frame(300, features=3, task="regression")))
    assert not at.error
    banner = _banner(at)
    assert "300 rows (210 train, 90 test), 3 features." in banner
    assert "stay on the synthetic set" in banner
    # one control "has" no effect, not "have" (audit pass 54 c)
    assert "; 'Data for the coefficient paths' has no effect" in banner
    text = _texts(at)
    assert "Your data (mine.csv, 210 training rows, target standardized), 3 standardized" in text
    assert "The target 'target' is standardized" in " ".join(c.value for c in at.sidebar.caption)
    # the coefficient paths are drawn for the upload's three features
    paths = _chart_frames(at, ["alpha", "feature", "coef", "truth"])  # not the x1-x2 pair
    assert len(paths) == 3 and all(set(frame["feature"]) == {"a", "b", "c"} for frame in paths)


def test_imbalance_runs_on_the_upload_and_names_its_idle_controls():
    at = _open("imbalance")
    _upload(at, "imbalance", _csv(_frame(600, features=3)))
    assert not at.error
    banner = _banner(at)
    assert (
        "600 rows" in banner and "the prevalence sweep takes subsets of your test split" in banner
    )
    idle = "'Prevalence of positives (log scale)', 'Rows', 'Class separation Δ' have no effect"
    assert idle in banner


def test_bias_variance_cross_validates_the_upload_and_keeps_the_rest_synthetic():
    at = _open("bias_variance")
    _upload(at, "bias_variance", _csv(_frame(200, features=2, task="regression")))
    assert not at.error
    banner = _banner(at)
    assert "200 rows" in banner and "training set 1 in the cross-validation part" in banner
    assert "have no effect" not in banner  # every control still acts on some part


def test_removing_the_file_returns_to_the_bundled_data():
    at = _open("regularization")
    _upload(at, "regularization", _csv(_frame(300, task="regression")))
    assert _banner(at)
    at.file_uploader(key="regularization_own_upload").set_value(None).run()
    assert not at.exception and not _banner(at)
    assert "Diabetes data, 10 standardized features" in _texts(at)


# ---- bad files: a message in the sidebar, the bundled data stays --------------------------------


def _bad_file_keeps_bundled(page, content, name="mine.csv"):
    at = _open(page)
    _upload(at, page, content, name)
    assert not _banner(at), "a refused file must not replace the bundled data"
    return _sidebar_errors(at)


def test_a_png_named_csv_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    errors = _bad_file_keeps_bundled("dropout", png, "picture.csv")
    assert any("not a CSV text file" in e for e in errors)


def test_a_file_over_5_mb_is_refused():
    big = b"a,b,target\n" + b"1.000000,2.000000,yes\n" * 260_000  # ~5.5 MB
    assert len(big) > 5 * 2**20
    errors = _bad_file_keeps_bundled("trees", big)
    assert any("the limit is 5.00 MB (5,242,880 bytes)" in e for e in errors)


def test_a_target_with_one_class_is_refused():
    frame = _frame(100)
    frame["target"] = "yes"
    errors = _bad_file_keeps_bundled("batch_size", _csv(frame))
    assert any("has 1 class; classification needs at least two" in e for e in errors)


def test_text_in_a_numeric_feature_column_names_the_column_and_row():
    frame = _frame(100).astype({"b": object})
    frame.loc[4, "b"] = "n/a?"
    errors = _bad_file_keeps_bundled("network_depth", _csv(frame))
    assert any("Feature 'b' is not numeric" in e and "row 6" in e for e in errors)


def test_too_few_rows_for_the_batch_sizes_is_explained():
    errors = _bad_file_keeps_bundled("batch_size", _csv(_frame(200)))
    assert any("needs at least 257" in e and "368 rows" in e for e in errors)


def test_a_text_target_is_refused_for_regression():
    errors = _bad_file_keeps_bundled("regularization", _csv(_frame(100)))
    assert any("must be numeric" in e for e in errors)


def test_missing_values_drop_rows_with_a_note():
    frame = _frame(300, features=3)
    frame.loc[[3, 7, 11], "a"] = np.nan
    frame.loc[20, "target"] = None
    at = _open("dropout")
    _upload(at, "dropout", _csv(frame))
    assert not at.error
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "Dropped 4 of 300 rows with missing values." in notes
    assert "296 rows (207 train, 89 test)" in _banner(at)


# ---- export: the snippet loads the same file ------------------------------------------------------


def test_the_export_snippet_loads_the_uploaded_file_and_reproduces_the_page(tmp_path):
    frame = _frame(300, features=3, task="regression")
    at = _open("regularization")
    _upload(at, "regularization", _csv(frame))
    code = next(c.value for c in at.code if "core.experiments" in c.value)
    assert "read_csv_upload" in code and "dataset_from_frame" in code
    assert "EDIT" in code and "run(config, data=data)" in code
    assert "target='target'" in code and "features=['a', 'b', 'c']" in code
    path = tmp_path / "copy of mine.csv"
    path.write_bytes(_csv(frame))
    code = re.sub(r"CSV_PATH = .*", f"CSV_PATH = {str(path)!r}", code)
    namespace: dict = {"print": lambda *a, **k: None}
    exec(compile(code, "<snippet>", "exec"), namespace)  # test code only: the page's snippet
    result = namespace["result"]
    assert result.data_name == "mine.csv" and result.n_train == 210
    # the page's own sentence quotes the same CV choice the snippet recomputes
    alpha = result.models.set_index("penalty").loc["l1", "alpha_cv"]
    assert f"At the CV choice α = {alpha:.3g}" in _texts(at)


def test_a_regression_style_target_is_refused_by_a_classifier_page():
    # a numeric target with hundreds of distinct values is not a class label
    errors = _bad_file_keeps_bundled("dropout", _csv(_frame(400, task="regression")))
    assert any("distinct values; at most 20 classes" in e for e in errors)


@pytest.mark.parametrize("page", ["batch_size", "dropout", "network_depth", "trees"])
def test_two_columns_with_one_name_get_a_message_not_a_traceback(page):
    rows = "".join(f"{i % 7},{i % 5},{'yes' if i % 2 else 'no'}\n" for i in range(60))
    errors = _bad_file_keeps_bundled(page, f"a, a,y\n{rows}".encode())
    assert any("The column name 'a' appears more than once" in e for e in errors)


def test_a_markdown_looking_column_name_is_shown_as_written():
    rows = "".join(f"{i},{i}\n" for i in range(30))
    errors = _bad_file_keeps_bundled("dropout", f"**x**,**x**\n{rows}".encode())
    assert any("'**x**' appears more than once" in e for e in errors)


def test_regularization_paths_csv_keeps_uploaded_formula_column_names_inert():
    """Column names a spreadsheet would run (CSV injection) reach paths.csv as inert text."""
    import csv
    import io
    import zipfile

    from core.experiments import regularization as rx
    from core.upload import dataset_from_frame, read_csv_upload
    from ui import export

    names = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1", "-2"]
    frame = _frame(200, features=len(names), task="regression")
    frame.columns = [*names, "target"]
    data, _ = dataset_from_frame(
        read_csv_upload(_csv(frame)), target="target", task="regression", name="mine.csv"
    )
    assert list(data.feature_names) == names
    result = rx.run(rx.Config(net_epochs=100), data=data)
    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(result)))
    cells = 0
    for name in archive.namelist():
        for row in csv.reader(io.StringIO(archive.read(name).decode())):
            for cell in row:
                try:
                    float(cell)
                    continue  # numbers, negative ones included, stay numbers
                except ValueError:
                    pass
                assert not cell.startswith(export.FORMULA_STARTS), (name, cell)
                cells += 1
    paths = list(csv.DictReader(io.StringIO(archive.read("paths.csv").decode())))
    assert {row["feature"] for row in paths} == {"'" + n for n in names}
    assert cells > 0


def test_a_preset_hint_says_it_describes_the_lessons_own_data_while_a_file_is_in_use():
    at = _open("batch_size")
    at.sidebar.button[0].click().run()  # the first preset
    (hint,) = [i.value for i in at.sidebar.info]
    assert "not your file" not in hint
    _upload(at, "batch_size", _csv(_frame(500, features=3, classes=3)))
    hints = [i.value for i in at.sidebar.info if i.value.startswith("**")]
    assert hints and all("(on the lesson's own data, not your file)" in h for h in hints)


def test_one_feature_and_one_text_column_are_counted_as_one():
    """Audit pass 54 c: a file with one numeric feature and one text column read "Using mine.csv:
    300 rows, 1 features" and "Text columns not used as features: name. Encode them ..."."""
    frame = _frame(300, features=1)
    frame.insert(1, "name", [f"row {i}" for i in range(len(frame))])
    at = _open("imbalance")
    _upload(at, "imbalance", _csv(frame))
    success = " ".join(s.value for s in at.sidebar.success)
    assert "300 rows, 1 feature, 2 classes." in success, success
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "Text column not used as features: name. Encode it as numbers to use it." in captions
