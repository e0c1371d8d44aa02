"""Cross-checks of a built form: names, choice lists, and what each condition refers to.

Each check yields (where, reason) pairs; `form_loader` turns them into `FormProblem`s.
"""

from __future__ import annotations

from collections.abc import Iterator

from intake_app.domain.codelists import country_codes, language_codes
from intake_app.domain.expressions import Equals, Expression, OneOf, Selected, tests
from intake_app.domain.form import (
    YES_NO_UNKNOWN_CODES,
    YES_NO_UNKNOWN_LIST,
    Form,
    Question,
)

Problem = tuple[str, str]
_SELECTS = frozenset({"select_one", "select_multiple"})
_CODED = frozenset({"language", "country"})


def check_form(form: Form) -> list[Problem]:
    """Every cross-reference problem of the form, in form order."""
    order = {q.name: index for index, q in enumerate(form.walk())}
    problems: list[Problem] = []
    problems += _names(form)
    if problems:
        return problems  # positions are ambiguous with duplicate names
    problems += _structure(form)
    problems += _choice_lists(form)
    for question in form.walk():
        problems += _question_lists(form, question, order)
        for key, expression in (("relevant", question.relevant), ("consent", question.consent)):
            if expression is not None:
                problems += _references(form, question, expression, key, order)
        problems += _choice_conditions(form, question, order)
        problems += _limits(question)
        problems += _text_status(form, question)
    problems += _gate(form, order)
    return problems


def _names(form: Form) -> Iterator[Problem]:
    seen: set[str] = set()
    for question in form.walk():
        if question.name in seen:
            yield question.name, "duplicate name"
        seen.add(question.name)


def _structure(form: Form) -> Iterator[Problem]:
    for top in form.questions:
        if top.type != "group":
            yield top.name, "every top-level entry must be a group (a section)"
    for question in form.walk():
        if question.type == "repeat":
            for child in question.children:
                if child.type in ("group", "repeat"):
                    yield child.name, "a repeat may hold only questions and notes"
        if question.indicator_group and question.type != "group":
            yield question.name, "indicator_group is only for groups"
        if question.indicator_group:
            for child in question.children:
                if child.type not in ("yes_no_unknown", "note"):
                    yield child.name, "an indicator group holds only yes_no_unknown items and notes"


def _choice_lists(form: Form) -> Iterator[Problem]:
    for name, choice_list in form.choice_lists.items():
        codes = choice_list.codes()
        for code in {c for c in codes if codes.count(c) > 1}:
            yield f"choices.{name}", f"code {code!r} appears twice"
    uses_ynu = any(q.type == "yes_no_unknown" for q in form.walk())
    ynu = form.choice_lists.get(YES_NO_UNKNOWN_LIST)
    if uses_ynu and ynu is None:
        yield (
            f"choices.{YES_NO_UNKNOWN_LIST}",
            "missing choice list (yes_no_unknown questions use it)",
        )
    if ynu is not None and ynu.codes() != YES_NO_UNKNOWN_CODES:
        yield (
            f"choices.{YES_NO_UNKNOWN_LIST}",
            "must hold exactly yes, no and unknown, in that order",
        )


def _question_lists(form: Form, question: Question, order: dict[str, int]) -> Iterator[Problem]:
    name = question.name
    if question.type in _SELECTS:
        if (question.choices is None) == (question.choices_from is None):
            yield name, "a select question needs either choices or choices_from"
        elif question.choices is not None and question.choices not in form.choice_lists:
            yield name, f"missing choice list {question.choices!r}"
        elif question.choices_from is not None:
            source = form.question(question.choices_from)
            if (
                source is None
                or source.type != "select_multiple"
                or source.choices is None
                or order[source.name] >= order[name]
                or form.repeat_of(source.name) not in (None, form.repeat_of(name))
            ):
                yield name, "choices_from must name an earlier select_multiple question"
    elif question.choices is not None or question.choices_from is not None:
        yield name, "only select questions take choices"
    if question.extra_choices is not None:
        extra = form.choice_lists.get(question.extra_choices)
        if question.type not in _CODED:
            yield name, "extra_choices is only for language and country questions"
        elif extra is None:
            yield name, f"missing choice list {question.extra_choices!r}"
        else:
            taken = language_codes() if question.type == "language" else country_codes()
            for code in extra.codes():
                if code in taken:
                    yield name, f"extra choice {code!r} clashes with a CLDR code"


