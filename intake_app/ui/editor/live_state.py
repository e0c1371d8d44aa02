"""What the editor shows as answers change: which questions apply, which choices are offered,
and the validation messages next to the questions. Pure computation over the domain layer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from intake_app.domain.document import Interview
from intake_app.domain.expressions import evaluate
from intake_app.domain.form import Form
from intake_app.domain.issues import Issue
from intake_app.domain.relevance import State, Step, walk
from intake_app.domain.validation import validate
from intake_app.ui.editor.question_row import Key

# Hidden answers are dropped when finishing; saying so next to an invisible question helps nobody.
_NOT_SHOWN = frozenset({"not-relevant", "no-consent", "unknown-question", "kept-read-only"})
_WARNINGS_SHOWN = frozenset({"ages-disagree"})


def issue_key(issue: Issue) -> Key:
    """The editor block an issue belongs to."""
    return (issue.question or "", issue.item)


@dataclass
class Shown:
    """The result of one update: visible blocks and the choices offered where they depend."""

    visible: set[Key] = field(default_factory=set)
    allowed_codes: dict[Key, frozenset[str] | None] = field(default_factory=dict)


def _allowed(form: Form, step: Step) -> frozenset[str] | None:
    question = step.question
    choice_list = form.choice_list(question)
    if choice_list is None:
        return None
    conditional = question.choices_from is not None or any(
        c.relevant is not None for c in choice_list.choices
    )
    if not conditional:
        return None
    source = step.scope.get(question.choices_from) if question.choices_from else None
    codes = set()
    for choice in choice_list.choices:
        if choice.relevant is not None and not evaluate(choice.relevant, step.scope):
            continue
        if question.choices_from is not None and not (
            isinstance(source, list) and choice.name in source
        ):
            continue
        codes.add(choice.name)
    return frozenset(codes)


class LiveState:
    """Keeps the latest relevance walk and validation issues for the editor."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.last_errors: list[Issue] = []
        # The last validation and what it was of: a language switch re-words the messages
        # without validating the same answers again.
        self._validated: tuple[Interview, bool, list[Issue]] | None = None

    def _issues(self, interview: Interview, finishing: bool) -> list[Issue]:
        cached = self._validated
        if cached is not None and cached[1] == finishing and cached[0] == interview:
            return cached[2]
        issues = validate(interview, self.form, finalising=finishing)
        self._validated = (interview, finishing, issues)
        return issues

    def update(self, answers: Mapping[str, object]) -> Shown:
        """Which blocks are visible for these answers."""
        shown = Shown()
        for step in walk(self.form, answers):
            key = (step.question.name, step.item)
            if step.state is State.VISIBLE:
                shown.visible.add(key)
                if step.question.type in ("select_one", "select_multiple"):
                    shown.allowed_codes[key] = _allowed(self.form, step)
        return shown

    def messages(self, interview: Interview, finishing: bool, lang: str) -> dict[Key, str]:
        """The first message per question, in the current language, naming the question."""
        issues = self._issues(interview, finishing)
        errors = [issue for issue in issues if issue.severity == "error"]
        self.last_errors = [issue for issue in errors if issue.code not in _NOT_SHOWN]
        # Warnings (ages that disagree) inform beside the question, after any error there.
        warnings = [issue for issue in issues if issue.code in _WARNINGS_SHOWN]
        found: dict[Key, str] = {}
        for issue in [*self.last_errors, *warnings]:
            key = issue_key(issue)
            if key in found:
                continue
            question = self.form.question(issue.question or "")
            label = question.label(lang) if question is not None else None
            found[key] = issue.translated(label)
        return found
