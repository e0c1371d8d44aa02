"""The small condition language of `relevant` and consent rules, parsed into a tree; never eval'd.

Grammar (keywords are lower case; `${name}` refers to an earlier answer):

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | primary
    primary    := "(" expr ")" | test
    test       := ref ("=" | "!=") literal
                | ref "in" "(" literal ("," literal)* ")"
                | "selected" "(" ref "," literal ")"
    ref        := "${" name "}"
    literal    := 'text' | "text" | number | "true" | "false"

An unanswered question equals nothing: `${q} = 'x'` is false and `${q} != 'x'` is true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal as TypingLiteral

Value = str | int | float | bool
MAX_EXPRESSION_LENGTH = 2000
MAX_NESTING = 16


class ExpressionError(ValueError):
    """The expression text does not follow the grammar; the message says where."""


@dataclass(frozen=True)
class Equals:
    name: str
    value: Value
    negated: bool = False


@dataclass(frozen=True)
class OneOf:
    name: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Selected:
    name: str
    value: Value


@dataclass(frozen=True)
class Not:
    operand: Expression


@dataclass(frozen=True)
class All:
    operands: tuple[Expression, ...]


@dataclass(frozen=True)
class Any_:
    operands: tuple[Expression, ...]


Expression = Equals | OneOf | Selected | Not | All | Any_
Test = Equals | OneOf | Selected

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<refname>[a-z][a-z0-9_]*)\})
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op>!=|=|\(|\)|,)
      | (?P<word>[a-z_]+)
    )""",
    re.VERBOSE,
)
TokenKind = TypingLiteral["ref", "string", "number", "op", "word", "end"]


@dataclass(frozen=True)
class _Token:
    kind: TokenKind
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            start = len(text) - len(text[position:].lstrip())
            raise ExpressionError(f"unexpected character at position {start + 1}")
        kind = match.lastgroup
        if kind == "ref":
            tokens.append(_Token("ref", match.group("refname"), match.start("ref")))
        elif kind in ("string", "number", "op", "word"):
            tokens.append(_Token(kind, match.group(kind), match.start(kind)))  # type: ignore[arg-type]
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def expect(self, kind: TokenKind, text: str | None = None) -> _Token:
        token = self.take()
        if token.kind != kind or (text is not None and token.text != text):
            wanted = repr(text) if text is not None else kind
            raise ExpressionError(f"expected {wanted} at position {token.position + 1}")
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text == word

    def expression(self) -> Expression:
        operands = [self.conjunction()]
        while self.is_word("or"):
            self.take()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Any_(tuple(operands))

    def conjunction(self) -> Expression:
        operands = [self.negation()]
        while self.is_word("and"):
            self.take()
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else All(tuple(operands))

    def negation(self) -> Expression:
        negate = False
        while self.is_word("not"):
            self.take()
            negate = not negate
        operand = self.primary()
        return Not(operand) if negate else operand

    def primary(self) -> Expression:
        token = self.peek()
        if token.kind == "op" and token.text == "(":
            self.take()
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ExpressionError("the expression nests brackets too deeply")
            inner = self.expression()
            self.expect("op", ")")
            self.depth -= 1
            return inner
        if self.is_word("selected"):
            self.take()
            self.expect("op", "(")
            name = self.expect("ref").text
            self.expect("op", ",")
            value = self.literal()
            self.expect("op", ")")
            return Selected(name, value)
        if token.kind == "ref":
            return self.test(self.take().text)
        raise ExpressionError(
            f"expected a test such as ${{name}} = 'code' at position {token.position + 1}"
        )

    def test(self, name: str) -> Expression:
        token = self.take()
        if token.kind == "op" and token.text in ("=", "!="):
            return Equals(name, self.literal(), negated=token.text == "!=")
        if token.kind == "word" and token.text == "in":
            self.expect("op", "(")
            values = [self.literal()]
            while self.peek().kind == "op" and self.peek().text == ",":
                self.take()
                values.append(self.literal())
            self.expect("op", ")")
            return OneOf(name, tuple(values))
        raise ExpressionError(f"expected =, != or in at position {token.position + 1}")

    def literal(self) -> Value:
        token = self.take()
        if token.kind == "string":
            return token.text[1:-1]
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "word" and token.text in ("true", "false"):
            return token.text == "true"
        raise ExpressionError(
            f"expected a quoted code or a number at position {token.position + 1}"
        )


def parse(text: str) -> Expression:
    """Parse condition text into an expression tree; raises ExpressionError with a position."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError("the expression is too long")
    parser = _Parser(text)
    tree = parser.expression()
    parser.expect("end")
    return tree


def tests(expression: Expression) -> Iterator[Test]:
    """Every comparison in the tree, left to right."""
    if isinstance(expression, Not):
        yield from tests(expression.operand)
    elif isinstance(expression, All | Any_):
        for operand in expression.operands:
            yield from tests(operand)
    else:
        yield expression


def references(expression: Expression) -> list[str]:
    """The question names the expression reads, in order of first appearance."""
    seen: dict[str, None] = {}
    for test in tests(expression):
        seen.setdefault(test.name, None)
    return list(seen)


def answer_code(value: object) -> object:
    """The comparable part of an answer: an indicator answer with a note compares by its value."""
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _same(answer: object, literal: Value) -> bool:
    # bool is an int in Python; keep true/false apart from 1/0 and from codes.
    if isinstance(answer, bool) or isinstance(literal, bool):
        return isinstance(answer, bool) and isinstance(literal, bool) and answer == literal
    if isinstance(answer, int | float) and isinstance(literal, int | float):
        return answer == literal
    return isinstance(answer, str) and isinstance(literal, str) and answer == literal


def evaluate(expression: Expression, answers: Mapping[str, object]) -> bool:
    """True when the condition holds for `answers`; never raises on odd answer values."""
    if isinstance(expression, Equals):
        equal = _same(answer_code(answers.get(expression.name)), expression.value)
        return equal != expression.negated
    if isinstance(expression, OneOf):
        answer = answer_code(answers.get(expression.name))
        return any(_same(answer, value) for value in expression.values)
    if isinstance(expression, Selected):
        answer = answers.get(expression.name)
        return isinstance(answer, list) and any(_same(item, expression.value) for item in answer)
    if isinstance(expression, Not):
        return not evaluate(expression.operand, answers)
    if isinstance(expression, All):
        return all(evaluate(operand, answers) for operand in expression.operands)
    return any(evaluate(operand, answers) for operand in expression.operands)
