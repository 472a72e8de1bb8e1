"""A safe parser for a formula the user types: a tokenizer and recursive descent, never eval."""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from core.facts import tex_number

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "VARIABLES",
    "ExpressionError",
    "Tree",
    "parse",
    "to_latex",
]

MAX_LENGTH = 300  # characters
MAX_DEPTH = 32  # parentheses, calls, unary minus and exponents nested inside one another
VARIABLES = ("y_pred", "y_true")
FUNCTIONS = {
    **dict.fromkeys(
        ("exp", "log", "log1p", "sqrt", "abs", "sin", "cos", "tanh", "cosh", "sigmoid", "relu"), 1
    ),
    **{"softplus": 1, "maximum": 2, "minimum": 2, "clip": 3, "mean": 1, "sum": 1},
}
REDUCTIONS = ("mean", "sum")


class ExpressionError(ValueError):
    """Text outside the grammar; ``column`` (1-based) points at the offending character."""

    def __init__(self, problem: str, column: int, hint: str = ""):
        super().__init__(f"{problem} at column {column}." + (f" {hint}" if hint else ""))
        self.column = column


# --- tokenizer ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>\*\*|[-+*/^(),])|(?P<space>[ \t]+)",
    re.ASCII,
)
_REFUSED = {
    ".": "attribute access ('.') is not allowed",
    "[": "subscripts ('[') are not allowed",
    "]": "subscripts (']') are not allowed",
    "=": "'=' is not allowed (no assignments, keyword arguments or comparisons)",
    "<": "comparisons ('<') are not allowed",
    ">": "comparisons ('>') are not allowed",
    "!": "'!' is not allowed (no comparisons)",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    ";": "statements (';') are not allowed",
    ":": "':' is not allowed (no lambdas, slices or dictionaries)",
    "&": "bitwise and boolean operators ('&') are not allowed",
    "|": "bitwise and boolean operators ('|') are not allowed",
    "~": "bitwise operators ('~') are not allowed",
    "%": "'%' is not allowed (no modulo or string formatting)",
    "@": "'@' is not allowed (no matrix products or decorators)",
    "{": "sets and dictionaries ('{') are not allowed",
    "}": "sets and dictionaries ('}') are not allowed",
    "#": "comments ('#') are not allowed",
    "\\": "backslashes are not allowed",
    "\n": "line breaks are not allowed",
}


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, column) triples; any character outside the grammar raises ExpressionError."""
    tokens, pos = [], 0
    while pos < len(text):
        if text.startswith("//", pos):
            raise ExpressionError("floor division ('//') is not allowed", pos + 1, "Use '/'.")
        match = _TOKEN.match(text, pos)
        if match is None:
            ch = text[pos]
            if not ch.isascii():
                raise ExpressionError(
                    f"the non-ASCII character {ch!r} (U+{ord(ch):04X}) is not allowed",
                    pos + 1,
                    "Type plain ASCII letters, digits and operators.",
                )
            raise ExpressionError(_REFUSED.get(ch, f"the character {ch!r} is not allowed"), pos + 1)
        if match.lastgroup == "name" and keyword.iskeyword(match.group()):
            raise ExpressionError(f"the Python keyword {match.group()!r} is not allowed", pos + 1)
        if match.lastgroup != "space":
            tokens.append((match.lastgroup, match.group(), pos + 1))
        pos = match.end()
    return tokens


# --- parser: recursive descent with Python's precedence ------------------------------------------


@dataclass(frozen=True, eq=False)
class Tree:
    """A parsed expression: ``op`` is "num", "name", "neg", + - * / **, or a function name."""

    op: str
    args: tuple[Tree, ...] = ()
    column: int = 1
    value: float = 0.0
    name: str = ""


class _Parser:
    """expr := term (+|- term)*; term := factor (*|/ factor)*; factor := -factor | power;
    power := primary [(**|^) factor]; primary := number | name | name(args) | (expr)."""

    def __init__(self, text: str, names: Mapping[str, float]):
        self.tokens, self.names, self.i = _tokenize(text), names, 0
        self.end = len(text) + 1

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", self.end)

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def parse(self) -> Tree:
        if not self.tokens:
            raise ExpressionError(
                "the expression is empty", 1, "Type a loss such as mean((y_pred - y_true)**2)."
            )
        tree = self.expr(0)
        kind, text, col = self.peek()
        if kind != "end":
            if text == ")":
                raise ExpressionError("unmatched ')'", col)
            if text == ",":
                raise ExpressionError("',' outside a function call (tuples)", col)
            hint = "Write 2*y_pred, not 2y_pred." if kind == "name" else ""
            raise ExpressionError(f"expected an operator (+ - * / **) before {text!r}", col, hint)
        return tree

    def expr(self, depth: int) -> Tree:
        left = self.term(depth)
        while self.peek()[1] in ("+", "-"):
            _, op, col = self.take()
            left = Tree(op, (left, self.term(depth)), col)
        return left

    def term(self, depth: int) -> Tree:
        left = self.factor(depth)
        while self.peek()[1] in ("*", "/"):
            _, op, col = self.take()
            left = Tree(op, (left, self.factor(depth)), col)
        return left

    def factor(self, depth: int) -> Tree:
        _, text, col = self.peek()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression nests deeper than {MAX_DEPTH} levels", col)
        if text == "-":
            self.take()
            return Tree("neg", (self.factor(depth + 1),), col)
        if text == "+":
            raise ExpressionError("unary '+' is not part of the grammar", col, "Drop it.")
        base = self.primary(depth)
        if self.peek()[1] in ("**", "^"):
            col = self.take()[2]
            return Tree("**", (base, self.factor(depth + 1)), col)
        return base

    def primary(self, depth: int) -> Tree:
        kind, text, col = self.take()
        if kind == "number":
            value = float(text)
            if not math.isfinite(value):
                raise ExpressionError(f"the number {text} overflows float64", col)
            return Tree("num", column=col, value=value)
        if kind == "name":
            return self.name(text, col, depth)
        if text == "(":
            inner = self.expr(depth + 1)
            self.close(col)
            return inner
        if kind == "end":
            raise ExpressionError(
                "the expression ends too early", col, "Expected a number, a name or '('."
            )
        raise ExpressionError(f"unexpected {text!r}", col, "Expected a number, a name or '('.")

    def name(self, text: str, col: int, depth: int) -> Tree:
        calls = self.peek()[1] == "("
        if text in FUNCTIONS:
            if not calls:
                raise ExpressionError(
                    f"the function {text!r} must be called", col, f"Write {text}(...)."
                )
            opened = self.take()[2]  # the call's '(' (the name starts at col)
            args = [self.expr(depth + 1)]
            while self.peek()[1] == ",":
                self.take()
                args.append(self.expr(depth + 1))
            self.close(opened)
            if len(args) != FUNCTIONS[text]:
                n = FUNCTIONS[text]
                raise ExpressionError(
                    f"{text} takes {n} argument{'s' * (n > 1)}; got {len(args)}", col
                )
            return Tree(text, tuple(args), col)
        if text in self.names:
            if calls:
                raise ExpressionError(f"{text!r} is not a function", col)
            return Tree("name", column=col, name=text)
        known = ", ".join(self.names)
        raise ExpressionError(
            f"unknown name {text!r}",
            col,
            f"Names: {known}. Functions: {', '.join(FUNCTIONS)}.",
        )

    def close(self, opened: int) -> None:
        kind, text, col = self.take()
        if kind in ("name", "number") or text == "(":
            raise ExpressionError(f"expected an operator (+ - * / **) before {text!r}", col)
        if text != ")":
            found = "the end" if kind == "end" else repr(text)
            raise ExpressionError(f"'(' at column {opened} is not closed; found {found}", col)


def parse(text: str, names) -> Tree:
    """Parse ``text`` into a Tree, refusing anything outside the grammar.

    Parameters
    ----------
    text : str
        At most MAX_LENGTH characters.
    names : collection of str
        The names allowed besides the functions, e.g. ("y_pred", "y_true", "pi", "e").

    Raises
    ------
    ExpressionError
        With the problem and its 1-based column.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text; got {type(text).__name__}", 1)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression has {len(text)} characters; the limit is {MAX_LENGTH}", MAX_LENGTH + 1
        )
    return _Parser(text, tuple(names)).parse()


