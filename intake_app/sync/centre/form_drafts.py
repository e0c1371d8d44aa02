"""From an XLSForm workbook to a staged draft: read, check as publishing would, keep.

`check_workbook` reads a workbook (`domain.xlsform.read_form_workbook`: size, ZIP and macro
checks, pyxform's reader, the strict form loader) and then applies the rules of a new version
(`form_versions.check_new_version`). A translator's workbook names its base form by id and
version; the base is looked up among the forms built into the application and the versions
the centre published. `stage_workbook` does the same and keeps the definition as its form's
draft, in one transaction. `check_draft` checks a staged draft again (another version may have
been published since). Nothing here writes to the share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_app.domain import resources
from intake_app.domain.completeness import LanguageCompleteness, translation_report
from intake_app.domain.form import Form
from intake_app.domain.form_loader import form_from_data
from intake_app.domain.json_text import loads_strict
from intake_app.domain.xlsform import BaseLookup, read_form_workbook
from intake_app.sync.centre import form_versions as versions
from intake_app.sync.centre.form_errors import FormDraftNotFound, FormVersionUnchanged
from intake_app.sync.centre.form_versions import Connection, StagedForm
from intake_app.sync.centre.vault import Centre


@dataclass(frozen=True)
class CheckedForm:
    """A definition that passed every check: ready to stage or publish.

    `new` is False when exactly this version is published already (publishing it again only
    writes the share again)."""

    definition: dict[str, Any]
    form: Form
    new: bool

    @property
    def completeness(self) -> list[LanguageCompleteness]:
        """How complete each language's texts are (missing texts do not stop publishing)."""
        return translation_report(self.form)


def shipped_definition(form: Form) -> dict[str, Any]:
    """The definition file of a form built into the application, as parsed JSON."""
    data = loads_strict((resources.forms_dir() / form.file).read_text(encoding="utf-8"))
    if not isinstance(data, dict):  # pragma: no cover - the registry loaded it
        raise ValueError("a built-in form file holds no object")
    return data


def base_lookup(conn: Connection, shipped: Sequence[Form]) -> BaseLookup:
    """The definitions a translator's workbook may name: built in, or published here."""

    def lookup(form_id: str, version: str) -> Mapping[str, Any] | None:
        data = versions.package_data(conn, form_id, version)
        if data is not None:
            found = loads_strict(data.decode("utf-8"))
            return found if isinstance(found, dict) else None
        for form in shipped:
            if (form.id, form.version) == (form_id, version):
                return shipped_definition(form)
        return None

    return lookup


def _checked(
    conn: Connection, shipped: Sequence[Form], definition: dict[str, Any], file: str
) -> CheckedForm:
    from intake_app.sync.format.form_package import package_bytes

    data = package_bytes(definition)
    new = versions.check_new_version(conn, shipped, data)
    return CheckedForm(definition, form_from_data(definition, file), new)


def check_workbook(
    centre: Centre, path: Path, *, version: str | None, shipped: Sequence[Form]
) -> CheckedForm:
    """Read and check a workbook as publishing would; raises `WorkbookInvalid` (every problem
    with its sheet, row and column) or one of `form_versions`' known errors."""
    with centre.vault.reading() as conn:
        definition = read_form_workbook(
            path, version=version, base_lookup=base_lookup(conn, shipped)
        )
        return _checked(conn, shipped, definition, path.name)


def stage_workbook(
    centre: Centre, path: Path, *, version: str | None, shipped: Sequence[Form], at: str, by: str
) -> tuple[StagedForm, CheckedForm]:
    """Check a workbook (`check_workbook`) and keep it as its form's draft; a version
    published with exactly these contents is `FormVersionUnchanged` (nothing kept)."""
    checked = check_workbook(centre, path, version=version, shipped=shipped)
    with centre.vault.transaction() as conn:
        checked = _checked(conn, shipped, checked.definition, path.name)
        if not checked.new:
            raise FormVersionUnchanged(form=checked.form.id, version=checked.form.version)
        staged = versions.stage_draft(conn, checked.definition, source=path.name, at=at, by=by)
    return staged, checked


def check_draft(centre: Centre, form_id: str, *, shipped: Sequence[Form]) -> CheckedForm:
    """Check a staged draft again as publishing would (`FormDraftNotFound` when none)."""
    with centre.vault.reading() as conn:
        data = versions.draft_data(conn, form_id)
        if data is None:
            raise FormDraftNotFound(form=form_id)
        definition = loads_strict(data.decode("utf-8"))
        return _checked(conn, shipped, definition, f"{form_id} (draft)")
