"""Every claim the autodiff lesson can make, with the condition its run must meet (see claims.py)."""

from core.facts import Claim, Claims

CLAIMS = Claims(
    Claim(
        "point_undefined",
        "The loss or its derivative is undefined at the chosen example (the message says where)",
        "evaluating the loss or its gradient at (y_pred, y_true) raised an EvaluationError",
    ),
    Claim(
        "training_stopped",
        "Training with a loss stopped early (undefined values or divergence)",
        "that model's stopped_reason is not empty",
    ),
    Claim(
        "shape_v",
        "The central error shrinks, then grows again below its best step (the prediction's "
        "answer); round-off is named as the cause only when the last error is of its size",
        "read_shape: e(0.1) and e(1e-14) both > 10 x the smallest error (errors below "
        "eps |L'| count as that); round-off named if e(1e-14) <= 100 eps (|L| + |y_pred| |L'|) / h",
    ),
    Claim(
        "shape_keeps_shrinking",
        "The central error falls (overall; 'keeps falling' only when no step rises) down to the "
        "smallest step (the prediction's answer)",
        "e(0.1) > 10 x the smallest, which is at one of the two smallest steps",
    ),
    Claim(
        "shape_levels_off",
        "The central error falls, then stays within 10x of its smallest value (the "
        "prediction's answer)",
        "e(0.1) > 10 x the smallest, the smallest before the last two steps, e(1e-14) <= 10 x it; "
        "'stays within 10x' only if every error after the smallest is, else the largest is named",
    ),
    Claim(
        "shape_only_grows",
        "The central error is within 10x of its smallest already at the largest step and grows "
        "as h shrinks (the prediction's answer)",
        "e(0.1) <= 10 x the smallest and e(1e-14) > 10 x it",
    ),
    Claim(
        "shape_flat",
        "The central error stays within 10x of its smallest value at every step (the "
        "prediction's answer)",
        "e(0.1) and e(1e-14) both <= 10 x the smallest, some error > 0; 'at every step' only if "
        "every error is, else 'at both ends' and the largest is named",
    ),
    Claim(
        "shape_exact",
        "The central difference is exact at every step, or, on a kink, matches autodiff's "
        "convention there (the prediction's answer: it stays the same)",
        "every measured central error is exactly 0; 'matches autodiff's convention' when y_pred "
        "is on a kink (the on_kink condition)",
    ),
    Claim(
        "sweep_unmeasured",
        "The central difference cannot be computed in float64 at most steps (outside the "
        "loss's domain, or overflowing), so its error curve is not read",
        "fewer than 3 finite central errors in the sweep",
    ),
    Claim(
        "sweep_off_autodiff",
        "autodiff's value at the example is a kink convention off L's derivative, so the sweep "
        "measures gaps from it, not the central difference's error: the prediction is not read",
        "a branch switch at y_pred whose one-sided slopes agree, autodiff's value off them "
        "(claims.autodiff_off)",
    ),
    Claim(
        "point_errors",
        "autodiff's derivative at the example and both estimates' errors at the chosen h",
        "always when the point is defined (reports the run); where autodiff's value is a kink "
        "convention (on a kink, or off L's derivative: claims.convention_here) it is not called "
        "∂L/∂ŷ on a kink, and the estimates' distances from it are gaps, not errors",
    ),
    Claim(
        "on_kink",
        "y_pred sits on a kink: the slope jumps, autodiff returns the framework's convention, "
        "a forward difference sees one side and a central difference mixes both",
        "a branch switch is exactly 0 at y_pred, the exact derivatives at y_pred -+ 1e-8 "
        "differ by more than 1e-6 x max(1, |slopes|), and at y_pred -+ 1e-12 by at least half as much "
        "(a jump, not curvature)",
    ),
    Claim(
        "on_breakpoint_smooth",
        "y_pred sits where a function changes branch, but the slopes on both sides agree (L is "
        "differentiable there, or its slope jumps by less than the tolerance)",
        "a branch switch is exactly 0 at y_pred and the derivatives at y_pred -+ 1e-8 agree to "
        "1e-6 x max(1, |slopes|) (absolute below 1); says autodiff is off only if its value "
        "differs from theirs by more; names L″'s jump and the central difference's first-order "
        "error (ΔL″)·h/4 where L″ on the two sides (the slope's change over 1e-5) differs by "
        "more than 1e-3 x max(1, |L″|)",
    ),
    Claim(
        "near_breakpoint",
        "A function changes branch between two sampled distances from y_pred: smaller steps "
        "stay on one branch, larger ones cross it",
        "a branch switch changes sign between y_pred +- near and y_pred +- far (0 < far <= 0.1, "
        "or within the chosen h); the errors are called central ones, the forward difference "
        "said to stay on one branch, when y_pred + h does not reach it by far; a step landing "
        "exactly on it (near = far) is said to have no change of branch, only longer steps one",
    ),
    Claim(
        "sweep_partly_undefined",
        "Some steps of the sweep leave the loss's domain (or overflow): the estimates undefined "
        "there, and only those, are named as missing from the error chart",
        "some sweep error is NaN (undefined, or infinite: run() replaces overflows by NaN); "
        "'steps are missing' only when both differences are undefined at the same steps",
    ),
    Claim(
        "quadratic_here",
        "L' sampled over y_pred +- 0.1 lies on a straight line, and the central difference's "
        "error is round-off-sized at every step of the sweep (no truncation error shows); the "
        "forward difference's truncation error on that line is h·L''/2",
        "no branch switch within 0.1, every exact derivative sampled within 0.1 finite and within "
        "1e-12 of its size from the chord, and its largest distance from the chord at most "
        "eps (|L| + (|y_pred| + 0.1) |L'|) / 0.1 (truncation at most twice the round-off of the "
        "largest step); every central error of the sweep finite and at most 100 eps R / h, and "
        "the forward error at h = 0.1 within 100 eps R / 0.1 (+ 1e-6 of it) of h·|L''|/2",
    ),
    Claim(
        "truncation_slopes",
        "How much each error fell from h = 0.1 to h = 0.01, and the log-log slope",
        "no branch switch within 0.1, L' not straight, both errors finite at both steps",
    ),
    Claim(
        "forward_second_order",
        "L'' is about 0 here, so the forward difference's error falls faster than h",
        "truncation_slopes' condition, |L''| <= 1e-5 max(1, |L'|), 0.1·|L''|/2 under 1 % of the "
        "forward error at h = 0.1 and 0.01·|L''|/2 under 10 % of it at h = 0.01, the forward slope "
        ">= 1.5; h²·L‴/6 named as the leading "
        "term only when 0.1²·|L'''|/6 is at least half of that error (otherwise, when |L'''| > "
        "1e-5 max(1, |L'|, |L''|) or that term is at least 1 % of the error, 'the terms from "
        "h²·L‴/6 on make up the error')",
    ),
    Claim(
        "central_fourth_order",
        "L''' is about 0 here, so the central difference's error falls faster than h²: the next "
        "non-zero term leads (h⁴·L⁽⁵⁾/120 unless L⁽⁵⁾ is 0 too)",
        "truncation_slopes' condition, |L'''| <= 1e-5 max(1, |L'|, |L''|), 0.1²·|L'''|/6 under "
        "1 % of the central error at h = 0.1, 0.01²·|L'''|/6 under 10 % of it at h = 0.01 and the "
        "central slope >= 3",
    ),
    Claim(
        "best_steps",
        "The smallest forward and central errors over the sweep, and their steps",
        "always when both have a finite error somewhere (argmin over the sweep; an error "
        "equal at several steps is named so, not as smallest at one; counted over the steps "
        "where the difference is defined, named as such when some are not); gaps from "
        "autodiff's value, not errors, where it is a kink convention (claims.convention_here)",
    ),
    Claim(
        "theory_steps",
        "Theory's best steps for this point, sqrt(2 eps R / |L''|) and (3 eps R / "
        "|L'''|)^(1/3) with R = max |v| |dL/dv| over y_pred and the values computed from it (the "
        "round-off's size), next to the measured "
        "ones",
        "no branch switch within 0.1, L'' and L''' measured, R != 0, and |L''| or |L'''| above "
        "1e-5 of the scale",
    ),
    Claim(
        "fit_report",
        "Both fitted models' slopes (and, for regression, how many points lie below each line)",
        "both losses trained to the end (reports the run)",
    ),
    Claim(
        "same_loss_same_fit",
        "Your loss equals the reference to a relative 1e-9 at every probe, gradients included, "
        "so the fits take the same steps up to that and round-off and coincide",
        "at all 6 probes |yours / reference - 1| <= 1e-9, gradients proportional, and the "
        "fitted w and b within 1e-6",
    ),
    Claim(
        "scaled_loss_same_fit",
        "Your loss is c x the reference at every probe and Adam ignores a positive constant "
        "factor: the fits coincide",
        "the ratio at all 6 probes is one c > 0, c != 1 (to 1e-9), gradients proportional, and "
        "the fitted w and b within 1e-6",
    ),
    Claim(
        "scaled_loss_other_fit",
        "Your loss is c x the reference at every probe, yet the fits differ",
        "the ratio at all 6 probes is one c != 1 (to 1e-9), gradients proportional, and w or b "
        "differ by more than 1e-6",
    ),
    Claim(
        "same_loss_other_fit",
        "Your loss equals the reference at every probe, yet the fits end apart: the gradients "
        "still differ by round-off, which Adam's scale-free step turns into steps of order eta "
        "where the gradient nears 0",
        "at all 6 probes |yours / reference - 1| <= 1e-9, gradients proportional, and w or b "
        "differ by more than 1e-6",
    ),
    Claim(
        "less_pulled",
        "With outliers in the data, your loss's line ends nearer the clean slope than mse's",
        "regression with outliers, both trained, your line moved from its start, not both slopes under a tenth of the start's distance from 1.5 from their start, the losses not proportional, "
        "|w - 1.5| < |w_mse - 1.5| - 0.05",
    ),
    Claim(
        "more_pulled",
        "With outliers in the data, your loss's line ends farther from the clean slope than mse's",
        "regression with outliers, both trained, your line moved from its start, not both slopes under a tenth of the start's distance from 1.5 from their start, the losses not proportional, "
        "|w - 1.5| > |w_mse - 1.5| + 0.05",
    ),
    Claim(
        "as_pulled",
        "With outliers in the data, your loss's line ends about as far from the clean slope as mse's",
        "regression with outliers, both trained, your line moved from its start, not both slopes under a tenth of the start's distance from 1.5 from their start, the two distances within 0.05, the losses not "
        "proportional",
    ),
    Claim(
        "curves_coincide",
        "At the chosen h the three derivative curves coincide at the chart's scale",
        "every estimate within 1 % of the exact derivative's range on the chart, or of its "
        "largest |value| when that is larger (at every grid point where all three are defined); "
        "a derivative that is 0 on the whole chart is named as such",
    ),
    Claim(
        "curves_apart",
        "At the chosen h an estimate is visibly off the exact derivative (autodiff's, with a "
        "note, where its largest gap sits on a kink convention)",
        "some estimate more than 1 % of the exact derivative's range (or largest |value|, if "
        "larger) away at some grid point; 'the exact derivative' only when no largest gap sits "
        "where the one-sided slopes at -+1e-8 differ or disagree with autodiff's value",
    ),
    Claim(
        "curve_gaps",
        "The loss or its derivative is undefined at some grid points of the curve",
        "curve_undefined > 0",
    ),
    Claim(
        "gradcheck_setup",
        "What the gradient check compares, and the smallest first-layer |pre-activation|",
        "always (reports the run)",
    ),
    Claim(
        "gradcheck_pass",
        "Every weight tensor passes the gradient check",
        "every relative error < 1e-7",
    ),
    Claim(
        "gradcheck_grey_elu_kink",
        "A tensor lands in the grey zone because elu's curvature jumps at the kink the check "
        "straddles (O(h) accurate there)",
        "no error > 1e-2, some in [1e-7, 1e-2], elu with a pre-activation placed at 0",
    ),
    Claim(
        "gradcheck_grey",
        "A tensor lands in the grey zone between 1e-7 and 1e-2 (on a placed kink of relu or "
        "leaky_relu: the loss has no derivative there and backprop returns a convention)",
        "no error > 1e-2, some in [1e-7, 1e-2], not elu on the kink",
    ),
    Claim(
        "gradcheck_fail_kink",
        "Tensors fail the check although backprop has no bug: a pre-activation is close enough "
        "to the kink for the check's two sides to see different slopes (exactly on it, the "
        "loss has no derivative there and backprop returns the activation's convention at 0)",
        "some error > 1e-2, the activation has a kink at 0 and the smallest |pre-activation| "
        "<= 1e-3",
    ),
    Claim(
        "gradcheck_fail_unexplained",
        "Tensors fail the check with no pre-activation near a kink",
        "some error > 1e-2 and not gradcheck_fail_kink's condition",
    ),
    Claim(
        "smooth_activation_on_kink",
        "A smooth activation has no kink: a pre-activation placed at 0 straddles no change "
        "of slope, and every tensor still passes (the moved bias changes the errors)",
        "on_kink with tanh, sigmoid or gelu, and every error < 1e-7",
    ),
)
