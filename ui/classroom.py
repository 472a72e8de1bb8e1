"""Classroom tools on every page: the run's shareable state, a link, reset to defaults, presenter mode."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import streamlit as st

from core.facts import minus
from ui.text import plain

# Parameters the lab itself reads from the URL besides the widgets of the current page (a
# learner's private code, a class's join code and a student's seat: ui.study, ui.polls).
RESERVED = (
    "present",
    "preset",
    "quiz_seed",
    "reveal",
    "learner",
    "class",
    "seat",
    "join",
    "host",
)
# Reserved parameters a Share box never copies: the preset (its settings are in the link), and
# a visitor's own membership and codes (a class seat, a host's key, a learner's private code).
NOT_SHARED = ("preset", "class", "seat", "join", "host", "learner")
# {URL key: (a link's value off a slider's grid, the grid value the page ran)}: the URL keeps the
# link's text (a bound slider's parameter can't be set), so the share link spells the grid value
SNAPPED_LINKS = "_lab_snapped_links"
# The URL as the link came in, kept over the run ui.controls.Panel._snap starts again at once
KEPT_LINK = "_lab_kept_link"
_STATE = "_lab_run"
_KEYS = "_lab_widget_keys"


def start_run(page: str | None = None) -> None:
    """Forget the previous run's widgets and experiments; remember the URL as it came in.

    ``page`` is the URL path of the page about to run. When it differs from the previous run's
    (the visitor moved to another lesson in the same session), every lesson setting kept in the
    session is dropped first: lessons reuse names such as ``noise`` or ``n`` with other ranges
    and meanings, and a value carried over from another lesson would either be out of this
    page's range (an error) or silently change its experiment. Streamlit itself starts the new
    page's URL without the old page's parameters, so the URL is left alone (changing it here
    would add a browser-history entry and break the Back button); only presenter mode is put
    back, since it belongs to the session. A deep link is a session's first run, so its
    parameters are kept.
    """
    previous = st.session_state.get(_STATE)
    if previous and page is not None and previous.get("page") not in (None, page):
        for key in st.session_state.get(_KEYS, ()):
            st.session_state.pop(key, None)
        # Parameters a page keeps in the URL by hand (the seed, a slider whose range moves)
        # are not bound to a widget, so a page change may leave them behind; a browser's page
        # change has already dropped them, and then this changes nothing.
        for key in previous.get("unbound", ()):
            st.query_params.pop(key, None)
        if previous.get("present") and not presenting():
            # Presenter mode belongs to the session, not to one lesson: an instructor moving on
            # keeps it (Streamlit's page change would drop the parameter with the rest).
            st.query_params["present"] = "1"
    # the run ui.controls.Panel._snap starts again reads the link as it came in: the binding
    # already dropped the values it refused (?x1=2.03&lr=0.08 said only "“Input x₁” 2.03 runs
    # as 2" and ran η = 0.05 unsaid; audit pass 58 h)
    kept = st.session_state.pop(KEPT_LINK, None)
    url_params = {k: st.query_params.get_all(k) for k in st.query_params}
    if kept is not None and kept[0] == page:
        url_params = kept[1]
    st.session_state[_STATE] = {
        "page": page,
        "present": presenting(),
        "widgets": {},
        "shown": {},
        "experiments": [],
        "url_params": url_params,
    }


def keep_link_for_rerun() -> None:
    """Called by ui.controls before it starts the run again at once: the next run reads the
    link's values as this run got them (:func:`link_values`, the notice's refused values)."""
    state = _run_state()
    st.session_state[KEPT_LINK] = (state.get("page"), state["url_params"])


def link_values(key: str) -> list[str]:
    """The values this run's link gave ``key`` as it came in ([] for none)."""
    return list(_run_state()["url_params"].get(key, []))


def current_page() -> str | None:
    """The URL path of the page this run draws (set by the router's ``start_run``)."""
    return _run_state().get("page")


def _run_state() -> dict:
    if _STATE not in st.session_state:
        start_run()
    return st.session_state[_STATE]


