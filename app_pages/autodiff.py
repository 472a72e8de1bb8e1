"""Lesson: derivatives of a custom loss, by reverse-mode autodiff, checked with finite differences."""

from decimal import Decimal, InvalidOperation

import streamlit as st

from core.autodiff import FUNCTIONS
from core.experiments import autodiff as experiment
from core.experiments.autodiff.claims import error_texts
from core.experiments.autodiff.fit_claims import sci
from core.experiments.autodiff.words import graph_caption
from core.facts import WARNING, agrees, in_slot, minus, num
from ui import controls, lesson
from ui.charts import autodiff as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider, Text
from ui.runner import run_experiment
from ui.text import plain

panel = controls.Panel(
    experiment.Config,
    Group(
        "Your loss",
        Text(
            "expression",
            "Your loss L(y_pred, y_true)",
            plain(
                "Names: y_pred, y_true, pi, e, delta, tau, gamma. Functions: "
                f"{', '.join(FUNCTIONS)}. Operators: + - * / ** (or ^), unary minus, "
                "parentheses. Wrap elementwise terms in mean(...). Parsed, never executed."
            ),
            key="loss",
        ),
        Slider(
            "delta",
            "Huber threshold δ (delta)",
            "The name delta in the loss: Huber is quadratic for |r| ≤ δ and linear beyond.",
        ),
        Slider(
            "tau",
            "Quantile τ (tau)",
            "The name tau in the loss: the pinball loss is minimised by the τ-quantile.",
        ),
        Slider(
            "gamma",
            "Focusing γ (gamma)",
            "The name gamma in the loss: focal loss with γ = 0 is binary cross-entropy.",
        ),
    ),
    Group(
        "Where to differentiate",
        Slider(
            "y_pred",
            "Prediction ŷ (y_pred)",
            "The one example's prediction at which the derivative is taken.",
            key="yp",
        ),
        Slider(
            "y_true",
            "Target y (y_true)",
            "The example's target (a label 0 or 1 for the classification losses).",
            key="yt",
        ),
        LogSlider(
            "h",
            "Finite-difference step h (log scale)",
            "(L(ŷ + h) − L(ŷ)) / h and (L(ŷ + h) − L(ŷ − h)) / 2h. About 1e-5 is the textbook "
            "choice for central differences (about 1e-8 for forward ones) when L and its "
            "derivatives are of order 1.",
            key="h",
            fmt=lambda v: f"{v:.0e}",  # plain-format: the slider's own value, a power of ten
        ),
    ),
    Group(
        "Training with your loss",
        Choice(
            "data",
            "Data",
            "Regression: a line through noisy points. Classification: labels 0/1 and a "
            "logistic model; use it with the focal and cross-entropy presets.",
            widget="radio",
        ),
        Choice(
            "outliers",
            "Outliers",
            "Six of sixty points moved far away (mislabelled points for classification).",
            labels={True: "on", False: "off"},
            widget="radio",
        ),
        LogSlider(
            "learning_rate",
            "Learning rate (Adam, log scale)",
            "Step size of the Adam optimizer used for both losses.",
            key="lr",
        ),
        Slider("steps", "Steps", "Full-batch updates for each loss."),
    ),
    Group(
        "Gradient check",
        Choice(
            "activation",
            "Hidden activation",
            "The activation of the 3-4-4-1 network whose backprop is checked.",
            key="act",
        ),
        Choice(
            "on_kink",
            # not "on the kink": tanh, sigmoid and GELU have none (audit pass 58 b)
            "Pre-activation at 0",
            "Sets one bias so that one hidden unit's input is exactly 0 for one example: the "
            "kink of relu and leaky_relu, where elu's curvature jumps; tanh, sigmoid and gelu "
            "are smooth there.",
            key="kink",
            labels={False: "off", True: "placed at exactly 0"},
            widget="radio",
        ),
        Seed("seed", "Seed", "Seeds the training data and the network's weights."),
    ),
    presets=experiment.PRESETS,
)

lesson.header()
config = panel.draw()
st.latex(r"L(\hat{y}, y) = " + config.loss().latex)
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment("autodiff", config)
facts = experiment.facts(config, result)
for fact in in_slot(facts, WARNING):  # they quote the engine's messages: shown as written
    st.warning(plain(fact.text), icon=":material/warning:")
point = result.point

# ---- one example: value, autodiff's derivative, estimates, graph ---------------------------------
st.header("At one example")


def _show(value: float, fmt: str = ".10g") -> str:
    # NaN: undefined here; a negative value's sign is the minus sign its sentences print
    return "—" if value != value else minus(format(value, fmt))


def _whole(value: float, fmt: str) -> bool:
    """Whether ``value`` printed with ``fmt`` reads as a whole number it is not (0.9999997 as 1)."""
    text = _show(value, fmt)
    if text == "—" or "e" in text or "inf" in text:  # an exponent already says digits are cut
        return False
    shown = float(text.replace("−", "-"))
    return shown != value and shown.is_integer()


def _error(value: float) -> str:
    """An estimate's error as the lesson's sentences print it (halves rounded up)."""
    return "—" if value != value else sci(value)


