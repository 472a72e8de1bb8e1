"""The lab's table of contents: one entry per lesson, shared by the router and the home page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("Optimization", "Training", "Regularization", "Architecture", "Ensembles", "Practice")


@dataclass(frozen=True)
class Lesson:
    section: str
    title: str
    path: str
    url_path: str
    icon: str
    question: str
    blurb: str

    @property
    def is_lesson(self) -> bool:
        """Lessons run an experiment; the Practice section's pages (the quiz) do not."""
        return self.section != "Practice"

    @property
    def experiment(self) -> str:
        """Its module in ``core.experiments`` ("" for the pages that run none)."""
        return self.url_path if self.is_lesson else ""

    @property
    def exists(self) -> bool:
        return (ROOT / self.path).is_file()


_ALL: tuple[Lesson, ...] = (
    Lesson(
        "Optimization",
        "Gradient descent",
        "app_pages/gradient_descent.py",
        "gradient_descent",
        ":material/trending_down:",
        "Describe gradient descent. Batch vs stochastic vs mini-batch: why does SGD work?",
        "Race batch GD, mini-batch and SGD on one loss surface; measure gradient noise.",
    ),
    Lesson(
        "Optimization",
        "Backpropagation",
        "app_pages/backpropagation.py",
        "backpropagation",
        ":material/account_tree:",
        "What is backpropagation, and how does it differ from gradient descent?",
        "Step a tiny network through forward pass, backward pass and update, with every number.",
    ),
    Lesson(
        "Optimization",
        "Optimizers and saddle points",
        "app_pages/optimizers.py",
        "optimizers",
        ":material/route:",
        "How do you avoid saddle points? Momentum, adaptive steps and Newton's method.",
        "Race nine optimizers across saddles, valleys and plateaus; read the Hessian.",
    ),
    Lesson(
        "Optimization",
        "Loss functions",
        "app_pages/loss_functions.py",
        "loss_functions",
        ":material/functions:",
        "Describe the cross-entropy loss. Why not squared error for classification?",
        "Softmax, -log p, the gradient p − y and the full softmax Jacobian, live.",
    ),
    Lesson(
        "Optimization",
        "Derivatives and autodiff",
        "app_pages/autodiff.py",
        "autodiff",
        ":material/calculate:",
        "How do you take the derivative of a custom loss: by hand or automatically?",
        "Type a loss; reverse-mode autodiff vs finite differences and their errors.",
    ),
    Lesson(
        "Training",
        "Batch size",
        "app_pages/batch_size.py",
        "batch_size",
        ":material/stacks:",
        "How do you choose a batch size?",
        "Train one net with seven batch sizes: curves, gradient noise, memory, time.",
    ),
    Lesson(
        "Training",
        "Network depth",
        "app_pages/network_depth.py",
        "network_depth",
        ":material/layers:",
        "How deep should a neural network be?",
        "Cross-validate a depth × width grid; parameters, AIC/BIC, decision boundaries.",
    ),
    Lesson(
        "Regularization",
        "L1 and L2",
        "app_pages/regularization.py",
        "regularization",
        ":material/compress:",
        "Describe L1 and L2 regularization. When would you use which?",
        "Coefficient paths, exact zeros, the diamond and the circle, correlated features.",
    ),
    Lesson(
        "Regularization",
        "Dropout",
        "app_pages/dropout.py",
        "dropout",
        ":material/grain:",
        "Why does dropout help?",
        "An overfitting net with and without dropout; inverted dropout's scaling checked.",
    ),
    Lesson(
        "Architecture",
        "Activation functions",
        "app_pages/activations.py",
        "activations",
        ":material/show_chart:",
        "What is an activation function, and how do you choose one?",
        "Every activation and its derivative; dead ReLUs; SELU's self-normalization.",
    ),
    Lesson(
        "Architecture",
        "Vanishing gradients",
        "app_pages/vanishing_gradients.py",
        "vanishing_gradients",
        ":material/gradient:",
        "What is the vanishing gradient problem, and how do you fix it?",
        "Per-layer gradient norms by depth; init, batch norm, ReLU and clipping toggled.",
    ),
    Lesson(
        "Ensembles",
        "Random forest vs boosting",
        "app_pages/trees.py",
        "trees",
        ":material/forest:",
        "Why does gradient boosting use shallower trees than a random forest?",
        "Error against depth and trees, bias² and variance, boundaries, fit time.",
    ),
    Lesson(
        "Practice",
        "Interview quiz",
        "app_pages/quiz.py",
        "quiz",
        ":material/quiz:",
        "Can you answer the numbers an interviewer asks for, fast?",
        "Randomized questions computed by the lab's own core, with a seed for the class.",
    ),
)

# Only lessons whose page script exists are routed and listed (the router and home page use this).
LESSONS: tuple[Lesson, ...] = tuple(lesson for lesson in _ALL if lesson.exists)
