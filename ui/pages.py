"""The lab's table of contents: one entry per lesson, shared by the router and the home page."""

from __future__ import annotations

import difflib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = (
    "Optimization",
    "Training",
    "Regularization",
    "Architecture",
    "Ensembles",
    "Evaluation",
    "Practice",
)


@dataclass(frozen=True)
class Lesson:
    """One page of the lab: its place in the navigation, its header and its home-grid card.

    The page script is ``app_pages/<url_path>.py``; a lesson (any section but Practice) runs
    ``core.experiments.<url_path>``. The router, the page header, the home grid, the tests'
    page lists, the benchmarks and the README's lesson table all read this registry.
    """

    section: str
    title: str
    url_path: str
    icon: str
    question: str
    blurb: str

    @property
    def path(self) -> str:
        return f"app_pages/{self.url_path}.py"

    @property
    def is_lesson(self) -> bool:
        """Lessons run an experiment; the Practice section's pages (the quiz) do not."""
        return self.section != "Practice"

    @property
    def experiment(self) -> str:
        """Its module in ``core.experiments`` ("" for the pages that run none)."""
        return self.url_path if self.is_lesson else ""


_ALL: tuple[Lesson, ...] = (
    Lesson(
        "Optimization",
        "Gradient descent",
        "gradient_descent",
        ":material/trending_down:",
        "Describe gradient descent. Batch vs stochastic vs mini-batch: why does SGD work?",
        "Race batch GD, mini-batch and SGD on one loss surface; measure gradient noise.",
    ),
    Lesson(
        "Optimization",
        "Backpropagation",
        "backpropagation",
        ":material/account_tree:",
        "What is backpropagation, and how does it differ from gradient descent?",
        "Step a tiny network through forward pass, backward pass and update, with every number.",
    ),
    Lesson(
        "Optimization",
        "Optimizers and saddle points",
        "optimizers",
        ":material/route:",
        "How do you avoid saddle points? Momentum, adaptive steps and Newton's method.",
        "Race nine optimizers across saddles, valleys and plateaus; read the Hessian.",
    ),
    Lesson(
        "Optimization",
        "Loss functions",
        "loss_functions",
        ":material/functions:",
        "Describe the cross-entropy loss. Why not squared error for classification?",
        "Softmax, -log p, the gradient p − y and the full softmax Jacobian, live.",
    ),
    Lesson(
        "Optimization",
        "Derivatives and autodiff",
        "autodiff",
        ":material/calculate:",
        "How do you take the derivative of a custom loss: by hand or automatically?",
        "Type a loss; reverse-mode autodiff vs finite differences and their errors.",
    ),
    Lesson(
        "Training",
        "Batch size",
        "batch_size",
        ":material/stacks:",
        "How do you choose a batch size?",
        "Train one net with seven batch sizes: curves, gradient noise, memory, time.",
    ),
    Lesson(
        "Training",
        "Network depth",
        "network_depth",
        ":material/layers:",
        "How deep should a neural network be?",
        "Cross-validate a depth × width grid; parameters, AIC/BIC, decision boundaries.",
    ),
    Lesson(
        "Regularization",
        "L1 and L2",
        "regularization",
        ":material/compress:",
        "Describe L1 and L2 regularization. When would you use which?",
        "Coefficient paths, exact zeros, the diamond and the circle, correlated features.",
    ),
    Lesson(
        "Regularization",
        "Dropout",
        "dropout",
        ":material/grain:",
        "Why does dropout help?",
        "An overfitting net with and without dropout; inverted dropout's scaling checked.",
    ),
    Lesson(
        "Architecture",
        "Activation functions",
        "activations",
        ":material/show_chart:",
        "What is an activation function, and how do you choose one?",
        "Every activation and its derivative; dead ReLUs; SELU's self-normalization.",
    ),
    Lesson(
        "Architecture",
        "Vanishing gradients",
        "vanishing_gradients",
        ":material/gradient:",
        "What is the vanishing gradient problem, and how do you fix it?",
        "Per-layer gradient norms by depth; init, batch norm, ReLU and clipping toggled.",
    ),
    Lesson(
        "Architecture",
        "Attention",
        "attention",
        ":material/hub:",
        "How does self-attention work? Why divide the scores by √d_k?",
        "Q, K, V, scores, mask and softmax by hand; what unscaled scores do as d_k grows.",
    ),
    Lesson(
        "Ensembles",
        "Random forest vs boosting",
        "trees",
        ":material/forest:",
        "Why does gradient boosting use shallower trees than a random forest?",
        "Error against depth and trees, bias² and variance, boundaries, fit time.",
    ),
    Lesson(
        "Evaluation",
        "Bias, variance and cross-validation",
        "bias_variance",
        ":material/query_stats:",
        "How do you detect overfitting, and how do you choose a model without fooling yourself?",
        "Error against complexity and data size, bias² and variance, CV with its SE, leakage.",
    ),
    Lesson(
        "Evaluation",
        "Metrics under class imbalance",
        "imbalance",
        ":material/balance:",
        "Accuracy is 99 %. Is the model good?",
        "One threshold on ROC and PR curves; AUC vs AP as positives get rare; remedies.",
    ),
    Lesson(
        "Practice",
        "Interview quiz",
        "quiz",
        ":material/quiz:",
        "Can you answer the numbers an interviewer asks for, fast?",
        "Randomized questions computed by the lab's own core, with a seed for the class.",
    ),
    Lesson(
        "Practice",
        "Interview practice",
        "practice",
        ":material/record_voice_over:",
        "Can you give the full answer in your own words, and still next week?",
        "Answer any lesson's question, tick the model answer's key points, review what you missed.",
    ),
    Lesson(
        "Practice",
        "Class polls",
        "class",
        ":material/co_present:",
        "What does the whole room predict before the experiment runs?",
        "Start a class with a join code; students answer each lesson's prediction from phones.",
    ),
)

