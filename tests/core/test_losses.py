"""Losses: mean-reduced values and gradients match finite differences and PyTorch at +-1000 too."""

import dataclasses
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core.gradcheck import numerical_grad, rel_error
from core.losses import LOSSES, Loss, log_softmax, softmax

REFERENCE_FILE = Path(__file__).parents[1] / "reference" / "torch_activations_losses.json"
REFERENCE = json.loads(REFERENCE_FILE.read_text())

# rtol 1e-10 as promised; the absolute floor covers gradient entries such as sigma(z) - y or
# softmax - 1 that cancel to a few ulps of 1 / N, where the last bits depend on the libm.
PARITY_RTOL = 1e-10
PARITY_ATOL = 1e-15


def _gradcheck(loss, y_pred, y_true):
    numeric = numerical_grad(lambda z: loss.fn(z, y_true), y_pred)
    analytic = loss.grad(y_pred, y_true)
    assert analytic.shape == y_pred.shape
    return rel_error(analytic, numeric)


# --- registry -----------------------------------------------------------------------------------


def test_registry():
    assert list(LOSSES) == ["mse", "bce_with_logits", "cross_entropy"]
    for name, loss in LOSSES.items():
        assert isinstance(loss, Loss)
        assert loss.name == name
        assert loss.latex and loss.grad_latex and loss.label
    with pytest.raises(dataclasses.FrozenInstanceError):
        LOSSES["mse"].name = "l2"


# --- gradients against central differences --------------------------------------------------------


@pytest.mark.parametrize(
    ("pred_shape", "true_shape"),
    [
        ((7,), (7,)),
        ((7, 1), (7, 1)),
        ((7, 1), (7,)),
        ((7,), (7, 1)),
        ((5, 3), (5, 3)),
        ((1,), (1,)),
    ],
)
def test_mse_grad(pred_shape, true_shape):
    rng = np.random.default_rng(0)
    y_pred, y_true = rng.normal(size=pred_shape), rng.normal(size=true_shape)
    assert _gradcheck(LOSSES["mse"], y_pred, y_true) < 1e-6


@pytest.mark.parametrize(
    ("pred_shape", "true_shape"), [((9,), (9,)), ((9, 1), (9, 1)), ((9, 1), (9,)), ((9,), (9, 1))]
)
@pytest.mark.parametrize("soft", [False, True], ids=["labels", "soft-targets"])
def test_bce_with_logits_grad(pred_shape, true_shape, soft):
    rng = np.random.default_rng(1)
    logits = 2.0 * rng.normal(size=pred_shape)
    targets = rng.random(true_shape) if soft else rng.integers(0, 2, true_shape).astype(float)
    assert _gradcheck(LOSSES["bce_with_logits"], logits, targets) < 1e-6


@pytest.mark.parametrize(("n", "k"), [(1, 2), (6, 2), (8, 3), (5, 7)])
def test_cross_entropy_grad(n, k):
    rng = np.random.default_rng(2)
    logits = 2.0 * rng.normal(size=(n, k))
    labels = rng.integers(0, k, size=n)
    assert _gradcheck(LOSSES["cross_entropy"], logits, labels) < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6),
    k=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.1, 3.0),
)
def test_property_every_loss_grad_matches_central_differences(n, k, seed, scale):
    # Logits stay in [-3, 3]: a confident, correct prediction (say 16.6 against -4.3) has a
    # gradient of ~1e-7, below the round-off of the difference quotient of the loss itself
    # (eps |L| / h), and rel_error would then measure noise rather than the formula.
    rng = np.random.default_rng(seed)

    def logits(shape):
        return rng.uniform(-scale, scale, size=shape)

    assert _gradcheck(LOSSES["mse"], logits((n, k)), rng.normal(size=(n, k))) < 1e-6
    labels01 = rng.integers(0, 2, size=n).astype(float)
    assert _gradcheck(LOSSES["bce_with_logits"], logits((n, 1)), labels01) < 1e-6
    soft = rng.random(size=n)
    assert _gradcheck(LOSSES["bce_with_logits"], logits(n), soft) < 1e-6
    labels = rng.integers(0, k, size=n)
    assert _gradcheck(LOSSES["cross_entropy"], logits((n, k)), labels) < 1e-6


# --- known values ---------------------------------------------------------------------------------