def _limits(question: Question) -> Iterator[Problem]:
    low, high = question.minimum, question.maximum
    if low is not None and high is not None and low > high:
        yield question.name, "min is greater than max"
    low_len, high_len = question.min_length, question.max_length
    if low_len is not None and high_len is not None and low_len > high_len:
        yield question.name, "min_length is greater than max_length"
    if question.max_items == 0:
        yield question.name, "max_items must be at least 1"
    if question.earliest and question.latest and question.earliest > question.latest:
        yield question.name, "min date is after max date"


def _text_status(form: Form, question: Question) -> Iterator[Problem]:
    """A note's own review state may say "reviewed" or "draft", never move the source text."""
    for lang, state in question.translation_status.items():
        if (state == "source") != (form.translation_status.get(lang) == "source"):
            yield question.name, f"translation_status of {lang!r}: only the source is 'source'"


def _references(
    form: Form, question: Question, expression: Expression, key: str, order: dict[str, int]
) -> Iterator[Problem]:
    """Each name a condition reads must be an earlier answer in reach, compared sensibly."""
    scope = form.repeat_of(question.name)
    for test in tests(expression):
        target = form.question(test.name)
        if target is None:
            yield question.name, f"{key} names unknown question {test.name!r}"
        elif target.name == question.name:
            yield question.name, f"{key} names the question itself"
        elif order[target.name] > order[question.name]:
            yield question.name, f"{key} names {test.name!r}, which comes later in the form"
        elif not target.answerable or target.type == "repeat":
            yield question.name, f"{key} names {test.name!r}, which holds no comparable answer"
        elif form.repeat_of(target.name) not in (None, scope):
            yield question.name, f"{key} names {test.name!r} inside another repeat"
        else:
            yield from _comparison(form, question.name, target, test, key)


def _comparison(
    form: Form, where: str, target: Question, test: Equals | OneOf | Selected, key: str
) -> Iterator[Problem]:
    is_list = target.type == "select_multiple" or (target.type in _CODED and target.multiple)
    if isinstance(test, Selected) and not is_list:
        yield where, f"{key}: selected() needs a multiple-choice question, not {target.name!r}"
        return
    if not isinstance(test, Selected) and is_list:
        yield where, f"{key}: use selected() to test the multiple-choice {target.name!r}"
        return
    values = (test.value,) if isinstance(test, Equals | Selected) else test.values
    allowed = _allowed_literals(form, target)
    for value in values:
        if target.type in ("integer", "decimal"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                yield where, f"{key} compares the number {target.name!r} with a non-number"
        elif not isinstance(value, str):
            yield where, f"{key} compares {target.name!r} with a non-text value"
        elif allowed is not None and value not in allowed:
            yield where, f"{key}: {value!r} is not a choice of {target.name!r}"


def _allowed_literals(form: Form, target: Question) -> frozenset[str] | None:
    if target.type in _SELECTS or target.type == "yes_no_unknown":
        choice_list = form.choice_list(target)
        return frozenset(choice_list.codes()) if choice_list is not None else frozenset()
    if target.type in _CODED:
        base = language_codes() if target.type == "language" else country_codes()
        extra = form.choice_lists.get(target.extra_choices or "")
        return base | frozenset(extra.codes() if extra is not None else ())
    return None


def _choice_conditions(form: Form, question: Question, order: dict[str, int]) -> Iterator[Problem]:
    if question.type not in _SELECTS:
        return
    choice_list = form.choice_list(question)
    for choice in choice_list.choices if choice_list is not None else ():
        if choice.relevant is not None:
            key = f"relevant of choice {choice.name!r}"
            yield from _references(form, question, choice.relevant, key, order)


def _gate(form: Form, order: dict[str, int]) -> Iterator[Problem]:
    gate = form.consent_gate
    if gate is None:
        return
    tops = {top.name: top for top in form.questions}
    for name in gate.open_sections:
        if name not in tops:
            yield "consent_gate", f"open names {name!r}, which is not a section"
    gated = [top for top in form.questions if top.name not in gate.open_sections]
    first_gated = order[gated[0].name] if gated else len(order)
    for test in tests(gate.condition):
        target = form.question(test.name)
        if target is None or not target.answerable or target.type == "repeat":
            yield "consent_gate", f"condition names {test.name!r}, which is not a question"
        elif order[target.name] > first_gated or form.repeat_of(target.name) is not None:
            yield "consent_gate", f"condition names {test.name!r}, which is not in an open section"
        else:
            yield from _comparison(form, "consent_gate", target, test, "condition")
