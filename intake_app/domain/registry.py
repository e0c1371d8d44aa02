"""The forms the application knows, and which form opens a given interview.

An interview keeps the form id and version it was made with. It opens with exactly that version
when known; otherwise with the newest known version of the same form that is newer than it
(question names keep their meaning across versions, so answers carry over; answers the newer
version does not know are kept and shown read-only); otherwise it is shown raw and read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

from intake_app.domain.document import Interview
from intake_app.domain.errors import FormInvalid, FormProblem
from intake_app.domain.form import Form, version_key
from intake_app.domain.form_loader import load_form
from intake_app.domain.resources import forms_dir


@dataclass(frozen=True)
class OpenedInterview:
    """An interview with the form that opens it; `read_only` holds answers that form lacks."""

    interview: Interview
    form: Form
    exact: bool  # opened with the very version it was made with
    read_only: Mapping[str, Any]


@dataclass(frozen=True)
class RawInterview:
    """An interview whose form is unknown here: shown as raw answers, read-only, never dropped."""

    interview: Interview

    @property
    def answers(self) -> Mapping[str, Any]:
        """The answers exactly as stored, read-only."""
        return MappingProxyType(dict(self.interview.answers))

    @property
    def read_only(self) -> bool:
        """Always true: without its form the interview cannot be edited safely."""
        return True


class FormRegistry:
    """Every known form version, by id and version."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self._forms: dict[tuple[str, str], Form] = {}
        problems: list[FormProblem] = []
        for form in forms:
            key = (form.id, form.version)
            if key in self._forms:
                reason = f"form {form.id} {form.version} is also defined in {self._forms[key].file}"
                problems.append(FormProblem(form.file, "", reason))
            self._forms[key] = form
        if problems:
            raise FormInvalid(problems)

    @classmethod
    def load(cls, folder: Traversable | None = None) -> FormRegistry:
        """Load every *.json form file in `folder` (default: the bundled forms); strict."""
        folder = folder if folder is not None else forms_dir()
        files = sorted(
            (
                entry
                for entry in folder.iterdir()
                if entry.is_file() and entry.name.endswith(".json")
            ),
            key=lambda entry: entry.name,
        )
        return cls(load_form(entry) for entry in files)

    def forms(self) -> list[Form]:
        """All known forms, by id then version."""
        return sorted(self._forms.values(), key=lambda f: (f.id, f.version_key))

    def get(self, form_id: str, version: str) -> Form | None:
        """Exactly this form version, if known."""
        return self._forms.get((form_id, version))

    def latest(self, form_id: str) -> Form | None:
        """The newest known version of a form, if any."""
        versions = [form for (fid, _), form in self._forms.items() if fid == form_id]
        return max(versions, key=lambda f: f.version_key, default=None)

    def form_for(self, interview: Interview) -> Form | None:
        """The form that opens this interview: its own version, else the newest newer one."""
        exact = self.get(interview.form, interview.form_version)
        if exact is not None:
            return exact
        newest = self.latest(interview.form)
        if newest is not None and newest.version_key > version_key(interview.form_version):
            return newest
        return None  # unknown form, or only older versions: an older form cannot read it

    def open(self, interview: Interview) -> OpenedInterview | RawInterview:
        """The interview with its form, or a raw read-only view when no known form fits."""
        form = self.form_for(interview)
        if form is None:
            return RawInterview(interview)
        known = form.top_level_names()
        extra = {k: v for k, v in interview.answers.items() if k not in known}
        exact = form.version == interview.form_version
        return OpenedInterview(interview, form, exact, MappingProxyType(extra))
