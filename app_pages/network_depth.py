"""Lesson: how deep should a network be? Cross-validate depth and width; AIC/BIC; what depth buys."""

import dataclasses
import math

import streamlit as st

from core.experiments import network_depth as experiment
from core.facts import decimals, inside_unit
from ui import controls, lesson
from ui.charts import depth as charts
from ui.controls import Choice, Group, LogSlider, Slider
from ui.runner import run_experiment

# The grids the sidebar offers, spelled as old links spell them ("widths=8%2C+32").
WIDTH_GRIDS = experiment.WIDTH_GRIDS


@dataclasses.dataclass(frozen=True)
class WidthGrid(Choice):
    """A select box over a few named grids of widths (the Config accepts any subset)."""

    def fmt(self, value) -> str:
        return ", ".join(map(str, value))

    def spellings(self, param) -> list[str]:
        return [self.fmt(grid) for grid in WIDTH_GRIDS]

    def parse(self, param, text: str):
        """The offered grid a link spells as ``text``, its widths in any order ("8,32", "32, 8",
        "(8 32)"): a set of widths ("?widths=32,8" was refused; audit pass 54), else None."""
        numbers = controls.numbers_in(text)
        if numbers is None or any(n != int(n) for n in numbers):
            return None
        widths = sorted(int(n) for n in numbers)
        return next((grid for grid in WIDTH_GRIDS if sorted(grid) == widths), None)

    def draw(self, param, default):
        options = list(WIDTH_GRIDS)
        common = dict(format_func=self.fmt, key=self.url_key, help=self.help, bind=controls.BIND)
        return st.selectbox(self.label, options, index=options.index(default), **common)


panel = controls.Panel(
    experiment.Config,
    controls.two_d_data(
        dataset="Two-class 2-D data (core.data.make_classification_2d); 70 % trains (and is "
        "cross-validated), 30 % is held out to check the picks.",
        points=Slider("n_samples", "Points n", "All points before the 70/30 split.", key="n"),
        noise="Standard deviation of the Gaussian noise on the points (half of it for the "
        "spiral): more noise, more overlap.",
        seed="Seeds the data, the folds and every network: same seed, same grid.",
        validate=experiment.check_data,
        priced_apart=True,  # prepare_data caps an upload to its own 6 s, under the 10 s budget
    ),
    Group(
        "Grid",
        Slider(
            "max_depth",
            "Deepest net (hidden layers)",
            "The grid tries 0, 1, …, this many hidden layers.",
            key="depth",
        ),
        WidthGrid(
            "widths",
            "Widths in the grid",
            "Units per hidden layer; every hidden layer of a net has the same width.",
            key="widths",
        ),
        Choice(
            "width",
            "Width for the depth curve and boundaries",
            "The depth curve, the grow rule, the prediction and the decision boundaries use "
            "this width (added to the grid if missing).",
            key="width",
            widget="slider",
        ),
        Slider(
            "folds",
            "Cross-validation folds",
            "KFold(shuffle=True, random_state=seed) on the training split; each model is "
            "trained once per fold and once more on the whole split.",
            key="folds",
        ),
    ),
    Group(
        "Training",
        Slider(
            "epochs", "Epochs", "Full-batch Adam updates per fit (one per epoch).", key="epochs"
        ),
        LogSlider(
            "learning_rate",
            "Learning rate (log scale)",
            "Adam's step size for every net in the grid (the 1-D fits use 0.01).",
            key="lr",
        ),
        Choice(
            "activation",
            "Hidden activation",
            "Sigmoid saturates and shrinks gradients with depth; ReLU and GELU keep them "
            "larger, but narrow deep ReLU stacks can still fail to train (see 'Too deep, too "
            "narrow'). GELU costs the most to compute.",
            key="act",
        ),
        Slider(
            "tolerance",
            "Grow while the CV gain exceeds",
            "The grow rule adds a layer only while the mean CV accuracy rises by more than this "
            "fixed amount (it does not look at the noise; the one-standard-error rule does).",
            key="tol",
            format="%.3f",  # plain-format: the slider's own value
        ),
    ),
    Group(
        "Universal approximation (1-D)",
        Choice(
            "ua_target",
            "Target function",
            "Sawtooth: the tent map composed L times (2^L linear pieces). Sine: L periods.",
            key="ua",
        ),
        Slider(
            "ua_level",
            "Complexity L",
            "Sawtooth: 2^(L−1) teeth; sine: L periods on [0, 1].",
            key="level",
        ),
        Choice(
            "ua_budget",
            "Parameter budget",
            "All three trained nets get at most this many weights and biases.",
            key="budget",
            widget="slider",
        ),
        Slider(
            "ua_depth",
            "Hidden layers of the narrow net",
            "The deep net's width is the largest that fits the budget at this depth.",
            key="uadepth",
        ),
        Slider(
            "ua_epochs",
            "Epochs for the 1-D fits",
            "Full-batch Adam (learning rate 0.01) on 256 evenly spaced points.",
            key="uaepochs",
        ),
    ),
    presets=experiment.PRESETS,
)


