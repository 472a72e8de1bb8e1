"""How a shared link's value is read as one of a control's options (ui.controls._option_spelled):
every spelling the page prints or the Config uses, in any numeric form or case, and nothing else."""

import pytest

from tests.app.conftest import open_page
from ui.controls import _option_spelled


def _depth(value) -> str:
    return "unlimited" if value == -1 else str(value)


@pytest.mark.parametrize(
    ("options", "fmt", "text", "read"),
    [
        (("moons", "circles"), str, "Moons", "moons"),  # another case (passes 52 e, g, h)
        ((1, 3, 8, -1), _depth, "Unlimited", -1),  # a label in another case (pass 52 f)
        ((True, False), str, "true", True),  # a flag as a toggle's link spells it (pass 52 a)
        ((False, True), str, "1", True),  # a flag as 1 or 0 (pass 54 e: ?bn=1, ?clip=0)
        ((False, True), str, "0", False),
        ((False, True), str, "2", None),
        ((False, True), str, "Off", False),  # a flag as a switch names its states (pass 56 a)
        ((False, True), str, "on", True),
        (("on", "off"), str, "off", "off"),  # a choice named "off" is that choice, not a flag
        ((0, 1, 2), str, "1", 1),  # numbers stay numbers
        ((0.5, 1.0), str, "0.50", 0.5),  # a number in another form (pass 52 g)
        (("1", "32", "full"), str, "32.0", "32"),  # a string naming a number (pass 52 b)
        (("a", "A"), str, "A", "A"),  # an exact spelling wins over a case-folded one
        (("a", "A"), str, "á", None),
        (("ab", "AB"), str, "Ab", None),  # two options in another case: neither is guessed
        (("moons", "circles"), str, "moon", None),  # no prefix or fuzzy match
    ],
)
def test_a_link_reads_an_option_in_any_spelling_that_names_exactly_one(options, fmt, text, read):
    assert _option_spelled(options, fmt, text) == read


@pytest.mark.parametrize(
    ("lesson", "query", "field", "value"),
    [
        ("loss_functions", {"data": "Moons"}, "dataset", "moons"),
        ("trees", {"deep": "Unlimited"}, "deep_depth", -1),
    ],
)
def test_a_page_runs_a_link_that_spells_an_option_in_another_case(lesson, query, field, value):
    """Passes 52 e, f, g and h: ?data=Moons said "“Dataset” can't be Moons" beside a radio
    offering "moons"; ?deep=Unlimited was refused beside a slider showing "unlimited"."""
    at = open_page(f"app_pages/{lesson}.py", query=query)
    assert not at.exception
    assert not any("can't be" in w.value for w in at.warning), [w.value for w in at.warning]
    runs = at.session_state["_lab_run"]["experiments"]
    assert any(getattr(config, field, None) == value for _, config, *_ in runs), runs


@pytest.mark.parametrize(
    ("lesson", "query", "field", "value"),
    [
        ("autodiff", {"preset": "near-a-kink", "h": "0.1"}, "h", 0.1),
        ("dropout", {"preset": "narrow-net", "q": ["1.0", "0.50"]}, "keep_probs", (1.0, 0.5)),
        ("dropout", {"preset": "narrow-net", "inspect": "0.8"}, None, None),
    ],
)
def test_a_link_that_names_a_preset_still_reads_its_other_values_in_any_spelling(
    lesson, query, field, value
):
    """Audit pass 53 b: a preset named in the link set every widget before the link's other
    values were read, so a value in another spelling than the widget's was refused ("so it
    shows the preset's values instead: “Finite-difference step h (log scale)” can't be 0.1")
    though the same link without the preset, or the widget's own spelling with it, is read."""
    at = open_page(f"app_pages/{lesson}.py", query=query)
    assert not at.exception
    assert not any("can't be" in w.value for w in at.warning), [w.value for w in at.warning]
    if field is not None:
        runs = at.session_state["_lab_run"]["experiments"]
        assert any(getattr(config, field, None) == value for _, config, *_ in runs), runs