def _digits(point, said: str | None = None) -> str:
    """The format for autodiff's derivative and the two differences: 10 significant digits, more
    until each printed error is the gap between the printed values (never "3" beside "3" with
    "error 2.0e-11"). Past 17 digits a float prints its exact binary value, so the gap of
    0.200000000000000011 and 0.200000000000000039 is the 2.8e-17 printed beside them (at 17
    digits they print 0.20000000000000001 and 0.20000000000000004, 3e-17 apart). More, too, while
    one of them would print as a whole number it is not (0.99999999999 is not "1"), and until the
    derivative reads as ``said``, the sentence's text of it (not "10.00000000025", which a reader
    rounds to 10.0000000003, beside "∂L/∂ŷ = 10.0000000002"; audit pass 41 b)."""
    for d in range(10, 26):
        try:
            exact = Decimal(_show(point["exact"], f".{d}g").replace("−", "-"))
            if (
                all(
                    agrees(
                        _error(point[name + "_error"]),
                        abs(Decimal(_show(point[name], f".{d}g").replace("−", "-")) - exact),
                    )
                    for name in ("forward", "central")
                )
                and not any(
                    _whole(point[name], f".{d}g") for name in ("exact", "forward", "central")
                )
                and (said is None or agrees(said, exact))
            ):
                break
        except InvalidOperation:  # NaN, shown as "—"
            break
    return f".{d}g"


# two rows of two: four columns cut a value's digits with "…" at 1400 px wide, where the
# autodiff and central values then read alike beside "error 4.4e-12"
columns = [*st.columns(2), *st.columns(2)]
shown = _digits(
    point, next((f.values["exact_text"] for f in facts if "exact_text" in f.values), None)
)
loss_value = point["value"]
columns[0].metric(
    "Loss L",
    "—" if loss_value != loss_value else minus(num(loss_value, 6)),  # NaN: undefined here
)
columns[1].metric(
    # on a kink, or where autodiff is the one off, its value is a convention, not ∂L/∂ŷ
    "reverse-mode autodiff (a kink convention here)"
    if experiment.convention_here(result)
    else "∂L/∂ŷ by reverse-mode autodiff",
    _show(point["exact"], shown),
)
for column, name in zip(columns[2:], ("forward", "central"), strict=True):
    column.metric(
        f"{name.capitalize()} difference, h = {num(config.h, 6)}",
        _show(point[name], shown),
        # where autodiff is the one off, a gap from its value is not the difference's error
        f"{'from autodiff' if experiment.convention_here(result) else 'error'} "
        f"{_error(point[name + '_error'])}",
        delta_color="off",
        delta_arrow="off",
    )
if result.graph:
    # a small graph at full width would blow its boxes up; a large one needs all the room
    width = "stretch" if len(result.graph) > 8 else "content"
    convention = experiment.convention_here(result)  # the boxes' backward values: a convention
    st.graphviz_chart(charts.graph_dot(result.graph, convention=convention), width=width)
    st.caption(graph_caption(convention))

lesson.chart(
    lesson.Cached(
        charts.error_vs_h,
        result.sweep,
        result.guides,
        methods=list(experiment.METHODS),
        h=config.h,
        texts=error_texts(result),
        gap=experiment.convention_here(result),
    ),
)
st.caption(
    "Read from left to right as h shrinks. Where the loss is smooth over [ŷ − h, ŷ + h], "
    "truncation error (the Taylor terms a difference drops) falls like h for forward and h² "
    "for central differences, faster where L″ or L‴ is 0 at ŷ; a step that crosses a kink mixes "
    "two slopes instead. Round-off error, about εR/h, rises as h shrinks: each value v computed "
    "from ŷ (ŷ ± h itself, every operation's result, L) is rounded by about ε·|v|, which moves L "
    "by ε·|v|·|∂L/∂v|, and R is the largest of those |v|·|∂L/∂v|. Grey lines: h·|L″|/2, "
    "h²·|L‴|/6 and εR/h at this point, the first two only for steps that stay clear of any kink "
    "(a missing line is about 0, or not measured, here)."
)
lesson.reveal_answer(choice, facts)

lesson.chart(
    lesson.Cached(
        charts.gradient_curve,
        result.curve,
        methods=list(experiment.METHODS),
        point=(config.y_pred, point["exact"]),
        h=config.h,
        y_true=config.y_true,
    ),
)
st.caption(
    "For a small h where the loss is smooth, the forward difference sits about h·L″/2 from the "
    "exact derivative and the central one about h²·L‴/6; a step that straddles a kink (MAE at "
    "ŷ = y) mixes the two slopes; as h shrinks, round-off noise of about εR/h grows, and shows "
    "once it nears the chart's scale."
)
lesson.captions(facts, "curve")

# ---- training -----------------------------------------------------------------------------------
st.header("Train with your loss")
reference = experiment.reference_loss(config).name
lesson.chart(
    lesson.Cached(
        charts.fitted_lines,
        result.data,
        result.fits,
        reference=reference,
        classification=config.data == "classification",
        # a model whose training stopped early is drawn where it stopped, not as a fit
        stopped={
            row.model: int(row.steps)
            for row in result.fit_summary.itertuples()
            if row.stopped_reason
        },
        unmoved=("your loss",) if experiment.never_moved(config, result) else (),
    ),
)

# ---- gradient check -----------------------------------------------------------------------------
st.header("Gradient check of a network")
lesson.chart(
    lesson.Cached(
        charts.gradcheck_bars,
        result.gradcheck,
        verdicts=list(experiment.VERDICTS),
        good=experiment.GOOD,
        wrong=experiment.WRONG,
    ),
)
lesson.captions(facts, "gradcheck")
lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