lesson.header()
config = panel.draw()
panel.show_data(
    config,
    experiment.prepare_data,
    replaces="the 2-D set chosen in the sidebar for the depth-and-width grid (the 1-D "
    "universal-approximation part below keeps its own target function)",
)
choice = lesson.predict(experiment.PREDICTION)
SPINNER = "Cross-validating the grid…"
result = run_experiment("network_depth", config, data=panel.data, spinner=SPINNER)
facts = experiment.facts(config, result)
lesson.warnings(facts)
grid = result.grid
focus = grid[grid["width"] == config.width].set_index("depth")

# ---- the grid ------------------------------------------------------------------------------------
# the CV means with the decimals at which the one-SE rule read off them agrees with the sentences
places = charts.cv_places(grid, config.width, config.tolerance)
lesson.chart(lesson.Cached(charts.score_heatmap, grid, folds=config.folds, places=places))
st.caption(
    "Labels: the mean accuracy over the folds ± its standard error (the fold scores' sample "
    "standard deviation over √folds). Hover a cell for its parameters, fit time and "
    "training-fold accuracy."
)
lesson.captions(facts, "grid")
lesson.reveal_answer(choice, facts)

left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.depth_curve,
            result.depth_curve,
            width=config.width,
            grow_depth=result.grow_depth,
            bar=experiment.focus_choice(focus)["bar"],
            places=places,
        )
    )
    st.caption(
        "The band is ± one standard error of each depth's mean. The dotted line is the best "
        "mean minus its standard error: the one-standard-error rule keeps the fewest layers "
        "whose mean reaches it."
    )
with right:
    st.markdown("**Grow while validation improves** (start at 1 hidden layer)")
    lesson.table(charts.grow_table(result.grow, config.tolerance, places))
    st.caption(
        f"Add a layer while the mean CV accuracy rises by more than {decimals(config.tolerance, 3)}, a "
        f"fixed tolerance; stop at the first layer that doesn't. {experiment.claims.GAINS_UNROUNDED}"
    )
    lesson.captions(facts, "grow")

lesson.side_by_side(
    lesson.Cached(charts.score_vs_params, grid, places),
    lesson.Cached(charts.time_vs_params, grid),
)

