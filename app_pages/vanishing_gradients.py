"""Lesson: vanishing and exploding gradients, and what fixes them (ReLU, init, batch norm, clipping)."""

import dataclasses

import streamlit as st

from core.activations import ACTIVATIONS
from core.experiments import vanishing_gradients as experiment
from core.facts import decimals, plural
from ui import controls, lesson
from ui.charts import architecture as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider, View
from ui.runner import run_experiment

INIT_LABELS = {
    "normal": "normal N(0, σ²), σ below",
    "xavier": "Xavier/Glorot: σ² = 2 / (n_in + n_out)",
    "he": "He/Kaiming: σ² = 2 / n_in",
    "lecun": "LeCun: σ² = 1 / n_in",
}


@dataclasses.dataclass(frozen=True)
class OnOff(Choice):
    """A flag shown as an off/on radio: links keep their ``bn=on`` and ``clip=off``, and read
    the flag's own values too (``?bn=True`` and ``?clip=false`` were refused as "“Batch
    normalization” can't be True": a flag's Param has no grid to read them from; audit pass
    54 e)."""

    labels: dict = dataclasses.field(default_factory=lambda: {False: "off", True: "on"})
    widget: str = "radio"

    @staticmethod
    def _options(param):
        return dataclasses.replace(param, grid=(False, True))

    def draw(self, param, default):
        return super().draw(self._options(param), default)

    def parse(self, param, text: str):
        return super().parse(self._options(param), text)

    def spellings(self, param) -> list[str]:
        return super().spellings(self._options(param))


panel = controls.Panel(
    experiment.Config,
    Group(
        "Network",
        Slider(
            "depth",
            "Hidden layers",
            "Depth of the network: each hidden layer multiplies the backward signal by its "
            "weights and its activation's derivative (and, with batch norm, by its Jacobian).",
        ),
        Choice(
            "width",
            "Units per hidden layer",
            "Width of every hidden layer. The input has 2 features and the output 1 logit.",
            widget="slider",
        ),
        Choice(
            "activation",
            "Activation",
            "The hidden layers' non-linearity. Sigmoid's derivative is at most 1/4; ReLU's is "
            "1 where the unit is active.",
            key="act",
            labels=lambda a: ACTIVATIONS[a].label,
        ),
        Choice(
            "init",
            "Weight init",
            "Zero-mean normal weights with this variance; biases start at 0.",
            labels=INIT_LABELS,
        ),
        LogSlider(
            "sigma",
            "σ of the normal init (log scale)",
            "Used only by 'normal' init. Without batch norm, at width n a σ below about 1/√n "
            "shrinks a tanh net's signal layer after layer, and one below about √(2/n) (He's "
            "σ) a ReLU net's; above those the signal grows (a tanh net's until its units "
            "saturate), so σ = 0.3 at width 64 grows both. Sigmoid outputs stay near ½, so past "
            "layer 1 their spread stays about σ√n/8; a large σ saturates sigmoid and tanh "
            "units. Batch norm re-standardizes every pre-activation over the batch, so with it "
            "on these need not hold.",
        ),
        OnOff(
            "batch_norm",
            "Batch normalization",
            "Standardize every hidden pre-activation over the mini-batch, then scale by γ and "
            "shift by β (learned), as torch.nn.BatchNorm1d.",
            key="bn",
        ),
    ),
    Group(
        "Training",
        LogSlider(
            "learning_rate",
            "SGD learning rate η (log scale)",
            "Plain SGD: each layer's step is η times its own gradient (with clipping on, times "
            "one factor shared by all layers), so a layer with a vanished gradient barely moves.",
            key="lr",
        ),
        Slider("epochs", "Epochs", "Passes over the 140 training points, in mini-batches of 35."),
        OnOff(
            "clip",
            "Gradient clipping",
            "Rescale the whole gradient to norm at most 'max norm' before each step "
            "(torch.nn.utils.clip_grad_norm_).",
        ),
        LogSlider(
            "max_norm",
            "Clipping max norm (log scale)",
            "The largest global gradient norm allowed; also used by the clipping comparison.",
            key="maxnorm",
        ),
    ),
    Group(
        "Data",
        Choice(
            "dataset",
            "Dataset",
            "A 2-D two-class set of 200 points: 140 train, 60 test.",
            key="data",
        ),
        Seed("seed", "Seed", "Seeds the data, the weights and the shuffling."),
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "heat",
            "Heatmap shows",
            "Per layer and epoch: the gradient on the whole training set, the mean relative step "
            "per SGD update over the epoch, the spread of the layer's outputs, and the share of "
            "(unit, example) pairs where the unit is saturated (or inactive), not the share of "
            "units saturated on every example.",
            tuple(charts.METRICS),
            labels=lambda m: charts.METRICS[m][0],
        ),
    ],
)

lesson.header()
config = panel.draw()
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment("vanishing_gradients", config)
facts = experiment.facts(config, result)
lesson.warnings(facts)
label = ACTIVATIONS[config.activation].label