def register_widget(
    key: str,
    default,
    shown: str | Sequence[str] | None = None,
    *,
    bound: bool = True,
    label: str | None = None,
    offered: Sequence[str] | None = None,
    span: str | None = None,
) -> None:
    """Called by every ui.controls helper: the key is part of this page's shareable state.

    ``shown`` is how a link spells the default when the widget shows its options through a
    format function (``"constant η"`` for ``"constant"``); without it, the default is compared
    by value. A link that spells out the default is then not reported as invalid, although
    Streamlit drops it from the URL like an invalid one. ``bound`` is False for a widget that
    keeps its URL parameter by hand (the seed input): Reset deletes that parameter itself, while
    a parameter bound to a widget can only change through the widget's session state.
    ``label`` names the control in the notice about a link's unusable values; ``offered`` lists
    how a link may spell each value of a control drawn later in the page (a view), so a value it
    does not offer is reported before the control is drawn; ``span`` the range that notice
    names beside a refused value ("its slider runs from −5 to 5", or, for a slider whose range
    follows other settings, "with this link's other settings its slider runs from −2 to 2").
    """
    state = _run_state()
    state["widgets"][key] = default
    state.setdefault("labels", {})[key] = label or key
    if offered is not None:
        state.setdefault("offered", {})[key] = list(offered)
    if span is not None:
        state.setdefault("spans", {})[key] = span
    if not bound:
        state.setdefault("unbound", set()).add(key)
    if isinstance(shown, str):
        shown = [shown]
    state["shown"][key] = None if shown is None else list(shown)
    # Every lesson setting this session has shown, hidden ones included (a widget skipped by an
    # early st.stop() keeps its value): all are dropped when the visitor changes lessons.
    st.session_state.setdefault(_KEYS, set()).add(key)


def not_in_link(what: str, *, tail: str | None = None) -> None:
    """Something this page's result depends on that its share link does not carry (the quiz's
    topics, an uploaded file): the Share caption names it instead of promising the exact setup.
    ``tail`` replaces the caption's closing ": the link does not carry it, so set it again after
    opening it" where no control sets it (the weights the backprop page's buttons reached;
    audit pass 62 b)."""
    left_out = _run_state().setdefault("not_in_link", [])
    if what not in left_out:
        left_out.append(what)
    if tail is not None:
        _run_state()["not_in_link_tail"] = tail


def share_caption(left_out: Sequence[str] = (), tail: str | None = None) -> str:
    """The Share box's caption: the exact settings and seed, or, when the page depends on
    something the link does not carry (:func:`not_in_link`), which."""
    head = "Copy this link (icon at the right of the box): it opens this page with "
    if not left_out:
        return head + "these exact settings and seed."
    from core.facts import listing

    it = "it" if len(left_out) == 1 else "them"
    if tail is None:
        tail = f": the link does not carry {it}, so set {it} again after opening it"
    return head + "this seed and these settings, but not " + listing(list(left_out)) + tail + "."


def experiments() -> list[tuple]:
    """(module name, config, result, uploaded-data record) of every run this page made."""
    return _run_state()["experiments"]


def register_experiment(module_name: str, config, result, data: dict | None = None) -> None:
    """Called by ui.runner after a run: what the export footer offers.

    ``data`` describes uploaded data the run used (``ui.upload.spec_of``: file name, target,
    features, task, seed), so the snippet loads the same file instead of the bundled set.
    """
    _run_state()["experiments"].append((module_name, config, result, data))


# How a link spells a flag, in any case: what every switch of a lesson reads (ui.controls'
# _option_spelled) and the lab's own link flags (?present=True and ?present=on opened without
# presenter mode, unsaid: audit pass 61 g). A lab flag with any other value is refused, and the
# link notice says so (?present=yes, ?reveal=on; audit pass 62 g); an empty one reads off.
FLAG_WORDS = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}
# the flags the lab reads from a link besides a page's widgets, with their names in the notice
LINK_FLAGS = {"present": "Presenter mode", "reveal": "Show results without a prediction"}


def link_flag(key: str) -> bool:
    """True where the link's ``key`` reads on (1, true or on in any case)."""
    return FLAG_WORDS.get(str(st.query_params.get(key, "")).strip().casefold(), False)


def presenting() -> bool:
    """True in presenter mode (``?present=1``, ``true`` or ``on``, or the sidebar toggle)."""
    return link_flag("present")


def _refused_flags(before: dict) -> list[str]:
    """The lab's link flags whose value in the link reads neither on nor off."""
    return [
        k
        for k in LINK_FLAGS
        if k in before
        and not all(str(v).strip().casefold() in [*FLAG_WORDS, ""] for v in before[k])
    ]


def page_config_sidebar_state() -> str:
    """Collapsed in presenter mode; otherwise open on a wide screen and closed on a phone
    (Streamlit's "auto"), so a phone's first screen shows the lesson, not the controls."""
    return "collapsed" if presenting() else "auto"


