"""The relevance language: parsed into a tree by our own parser, evaluated without eval."""

from __future__ import annotations

import pytest

from intake_app.domain.expressions import (
    All,
    Any_,
    Equals,
    ExpressionError,
    Not,
    OneOf,
    Selected,
    evaluate,
    parse,
    references,
)


def test_parse_builds_the_tree() -> None:
    tree = parse("${a} = 'x' and not (${b} in ('p', 'q') or selected(${c}, 'r'))")
    assert tree == All(
        (
            Equals("a", "x"),
            Not(Any_((OneOf("b", ("p", "q")), Selected("c", "r")))),
        )
    )
    assert references(tree) == ["a", "b", "c"]


def test_and_binds_tighter_than_or() -> None:
    tree = parse("${a} = 1 or ${b} = 2 and ${c} != 3.5")
    assert tree == Any_((Equals("a", 1), All((Equals("b", 2), Equals("c", 3.5, negated=True)))))


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {}, False),
        ("${a} != 'yes'", {}, True),
        ("${a} != 'yes'", {"a": "no"}, True),
        ("${a} in ('x', 'y')", {"a": "y"}, True),
        ("${a} in ('x', 'y')", {"a": ["y"]}, False),
        ("selected(${a}, 'x')", {"a": ["x", "z"]}, True),
        ("selected(${a}, 'x')", {"a": "x"}, False),
        ("${n} = 3", {"n": 3.0}, True),
        ("${n} = 1", {"n": True}, False),
        ("${b} = true", {"b": True}, True),
        ("${i} = 'yes'", {"i": {"value": "yes", "note": {"text": "n", "lang": "fi"}}}, True),
        ("not not ${a} = 'x'", {"a": "x"}, True),
        ("${a} = 'x' and ${b} = 'y'", {"a": "x", "b": "z"}, False),
        ("${a} = 'x' or ${b} = 'y'", {"a": "q", "b": "y"}, True),
    ],
)
def test_evaluate(text: str, answers: dict[str, object], expected: bool) -> None:
    assert evaluate(parse(text), answers) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${a} == 'x'", "expected a quoted code or a number at position 7"),
        ("${a} = 'x' and", "expected a test such as ${name} = 'code' at position 15"),
        ("${a} 'x'", "expected =, != or in at position 6"),
        ("${A} = 'x'", "unexpected character at position 1"),
        ("__import__('os')", "expected a test such as ${name} = 'code' at position 1"),
        ("${a} = 'x')", "expected end at position 11"),
        ("(" * 40 + "${a} = 'x'" + ")" * 40, "the expression nests brackets too deeply"),
        ("${a} = 'x' or " * 300 + "${a} = 'y'", "the expression is too long"),
    ],
)
def test_parse_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert str(caught.value) == message
