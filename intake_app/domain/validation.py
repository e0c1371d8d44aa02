"""Check an interview against its form, and normalise it before saving.

`validate` reports; it never changes anything and never raises on bad answers. `normalise`
returns a copy without empty answers and without answers the form does not allow to be kept
(not relevant, no consent, choices no longer allowed), and says what it removed. Answers to
questions the form does not know are kept: they may come from another form version.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from intake_app.domain.ages import age_issues
from intake_app.domain.answers import check_value, is_empty
from intake_app.domain.document import Interview
from intake_app.domain.errors import InterviewNotValid
from intake_app.domain.expressions import evaluate
from intake_app.domain.form import Form
from intake_app.domain.issues import Issue, errors, make_issue
from intake_app.domain.relevance import State, Step, walk


def made_with(interview: Interview, form: Form) -> bool:
    """Whether the interview was made with exactly this form version."""
    return interview.form == form.id and interview.form_version == form.version


def validate(interview: Interview, form: Form, *, finalising: bool | None = None) -> list[Issue]:
    """Every problem of the interview against `form`; required answers count when finalising.

    `finalising` defaults to the interview's status being "final".
    """
    if finalising is None:
        finalising = interview.status == "final"
    issues: list[Issue] = list(_unknown(interview, form))
    for step in walk(form, interview.answers):
        issues += _step_issues(form, step, finalising)
    # Contradictory ages warn (never block); counted on the interview's day.
    issues += [
        issue
        for issue in age_issues(interview.answers, interview.created.date())
        if form.question(issue.question or "") is not None
    ]
    return issues


def require_valid(interview: Interview, form: Form, *, finalising: bool | None = None) -> None:
    """Raise InterviewNotValid (carrying the issues) when validation finds any error."""
    found = errors(validate(interview, form, finalising=finalising))
    if found:
        raise InterviewNotValid(found)


def _unknown(interview: Interview, form: Form) -> Iterator[Issue]:
    """Answers whose names the form does not hold at this level."""
    known = form.top_level_names()
    exact = made_with(interview, form)
    for name in interview.answers:
        if name in known:
            continue
        question = form.question(name)
        if question is not None and not question.answerable:
            yield make_issue("not-answerable", name)
        else:
            yield make_issue("unknown-question" if exact else "kept-read-only", name)
    for question in form.walk():
        if question.type != "repeat":
            continue
        entries = interview.answers.get(question.name)
        children = {child.name for child in question.children if child.answerable}
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            for name in entry if isinstance(entry, dict) else ():
                if name not in children:
                    code = "unknown-question" if exact else "kept-read-only"
                    yield make_issue(code, name, index)


def _step_issues(form: Form, step: Step, finalising: bool) -> list[Issue]:
    question, item = step.question, step.item
    if not question.answerable:
        return []
    if not step.answered:
        if finalising and step.state is State.VISIBLE and question.required:
            return [make_issue("required", question.name, item)]
        return []
    if step.state is State.NO_CONSENT:
        return [make_issue("no-consent", question.name, item)]
    if step.state is State.NOT_RELEVANT:
        return [make_issue("not-relevant", question.name, item)]
    found = check_value(form, question, step.value, item)
    if not found and disallowed_codes(form, step):
        found.append(make_issue("choice-not-allowed", question.name, item))
    return found


def offered_codes(form: Form, step: Step) -> frozenset[str] | None:
    """The codes a select question offers for these answers; None when nothing rules any out.

    Choices drop out when their own condition fails or, with `choices_from`, when they were
    not picked in the source question. The editor offers these; validation allows these.
    """
    question = step.question
    choice_list = form.choice_list(question)
    if question.type not in ("select_one", "select_multiple") or choice_list is None:
        return None
    conditional = any(choice.relevant is not None for choice in choice_list.choices)
    if question.choices_from is None and not conditional:
        return None
    picked = step.scope.get(question.choices_from) if question.choices_from else None
    return frozenset(
        choice.name
        for choice in choice_list.choices
        if (choice.relevant is None or evaluate(choice.relevant, step.scope))
        and (question.choices_from is None or (isinstance(picked, list) and choice.name in picked))
    )


def disallowed_codes(form: Form, step: Step) -> list[str]:
    """Codes chosen in a select question that are real choices but not offered now."""
    offered = offered_codes(form, step)
    choice_list = form.choice_list(step.question)
    if offered is None or choice_list is None:
        return []
    value = step.value
    chosen = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    known = set(choice_list.codes())
    # A code that is not a choice at all is check_value's to report, not this rule's.
    return [code for code in chosen if isinstance(code, str) and code in known - offered]


@dataclass(frozen=True)
class Normalised:
    """The interview ready to save, and what normalising removed (as warnings)."""

    interview: Interview
    removed: tuple[Issue, ...]


def normalise(interview: Interview, form: Form) -> Normalised:
    """Drop empty answers and answers the form does not allow to keep; report each removal.

    Answers to questions that are not relevant or lack consent never feed later conditions, so
    removing them changes nothing else. Removing a choice can, so after each choice removal the
    walk starts again.
    """
    answers = _without_empty(form, copy.deepcopy(dict(interview.answers)))
    removed: list[Issue] = []
    again = True
    while again:
        again = False
        for step in walk(form, answers):
            if not step.question.answerable or not step.answered:
                continue
            holder = step.answers
            assert isinstance(holder, dict)
            issue = _removal(form, step, holder)
            if issue is None:
                continue
            removed.append(issue)
            if issue.code == "dropped-choice":
                again = True
                break
    _drop_empty_entries(form, answers)
    return Normalised(interview.with_answers(answers), tuple(removed))


def _removal(form: Form, step: Step, holder: dict[str, Any]) -> Issue | None:
    name, item = step.question.name, step.item
    if step.state is State.NO_CONSENT:
        del holder[name]
        return make_issue("dropped-no-consent", name, item)
    if step.state is State.NOT_RELEVANT:
        del holder[name]
        return make_issue("dropped-not-relevant", name, item)
    bad = disallowed_codes(form, step)
    if not bad:
        return None
    if isinstance(holder[name], list):
        holder[name] = [code for code in holder[name] if code not in bad]
        if not holder[name]:
            del holder[name]
    else:
        del holder[name]
    return make_issue("dropped-choice", name, item)


def _without_empty(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in answers.items():
        if is_empty(value):
            continue
        if _indicator_without_note(form, name, value):
            # An indicator answer whose note is empty is stored as its bare code.
            value = value["value"]
            if is_empty(value):
                continue
        if isinstance(value, list) and value and all(isinstance(e, dict) for e in value):
            value = [_without_empty(form, entry) for entry in value]
        cleaned[name] = value
    return cleaned


def _indicator_without_note(form: Form, name: str, value: object) -> bool:
    question = form.question(name)
    return (
        question is not None
        and question.type == "yes_no_unknown"
        and question.note
        and isinstance(value, dict)
        and "value" in value
        and set(value) <= {"value", "note"}
        and is_empty(value.get("note"))
    )


def _drop_empty_entries(form: Form, answers: dict[str, Any]) -> None:
    """Remove repeat entries left with no answers, and repeats left with no entries."""
    for question in [q for q in form.walk() if q.type == "repeat"]:
        entries = answers.get(question.name)
        if isinstance(entries, list):
            kept = [entry for entry in entries if not (isinstance(entry, dict) and not entry)]
            if kept:
                answers[question.name] = kept
            else:
                del answers[question.name]