def _reset_defaults(defaults: dict, unbound: set) -> None:
    """Put every control of the page back to its default (a button callback, before the rerun).

    A widget bound to the URL can't have its parameter deleted (Streamlit raises); setting its
    session state to the default makes the widget drop the parameter itself.
    """
    for key, default in defaults.items():
        st.session_state[key] = default
        if key in unbound:
            st.query_params.pop(key, None)
    st.query_params.pop("preset", None)
    st.session_state.pop("_lab_preset", None)


def _toggle_presenter() -> None:
    if st.session_state.get("_lab_present_toggle"):
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def share_url(base_url: str | None, params: dict) -> str:
    """The page's address with its non-default settings as query parameters."""
    base = (base_url or "").split("?")[0]
    path = urlsplit(base).path if base.startswith("http") else base
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    shown = base if base else path
    return f"{shown}?{query}" if query else shown


def register_hidden(key: str) -> None:
    """Called by ui.controls for a control this run does not draw because the page's other
    settings hide it (the loss-functions lesson's logits when the scores are set as
    probabilities): the key is a setting of this page, unused at these settings, so a link's
    value for it is not reported as a setting the page does not have (audit pass 49 f:
    ?mode=probabilities&z1=-3, or a learner switching to probabilities after moving z1, read
    "this page has no setting “z1”")."""
    _run_state().setdefault("hidden", set()).add(key)


def register_respelled(key: str, spelled: str | list[str]) -> None:
    """Called by ui.controls for a link's value that is one of a select widget's options in
    another spelling (?h=1e-5 for the slider's "1e-05"): the page runs that option, so the value
    is not reported as one it could not use, and this run's share link spells it as the widget
    does (Streamlit's binding drops a spelling it does not read from the URL; audit pass 51 b)."""
    _run_state().setdefault("respelled", {})[key] = spelled


def ignored_parameters() -> tuple[list[str], list[str]]:
    """(unknown, invalid) URL parameters of this run: unknown names, and values the widgets refused."""
    state = _run_state()
    widgets = state["widgets"]
    before = state["url_params"]
    after = set(st.query_params)
    flags = _refused_flags(before)
    if not widgets:  # a page without lab widgets (home) reads no parameters
        unknown = [k for k in before if k not in RESERVED]
        return unknown, flags
    hidden = state.get("hidden", set())
    unknown = [k for k in before if k not in widgets and k not in RESERVED and k not in hidden]
    offered = state.get("offered", {})
    respelled = state.get("respelled", {})
    # a link's value off its slider's steps runs the nearest step (link_notice says so); one that
    # lands on the default leaves the URL like a refused value, but it was used, not refused
    # (?t=1.04 on the regularization page read "can't be 1.04, so it shows its default" beside
    # "1.04 runs as 1"; audit pass 59 d)
    snapped = {
        k
        for k, (link, ran) in st.session_state.get(SNAPPED_LINKS, {}).items()
        if link != ran and before.get(k) == [link]
    }
    invalid = [
        k
        for k in before
        if k in widgets
        and k not in respelled
        and k not in snapped
        and (
            # a view takes one option: ?xaxis=update&xaxis=epoch showed the default unsaid
            # (audit pass 68 d)
            len(before[k]) > 1 or not set(before[k]) <= set(offered[k])
            if k in offered
            else k not in after
            and not _spells_default(before[k], widgets[k], state["shown"].get(k))
        )
    ]
    return unknown, invalid + flags


