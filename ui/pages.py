"""The lab's table of contents: one entry per lesson, shared by the router and the home page."""

from __future__ import annotations

from dataclasses import dataclass

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


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        section="Optimization",
        title="Gradient descent",
        path="app_pages/gradient_descent.py",
        url_path="gradient_descent",
        icon=":material/trending_down:",
        question="Describe gradient descent. Batch vs stochastic vs mini-batch: why does SGD work?",
        blurb="Race batch GD, mini-batch and SGD on one loss surface; measure gradient noise.",
    ),
)