# --- LaTeX, so the learner sees how the text was read ------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}
_GREEK = {"pi", "alpha", "beta", "gamma", "delta", "epsilon", "eta", "kappa", "mu", "rho", "tau"}
_TEX = {
    "exp": r"\exp",
    "log": r"\log",
    "sin": r"\sin",
    "cos": r"\cos",
    "tanh": r"\tanh",
    "cosh": r"\cosh",
    "sigmoid": r"\sigma",
    "maximum": r"\max",
    "minimum": r"\min",
}


def _tex_number(value: float) -> str:
    """A constant of the expression: 6 significant digits, 1 × 10^k written 10^k."""
    return tex_number(value, 6).removeprefix(r"1 \times ")


def to_latex(tree: Tree, index: str = "") -> str:
    """The expression in LaTeX; inside mean/sum, y_pred and y_true carry the summation index."""
    op, args = tree.op, tree.args

    def sub(t: Tree, parens: bool = False) -> str:
        s = to_latex(t, index)
        return rf"\left({s}\right)" if parens else s

    def rank(t: Tree) -> int:
        return _PRECEDENCE.get(t.op, 5)

    if op == "num":
        return _tex_number(tree.value)
    if op == "name":
        base = {"y_pred": r"\hat{y}", "y_true": "y"}.get(tree.name)
        if base:
            return f"{base}_{index}" if index else base
        if tree.name in _GREEK:
            return "\\" + tree.name
        escaped = tree.name.replace("_", r"\_")
        return tree.name if len(tree.name) == 1 else rf"\mathrm{{{escaped}}}"
    if op in ("+", "-"):
        right = args[1]
        parens = rank(right) == 3 or (op == "-" and rank(right) == 1)
        return f"{sub(args[0])} {op} {sub(right, parens)}"
    if op == "*":
        return rf"{sub(args[0], rank(args[0]) < 2)} \cdot {sub(args[1], args[1].op in ('+', '-', '*', 'neg'))}"
    if op == "/":
        return rf"\frac{{{sub(args[0])}}}{{{sub(args[1])}}}"
    if op == "**":
        base = args[0]
        return f"{sub(base, rank(base) < 5 or base.op in REDUCTIONS)}^{{{sub(args[1])}}}"
    if op == "neg":
        return "-" + sub(args[0], rank(args[0]) < 3)
    if op in REDUCTIONS:
        inner_index = "i" if not index else chr(ord(index) + 1)
        inner = to_latex(args[0], inner_index)
        inner = rf"\left({inner}\right)" if rank(args[0]) < 2 else inner
        total = rf"\sum_{{{inner_index}=1}}^{{N}} {inner}"
        return rf"\frac{{1}}{{N}}{total}" if op == "mean" else total
    inside = ", ".join(sub(a) for a in args)
    if op == "sqrt":
        return rf"\sqrt{{{inside}}}"
    if op == "abs":
        return rf"\left|{inside}\right|"
    name = _TEX.get(op, rf"\operatorname{{{op}}}")
    return rf"{name}\left({inside}\right)"
