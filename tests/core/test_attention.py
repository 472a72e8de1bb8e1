"""core.attention: the hand-written passes against central differences and against PyTorch."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import attention as att
from core.gradcheck import numerical_grad, rel_error
from tests.reference import make_torch_attention_reference as ref

REFERENCE_FILE = Path(__file__).parents[1] / "reference" / "torch_attention.json"
REFERENCE = json.loads(REFERENCE_FILE.read_text())
# Equal to float64 round-off: values of order 1, a few operations deep.
RTOL, ATOL = 1e-12, 1e-14


def _rng(seed=0):
    return np.random.default_rng(seed)


# ---- the softmax and the mask -------------------------------------------------------------------


def test_causal_mask_is_the_lower_triangle_aligned_top_left():
    np.testing.assert_array_equal(
        att.causal_mask(3), [[True, False, False], [True, True, False], [True, True, True]]
    )
    np.testing.assert_array_equal(att.causal_mask(2, 4), [[1, 0, 0, 0], [1, 1, 0, 0]])


def test_softmax_rows_sum_to_one_and_masked_weights_are_exactly_zero():
    scores = 5.0 * _rng().normal(size=(3, 6, 6))
    p, _ = att.softmax_forward(scores, att.causal_mask(6))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-15)
    assert np.all(p[:, ~att.causal_mask(6)] == 0.0)
    assert np.all(p[:, 0, 0] == 1.0)


def test_softmax_does_not_overflow_at_huge_scores():
    with np.errstate(over="raise", invalid="raise"):  # e^(−2000) underflows to 0, as it should
        p, _ = att.softmax_forward(np.array([[1000.0, -1000.0, 999.0], [1e300, 0.0, -1e300]]))
    np.testing.assert_allclose(p[0], [1 / (1 + math.exp(-1)), 0.0, 1 / (1 + math.e)], rtol=1e-15)
    np.testing.assert_array_equal(p[1], [1.0, 0.0, 0.0])


def test_a_row_with_every_key_masked_is_refused():
    with pytest.raises(ValueError, match="at least one key"):
        att.softmax_forward(np.zeros((2, 2)), np.array([[True, False], [False, False]]))


def test_softmax_backward_is_the_jacobian_transpose_times_the_upstream_gradient():
    rng = _rng(1)
    s, dp = rng.normal(size=5), rng.normal(size=5)
    p, cache = att.softmax_forward(s)
    np.testing.assert_allclose(
        att.softmax_backward(dp, cache), att.softmax_jacobian(p).T @ dp, rtol=1e-13, atol=1e-16
    )
    numeric = numerical_grad(lambda z: float(att.softmax_forward(z)[0] @ dp), s)
    assert rel_error(att.softmax_backward(dp, cache), numeric) < 1e-8


# ---- attention: central differences -------------------------------------------------------------


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("scale", [None, 1.0, 0.2])
def test_attention_backward_matches_central_differences(causal, scale):
    rng = _rng(2)
    Q, K, V = rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 3))
    G = rng.normal(size=(2, 5, 3))
    _, cache = att.attention_forward(Q, K, V, causal=causal, scale=scale)
    grads = att.attention_backward(G, cache)
    inputs = {"Q": Q, "K": K, "V": V}
    for name, x in inputs.items():

        def loss(value, name=name):
            args = {**inputs, name: value}
            return float(np.sum(att.attention_forward(**args, causal=causal, scale=scale)[0] * G))

        assert rel_error(grads[name], numerical_grad(loss, x)) < 1e-8, name


@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_backward_matches_central_differences(causal):
    rng = _rng(3)
    X, G = rng.normal(size=(5, 6)), rng.normal(size=(5, 6))
    params = att.init_params(6, 3, 2, seed=4)
    _, cache = att.multi_head_forward(X, params, causal=causal)
    grads = att.multi_head_backward(G, cache)

    def loss(x, p):
        return float(np.sum(att.multi_head_forward(x, p, causal=causal)[0] * G))

    assert rel_error(grads["X"], numerical_grad(lambda x: loss(x, params), X)) < 1e-8
    for name in att.PARAM_NAMES:
        numeric = numerical_grad(lambda w, name=name: loss(X, {**params, name: w}), params[name])
        assert rel_error(grads[name], numeric) < 1e-8, name


def test_the_default_scale_is_one_over_root_d_k():
    rng = _rng(5)
    Q, K, V = rng.normal(size=(4, 9)), rng.normal(size=(4, 9)), rng.normal(size=(4, 2))
    default, cache = att.attention_forward(Q, K, V)
    explicit, _ = att.attention_forward(Q, K, V, scale=1 / 3)
    np.testing.assert_array_equal(default, explicit)
    assert cache.scale == 1 / 3
    np.testing.assert_allclose(cache.scores, Q @ K.T / 3, rtol=1e-15)


def test_one_head_with_the_identity_output_is_plain_attention():
    rng = _rng(6)
    X = rng.normal(size=(4, 3))
    params = {
        "W_q": rng.normal(size=(1, 3, 3)),
        "W_k": rng.normal(size=(1, 3, 3)),
        "W_v": rng.normal(size=(1, 3, 3)),
        "W_o": np.eye(3),
    }
    out, _ = att.multi_head_forward(X, params, causal=True)
    plain, _ = att.attention_forward(
        X @ params["W_q"][0], X @ params["W_k"][0], X @ params["W_v"][0], causal=True
    )
    np.testing.assert_array_equal(out, plain)


def test_init_params_shapes_and_count():
    params = att.init_params(8, 2, 4, seed=0)
    assert params["W_q"].shape == (2, 8, 4) and params["W_o"].shape == (8, 8)
    assert sum(p.size for p in params.values()) == att.count_params(8, 2, 4) == 256


# ---- the softmax's Jacobian ---------------------------------------------------------------------


def test_jacobian_norm_equals_the_explicit_matrix_norm():
    rng = _rng(7)
    for scale in (0.1, 1.0, 5.0):
        p, _ = att.softmax_forward(scale * rng.normal(size=(50, 7)))
        explicit = [np.linalg.norm(att.softmax_jacobian(row)) for row in p]
        np.testing.assert_allclose(att.jacobian_norm(p), explicit, rtol=1e-12)


def test_jacobian_norm_is_accurate_for_a_nearly_one_hot_row():
    # p = (1 − ε, ε): ‖J‖_F = 2 ε (1 − ε) exactly, with ε far below float64's resolution of 1
    for eps in (1e-3, 1e-9, 1e-20, 1e-160, 1e-200, 1e-300):
        p = np.array([1.0 - eps, eps])
        assert att.jacobian_norm(p) == pytest.approx(2 * eps * (1 - eps), rel=1e-12, abs=0)
        assert att.remaining_weight(p) == eps


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-50, 50), min_size=2, max_size=12),
    st.floats(0.01, 100.0),
)
def test_jacobian_norm_is_at_most_twice_the_remaining_weight(scores, scale):
    p, _ = att.softmax_forward(scale * np.array(scores))
    assert att.jacobian_norm(p) <= 2 * att.remaining_weight(p) * (1 + 1e-12)


def test_entropy_is_log_n_for_uniform_weights_and_zero_for_one_hot():
    assert att.entropy(np.full(8, 1 / 8)) == pytest.approx(math.log(8), rel=1e-15)
    assert att.entropy(np.array([1.0, 0.0, 0.0])) == 0.0


def test_dot_product_std_theory():
    assert att.dot_product_std(64) == 8.0
    assert att.dot_product_std(64, scaled=True) == 1.0
    assert att.dot_product_std(16, 0.5) == pytest.approx(1.0)
    assert att.dot_product_std(16, 0.5, scaled=True) == pytest.approx(0.25)


# ---- parity with PyTorch: the stored reference always, torch itself when it is installed --------


def _arrays(mapping):
    return {k: np.asarray(v, dtype=np.float64) for k, v in mapping.items()}


def _sdpa_ours(case):
    x = _arrays(case["inputs"])
    out, cache = att.attention_forward(
        x["Q"], x["K"], x["V"], causal=case["causal"], scale=case["scale"]
    )
    grads = att.attention_backward(x["G"], cache)
    return {"out": out, "dQ": grads["Q"], "dK": grads["K"], "dV": grads["V"]}


def _multi_head_ours(case):
    x = _arrays(case["inputs"])
    params = {k: x[k] for k in att.PARAM_NAMES}
    out, cache = att.multi_head_forward(x["X"], params, causal=case["causal"], scale=case["scale"])
    return {"out": out, **att.multi_head_backward(x["G"], cache)}


def _assert_equal(ours, theirs, name):
    for key, expected in theirs.items():
        expected = np.asarray(expected)
        # gradients through a saturated softmax cancel: round-off scales with the array's size
        atol = max(ATOL, 1e-10 * float(np.max(np.abs(expected), initial=0.0)))
        np.testing.assert_allclose(
            ours[key], expected, rtol=RTOL, atol=atol, err_msg=f"{name}: {key}"
        )


def largest_differences(reference=REFERENCE) -> dict[str, float]:
    """The largest |ours − torch| over every stored array of each kind of case."""
    out = {}
    for kind, ours in (("sdpa", _sdpa_ours), ("multi_head", _multi_head_ours)):
        out[kind] = max(
            float(np.max(np.abs(ours(case)[key] - np.asarray(value))))
            for case in reference[kind]
            for key, value in case["torch"].items()
        )
    return out


def test_reference_file_covers_the_cases_and_saturates_the_softmax():
    assert [c["name"] for c in REFERENCE["sdpa"]] == [c[0] for c in ref.SDPA_CASES]
    assert [c["name"] for c in REFERENCE["multi_head"]] == [c[0] for c in ref.MULTI_HEAD_CASES]
    assert REFERENCE["meta"]["dtype"] == "float64"
    saturated = next(c for c in REFERENCE["sdpa"] if c["name"] == "saturated_causal")
    x = _arrays(saturated["inputs"])
    _, cache = att.attention_forward(x["Q"], x["K"], x["V"], causal=True, scale=1.0)
    assert np.sum(cache.weights.max(axis=-1) > 1 - 1e-6) >= 4


@pytest.mark.parametrize("case", REFERENCE["sdpa"], ids=[c["name"] for c in REFERENCE["sdpa"]])
def test_attention_matches_torch_sdpa_reference(case):
    _assert_equal(_sdpa_ours(case), case["torch"], case["name"])


@pytest.mark.parametrize(
    "case", REFERENCE["multi_head"], ids=[c["name"] for c in REFERENCE["multi_head"]]
)
def test_multi_head_matches_torch_reference(case):
    """Separate small heads concatenated equal one wide projection split into heads."""
    _assert_equal(_multi_head_ours(case), case["torch"], case["name"])


def test_matches_torch_live():
    pytest.importorskip("torch")
    for seed in (1, 2):
        live = ref.build_reference(seed=seed)
        for case in live["sdpa"]:
            _assert_equal(_sdpa_ours(case), case["torch"], f"seed {seed} {case['name']}")
        for case in live["multi_head"]:
            _assert_equal(_multi_head_ours(case), case["torch"], f"seed {seed} {case['name']}")
