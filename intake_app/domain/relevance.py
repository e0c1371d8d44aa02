"""Which questions apply, given the answers: relevance and consent, decided in form order.

A condition reads only earlier answers, and only those that are themselves kept, so the walk is
one pass: each question sees the answers that survive before it. Validation, pruning and the
editor's progress all use this one walk.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from enum import Enum

from intake_app.domain.answers import is_empty
from intake_app.domain.expressions import evaluate
from intake_app.domain.form import Form, Question


class State(Enum):
    """Whether a question is shown and may hold an answer."""

    VISIBLE = "visible"
    NOT_RELEVANT = "not-relevant"
    NO_CONSENT = "no-consent"


@dataclass(frozen=True)
class Step:
    """One question met on the walk: its state, where its answer lives, and what it can read."""

    question: Question
    state: State
    section: str
    answers: Mapping[str, object]  # the answers object holding this question's answer
    scope: Mapping[str, object]  # the kept earlier answers its conditions (and choices) read
    item: int | None = None  # index of the repeat entry, for questions inside a repeat
    repeat: str | None = None  # the repeat's name, for questions inside a repeat

    @property
    def value(self) -> object:
        """The answer as stored (None when absent)."""
        return self.answers.get(self.question.name)

    @property
    def answered(self) -> bool:
        """Whether a non-empty answer is stored."""
        return not is_empty(self.value)


def walk(form: Form, answers: Mapping[str, object]) -> list[Step]:
    """Every question in form order with its state; questions inside repeats once per entry."""
    steps: list[Step] = []
    kept: dict[str, object] = {}
    gate = form.consent_gate
    for section in form.questions:
        gated = gate is not None and section.name not in gate.open_sections
        consented = gate is None or evaluate(gate.condition, kept)
        state = State.NO_CONSENT if gated and not consented else State.VISIBLE
        _visit(section, state, section.name, answers, kept, steps, None, None)
    return steps


def _state(question: Question, inherited: State, scope: Mapping[str, object]) -> State:
    if inherited is not State.VISIBLE:
        return inherited
    if question.consent is not None and not evaluate(question.consent, scope):
        return State.NO_CONSENT
    if question.relevant is not None and not evaluate(question.relevant, scope):
        return State.NOT_RELEVANT
    return State.VISIBLE


def _visit(
    question: Question,
    inherited: State,
    section: str,
    answers: Mapping[str, object],
    scope: MutableMapping[str, object],
    steps: list[Step],
    item: int | None,
    repeat: str | None,
) -> None:
    state = _state(question, inherited, scope)
    steps.append(Step(question, state, section, answers, scope, item, repeat))
    if question.type == "group":
        for child in question.children:
            _visit(child, state, section, answers, scope, steps, item, repeat)
        return
    value = answers.get(question.name)
    if question.type == "repeat":
        # A repeat that does not apply is dropped whole; its entries are not walked.
        entries = value if isinstance(value, list) and state is State.VISIBLE else []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            # Each entry reads its own earlier answers first, then the interview's.
            entry_scope: ChainMap[str, object] = ChainMap({}, scope)
            for child in question.children:
                _visit(child, state, section, entry, entry_scope, steps, index, question.name)
    elif state is State.VISIBLE and question.answerable and not is_empty(value):
        scope[question.name] = value


def visible_names(form: Form, answers: Mapping[str, object]) -> list[str]:
    """Names of the questions, notes and groups shown for these answers (outside repeats)."""
    return [
        step.question.name
        for step in walk(form, answers)
        if step.state is State.VISIBLE and step.item is None and step.repeat is None
    ]
