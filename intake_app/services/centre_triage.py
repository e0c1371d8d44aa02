"""Triage at the centre, for the administrator's window: the interview list with what triage
sorts by, each interview's follow-up, and possible duplicates. Qt-free; the vault work runs on
the centre's vault thread (`CentreService.run`) and comes back as a Future.

`TriageTexts` says the list's answers in words through the centre's one answer renderer
(`sync.centre.answer_text`), with the labels of the form each interview was made with, in the
language asked for; it only reads the forms, so the window calls it as it paints.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from intake_app.domain.form import Form, Question, version_key
from intake_app.domain.registry import FormRegistry
from intake_app.services.centre import CentreService
from intake_app.sync.centre import records
from intake_app.sync.centre.answer_text import LIST_SEPARATOR, answer_text
from intake_app.sync.centre.follow_up import FollowUp, FollowUpRecord, follow_up, set_follow_up
from intake_app.sync.centre.triage import NEED, NEEDS, TriageRow, mark_not_duplicate, triage_rows
from intake_app.sync.centre.vault import Centre


@dataclass(frozen=True)
class TriageList:
    """Every imported interview, and which of them match the search typed (None: no search)."""

    rows: list[TriageRow]
    matches: frozenset[str] | None


def triage(service: CentreService, query: str = "") -> Future[TriageList]:
    """The interview list: every interview with its triage answers, laptop, follow-up status
    and possible duplicates, plus the ids matching `query` when it holds words."""

    def work(centre: Centre) -> TriageList:
        rows = triage_rows(centre.vault)
        if not query.strip():
            return TriageList(rows, None)
        found = records.search_interviews(centre.vault, query)
        return TriageList(rows, frozenset(interview.id for interview in found))

    return service.run(work)


def load_follow_up(service: CentreService, record_id: str) -> Future[FollowUpRecord]:
    """An interview's follow-up (status, note) and its history."""
    return service.run(lambda centre: follow_up(centre.vault, record_id))


def save_follow_up(
    service: CentreService, record_id: str, status: str | None, note: str | None
) -> Future[FollowUp]:
    """Change an interview's status and/or note (None: unchanged), in one transaction, as the
    user of this computer."""
    return service.run(
        lambda centre: set_follow_up(centre.vault, record_id, status=status, note=note)
    )


def mark_not_same_person(service: CentreService, first: str, second: str) -> Future[None]:
    """Stop flagging two interviews as possibly one person."""
    return service.run(lambda centre: mark_not_duplicate(centre.vault, first, second))


class TriageTexts:
    """The list's answers in words, in a language, with each interview's own form."""

    def __init__(self, registry: FormRegistry) -> None:
        self._registry = registry
        self._forms: dict[tuple[str, str], Form | None] = {}
        self._said: dict[tuple[str, str, str, str, str], str] = {}

    def use(self, registry: FormRegistry) -> None:
        """Say answers with `registry` from now on (the service's changes on unlock and when the
        centre publishes a version); the texts said before are forgotten only if it changed."""
        if registry is not self._registry:
            self._registry = registry
            self._forms.clear()
            self._said.clear()

    def _form(self, row: TriageRow) -> Form | None:
        key = (row.interview.form or "", row.interview.form_version or "")
        if key not in self._forms:
            form = self._registry.get(*key)
            if form is None:
                newest = self._registry.latest(key[0])
                if newest is not None and newest.version_key > _version(key[1]):
                    form = newest
            self._forms[key] = form
        return self._forms[key]

    def _say(self, row: TriageRow, question_name: str, value: object, lang: str) -> str:
        form = self._form(row)
        question: Question | None = None if form is None else form.question(question_name)
        if form is None or question is None:
            return str(value)
        key = (form.id, form.version, question_name, repr(value), lang)
        said = self._said.get(key)
        if said is None:
            said = answer_text([form], question, value, lang).replace("\n", " ")
            self._said[key] = said
        return said

    def answer(self, row: TriageRow, name: str, lang: str) -> str:
        """The answer to question `name` in words ("" when not answered)."""
        value = row.answers.get(name)
        return "" if value is None else self._say(row, name, value, lang)

    def urgent_needs(self, row: TriageRow, lang: str) -> str:
        """The needs marked urgent ("now"), in words, in the order given."""
        if NEEDS not in row.answers:
            return ""
        return LIST_SEPARATOR.join(self._say(row, NEED, code, lang) for code in row.urgent_needs())


def _version(text: str) -> tuple[int, ...]:
    """A stored form version as numbers; () for one that is not dotted numbers."""
    try:
        return version_key(text)
    except ValueError:
        return ()