def link_notice() -> None:
    """A visible notice when the link had settings the page could not use, naming each."""
    state = _run_state()
    if state.get("notice_drawn"):
        return
    state["notice_drawn"] = True
    labels = state.get("labels", {})
    # a page runs one preset: ?preset=a&preset=b ran b and said nothing of a (audit pass 67 h)
    presets = list(dict.fromkeys(state["url_params"].get("preset", [])))
    if len(presets) > 1:
        st.warning(
            f"**This link names {len(presets)} presets** ("
            + ", ".join(f"“{plain(p, 40)}”" for p in presets)
            + f"); a page runs one: it ran the last, “{plain(presets[-1], 40)}”.",
            icon=":material/link_off:",
        )
    # a value off its slider's steps runs the nearest step (ui.controls.Panel._snap): said, not
    # silent (?xsd=0.15 ran an embedding SD of 0.1 and ?draws=150 150 draws off the slider's
    # steps, with no word; audit pass 57 e)
    snapped = [
        f"“{labels.get(k, k)}” {plain(link, 40)} runs as {ran}"
        for k, (link, ran) in st.session_state.get(SNAPPED_LINKS, {}).items()
        # an integer slider's binding writes its value over the link's (?n=2.9 became n=2):
        # said on the run that read the link
        if link != ran and (st.query_params.get(k) == link or state["url_params"].get(k) == [link])
    ]
    if snapped:
        one = len(snapped) == 1
        st.info(
            f"**This link asked for {'a value' if one else 'values'} between "
            + ("its slider's" if one else "their sliders'")
            + f" steps**, so the page runs "
            f"{'it' if one else 'each'} on a step: " + "; ".join(snapped) + ".",
            icon=":material/straighten:",
        )
    unknown, invalid = ignored_parameters()
    labels = state.get("labels", {})
    before = state["url_params"]
    spans = state.get("spans", {})
    widgets = state["widgets"]
    problems = [
        _refused(
            labels.get(k, LINK_FLAGS.get(k, k)),
            before[k],
            spans.get(k),
            one=k in widgets and not isinstance(widgets[k], (list, tuple)),
        )
        for k in invalid
    ]
    names = [f"this page has no setting “{plain(k, 40)}”" for k in unknown]
    preset = st.session_state.pop("_lab_unknown_preset", None)
    if preset is not None:
        offered = st.session_state.pop("_lab_preset_names", "")
        problems.append(
            f"it has no preset “{plain(preset, 40)}”"
            + (f" (it offers {offered})" if offered else "")
        )
    if invalid and names:
        # a name the page does not have is ignored, not shown at a default: ?epochs=5000&foo=1
        # said "so it shows their defaults instead: “Epochs” can't be 5000; this page has no
        # setting “foo”" (audit pass 56 f); each kind gets its own clause
        named = bool(before.get("preset")) and preset is None
        one = len(problems) == 1
        shows = (
            f"the preset's {'value' if one else 'values'}"
            if named
            else ("its default" if one else "their defaults")
        )
        ignored = "it" if len(names) == 1 else "them"
        st.warning(
            "**This link asked for settings the page could not use**: "
            + "; ".join(problems)
            + f", so it shows {shows} instead; "
            + "; ".join(names)
            + f", so it ignored {ignored}.",
            icon=":material/link_off:",
        )
        return
    problems += names
    if problems:
        # a preset the link names sets every field: a refused value then shows the preset's, not
        # the default (?preset=saturated-start-z-8&z0=50 showed z₀ = −8 under "their defaults",
        # where the default is −6: audit pass 47 h)
        named = bool(before.get("preset")) and preset is None
        one = len(problems) == 1
        # a name the page does not have has no default to show: it is ignored (?foo=1 said "so
        # it shows their defaults instead: this page has no setting “foo”"); one setting is "a
        # setting" with "its default" (audit pass 54 c)
        if not invalid and preset is None:
            so = f"so it ignored {'it' if one else 'them'}"
        elif not invalid:
            so = "so it shows the page's defaults instead"
        elif named:
            so = f"so it shows the preset's {'value' if one else 'values'} instead"
        else:
            so = f"so it shows {'its default' if one else 'their defaults'} instead"
        st.warning(
            f"**This link asked for {'a setting' if one else 'settings'} the page could not "
            f"use**, {so}: " + "; ".join(problems) + ".",
            icon=":material/link_off:",
        )


def _refused(label: str, values: list[str], span: str | None, *, one: bool) -> str:
    """A refused link value for the notice: "“Seed” can't be −1 (…)", its sign printed "−" (the
    link's "-1" echoed with an ASCII hyphen; audit pass 68 d), the range it can be beside it (?yp=9
    said only "can't be 9", audit pass 65 d; ?surface=quadratic_saddle&x0=4.5 "“Start x” can't be
    4.5", a start the Himmelblau surface takes, audit pass 65 g). ``one``: the control takes one
    value, so a link giving it several is refused for that, not for the values (?lr=1&lr=2 said
    "can't be 1, 2 (its slider runs from 0.0001 to 2)" of two values inside that range; audit
    pass 68 d)."""
    # an empty value is named so ("?depth=" said "“Deepest net (hidden layers)” can't be  (its
    # slider runs from 1 to 8)", the value missing; audit pass 69 f)
    shown = minus(plain(", ".join(v if v.strip() else "(empty)" for v in values), 40))
    if one and len(values) > 1:
        return f"“{label}” takes one value, and the link gives it {len(values)} ({shown})"
    if not any(v.strip() for v in values):
        shown = "empty"
    return f"“{label}” can't be {shown}" + (f" ({span})" if span else "")


