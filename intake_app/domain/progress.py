"""What the interview editor shows about progress: visible questions, section completeness and
indicator counts. Counting marked indicators is all it does: nothing here scores or labels a
person (design/interview-form.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from intake_app.domain.expressions import answer_code
from intake_app.domain.form import Form
from intake_app.domain.relevance import State, visible_names, walk


@dataclass(frozen=True)
class SectionProgress:
    """How far a section is: required questions answered out of those that apply."""

    section: str
    answered_required: int
    required: int
    open: bool  # False while the consent the section needs is missing

    @property
    def complete(self) -> bool:
        """Every required question that applies is answered."""
        return self.answered_required == self.required


@dataclass(frozen=True)
class IndicatorCount:
    """How many items of one indicator group were marked yes, no and unknown."""

    group: str
    yes: int
    no: int
    unknown: int
    items: int

    @property
    def unanswered(self) -> int:
        """Items not marked at all."""
        return self.items - self.yes - self.no - self.unknown


def visible_questions(form: Form, answers: Mapping[str, object]) -> list[str]:
    """Names of the questions, notes and groups shown for these answers, in form order.

    Questions inside a repeat are decided per entry: see `visible_in_entries`.
    """
    return visible_names(form, answers)


def visible_in_entries(form: Form, answers: Mapping[str, object], repeat: str) -> list[list[str]]:
    """For each entry of the repeat, the names of its questions shown for that entry."""
    entries = answers.get(repeat)
    shown: list[list[str]] = [[] for _ in (entries if isinstance(entries, list) else [])]
    for step in walk(form, answers):
        if step.repeat == repeat and step.item is not None and step.state is State.VISIBLE:
            shown[step.item].append(step.question.name)
    return shown


def section_progress(form: Form, answers: Mapping[str, object]) -> list[SectionProgress]:
    """Per section: required questions that apply, and how many of them are answered."""
    counts: dict[str, list[int]] = {top.name: [0, 0] for top in form.questions}
    opened: dict[str, bool] = {}
    for step in walk(form, answers):
        if step.question.name == step.section:
            opened[step.section] = step.state is not State.NO_CONSENT
        question = step.question
        if step.state is State.VISIBLE and question.answerable and question.required:
            counts[step.section][1] += 1
            counts[step.section][0] += step.answered
    return [
        SectionProgress(name, done, total, opened.get(name, True))
        for name, (done, total) in counts.items()
    ]


def indicator_counts(form: Form, answers: Mapping[str, object]) -> list[IndicatorCount]:
    """Per indicator group (form order): items marked yes / no / unknown, and all items."""
    visible = set(visible_names(form, answers))
    counts: list[IndicatorCount] = []
    for group in (q for q in form.walk() if q.indicator_group):
        items = [child for child in group.children if child.type == "yes_no_unknown"]
        marks = [
            answer_code(answers.get(item.name)) if item.name in visible else None for item in items
        ]
        counts.append(
            IndicatorCount(
                group.name,
                marks.count("yes"),
                marks.count("no"),
                marks.count("unknown"),
                len(items),
            )
        )
    return counts
