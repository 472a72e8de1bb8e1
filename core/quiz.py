"""Interview drill: randomized questions whose answers are computed by the lab's own core."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from core import mlp, optim
from core.activations import ACTIVATIONS
from core.facts import cleaned, decimals, inside_unit, minus, num, read
from core.losses import LOSSES, softmax
from core.question import REL_TOL, Question  # noqa: F401 (REL_TOL: re-exported, the quiz page reads it)
from core.train import penalty


def _round(x: float, digits: int = 2) -> float:
    return float(np.round(x, digits))


def is_(value: float, text: str) -> str:
    """``= text`` where ``text`` is ``value`` exactly (up to float64's round-off, as the printers
    read it: core.facts.cleaned), else ``≈ text``: never "3 / 0.9 = 3.33" (audit pass 56 f),
    while "0.5 × 6.5 = 3.25" keeps its "="."""
    exact = cleaned(Decimal(repr(float(value))), 15)
    try:
        shown = read(text)
    except InvalidOperation:  # "1 − 4e-05" and the like: a rounded printing
        return "≈ " + text
    return ("=" if shown == exact else "≈") + " " + text


def cross_entropy_question(rng: np.random.Generator) -> Question:
    k = int(rng.integers(3, 5))
    probs = rng.dirichlet(np.ones(k) * 2.0).round(2)
    # Every shown probability is at least 0.01, so -ln p is finite whichever class is true
    # (a 0.00 made the answer inf, which no input can match); draws without a 0.00 are unchanged.
    probs[:-1] = np.maximum(probs[:-1], 0.01)
    probs[-1] = round(1.0 - probs[:-1].sum(), 2)
    if probs[-1] <= 0.01:
        probs = np.full(k, round(1.0 / k, 2))
        probs[-1] = round(1.0 - probs[:-1].sum(), 2)
    true = int(rng.integers(0, k))
    logits = np.log(probs)[None, :]
    value = LOSSES["cross_entropy"].fn(logits, np.array([true]))
    shown = ", ".join(decimals(p, 2) for p in probs)
    return Question(
        "cross-entropy",
        f"A classifier outputs probabilities **[{shown}]** and the true class is "
        f"**{true}** (counting from 0). What is the cross-entropy loss (natural log)?",
        value,
        f"With a one-hot label, L = −log p(true class) = −ln {decimals(probs[true], 2)} "
        f"{is_(value, decimals(value, 3))}.",
        "loss_functions",
        unit="nats",
    )


def sigmoid_derivative_question(rng: np.random.Generator) -> Question:
    z = float(rng.choice([-4.0, -2.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0]))
    value = float(ACTIVATIONS["sigmoid"].grad(np.array(z)))
    s = float(ACTIVATIONS["sigmoid"].fn(np.array(z)))
    # the factors with digits enough that their printed product is the printed value
    # (not "0.9933 × 0.0067 = 0.0066": that product is 0.00666)
    d = next(
        (
            d
            for d in range(4, 12)
            if decimals(float(decimals(s, d)) * float(decimals(1 - s, d)), 4) == decimals(value, 4)
        ),
        12,
    )
    # "=" only where both printed factors are σ and 1 − σ exactly (z = 0: 0.5 × 0.5)
    exact = all(is_(v, decimals(v, d)).startswith("=") for v in (s, 1 - s))
    factors = f"{'=' if exact else '≈'} {decimals(s, d)} × {decimals(1 - s, d)}"
    return Question(
        "sigmoid'",
        f"What is the derivative of the sigmoid σ(z) = 1 / (1 + e^(−z)) at **z = {num(z, 6)}**?",
        value,
        f"σ′(z) = σ(z)(1 − σ(z)) {factors} {is_(value, decimals(value, 4))}. It peaks at 0.25 "
        "at z = 0, so each sigmoid layer multiplies the backward signal by at most ¼ times its "
        "weights: deep sigmoid nets with moderate weights suffer vanishing gradients (large "
        "weights can make them explode instead).",
        "vanishing_gradients",
    )


def selu_question(rng: np.random.Generator) -> Question:
    x = float(rng.choice([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]))
    value = float(ACTIVATIONS["selu"].fn(np.array(x)))
    return Question(
        "SELU",
        f"What is **SELU({num(x, 6)})**? (λ ≈ 1.0507, α ≈ 1.6733)",
        value,
        "SELU(x) = λx for x > 0 and λα(eˣ − 1) otherwise: λ multiplies both branches. "
        f"Here SELU({num(x, 6)}) {is_(value, decimals(value, 4))}.",
        "activations",
    )


def dropout_scaling_question(rng: np.random.Generator) -> Question:
    keep = float(rng.choice([0.5, 0.6, 0.8, 0.9]))
    a = float(rng.choice([1.0, 2.0, 3.0, 4.0]))
    value = a / keep
    return Question(
        "dropout scaling",
        f"Inverted dropout keeps a unit with probability **q = {num(keep, 6)}**. During training, "
        f"a kept unit whose activation is **{num(a, 6)}** is passed on as what value?",
        value,
        f"Inverted dropout scales kept units by 1/q during training: {num(a, 6)} / {num(keep, 6)} "
        f"{is_(value, num(value, 3))}, so the expected activation stays {num(a, 6)} and inference needs no scaling.",
        "dropout",
    )


def l2_penalty_question(rng: np.random.Generator) -> Question:
    w = rng.choice([-2.0, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], size=3)
    lam = float(rng.choice([0.01, 0.1, 0.5]))
    value = penalty({"W1": w.reshape(1, -1)}, l2=lam)
    shown = ", ".join(num(float(v), 6) for v in w)
    return Question(
        "L2 penalty",
        f"Weights **[{shown}]**, L2 strength **λ = {num(lam, 6)}**, penalty λ·Σw². "
        "What does the penalty add to the loss?",
        value,
        f"λ·Σw² = {num(lam, 6)} × {num(float(np.sum(w**2)), 6)} {is_(value, num(value, 4))}. Its gradient 2λw shrinks "
        "every weight in proportion to its size (L1's gradient λ·sign(w) has the same size λ for every non-zero weight).",
        "regularization",
    )


def adam_first_step_question(rng: np.random.Generator) -> Question:
    lr = float(rng.choice([0.001, 0.01, 0.1]))
    g = float(rng.choice([-50.0, -0.2, 0.003, 0.5, 8.0]))
    opt = optim.adam(lr)
    params = {"w": np.array([1.0])}
    updates, _ = opt.update({"w": np.array([g])}, opt.init(params), params)
    value = float(updates["w"][0])
    return Question(
        "Adam's first step",
        f"A weight has gradient **g = {num(g, 6)}** on the very first step of Adam with "
        f"**lr = {num(lr, 6)}** (β₁ = 0.9, β₂ = 0.999, ε = 1e−8). What is the signed change "
        "Δw = w_new − w_old of the weight?",
        value,
        "After bias correction m̂ = g and v̂ = g², so Δw = −lr·g/(|g| + ε) ≈ −lr·sign(g) = "
        f"{num(value, 4)}: for |g| ≫ ε the weight moves against the gradient's sign by about lr, "
        "whatever the gradient's size.",
        "optimizers",
    )


def parameter_count_question(rng: np.random.Generator) -> Question:
    n_in = int(rng.choice([2, 10, 784]))
    hidden = [int(h) for h in rng.choice([16, 32, 64, 128], size=int(rng.integers(1, 3)))]
    n_out = int(rng.choice([1, 10]))
    sizes = (n_in, *hidden, n_out)
    value = mlp.count_params(sizes)
    layers = " → ".join(map(str, sizes))
    terms = " + ".join(f"({a}+1)×{b}" for a, b in itertools.pairwise(sizes))
    return Question(
        "parameter count",
        f"How many trainable parameters (weights and biases) has a fully connected net "
        f"**{layers}**?",
        float(value),
        f"Each layer has (inputs + 1) × outputs: {terms} = {value:,}.",
        "network_depth",
        rel_tol=0.0,
        abs_tol=1e-9,  # a count is exact, as the quiz page says: 1,354.4 is not 1,354
    )


def backprop_gradient_question(rng: np.random.Generator) -> Question:
    x = float(rng.choice([0.5, 1.0, 2.0]))
    w1 = float(rng.choice([-1.0, 0.5, 1.0]))
    w2 = float(rng.choice([-2.0, 1.0, 2.0]))
    y = float(rng.choice([0.0, 1.0]))
    params = {
        "W1": np.array([[w1]]),
        "b1": np.zeros(1),
        "W2": np.array([[w2]]),
        "b2": np.zeros(1),
    }
    y_hat, cache = mlp.forward(params, np.array([[x]]), activation="sigmoid")
    # L = (y_hat - y)^2 / 2, so dL/dy_hat = y_hat - y
    grads = mlp.backward(params, cache, y_hat - y)
    value = float(grads["W1"][0, 0])
    a = float(ACTIVATIONS["sigmoid"].fn(np.array(w1 * x)))
    out = float(y_hat[0, 0])

    def from_printed(d: int) -> str:
        """The chain rule on the printed σ and ŷ, as a learner would redo it."""
        a_d, out_d = float(decimals(a, d)), float(decimals(out, d))
        return decimals((out_d - y) * w2 * a_d * (1 - a_d) * x, 4)

    # σ and ŷ with digits enough that the chain rule on them gives the printed answer
    d = next((d for d in range(4, 12) if from_printed(d) == decimals(value, 4)), 12)
    return Question(
        "backprop",
        f"A net x → σ(w₁x) → ŷ = w₂·σ(w₁x) with **x = {num(x, 6)}, w₁ = {num(w1, 6)}, w₂ = {num(w2, 6)}**, "
        f"target **y = {num(y, 6)}** and L = (ŷ − y)²/2. What is **∂L/∂w₁**?",
        value,
        f"σ(w₁x) {is_(a, decimals(a, d))}, ŷ {is_(out, decimals(out, d))}. Chain rule: ∂L/∂w₁ = "
        f"(ŷ − y)·w₂·σ(z)(1 − σ(z))·x {is_(value, decimals(value, 4))}.",
        "backpropagation",
    )


def activation_memory_question(rng: np.random.Generator) -> Question:
    batch = int(rng.choice([32, 64, 128, 256]))
    width = int(rng.choice([128, 256, 512]))
    layers = int(rng.choice([2, 3, 4]))
    value = batch * width * layers * 2 * 8 / 2**20
    return Question(
        "activation memory",
        f"An MLP has **{layers} hidden layers of {width}** units. Training in float64 "
        f"stores each hidden layer's pre-activation z and activation a for the backward pass. "
        f"How many MiB does that take for a batch of **{batch}**?",
        value,
        f"batch × width × layers × 2 arrays × 8 bytes = {batch}·{width}·{layers}·2·8 B = "
        f"{num(value, 6)} MiB. It grows linearly with the batch size.",
        "batch_size",
        unit="MiB",
    )


def softmax_question(rng: np.random.Generator) -> Question:
    logits = rng.choice([-1.0, 0.0, 1.0, 2.0, 3.0], size=3, replace=False)
    probs = softmax(logits)
    i = int(np.argmax(logits))
    shown = ", ".join(num(float(v), 6) for v in logits)
    return Question(
        "softmax",
        f"Logits **[{shown}]**. What probability does softmax give the largest one?",
        float(probs[i]),
        f"p_i = e^(z_i) / Σ_j e^(z_j) {is_(float(probs[i]), inside_unit(float(probs[i]), 4))}.",
        "loss_functions",
    )


def gd_step_size_question(rng: np.random.Generator) -> Question:
    curvature = float(rng.choice([0.5, 2.0, 4.0, 10.0]))
    value = 2.0 / curvature
    return Question(
        "stable step size",
        f"Gradient descent on f(w) = (**{num(curvature, 6)}**/2)·w². Above which learning rate does it "
        "diverge?",
        value,
        f"w ← w − η·{num(curvature, 6)}·w = (1 − {num(curvature, 6)}η)·w shrinks only if "
        f"|1 − {num(curvature, 6)}η| < 1, i.e. η < 2/{num(curvature, 6)} {is_(value, num(value, 3))}.",
        "gradient_descent",
    )


TREE_CHOICES = (
    "boosting: shallow trees; forest: deep trees",
    "forest: shallow trees; boosting: deep trees",
)


def shallow_trees_question(rng: np.random.Generator) -> Question:
    order = tuple(rng.permutation(TREE_CHOICES).tolist())
    return Question(
        "tree depth",
        "Which ensemble is usually tuned with **shallow** trees (a few levels, or a few dozen "
        "leaves), and which grows its trees out by default?",
        TREE_CHOICES[0],
        "Boosting adds small trees one after another, each fitted to the negative gradient of the loss "
        "(the residual y − p for log loss, with a Newton step in LightGBM), so bias falls round "
        "by round; shallow trees and a small learning rate keep its variance in check. A forest "
        "averages many randomized trees, which cuts variance but not bias, so its trees are "
        "usually grown deep. On noisy data a moderate depth can win for both: the trees lesson "
        "picks each one's depth with its standard error.",
        "trees",
        choices=order,
    )


def relu_derivative_question(rng: np.random.Generator) -> Question:
    z = float(rng.choice([-3.0, -0.5, 0.0, 0.7, 2.0]))
    value = float(ACTIVATIONS["relu"].grad(np.array(z)))
    return Question(
        "ReLU'",
        f"What is the derivative of ReLU at **z = {num(z, 6)}** (as PyTorch computes it)?",
        value,
        # at the kink ReLU has no derivative: the 0 there is PyTorch's convention, not ReLU′(0)
        "ReLU′(z) = 1 for z > 0 and 0 for z < 0. At the kink z = 0 ReLU has no derivative (its "
        "one-sided slopes are 0 and 1); PyTorch's backward, like other frameworks', uses 0 there "
        "by convention.",
        "backpropagation",
        rel_tol=0.0,
        abs_tol=1e-9,
    )


GENERATORS: dict[str, Callable[[np.random.Generator], Question]] = {
    "cross_entropy": cross_entropy_question,
    "sigmoid_derivative": sigmoid_derivative_question,
    "selu": selu_question,
    "dropout_scaling": dropout_scaling_question,
    "l2_penalty": l2_penalty_question,
    "adam_first_step": adam_first_step_question,
    "parameter_count": parameter_count_question,
    "backprop_gradient": backprop_gradient_question,
    "activation_memory": activation_memory_question,
    "softmax": softmax_question,
    "gd_step_size": gd_step_size_question,
    "shallow_trees": shallow_trees_question,
    "relu_derivative": relu_derivative_question,
}


def _lesson_generators() -> dict[str, Callable[[np.random.Generator], Question]]:
    """The generators a lesson keeps beside its experiment (``core/experiments/<lesson>/quiz.py``,
    a ``GENERATORS`` dict), found on disk so a new lesson's questions join without an edit here."""
    experiments = Path(__file__).resolve().parent / "experiments"
    found: dict[str, Callable[[np.random.Generator], Question]] = {}
    for quiz in sorted(experiments.glob("*/quiz.py")):
        module = importlib.import_module(f"core.experiments.{quiz.parent.name}.quiz")
        clash = set(module.GENERATORS) & (set(found) | set(GENERATORS))
        if clash:
            raise ValueError(f"{module.__name__} reuses the quiz topic names {sorted(clash)}")
        found |= module.GENERATORS
    return found