@pytest.mark.parametrize(
    ("page", "query", "key", "read"),
    [
        ("autodiff", {"seed": "3.0"}, "seed", 3),
        ("autodiff", {"seed": "1e1"}, "seed", 10),
        ("autodiff", {"seed": "3.5"}, "seed", None),  # no whole number: still refused
        ("quiz", {"quiz_seed": "3.0"}, "quiz_seed", 3),
        ("quiz", {"quiz_seed": "-1"}, "quiz_seed", None),  # below the box's least: refused
    ],
)
def test_a_link_may_spell_a_seed_as_any_number_naming_a_whole_one(page, query, key, read):
    """Audit pass 53 b: ?seed=3.0 said "“Seed” can't be 3.0" and ran seed 0 (?quiz_seed=3.0
    "“quiz_seed” can't be 3.0"), though the seed box offers 3 and ?seed=0.0 was read as 0."""
    at = open_page(f"app_pages/{page}.py", query=query)
    assert not at.exception
    refused = [w.value for w in at.warning if "can't be" in w.value]
    if read is None:
        assert refused
        return
    assert not refused, refused
    assert at.sidebar.number_input(key=key).value == read
    if page == "quiz":
        return
    (run,) = at.session_state["_lab_run"]["experiments"]
    assert run[1].seed == read


def test_a_refused_quiz_seed_is_named_by_its_label():
    """Audit pass 53 b (not counted): the notice named the quiz seed by its URL key,
    "“quiz_seed” can't be -1", beside a box labelled "Quiz seed"."""
    at = open_page("app_pages/quiz.py", query={"quiz_seed": "-1"})
    # with the minus sign, as every number on the page (audit pass 68 d)
    assert any("“Quiz seed” can't be −1" in w.value for w in at.warning), at.warning


@pytest.mark.parametrize("spelled", ["5", "5.0"])
def test_a_link_that_names_a_preset_still_reads_its_seed(spelled):
    """Audit pass 53 b: ?preset=mae&seed=5 said "so it shows the preset's values instead:
    “Seed” can't be 5" and ran the preset's seed 0: the seed box reads a link only on its first
    draw, and the preset had just set it."""
    at = open_page("app_pages/autodiff.py", query={"preset": "mae", "seed": spelled})
    assert not at.exception
    assert not any("can't be" in w.value for w in at.warning), [w.value for w in at.warning]
    (run,) = at.session_state["_lab_run"]["experiments"]
    assert run[1].seed == 5
    assert run[1].expression == "mean(abs(y_pred - y_true))"  # the preset's loss


def test_a_link_that_names_a_preset_still_reads_a_start_slider():
    """Audit pass 53 b: ?preset=nudged-off-the-stable-line&x0=1 said "so it shows the preset's
    values instead: “Start x” can't be 1" and ran the preset's start x = −1.8 (the start sliders
    read their link only on their first draw, which the preset had made); a value out of range
    is still refused."""
    query = {"preset": "nudged-off-the-stable-line", "x0": "1"}
    at = open_page("app_pages/optimizers.py", query=query)
    assert not at.exception
    assert not any("can't be" in w.value for w in at.warning), [w.value for w in at.warning]
    runs = at.session_state["_lab_run"]["experiments"]
    assert (runs[0][1].start_x, runs[0][1].start_y) == (1.0, 0.001)
    at = open_page("app_pages/optimizers.py", query={**query, "x0": "99"})
    assert any("“Start x” can't be 99" in w.value for w in at.warning)
    assert at.session_state["_lab_run"]["experiments"][0][1].start_x == -1.8


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("8,32", [8, 32]),
        ("32, 8", [32, 8]),  # network depth's ?widths=32,8 (audit pass 54)
        ("(8 32)", [8, 32]),
        ("[8.0,32]", [8, 32]),
        ("8,x", None),
        ("", None),
        (" , ", None),
    ],
)
def test_a_link_lists_numbers_split_by_commas_or_spaces(text, numbers):
    from ui.controls import numbers_in

    assert numbers_in(text) == numbers