def test_mse_known_values():
    mse = LOSSES["mse"]
    assert mse.fn(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])) == pytest.approx(4.0 / 3.0)
    # Mean over all elements (torch.nn.MSELoss), not over rows.
    assert mse.fn(np.ones((2, 2)), np.zeros((2, 2))) == 1.0
    np.testing.assert_allclose(
        mse.grad(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])), [0.0, 0.0, -4.0 / 3.0]
    )
    assert isinstance(mse.fn(np.ones(3), np.zeros(3)), float)


def test_bce_with_logits_known_values():
    bce = LOSSES["bce_with_logits"]
    assert bce.fn(np.zeros(4), np.array([0.0, 1.0, 0.0, 1.0])) == pytest.approx(math.log(2.0))
    # -log sigma(2) for a positive example, -log(1 - sigma(2)) for a negative one.
    assert bce.fn(np.array([2.0]), np.array([1.0])) == pytest.approx(math.log1p(math.exp(-2.0)))
    assert bce.fn(np.array([2.0]), np.array([0.0])) == pytest.approx(2.0 + math.log1p(math.exp(-2)))
    np.testing.assert_allclose(bce.grad(np.zeros(2), np.array([1.0, 0.0])), [-0.25, 0.25])
    assert isinstance(bce.fn(np.zeros(3), np.zeros(3)), float)


@pytest.mark.parametrize(
    ("probs", "label", "expected"),
    [
        ([0.9, 0.05, 0.05], 0, 0.105),
        ([0.6, 0.3, 0.1], 0, 0.511),
        ([0.7, 0.2, 0.1], 0, 0.357),
        ([0.2, 0.7, 0.1], 1, 0.357),
        ([0.5, 0.5], 1, 0.693),
    ],
)
def test_cross_entropy_textbook_numbers(probs, label, expected):
    # Logits = log-probabilities, so softmax gives the probabilities back and the loss is -log p.
    logits = np.log(np.array([probs]))
    value = LOSSES["cross_entropy"].fn(logits, np.array([label]))
    assert value == pytest.approx(expected, abs=5e-4)
    assert value == pytest.approx(-math.log(probs[label]), rel=1e-12)
    assert isinstance(value, float)


def test_cross_entropy_is_the_mean_over_rows():
    logits = np.log(np.array([[0.9, 0.1], [0.6, 0.4]]))
    value = LOSSES["cross_entropy"].fn(logits, np.array([0, 0]))
    assert value == pytest.approx(-(math.log(0.9) + math.log(0.6)) / 2, rel=1e-12)


def test_cross_entropy_grad_is_softmax_minus_onehot_over_n():
    logits = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    labels = np.array([2, 0])
    expected = softmax(logits)
    expected[[0, 1], labels] -= 1.0
    np.testing.assert_allclose(LOSSES["cross_entropy"].grad(logits, labels), expected / 2)
    np.testing.assert_allclose(
        LOSSES["cross_entropy"].grad(logits, labels).sum(axis=1), 0, atol=1e-16
    )


# --- target shapes and label formats --------------------------------------------------------------