GENERATORS |= _lesson_generators()


def _signed(generator: Callable[[np.random.Generator], Question]):
    """``generator`` whose question prints negative numbers with the minus sign "−", as every
    lesson's facts do (``core.facts.minus``): the SELU question asked for "SELU(-2)" and the
    backprop one for "w₁ = -1" beside explanations writing "−" (audit pass 57 e). The choices
    are left as they are: a response is graded by them."""

    def drawn(rng: np.random.Generator) -> Question:
        q = generator(rng)
        return dataclasses.replace(q, prompt=minus(q.prompt), explanation=minus(q.explanation))

    drawn.__name__ = getattr(generator, "__name__", "question")
    drawn.__doc__ = generator.__doc__
    return drawn


GENERATORS = {name: _signed(generator) for name, generator in GENERATORS.items()}


@dataclass
class Quiz:
    """A reproducible sequence of questions: question ``i`` depends only on (seed, i)."""

    seed: int = 0
    topics: tuple[str, ...] = field(default_factory=lambda: tuple(GENERATORS))

    def __post_init__(self):
        if not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed < 2**31:
            raise ValueError(f"'seed' must be an integer in [0, 2^31); got {self.seed!r}.")
        unknown = [t for t in self.topics if t not in GENERATORS]
        if unknown or not self.topics:
            raise ValueError(
                f"Unknown or no topics {unknown}; choose from {', '.join(GENERATORS)}."
            )

    def question(self, index: int) -> Question:
        """The ``index``-th question: topics cycle in a seeded order, numbers drawn per question."""
        if index < 0:
            raise ValueError(f"'index' must be >= 0; got {index}.")
        rounds, slot = divmod(index, len(self.topics))
        order = np.random.default_rng([self.seed, rounds]).permutation(len(self.topics))
        rng = np.random.default_rng([self.seed, index, 1])
        return GENERATORS[self.topics[int(order[slot])]](rng)


