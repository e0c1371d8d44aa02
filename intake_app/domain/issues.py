"""What validation finds: one `Issue` per problem, with a stable code and a translatable message.

Messages never include answer values (they may be personal data); their fields are question
names, limits and counts. The UI may pass the question's label in place of its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from intake_app.i18n.core import N_, gettext

Severity = Literal["error", "warning"]

#: code -> (severity, msgid). One place for every issue the domain reports.
MESSAGES: Mapping[str, tuple[Severity, str]] = {
    "unknown-question": ("error", N_("“{question}” is not a question of this form.")),
    "kept-read-only": (
        "warning",
        N_("“{question}” is not in this form version; its answer is kept and shown read-only."),
    ),
    "not-answerable": ("error", N_("“{question}” is a heading or note and takes no answer.")),
    "wrong-type": ("error", N_("The answer to “{question}” should be {expected}.")),
    "not-a-choice": ("error", N_("The answer to “{question}” is not one of its choices.")),
    "choice-not-allowed": (
        "error",
        N_("A choice made for “{question}” is not allowed by the earlier answers."),
    ),
    "duplicate-choice": ("error", N_("“{question}” lists the same choice twice.")),
    "too-small": ("error", N_("The answer to “{question}” must be at least {limit}.")),
    "too-large": ("error", N_("The answer to “{question}” must be at most {limit}.")),
    "too-short": ("error", N_("The answer to “{question}” must be at least {limit} characters.")),
    "too-long": ("error", N_("The answer to “{question}” must be at most {limit} characters.")),
    "line-break": ("error", N_("The answer to “{question}” must be a single line.")),
    "bad-date": (
        "error",
        N_("The date in “{question}” is not a real date in the form YYYY-MM-DD."),
    ),
    "partial-date": ("error", N_("“{question}” needs a full date (year, month and day).")),
    "date-too-early": ("error", N_("The date in “{question}” must not be before {limit}.")),
    "date-too-late": ("error", N_("The date in “{question}” must not be after {limit}.")),
    "bad-language-tag": (
        "error",
        N_("The text of “{question}” needs a known language code."),
    ),
    "language-not-allowed": (
        "error",
        N_("The text of “{question}” must be in one of: {allowed}."),
    ),
    "too-many-items": ("error", N_("“{question}” has more than {limit} entries.")),
    "not-relevant": (
        "error",
        N_("“{question}” does not apply given the earlier answers, so it must stay empty."),
    ),
    "no-consent": (
        "error",
        N_("“{question}” may only be answered with the consent it needs."),
    ),
    "required": ("error", N_("“{question}” must be answered before the interview is final.")),
    "ages-disagree": (
        "warning",
        N_(
            "“{question}” does not agree with the other answers about the person's age. "
            "Check the age in the consent section, the date of birth and the age group."
        ),
    ),
    "dropped-not-relevant": (
        "warning",
        N_("The answer to “{question}” was removed: it no longer applies."),
    ),
    "dropped-no-consent": (
        "warning",
        N_("The answer to “{question}” was removed: the consent it needs is not given."),
    ),
    "dropped-choice": (
        "warning",
        N_("A choice in “{question}” was removed: the earlier answers no longer allow it."),
    ),
}


#: What `wrong-type` says an answer should be, per question type (msgids).
EXPECTED: Mapping[str, str] = {
    "text": N_("a line of text"),
    "long_text": N_("a text with its language"),
    "integer": N_("a whole number"),
    "decimal": N_("a number"),
    "date": N_("a date"),
    "select_one": N_("one choice"),
    "select_multiple": N_("a list of choices"),
    "language": N_("a language"),
    "language_list": N_("a list of languages"),
    "country": N_("a country"),
    "country_list": N_("a list of countries"),
    "yes_no_unknown": N_("yes, no or unknown"),
    "yes_no_unknown_note": N_("yes, no or unknown, with an optional note"),
    "repeat": N_("a list of entries"),
    "repeat_item": N_("an entry with answers"),
}


@dataclass(frozen=True)
class Issue:
    """One problem in an interview: which question, what kind (`code`), and its message."""

    question: str | None
    code: str
    fields: Mapping[str, object] = field(default_factory=dict)
    item: int | None = None  # the index of the repeat entry, for questions inside a repeat

    @property
    def severity(self) -> Severity:
        """ "error" blocks saving; "warning" only informs."""
        return MESSAGES[self.code][0]

    @property
    def message(self) -> str:
        """The English msgid (for logs and extraction)."""
        return MESSAGES[self.code][1]

    def translated(self, question_label: str | None = None) -> str:
        """The message in the current language, naming the question by `question_label` if given."""
        name = question_label or self.question or ""
        fields = {**self.fields, "question": name}
        if isinstance(fields.get("expected"), str):
            fields["expected"] = gettext(str(fields["expected"]))
        return gettext(self.message, **fields)

    def __str__(self) -> str:
        where = self.question or "-"
        if self.item is not None:
            where = f"{where}[{self.item}]"
        return f"{where}: {self.code}"


def make_issue(code: str, question: str | None, item: int | None = None, **fields: object) -> Issue:
    """An Issue with a code from MESSAGES (unknown codes are a bug and raise KeyError)."""
    if code not in MESSAGES:
        raise KeyError(code)
    return Issue(question=question, code=code, fields=fields, item=item)


def errors(issues: list[Issue]) -> list[Issue]:
    """Only the issues that block saving."""
    return [issue for issue in issues if issue.severity == "error"]