def link_text(value: float) -> str:
    """A number as a link spells it: "0.15", "3", "1e-05" (the shortest ``:g`` form)."""
    return f"{value:g}"  # plain-format: URL value


def _ran(value) -> str | None:
    """A slider's value as a snapped link's record spells it (:func:`link_text`), else None."""
    return link_text(value) if isinstance(value, (int, float)) else None


def _spells_default(values: list[str], default, shown: list[str] | None) -> bool:
    """True when a link's values for a widget are its default (Streamlit drops those too)."""
    if shown is not None:
        return values == shown
    defaults = list(default) if isinstance(default, (list, tuple)) else [default]
    try:
        return len(values) == len(defaults) and all(
            float(v) == float(d) for v, d in zip(values, defaults, strict=True)
        )
    except (TypeError, ValueError):
        return values == [str(d) for d in defaults]


def sidebar_tools() -> None:
    """Share, reset and presenter controls in the sidebar, once per run.

    A lesson's panel draws them right after its controls, before anything can stop the page (a
    refused setting, a prediction not yet made), so they are always there; the router draws them
    after any other page has run.
    """
    state = _run_state()
    if state.get("tools_drawn"):
        # the router's call, after the page ran: the Share caption again, with what the page
        # found its link does not carry after its panel was drawn (the weights the
        # backpropagation lesson's buttons reached)
        caption = state.pop("share_caption", None)
        if caption is not None:
            caption.caption(
                share_caption(state.get("not_in_link", ()), state.get("not_in_link_tail"))
            )
        return
    state["tools_drawn"] = True
    widgets = state["widgets"]
    with st.sidebar:
        st.toggle(
            "Presenter mode",
            value=presenting(),
            key="_lab_present_toggle",
            on_change=_toggle_presenter,
            help="Bigger chart fonts for a projector, long text folded away, sidebar collapsed "
            "when the link is opened. Adds present=1 to the link.",
        )
        if widgets:
            # the page's settings only: not a class seat, a host's key or a learner's private
            # code (a student's Share box carried ?class=...&seat=..., so whoever opened it
            # answered the class's polls as that student; audit 42g)
            params = {k: st.query_params.get_all(k) for k in st.query_params if k not in NOT_SHARED}
            for key, (link, ran) in st.session_state.get(SNAPPED_LINKS, {}).items():
                # or the value an integer slider's binding truncated it to (?n=2.9 left n=2 in
                # the address while the page ran 3; audit pass 58 h)
                if params.get(key) == [link] or (
                    key in params and _ran(st.session_state.get(key)) == ran
                ):
                    params[key] = [ran]
            for key, spelled in state.get("respelled", {}).items():
                spelled = spelled if isinstance(spelled, list) else [spelled]  # pills: a list
                if spelled != state["shown"].get(key):  # a default stays out of the link
                    params[key] = spelled
            with st.expander("Share this setup", icon=":material/link:"):
                state["share_caption"] = st.empty()
                state["share_caption"].caption(
                    share_caption(state.get("not_in_link", ()), state.get("not_in_link_tail"))
                )
                st.code(share_url(st.context.url, params), language=None, wrap_lines=True)
            st.button(
                "Reset to defaults",
                icon=":material/restart_alt:",
                on_click=_reset_defaults,
                args=(dict(widgets), set(state.get("unbound", ()))),
                key="_lab_reset",
                width="stretch",
            )


# A projector at 1280x720: larger text, but a compact top (less padding, a smaller title) so
# the main chart starts on the first screen; metric values keep their size in narrow columns.
PRESENTER_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.3rem; padding: 0 0 0.4rem 0; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
[data-testid="stMetricValue"] > div { font-size: 2rem; }
</style>
"""

# Chart fonts for a projector (Vega-Lite config; Streamlit keeps a chart's own config).
PRESENTER_CHART_CONFIG = {
    "axis": {"labelFontSize": 16, "titleFontSize": 18},
    # labelLimit 0: a larger label is never cut to "● s"
    "legend": {"labelFontSize": 16, "titleFontSize": 16, "symbolSize": 200, "labelLimit": 0},
    "title": {"fontSize": 20},
    "header": {"labelFontSize": 16, "titleFontSize": 18},
}


def presenter_styles() -> None:
    """Larger text for a projector."""
    st.html(PRESENTER_CSS)