@pytest.mark.parametrize("name", ["mse", "bce_with_logits"])
def test_column_and_flat_targets_agree(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(3)
    y_pred = rng.normal(size=(6, 1))
    y_true = rng.integers(0, 2, size=6).astype(float)
    reference = loss.fn(y_pred, y_true.reshape(6, 1))
    assert loss.fn(y_pred, y_true) == reference
    assert loss.fn(y_pred.ravel(), y_true.reshape(6, 1)) == reference
    assert loss.grad(y_pred, y_true).shape == (6, 1)
    assert loss.grad(y_pred.ravel(), y_true.reshape(6, 1)).shape == (6,)
    np.testing.assert_array_equal(loss.grad(y_pred, y_true), loss.grad(y_pred, y_true[:, None]))


@pytest.mark.parametrize("name", ["mse", "bce_with_logits"])
@pytest.mark.parametrize(
    ("pred_shape", "true_shape"), [((4, 1), (3,)), ((4,), (5, 1)), ((2, 3), (3, 2)), ((6,), (2, 3))]
)
def test_mismatched_target_shapes_are_rejected(name, pred_shape, true_shape):
    loss = LOSSES[name]
    message = re.escape(f"{name}: y_true has shape {true_shape} but y_pred has shape {pred_shape}")
    for method in (loss.fn, loss.grad):
        with pytest.raises(ValueError, match=message):
            method(np.zeros(pred_shape), np.zeros(true_shape))


def test_mismatch_message_says_what_was_expected():
    with pytest.raises(ValueError, match=r"got|expected") as info:
        LOSSES["mse"].fn(np.zeros((4, 1)), np.zeros(3))
    assert "(3,)" in str(info.value) and "(4, 1)" in str(info.value)


@pytest.mark.parametrize(
    "labels",
    [
        np.array([0, 2, 1]),
        np.array([0.0, 2.0, 1.0]),
        np.array([[0], [2], [1]]),
        np.array([0, 2, 1], dtype=np.uint8),
        [0, 2, 1],
    ],
    ids=["int", "float-integers", "column", "uint8", "list"],
)
def test_cross_entropy_accepts_integer_labels_in_any_form(labels):
    logits = np.random.default_rng(4).normal(size=(3, 3))
    expected = LOSSES["cross_entropy"].fn(logits, np.array([0, 2, 1]))
    assert LOSSES["cross_entropy"].fn(logits, labels) == expected
    np.testing.assert_array_equal(
        LOSSES["cross_entropy"].grad(logits, labels),
        LOSSES["cross_entropy"].grad(logits, np.array([0, 2, 1])),
    )


def test_cross_entropy_bool_labels_are_classes_not_masks():
    logits = np.array([[0.0, 1.0], [2.0, 0.0]])
    assert LOSSES["cross_entropy"].fn(logits, np.array([True, False])) == pytest.approx(
        LOSSES["cross_entropy"].fn(logits, np.array([1, 0]))
    )


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (np.array([0, 3]), r"\[0, 3\).*from 0 to 3"),
        (np.array([-1, 0]), r"\[0, 3\).*from -1 to 0"),
        (np.array([0.0, 3.0]), r"\[0, 3\)"),
        (np.array([0.5, 1.0]), "whole numbers"),
        (np.array([np.nan, 0.0]), "NaN"),
        (np.array([0, 1, 2]), r"shape \(3,\).*\(2,\)"),
        (np.array([[1, 0, 0], [0, 1, 0]]), "argmax"),
        (np.array(["a", "b"]), "dtype"),
    ],
)
def test_cross_entropy_rejects_bad_labels(labels, match):
    for method in (LOSSES["cross_entropy"].fn, LOSSES["cross_entropy"].grad):
        with pytest.raises(ValueError, match=match):
            method(np.zeros((2, 3)), labels)


@pytest.mark.parametrize("shape", [(3,), (2, 3, 4), (0, 3)])
def test_cross_entropy_needs_2d_logits(shape):
    with pytest.raises(ValueError, match=r"\(n, k\)"):
        LOSSES["cross_entropy"].fn(np.zeros(shape), np.zeros(shape[0] if shape else 0))


@pytest.mark.parametrize("name", ["mse", "bce_with_logits"])
def test_empty_batch_is_rejected(name):
    with pytest.raises(ValueError, match="empty batch"):
        LOSSES[name].fn(np.zeros(0), np.zeros(0))


@pytest.mark.parametrize("name", list(LOSSES))
def test_inputs_are_not_modified(name):
    rng = np.random.default_rng(5)
    y_pred = rng.normal(size=(4, 3)) if name == "cross_entropy" else rng.normal(size=(4, 1))
    y_true = np.array([0, 2, 1, 1]) if name == "cross_entropy" else np.array([0.0, 1.0, 1.0, 0.0])
    pred_before, true_before = y_pred.copy(), y_true.copy()
    LOSSES[name].fn(y_pred, y_true)
    LOSSES[name].grad(y_pred, y_true)
    assert np.array_equal(y_pred, pred_before) and np.array_equal(y_true, true_before)


# --- numerical stability --------------------------------------------------------------------------


def test_bce_with_logits_is_stable_at_1000():
    bce = LOSSES["bce_with_logits"]
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    with np.errstate(all="raise"):
        # Confident and right costs 0; confident and wrong costs |z|, not inf.
        assert bce.fn(z[:2], y[:2]) == 0.0
        assert bce.fn(z[2:], y[2:]) == 1000.0
        np.testing.assert_array_equal(bce.grad(z, y), [0.0, 0.0, 0.25, -0.25])


def test_cross_entropy_is_stable_at_1000():
    ce = LOSSES["cross_entropy"]
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    with np.errstate(all="raise"):
        assert ce.fn(logits, np.array([0, 1])) == 0.0
        assert ce.fn(logits, np.array([1, 0])) == 2000.0
        np.testing.assert_array_equal(
            ce.grad(logits, np.array([1, 0])), [[0.5, -0.5, 0.0], [-0.5, 0.5, 0.0]]
        )


