"""Lesson: how self-attention works, and why its scores are divided by √d_k."""

import functools

import streamlit as st

from core.experiments import attention as experiment
from core.experiments.attention.claims import (
    CHECK,
    GRADIENT,
    HEADS,
    SCORES,
    VARIANCE,
    WEIGHTS,
    check_caption,
    check_texts,
    jacobian_digits,
    largest_ratio_text,
)
from core.experiments.attention.words import backward_formula
from core.facts import num
from ui import controls, lesson
from ui.charts import attention as charts
from ui.controls import Choice, Group, Seed, Slider, Toggle
from ui.runner import run_experiment

panel = controls.Panel(
    experiment.Config,
    Group(
        "Step-through: a few tokens",
        Slider("n_tokens", "Tokens n", "How many tokens attend to each other.", key="n"),
        Choice(
            "d_model",
            "Embedding size d_model",
            "Entries per token embedding; each row of X is drawn N(0, SD²) with the SD below.",
            key="dmodel",
            widget="slider",
        ),
        Slider(
            "n_heads",
            "Heads h",
            "Separate attention heads, each with its own W_q, W_k, W_v; their outputs are "
            "concatenated and mixed by W_o.",
            key="heads",
        ),
        Choice(
            "d_head",
            "Head size d_head (the heads' d_k)",
            "Entries per query, key and value in each head.",
            key="dhead",
            widget="slider",
        ),
        Toggle(
            "causal",
            "Causal mask",
            "Token i may attend only to tokens 1 to i: the scores above the diagonal are set to "
            "−∞ before the softmax (decoders, language models).",
        ),
        Toggle(
            "scaled",
            "Divide the scores by √d_head",
            "On: softmax(QKᵀ / √d_k). Off: softmax(QKᵀ), to see what the scaling prevents.",
            key="scale",
        ),
        Slider(
            "embedding_std",
            "Embedding SD",
            "Standard deviation of the embedding entries. The projections are drawn "
            "N(0, 1/d_model), so query and key entries have about this SD too.",
            key="xsd",
        ),
    ),
    Group(
        "Why √d_k: random queries and keys",
        Choice(
            "max_d_k",
            "Largest d_k",
            "The sweep scores queries against keys at d_k = 1, 2, 4, … up to this.",
            key="dk",
            widget="slider",
        ),
        Choice(
            "n_keys",
            "Keys per query",
            "Each query's softmax runs over this many keys.",
            key="keys",
            widget="slider",
        ),
        Slider(
            "n_draws",
            "Draws per d_k",
            "Random queries (each with its own keys) behind every point: more draws, smaller "
            "standard errors, longer runs.",
            key="draws",
        ),
        Slider(
            "entry_std",
            "SD σ of the query and key entries",
            "Entries are independent N(0, σ²), so Var(q · k) = d_k σ⁴.",
            key="sigma",
        ),
    ),
    Group("Seed", Seed("seed", "Seed", "Seeds the embeddings, the weights and the sweep's draws.")),
    presets=experiment.PRESETS,
)

lesson.header()
config = panel.draw()
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment(
    "attention", config, spinner="Running attention, checking its gradients, sweeping d_k…"
)
facts = experiment.facts(config, result)
tokens = list(result.tokens)
model_cols = [str(j + 1) for j in range(config.d_model)]
head_cols = [str(j + 1) for j in range(config.d_head)]


@st.cache_data(max_entries=lesson.CACHED_CHARTS, max_size="4MB", show_spinner=False)
def _kept(key: tuple, _build) -> str:
    """A LaTeX block per key (building one walks the run's frames)."""
    return _build()


def of_head(frame, head: int = 1, matrix: str | None = None):
    rows = frame[frame["head"] == head]
    return rows if matrix is None else rows[rows["matrix"] == matrix]


def spec(name: str, build) -> dict:
    """A chart of this run. A run is a function of its Config, so the spec is kept per
    (Config, name): a rerun neither rebuilds it nor hashes its frames."""
    return lesson.cached_spec(("attention", config, name), build)


def draw(name: str, build) -> None:
    lesson.chart(spec(name, build))


def heatmap(name: str, frame, title: str, cols, value_title: str, labelled: int = 8) -> None:
    draw(
        name,
        lambda: charts.matrix_heatmap(
            frame(),
            rows=tokens,
            cols=cols,
            title=title,
            x_title="entry",
            y_title="token",
            value_title=value_title,
            labelled=labelled,
        ),
    )


def weights_map(name: str, head: int, value: str, title: str, labelled: bool = True) -> None:
    draw(
        name,
        lambda: charts.attention_heatmap(
            of_head(result.attention, head),
            value=value,
            tokens=tokens,
            title=title,
            value_title=value,
            labelled=labelled,
        ),
    )


# ---- 1 · projections ----------------------------------------------------------------------------
st.header("1 · Queries, keys and values")
st.latex(r"Q = X W_q,\qquad K = X W_k,\qquad V = X W_v")
left, right = st.columns(2, gap="medium")
with left:
    heatmap("X", lambda: result.embeddings, "Embeddings X", model_cols, "x", labelled=8)
with right:
    st.caption(
        f"Each row is one token. X is {config.n_tokens} × {config.d_model}; head 1's "
        f"projections W_q, W_k and W_v ({config.d_model} × {config.d_head}, drawn "
        "N(0, 1/d_model)) turn each embedding into its query (what it looks for), its key (what "
        "it can be found by) and its value (what it passes on). The embeddings are random, so "
        "the tokens carry no meaning."
    )