def test_options_labelled_by_other_numbers_are_read_by_their_labels_only():
    """The loss page's true class (value 0 labelled "1"): ?cls=0 and ?cls=1 both ran class 1,
    the first by its value, the second by its label; ?cls=0 names no class the page offers
    (audit pass 57 e)."""
    label = lambda c: str(c + 1)  # noqa: E731 (as app_pages/loss_functions.py labels it)
    assert _option_spelled((0, 1, 2), label, "0") is None
    assert [_option_spelled((0, 1, 2), label, t) for t in ("1", "2", "3", "3.0")] == [0, 1, 2, 2]
    at = open_page("app_pages/loss_functions.py", query={"cls": "0"})
    (radio,) = [r for r in at.radio if r.key == "cls"]
    assert radio.value == 0
    assert any("“True class” can't be 0" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("key", "link", "ran"),
    [("draws", "150", 100), ("xsd", "0.15", 0.1)],
)
def test_a_link_between_a_sliders_steps_runs_on_a_step_and_says_so(key, link, ran):
    """?draws=150 ran 150 draws under a slider stepping by 100, and ?xsd=0.15 ran 0.1, both
    without a word (audit pass 57 e)."""
    at = open_page("app_pages/attention.py", query={key: link})
    (slider,) = [s for s in at.slider if s.key == key]
    assert slider.value == ran
    notes = [i.value for i in at.info if "steps" in i.value]
    assert len(notes) == 1 and f"{link} runs as {ran:g}" in notes[0], notes


@pytest.mark.parametrize(("link", "ran"), [("2.9", 3), ("2.1", 2)])
def test_a_link_between_an_integer_sliders_steps_runs_on_the_nearest_and_says_so(link, ran):
    """Streamlit's binding truncates ?n=2.9 to 2: the backpropagation page ran 2 updates under
    "2 updates with η = 0.05 reach …" without a word, and its share link carried n=2 (audit
    pass 58 h)."""
    at = open_page("app_pages/backpropagation.py", query={"n": link})
    (slider,) = [s for s in at.slider if s.key == "n"]
    assert slider.value == ran
    notes = [i.value for i in at.info if "steps" in i.value]
    assert len(notes) == 1 and f"{link} runs as {ran}" in notes[0], notes
    assert any(f"&n={ran}" in c.value or f"?n={ran}" in c.value for c in at.sidebar.code)


def test_a_link_value_refused_beside_one_snapped_is_still_named():
    """The snap's second run read the address the binding had left: ?x1=2.03&lr=0.08 said only
    "“Input x₁” 2.03 runs as 2" and ran η = 0.05 without a word (audit pass 58 h)."""
    at = open_page("app_pages/backpropagation.py", query={"x1": "2.03", "lr": "1e9"})
    assert any("“Input x₁” 2.03 runs as 2" in i.value for i in at.info)
    refused = [w.value for w in at.warning if "could not use" in w.value]
    assert len(refused) == 1 and "“Learning rate η (log scale)” can't be 1e9" in refused[0]


@pytest.mark.parametrize(
    ("page", "query", "named"),
    [
        # a switch: said only "“Causal mask” can't be maybe" (audit pass 71 e)
        ("app_pages/attention.py", {"causal": "maybe"}, "“Causal mask” can't be maybe (it offers"),
        # pills: said only "“Batch sizes to train” can't be 20" (audit pass 71 e)
        (
            "app_pages/batch_size.py",
            {"bs": "20", "epochs": "1"},
            "“Batch sizes to train” can't be 20 (it offers B = 1, B = 8",
        ),
    ],
)
def test_a_refused_switch_or_pills_value_names_the_options(page, query, named):
    """As a choice's refusal does (audit pass 67 h, 70 g): a switch's and a pills control's."""
    at = open_page(page, query=query, timeout=300)
    notes = [w.value for w in at.warning if "could not use" in w.value]
    assert notes and named in notes[0], notes


@pytest.mark.parametrize(
    ("query", "named"),
    [
        # a view: said only "“Compare against” can't be foo" (audit pass 71 e)
        ({"xaxis": "foo"}, "“Compare against” can't be foo (it offers epochs, updates, wall time)"),
        ({"xaxis": ""}, "“Compare against” can't be empty (it offers epochs, updates, wall time)"),
        # a preset: said only "it has no preset “foo”" (audit pass 71 e)
        ({"preset": "foo"}, "it has no preset “foo” (it offers “Same learning rate for every"),
    ],
)
def test_a_refused_view_or_preset_names_the_options(query, named):
    at = open_page("app_pages/batch_size.py", query={"epochs": "1", **query}, timeout=300)
    notes = [w.value for w in at.warning if "could not use" in w.value]
    assert notes and named in notes[0], notes
