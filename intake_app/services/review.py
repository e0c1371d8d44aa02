"""The review before finishing: every section with its answers in words and its problems, as
the interview would be saved now. Qt-free; the editor's review page shows it.

Answers are said the way the centre says them (`sync.centre.answer_text`: choices by their
labels, dates in the language's format, free texts with their language), so a worker and an
administrator read the same words. Problems are validation's issues as finishing would find
them: errors stop finishing, warnings (ages that disagree) only inform.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from intake_app.domain.answers import is_empty
from intake_app.domain.document import Interview
from intake_app.domain.form import Form, Question
from intake_app.domain.issues import Issue
from intake_app.domain.progress import section_progress
from intake_app.domain.validation import normalise, validate
from intake_app.sync.centre.answer_text import answer_text

Key = tuple[str, int | None]  # (question name, repeat entry or None), as the editor's blocks
# Issues the review leaves out: answers kept from another form version are shown as they are.
_NOT_SAID = frozenset({"kept-read-only"})


@dataclass(frozen=True)
class ReviewProblem:
    """One problem, in the UI language, naming its question by its label."""

    key: Key
    text: str
    blocking: bool  # an error: the interview cannot be finished until it is fixed


@dataclass(frozen=True)
class ReviewLine:
    """A sub-heading (`answer` None) or an answered question."""

    key: Key
    label: str
    second_label: str  # the label in the second language, "" when none or the same
    answer: str | None
    depth: int  # 0 directly in the section, 1 in a group inside it, ...


@dataclass(frozen=True)
class ReviewSection:
    name: str
    title: str
    second_title: str
    open: bool  # False while the consent it needs is missing
    lines: tuple[ReviewLine, ...]
    problems: tuple[ReviewProblem, ...]


@dataclass(frozen=True)
class Review:
    sections: tuple[ReviewSection, ...]
    to_fix: tuple[ReviewProblem, ...]  # every problem: unanswered required questions first

    @property
    def blocking(self) -> tuple[ReviewProblem, ...]:
        """The problems that stop finishing."""
        return tuple(problem for problem in self.to_fix if problem.blocking)


def review(interview: Interview, form: Form, lang: str, second: str | None = None) -> Review:
    """The review of `interview` as finishing would save it, in `lang` (labels also in
    `second` when given)."""
    normalised = normalise(interview.with_status("final"), form).interview
    issues = [i for i in validate(normalised, form, finalising=True) if i.code not in _NOT_SAID]
    problems = [_problem(form, issue, lang) for issue in issues]
    opened = {item.section: item.open for item in section_progress(form, normalised.answers)}
    section_of = {q.name: top.name for top in form.questions for q in top.walk()}
    first = form.questions[0].name if form.questions else ""
    sections = []
    for top in form.questions:
        own = tuple(p for p in problems if section_of.get(p.key[0], first) == top.name)
        lines = tuple(_lines(form, _children(top), normalised.answers, lang, second, 0))
        sections.append(
            ReviewSection(
                top.name,
                top.label(lang),
                _second(top, lang, second),
                opened.get(top.name, True),
                lines,
                own,
            )
        )
    order = sorted(
        range(len(problems)),
        key=lambda n: (not problems[n].blocking, issues[n].code != "required", n),
    )
    return Review(tuple(sections), tuple(problems[n] for n in order))


def _children(section: Question) -> Sequence[Question]:
    return section.children if section.type == "group" else (section,)


def _problem(form: Form, issue: Issue, lang: str) -> ReviewProblem:
    question = form.question(issue.question or "")
    label = question.label(lang) if question is not None else None
    return ReviewProblem(
        (issue.question or "", issue.item), issue.translated(label), issue.severity == "error"
    )


def _second(question: Question, lang: str, second: str | None) -> str:
    if second is None or second == lang:
        return ""
    text = question.label(second)
    return "" if text == question.label(lang) else text


def _lines(
    form: Form,
    questions: Sequence[Question],
    answers: Mapping[str, object],
    lang: str,
    second: str | None,
    depth: int,
) -> Iterator[ReviewLine]:
    """The answered questions in form order; a group's heading only when it holds answers."""
    for question in questions:
        if question.type == "group":
            inner = list(_lines(form, question.children, answers, lang, second, depth + 1))
            if inner:
                key = (question.name, None)
                label, other = question.label(lang), _second(question, lang, second)
                yield ReviewLine(key, label, other, None, depth)
                yield from inner
            continue
        if not question.answerable:
            continue
        value = answers.get(question.name)
        if is_empty(value):
            continue
        yield ReviewLine(
            (question.name, None),
            question.label(lang),
            _second(question, lang, second),
            answer_text([form], question, value, lang),
            depth,
        )