for column, name in zip(st.columns(3, gap="small"), ("Q", "K", "V"), strict=True):
    with column:
        frame = functools.partial(of_head, result.projections, 1, name)
        heatmap(name, frame, f"{name}, head 1", head_cols, name.lower(), labelled=4)

# ---- 2 · scores, mask, softmax ------------------------------------------------------------------
st.header("2 · Scores, the mask and the softmax")
divide = r"/\sqrt{d_k}" if config.scaled else ""
mask = r" + M" if config.causal else ""
st.latex(
    rf"S = QK^\top{divide}{mask},\qquad P_{{ij}} = \frac{{e^{{S_{{ij}}}}}}{{\sum_k e^{{S_{{ik}}}}}}"
)
left, right = st.columns(2, gap="medium")
with left:
    weights_map("scores", 1, "score", "Scores S, head 1")
    lesson.captions(facts, SCORES)
with right:
    weights_map("weights", 1, "weight", "Attention weights P, head 1")
    lesson.captions(facts, WEIGHTS)
st.caption(
    "Row i holds query i's scores against every key, and the softmax runs along each row, "
    "over the keys. Under a causal mask the masked cells are grey: their score is −∞, their "
    "weight exactly 0."
)

# ---- 3 · the weighted sum -----------------------------------------------------------------------
st.header("3 · Each output is a weighted average of values")
st.latex(
    _kept(
        ("attention", config, "sum"),
        lambda: charts.weighted_sum_latex(of_head(result.attention), tokens[-1]),
    )
)
left, right = st.columns(2, gap="medium")
with left:
    heatmap("PV", lambda: of_head(result.head_outputs), "Head 1's output P V", head_cols, "output")
with right:
    st.caption(
        f"Row {tokens[-1]} of P (section 2) weights the value rows v_j of V (section 1): its "
        f"output is their weighted average, row {tokens[-1]} of P V. Every row of P V is built "
        "the same way from its own row of P."
    )

# ---- 4 · many heads -----------------------------------------------------------------------------
st.header("4 · Many heads, concatenated and mixed")
st.latex(
    r"\operatorname{MultiHead}(X) = [A_1 \mid \dots \mid A_h]\,W_o,\qquad "
    r"A_j = \operatorname{softmax}\!\big(Q_j K_j^\top" + divide + mask + r"\big)\,V_j"
)
for h, column in enumerate(st.columns(config.n_heads, gap="small"), start=1):
    with column:
        # side by side, more than two heads leave too little room for the numbers
        weights_map(f"weights {h}", h, "weight", f"Weights P, head {h}", config.n_heads <= 2)
heatmap("Y", lambda: result.output, "Output [A₁ | … | A_h] W_o", model_cols, "output")
lesson.captions(facts, HEADS)

# ---- 5 · backward pass --------------------------------------------------------------------------
st.header("5 · The backward pass, checked")
st.latex(backward_formula(scaled=config.scaled))  # the pass this run checks
# the two derivatives with digits enough that they differ by no more than they do (check_texts)
backprop_texts, central_texts = check_texts(result.check)
lesson.gradient_check(
    result.check.assign(backprop=backprop_texts, central_difference=central_texts),
    "entry",
    value=str,
)
st.caption(check_caption())  # the verdicts' rule, from their constants
lesson.captions(facts, CHECK)

# ---- why √d_k -----------------------------------------------------------------------------------
st.header("Why divide by √d_k?")
st.latex(experiment.MODEL_ANSWER.formulas[1])
draw("variance", lambda: charts.variance_chart(result.variance))
st.caption(
    f"Points: the mean of (q · k)² (scaled: of (q · k / √d_k)²) over {config.n_draws} draws × "
    f"{config.n_keys} keys (q · k has mean 0), with ± 2 standard errors computed from the "
    "per-draw means; dashed: theory. "
    "Each d_k uses the first d_k entries of the same random vectors."
)
lesson.captions(facts, VARIANCE)
lesson.side_by_side(
    spec("top", lambda: charts.top_weight_chart(result.sweep, n_keys=config.n_keys)),
    spec("entropy", lambda: charts.entropy_chart(result.sweep, n_keys=config.n_keys)),
)
st.caption(
    "Lines: the mean over the draws; bands: the 10th to 90th percentile of the draws. Each "
    f"draw is one query's softmax over {config.n_keys} keys."
)
lesson.reveal_answer(choice, facts)
lesson.side_by_side(
    # the medians and means at the digits the gradient sentence prints them (its ratios)
    spec("jacobian", lambda: charts.jacobian_chart(result.sweep, jacobian_digits(result))),
    # each draw's printed ratio at most the largest that jacobian_bound prints
    spec("scatter", lambda: charts.gradient_scatter(result.samples, largest_ratio_text(result))),
)
st.caption(
    "‖∂p/∂s‖_F is the size of the softmax's Jacobian diag(p) − p pᵀ, the factor every gradient "
    "to the scores passes through. Left: its median over the draws, band from the 10th to the 90th "
    f"percentile (values below {num(charts.JACOBIAN_FLOOR)} drawn at it). Right: single draws "
    "from every d_k, under the bound 2(1 − max p)."
)
lesson.captions(facts, GRADIENT)

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