LESSONS: tuple[Lesson, ...] = _ALL


def missing_path(url: str, base: str = "") -> str | None:
    """The path of ``url`` when no page of the app lives there (the router then runs Home), else
    None. ``base`` is the server's ``baseUrlPath`` (a deployment under a prefix)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).strip("/")
    base = base.strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].strip("/")
    known = {lesson.url_path for lesson in LESSONS} | {"", "home"}
    return None if path in known else path


def closest(path: str) -> Lesson | None:
    """The page whose address or title is nearest to a mistyped ``path`` (difflib), if any."""
    words = path.lower().replace("-", "_").replace(" ", "_")
    names = {lesson.url_path: lesson for lesson in LESSONS}
    names |= {lesson.title.lower().replace(" ", "_"): lesson for lesson in LESSONS}
    match = difflib.get_close_matches(words, list(names), n=1, cutoff=0.6)
    return names[match[0]] if match else None


def by_path(path: str) -> Lesson:
    """The registry entry of the page script at ``path`` (``app_pages/<url_path>.py``)."""
    return next(lesson for lesson in LESSONS if lesson.path == path)


def by_section() -> dict[str, list[Lesson]]:
    """The lessons of each section, in the navigation's order (empty sections left out)."""
    return {
        s: [l for l in LESSONS if l.section == s]
        for s in SECTIONS
        if any(l.section == s for l in LESSONS)
    }


README_BEGIN, README_END = "<!-- lesson-table -->", "<!-- /lesson-table -->"


def readme_table() -> str:
    """The README's table of lessons (section, title, interview question)."""
    rows = ["| Section | Lesson | Interview question |", "|---|---|---|"]
    rows += [f"| {l.section} | {l.title} | {l.question} |" for l in LESSONS]
    return "\n".join(rows)


def rewrite_readme(text: str) -> str:
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_BEGIN}\n{readme_table()}\n{README_END}{tail}"


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(rewrite_readme(readme.read_text()))
    print("rewrote the lesson table in README.md")