@dataclass(frozen=True)
class Attempt:
    """One question as the learner met it: answered with ``response``, or skipped (None)."""

    index: int
    question: Question
    response: float | str | None
    correct: bool

    @property
    def skipped(self) -> bool:
        return self.response is None


def shown(question: Question, value, beside=None) -> str:
    """A response or an answer as the quiz shows it (numbers to 6 significant digits; more when
    ``value`` differs from ``beside``, the answer, but would print like it: a missed ReLU′ of
    1.0000001 is not "you said 1, the answer is 1")."""
    if value is None:
        return "skipped"
    if question.numeric:
        digits = 6
        while (
            beside is not None
            and digits < 17
            and float(value) != float(beside)
            and num(float(value), digits) == num(float(beside), digits)
        ):
            digits += 1
        return minus(num(float(value), digits)) + (f" {question.unit}" if question.unit else "")
    return str(value)


def shown_pair(question: Question, response) -> tuple[str, str]:
    """A wrong response and the answer as the quiz prints them side by side ("you said ..., the
    answer is ..."): 6 significant digits, more while the two would print alike though they
    differ, or while the printed response, checked against the printed answer, would get another
    grade than the response itself (0.5100000001 against 0.5 within 2 % is wrong, but "0.51"
    against "0.5" would be right: audit 42g)."""
    if response is None or not question.numeric:
        return shown(question, response), shown(question, question.answer)
    value, answer = float(response), float(question.answer)
    grade = question.check(value)
    unit = f" {question.unit}" if question.unit else ""
    for digits in range(6, 18):
        said, right = num(value, digits), num(answer, digits)
        alike = said == right and value != answer
        regraded = dataclasses.replace(question, answer=float(right)).check(float(said))
        if not alike and regraded == grade:
            break
    return minus(said) + unit, minus(right) + unit


@dataclass(frozen=True)
class Summary:
    """The score so far, per topic, and the questions missed (wrong or skipped), in order."""

    asked: int
    right: int
    by_topic: tuple[tuple[str, int, int], ...]  # (topic, right, asked), in the order first met
    missed: tuple[Attempt, ...]


def summarize(attempts: list[Attempt]) -> Summary:
    """Count the attempts: a skip is asked and missed, like a wrong answer."""
    topics: dict[str, list[int]] = {}
    for a in attempts:
        counts = topics.setdefault(a.question.topic, [0, 0])
        counts[0] += a.correct
        counts[1] += 1
    return Summary(
        asked=len(attempts),
        right=sum(a.correct for a in attempts),
        by_topic=tuple((t, r, n) for t, (r, n) in topics.items()),
        missed=tuple(a for a in attempts if not a.correct),
    )
