"""Known errors of the domain layer: files that are not interview documents, broken form files.

Messages never hold answer values: their fields are field names, positions, codes and counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake_app.domain.issues import Issue
from intake_app.errors import KnownError
from intake_app.i18n.core import N_, gettext, ngettext


class NotADocument(KnownError):
    """The bytes are not an interview document at all (not JSON, wrong envelope, bad field)."""

    code = "not-a-document"
    message = N_("This is not an interview document that Intake can read: {problem}")

    def __init__(self, problem: str, **problem_fields: object) -> None:
        # `problem` is itself a msgid with its own named fields; it is translated on display.
        self.problem = problem
        self.problem_fields = problem_fields
        super().__init__(problem=problem.format(**problem_fields) if problem_fields else problem)

    def translated(self) -> str:
        """The message in the current language, with the problem translated too."""
        return gettext(self.message, problem=gettext(self.problem, **self.problem_fields))


class DocumentTooNew(KnownError):
    """The document was written by a newer version of Intake."""

    code = "document-too-new"
    message = N_(
        "This interview was saved by a newer version of Intake (document version {version}). "
        "Install the newer version to open it; nothing was changed."
    )


@dataclass(frozen=True)
class FormProblem:
    """One thing wrong in a form definition file."""

    file: str
    question: str  # the question or choice list concerned, or "" for the whole form
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.question}" if self.question else self.file
        return f"{where}: {self.reason}"


class FormInvalid(KnownError):
    """A form definition file does not follow docs/form-format.md."""

    code = "form-invalid"
    message = N_("The form file {file} is not valid. First: {question}: {reason}")

    def __init__(self, problems: Sequence[FormProblem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(
            file=first.file,
            count=len(self.problems),
            question=first.question or "-",
            reason=first.reason,
        )

    def translated(self) -> str:
        """The message with the number of problems in the right plural form."""
        return ngettext(
            "The form file {file} is not valid ({n} problem). First: {question}: {reason}",
            "The form file {file} is not valid ({n} problems). First: {question}: {reason}",
            len(self.problems),
            **{k: v for k, v in self.fields.items() if k != "count"},
        )



class InterviewNotValid(KnownError):
    """The interview does not pass the checks against its form; `issues` says what is wrong."""

    code = "interview-not-valid"
    message = N_("The interview did not pass the checks. Nothing was saved.")

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(count=len(self.issues))

    def translated(self) -> str:
        """The message with the number of problems in the right plural form."""
        return ngettext(
            "The interview did not pass the checks ({n} problem). Nothing was saved.",
            "The interview did not pass the checks ({n} problems). Nothing was saved.",
            len(self.issues),
        )