@settings(max_examples=60, deadline=None)
@given(
    logits=hnp.arrays(
        np.float64, st.tuples(st.integers(1, 6), st.integers(2, 4)), elements=st.floats(-1e3, 1e3)
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_losses_are_finite_nonnegative_and_silent(logits, seed):
    rng = np.random.default_rng(seed)
    n, k = logits.shape
    cases = [
        ("mse", logits, rng.normal(size=logits.shape)),
        ("bce_with_logits", logits[:, :1], rng.integers(0, 2, size=n).astype(float)),
        ("bce_with_logits", logits[:, 0], rng.random(size=n)),
        ("cross_entropy", logits, rng.integers(0, k, size=n)),
    ]
    with np.errstate(all="raise"):
        for name, y_pred, y_true in cases:
            value = LOSSES[name].fn(y_pred, y_true)
            grad = LOSSES[name].grad(y_pred, y_true)
            assert math.isfinite(value) and value >= 0.0, name
            assert grad.shape == y_pred.shape and np.all(np.isfinite(grad)), name


def test_softmax_and_log_softmax():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    with np.errstate(all="raise"):
        p = softmax(z)
        logp = log_softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(p[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-15)
    np.testing.assert_array_equal(p[1], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(p[2], 1.0 / 3.0, rtol=1e-15)
    # log_softmax keeps what log(softmax) loses: a logit 2000 below the max gives -2000, not -inf.
    np.testing.assert_allclose(logp[1], [0.0, -2000.0, -1000.0])
    np.testing.assert_allclose(logp[0], np.log(p[0]), rtol=1e-14)
    # Shift invariance, and the axis argument.
    np.testing.assert_allclose(softmax(z[0] + 123.0), p[0], rtol=1e-14)
    np.testing.assert_allclose(softmax(z.T, axis=0), p.T, rtol=1e-15)
    np.testing.assert_allclose(log_softmax(z.T, axis=0), logp.T, rtol=1e-15)


# --- parity with PyTorch --------------------------------------------------------------------------


def _assert_matches_torch(cases):
    for case in cases:
        loss = LOSSES[case["name"]]
        y_pred = np.asarray(case["y_pred"], dtype=np.float64)
        y_true = np.asarray(case["y_true"])
        label = f"{case['name']} {y_pred.shape}"
        np.testing.assert_allclose(
            loss.fn(y_pred, y_true), case["value"], rtol=PARITY_RTOL, err_msg=label
        )
        np.testing.assert_allclose(
            loss.grad(y_pred, y_true),
            np.asarray(case["grad"], dtype=np.float64),
            rtol=PARITY_RTOL,
            atol=PARITY_ATOL,
            err_msg=label,
        )


def test_reference_file_covers_every_loss():
    assert {c["name"] for c in REFERENCE["losses"]} == set(LOSSES)


@pytest.mark.parametrize(
    "case",
    REFERENCE["losses"],
    ids=[f"{c['name']}-{np.shape(c['y_pred'])}" for c in REFERENCE["losses"]],
)
def test_matches_torch_reference_file(case):
    _assert_matches_torch([case])


def test_matches_torch_live():
    pytest.importorskip("torch")
    from tests.reference.make_torch_reference import build_reference

    for seed in (1, 2):
        _assert_matches_torch(build_reference(seed=seed)["losses"])


def test_a_right_answers_small_loss_is_not_rounded_away():
    """A confident right answer's loss e^-margin is kept, not lost beside the margin: log(1 +
    e^50) - 50 is 0 in float64, where the loss is log1p(e^-50) = 1.9e-22 (audit pass 50 h: a
    dropout test loss printed 6.99e-57 for the network's 6.74e-41)."""
    bce, ce = LOSSES["bce_with_logits"], LOSSES["cross_entropy"]
    for z, y in ((50.0, 1.0), (-50.0, 0.0), (300.0, 1.0)):
        value = bce.fn(np.array([[z]]), np.array([[y]]))
        assert value == pytest.approx(math.log1p(math.exp(-abs(z))), rel=1e-12, abs=0)
    assert ce.fn(np.array([[50.0, 0.0, 0.0]]), np.array([0])) == pytest.approx(
        math.log1p(2 * math.exp(-50.0)), rel=1e-12, abs=0
    )
    top = log_softmax(np.array([[0.0, 50.0, 0.0]]))[0, 1]
    assert -top == pytest.approx(math.log1p(2 * math.exp(-50.0)), rel=1e-12, abs=0)
    # a loss that is not small stays what it was
    assert bce.fn(np.array([[2.0]]), np.array([[1.0]])) == pytest.approx(
        math.log1p(math.exp(-2.0)), rel=1e-15, abs=0
    )