# ---- information criteria -----------------------------------------------------------------------
st.header("AIC and BIC against cross-validation")
picks = result.picks.set_index("criterion")
lesson.chart(
    lesson.Cached(
        charts.criteria_chart, result.criteria, int(picks.loc["cross-validation", "n_params"])
    )
)
# the CV means as the heatmap prints them, the held-out accuracies with the decimals at which the
# criteria sentence compares them with one standard error (Streamlit's 4 decimals put 162 and 158
# of 180 at 0.9000 and 0.8778, more than the "within one standard error (0.022)" apart)
held_places = experiment.held_out_places(result)
picks_table = result.picks.assign(
    width=charts.width_texts(result.picks),
    cv_mean=result.picks["cv_mean"].map(lambda m: decimals(m, places)),
    test_accuracy=result.picks["test_accuracy"].map(lambda a: inside_unit(a, held_places)),
).rename(columns={"cv_mean": "CV accuracy", "test_accuracy": "held-out accuracy", "n_params": "k"})
lesson.table(picks_table)
st.caption(
    f"ln L is the log-likelihood of the {result.n_train} training labels under the model "
    "refitted on the whole training split (ln L = −Σ cross-entropy), after a fixed number of "
    "Adam steps: not the maximum likelihood AIC and BIC assume. k counts every weight and bias. "
    "Held-out accuracy is on the 30 % never used for choosing."
)
lesson.captions(facts, "criteria")

# ---- decision boundaries ------------------------------------------------------------------------
# an upload of other than two features or two classes draws none: the header does not promise
# them above the note that says so (audit pass 55 f)
st.header(
    f"Decision boundaries by depth at width {config.width}"
    if not result.boundaries.empty
    else "Decision boundaries by depth: not drawn for these data"
)
if not result.boundaries.empty:
    for col, depth in lesson.in_columns(sorted(result.boundaries["depth"].unique()), 3):
        with col:
            row = focus.loc[depth]
            lesson.chart(
                lesson.Cached(
                    charts.boundary_panel,
                    result.boundaries[result.boundaries["depth"] == depth],
                    result.points,
                    title=f"depth {depth}: CV {decimals(row['cv_mean'], places)}, "
                    f"{int(row['n_params'])} params",
                )
            )
    st.caption(
        "Shading is P(class 1) from the model refitted on the whole training split (white: 0.5, "
        f"the boundary); {experiment.points_text(result)}, colored by class. Depth 0 (logistic "
        "regression) can only draw a straight line; every hidden layer re-maps the plane once "
        "more, so deeper nets can bend the boundary more often."
    )
lesson.captions(facts, "boundaries")

# ---- universal approximation --------------------------------------------------------------------
st.header("One wide layer or several narrow ones?")
ua = result.ua_summary
target_pieces = ua["target_pieces"].iloc[0]
u1, u2 = st.columns([3, 2], gap="medium")
with u1:
    teeth = 2 ** (config.ua_level - 1)
    what = (
        f"sawtooth with {teeth} {'tooth' if teeth == 1 else 'teeth'}"
        if config.ua_target == "sawtooth"
        else f"sine with {config.ua_level} period{'s' * (config.ua_level > 1)}"
    )
    budget = experiment.ua_budget_text(config.ua_budget, ua)
    lesson.chart(
        lesson.Cached(charts.ua_fits, result.ua_curves, title=f"Fitting a {what}", subtitle=budget)
    )
with u2:
    pieces = None if math.isnan(target_pieces) else target_pieces
    lesson.chart(lesson.Cached(charts.pieces_chart, ua, pieces))
lesson.table(charts.ua_table(ua))
st.caption(
    "The three trained nets use ReLU and full-batch Adam on 256 points, with inputs rescaled to "
    "[−1, 1]; the hand-set net (sawtooth only) is not trained and reads x directly. A ReLU unit "
    "of the first layer bends where w·u + b = 0; `core.mlp` starts every bias at 0, so every "
    "first-layer bend starts at the middle (x = 0.5). 'Spread bends' is the same wide layer "
    "with each bias drawn so its bend starts at a uniform random point; deeper layers add bends "
    "wherever their inputs cross zero. Pieces are counted exactly from the weights (each "
    "bend where a unit's input crosses zero and the output's slope changes), however close "
    "together the bends are. The universal approximation theorem promises that a wide enough "
    "single layer *can* fit; whether training gets there depends on the start."
)
lesson.captions(facts, "ua")

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