# ---- main chart: gradient norm per layer at initialization -------------------------------------
show_bound = config.activation == "sigmoid" and not config.batch_norm
lesson.chart(
    lesson.Cached(
        charts.layer_gradients,
        result.at_init,
        bound_label="¼^(L−k) × ‖∂L/∂W_L‖: the σ′ factors alone" if show_bound else None,
        # "1 hidden layer", not "1 hidden layers" (?depth=1; audit pass 56 c)
        title=f"Gradient per layer at initialization: {label}, "
        f"{plural(config.depth, 'hidden layer')}" + (", batch norm" if config.batch_norm else ""),
    )
)
st.caption(
    "Backprop multiplies the error by Wᵀ and by f′(z) once per layer on its way to the input "
    "(with batch norm, also by batch norm's Jacobian). "
    + (
        "The dashed line is ¼ per layer, the most sigmoid's derivatives can pass back; the "
        "weight matrices and the layer inputs (∂L/∂W = aᵀδ) multiply in too, so the bars can "
        "sit above it or below it."
        if show_bound
        else "With sigmoid and no batch norm the chart also draws the ¼-per-layer bound."
    )
)
lesson.reveal_answer(choice, facts)

m1, m2, m3, m4 = st.columns(4)
m1.metric("σ′(0), the largest it gets", decimals(result.sigmoid_at[0.0], 2))
# as the sigmoid-tail sentence prints them (one text function)
m2.metric("σ′(10)", experiment.sigmoid_text(result.sigmoid_at[10.0]))
m3.metric("σ′(20)", experiment.sigmoid_text(result.sigmoid_at[20.0]))
ratio = result.summary["first_last_ratio"]
# a computed 0 is float64's value (tanh at σ = 10: every tanh′ rounds to 0), not a known 0
m4.metric(
    "first ÷ last layer gradient",
    # on the same side of the answer's category edges as the ratio (0.09996 is not "0.1")
    "undefined"
    if ratio != ratio
    else "0 in float64"
    if ratio == 0
    else experiment.ratio_print(config, ratio),
)

# ---- over training --------------------------------------------------------------------------------
st.header("During training")
metric = panel.view("heat")
left, right = st.columns([3, 2], gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.layer_epoch_heatmap,
            result.layers,
            metric=metric,
            title=charts.heatmap_title(charts.METRICS[metric][0], result.layers),
            # the spreads at the digits the "output spread grew/shrank" sentence prints them
            # and the gradients at those from which the answer's per-layer factor follows
            digits=experiment.spread_digits(result)
            if metric == "act_std"
            else experiment.norm_digits(config, result)
            if metric == "grad_norm"
            else 3,
        )
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.split_curves,
            result.curves,
            metric="loss",
            title=experiment.loss_title(config, result),
            y_title="binary cross-entropy",
            # the digits at which the "training loss fell from … to …" sentence prints them apart
            digits=experiment.loss_digits(result),
        )
    )
    lesson.captions(facts, "training")

c1, c2 = st.columns(2, gap="medium")
with c1:
    lesson.chart(
        lesson.Cached(
            charts.depth_sweep_chart,
            result.depth_sweep,
            title="How fast the first layer learns, against depth",
        )
    )
    st.caption(
        "The relative step η‖∂L/∂W₁‖ / ‖W₁‖ that "  # plain-format: η, the setting
        f"{experiment.sweep_step_words()} would take at initialization: an estimate of "
        f"the first SGD update, without clipping (width {config.width}, "
        f"η = {config.learning_rate:g})."
    )
with c2:
    lesson.chart(
        lesson.Cached(
            charts.sigmoid_derivative_chart,
            result.sigmoid_derivative,
            {x: result.sigmoid_at[x] for x in (0.0, 5.0, 10.0, 20.0)},
            title="A saturated sigmoid passes almost nothing back",
        )
    )
    st.caption(
        "σ′(x) = σ(x)(1 − σ(x)), computed here: ¼ at 0, and for large |x| it falls like e^(−|x|)."
    )

# ---- clipping: both regimes -------------------------------------------------------------------------
st.header("Gradient clipping in both regimes")
st.markdown(
    f"Two fixed nets of {experiment.REGIME_DEPTH} hidden layers × {experiment.REGIME_WIDTH} "  # plain-format: η and max norm, the settings
    f"units, SGD with η = {config.learning_rate:g}, clipped to max norm {config.max_norm:g} or "
    "not: **exploding** (ReLU with N(0, 0.6²) weights, 1.7× the He scale in layers 2 to "
    f"{experiment.REGIME_DEPTH}, so on average the signal grows about 1.7× per layer) and "
    "**vanishing** (sigmoid, Xavier init)."
)
for col, regime in zip(st.columns(2, gap="medium"), experiment.REGIMES, strict=True):
    with col:
        lesson.chart(
            lesson.Cached(
                charts.regime_losses,
                result.regimes,
                regime=regime,
                title=f"{regime.capitalize()}: training loss",
            )
        )
        lesson.chart(
            lesson.Cached(
                charts.regime_gradients,
                result.regime_grads,
                regime=regime,
                title=f"{regime.capitalize()}: whole-set gradient per layer, before and after "
                "clipping it",
            )
        )
        lesson.captions(facts, f"regime_{regime}")

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
