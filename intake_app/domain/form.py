"""The form model: questions, choice lists and the form itself, as loaded from a definition file.

See docs/form-format.md for the file format; `form_loader` builds these objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from intake_app.domain.expressions import Expression

QuestionType = Literal[
    "text",
    "long_text",
    "integer",
    "decimal",
    "date",
    "select_one",
    "select_multiple",
    "language",
    "country",
    "yes_no_unknown",
    "note",
    "group",
    "repeat",
]
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)
CONTAINER_TYPES = frozenset({"group", "repeat"})
#: Types that hold no answer of their own.
UNANSWERED_TYPES = frozenset({"note", "group"})
YES_NO_UNKNOWN_LIST = "yes_no_unknown"
YES_NO_UNKNOWN_CODES = ("yes", "no", "unknown")
#: The fallback chain for labels: the asked language, then English, then any.
FALLBACK_LANGUAGE = "en"
#: How far a translation can be trusted: the source text, read by a fluent person, or a draft.
TRANSLATION_STATES = frozenset({"source", "reviewed", "draft"})


def pick_label(labels: Mapping[str, str], lang: str) -> str:
    """The label in `lang`, else English, else the first one; "" when there is none."""
    if lang in labels:
        return labels[lang]
    if FALLBACK_LANGUAGE in labels:
        return labels[FALLBACK_LANGUAGE]
    return next(iter(labels.values()), "")


@dataclass(frozen=True)
class Choice:
    """One choice: a stable code and its label per language."""

    name: str
    labels: Mapping[str, str]
    relevant: Expression | None = None

    def label(self, lang: str) -> str:
        """The label in `lang` with the English fallback."""
        return pick_label(self.labels, lang)


@dataclass(frozen=True)
class ChoiceList:
    """A named list of choices used by select questions."""

    name: str
    choices: tuple[Choice, ...]

    def codes(self) -> tuple[str, ...]:
        """The codes in the order of the list."""
        return tuple(choice.name for choice in self.choices)

    def get(self, code: str) -> Choice | None:
        """The choice with this code, if any."""
        return next((choice for choice in self.choices if choice.name == code), None)


@dataclass(frozen=True)
class Question:
    """One entry of the form: a question, a note, a group or a repeat."""

    type: QuestionType
    name: str
    labels: Mapping[str, str]
    hints: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: Expression | None = None
    consent: Expression | None = None
    choices: str | None = None
    choices_from: str | None = None
    multiple: bool = False
    extra_choices: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    earliest: str | None = None
    latest: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    partial: bool = False
    languages: tuple[str, ...] | None = None
    note: bool = False
    ilo_grade: str | None = None
    indicator_group: bool = False
    max_items: int | None = None
    #: A note's own review state per language (consent texts are signed off one by one).
    translation_status: Mapping[str, str] = field(default_factory=dict)
    children: tuple[Question, ...] = ()

    def label(self, lang: str) -> str:
        """The label in `lang` with the English fallback."""
        return pick_label(self.labels, lang)

    def hint(self, lang: str) -> str:
        """The hint in `lang` with the English fallback; "" when there is none."""
        return pick_label(self.hints, lang)

    @property
    def answerable(self) -> bool:
        """Whether the question holds an answer (notes and groups do not)."""
        return self.type not in UNANSWERED_TYPES

    def walk(self) -> Iterator[Question]:
        """This question and everything inside it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ConsentGate:
    """Sections outside `open_sections` hold answers only while `condition` holds."""

    condition: Expression
    open_sections: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A publication the form content was taken from, and how."""

    id: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Form:
    """A loaded, checked form definition."""

    id: str
    version: str
    file: str
    languages: tuple[str, ...]
    default_language: str
    titles: Mapping[str, str]
    translation_status: Mapping[str, str]
    sources: tuple[Source, ...]
    consent_gate: ConsentGate | None
    questions: tuple[Question, ...]
    choice_lists: Mapping[str, ChoiceList]
    #: Said beside a text still in draft: "draft translation, confirm with the interpreter".
    draft_notices: Mapping[str, str] = field(default_factory=dict)
    _index: dict[str, Question] = field(default_factory=dict, init=False, repr=False, compare=False)
    _repeat_of: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for top in self.questions:
            for question in top.walk():
                self._index[question.name] = question
                if question.type == "repeat":
                    for child in question.children:
                        for inner in child.walk():
                            self._repeat_of[inner.name] = question.name

    @property
    def version_key(self) -> tuple[int, ...]:
        """The version as numbers, for ordering ("2026.10" after "2026.9")."""
        return version_key(self.version)

    def title(self, lang: str) -> str:
        """The form's title in `lang` with the English fallback."""
        return pick_label(self.titles, lang)

    def text_status(self, question: Question, lang: str) -> str:
        """How far `question`'s text in `lang` can be trusted: its own state, else the form's."""
        return question.translation_status.get(lang, self.translation_status.get(lang, "draft"))

    def draft_notice(self, lang: str) -> str:
        """The draft-translation notice in `lang` with the English fallback; "" if none."""
        return pick_label(self.draft_notices, lang)

    def walk(self) -> Iterator[Question]:
        """Every entry of the form in order, depth first."""
        for top in self.questions:
            yield from top.walk()

    def question(self, name: str) -> Question | None:
        """The entry with this name, if any."""
        return self._index.get(name)

    def repeat_of(self, name: str) -> str | None:
        """The repeat a question sits in (its answers live in the repeat's items), if any."""
        return self._repeat_of.get(name)

    def top_level_names(self) -> frozenset[str]:
        """Names whose answers sit directly in `answers` (not inside a repeat's items)."""
        return frozenset(
            q.name for q in self.walk() if q.answerable and q.name not in self._repeat_of
        )

    def choice_list(self, question: Question) -> ChoiceList | None:
        """The choice list a select or yes/no/unknown question draws from."""
        if question.type == "yes_no_unknown":
            return self.choice_lists.get(YES_NO_UNKNOWN_LIST)
        if question.choices is not None:
            return self.choice_lists.get(question.choices)
        if question.choices_from is not None:
            # One step only: the source must draw on a named list itself (checked on load).
            source = self.question(question.choices_from)
            if source is not None and source.choices is not None:
                return self.choice_lists.get(source.choices)
        return None


def version_key(version: str) -> tuple[int, ...]:
    """Dotted numbers as a tuple; loaders have checked the shape already."""
    return tuple(int(part) for part in version.split("."))
