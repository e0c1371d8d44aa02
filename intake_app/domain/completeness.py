"""How complete a form's translations are: every label, hint and choice in every form language.

Missing texts do not stop a form from loading (labels fall back to English); this report lists
them so translators and tests can see what is left.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from intake_app.domain.form import Form


@dataclass(frozen=True)
class LanguageCompleteness:
    """For one language: how many texts the form has, and which are missing."""

    language: str
    status: str  # the form's translation_status: source, reviewed or draft
    total: int
    missing: tuple[str, ...]

    @property
    def translated(self) -> int:
        """Texts present in this language."""
        return self.total - len(self.missing)


def _texts(form: Form) -> Iterator[tuple[str, Mapping[str, str]]]:
    """(where, texts by language) for everything the form shows."""
    yield "title", form.titles
    if form.draft_notices:
        yield "draft_notice", form.draft_notices
    for question in form.walk():
        yield f"{question.name}.label", question.labels
        if question.hints:
            yield f"{question.name}.hint", question.hints
    for name, choice_list in form.choice_lists.items():
        for choice in choice_list.choices:
            yield f"choices.{name}.{choice.name}", choice.labels


def translation_report(form: Form) -> list[LanguageCompleteness]:
    """One entry per form language, in the form's order."""
    texts = list(_texts(form))
    return [
        LanguageCompleteness(
            language=lang,
            status=form.translation_status.get(lang, "draft"),
            total=len(texts),
            missing=tuple(where for where, by_lang in texts if lang not in by_lang),
        )
        for lang in form.languages
    ]


def format_report(form: Form) -> str:
    """The report as plain text, one line per language plus the first missing texts."""
    lines = [f"{form.id} {form.version}: translation completeness"]
    for entry in translation_report(form):
        lines.append(
            f"  {entry.language:6} {entry.status:8} {entry.translated}/{entry.total}"
            + (f"  missing: {', '.join(entry.missing[:5])}" if entry.missing else "")
            + (" ..." if len(entry.missing) > 5 else "")
        )
    return "\n".join(lines)
