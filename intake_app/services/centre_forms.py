"""The Forms tab's way to the centre (issue 18): list, import, preview, publish, retire.

Qt-free. Every function takes the window's `CentreService` and returns a
`concurrent.futures.Future` whose work runs on the centre's vault thread (`service.run`); the
window brings the result to its own thread with `intake_app.ui.tasks` as for every other tab.
A known error (`intake_app.errors.KnownError`, e.g. `FormVersionPublished`, `ShareWriteFailed`)
comes out of the future as the exception, with a translated message for the person.

- `list_versions(service)` -> `list[FormVersionRow]`: every version built in, published
  (current or retired, with when and by whom) and waiting to be published (a draft), by form
  id then version: the rows of the tab's table.
- `check_workbook(service, path, version=None)` -> `WorkbookCheck`: reads and checks a workbook
  as publishing would, keeps nothing. `problems` lists every problem with its sheet, row and
  column (`WorkbookProblem.translated()` says where and why in the current language); when
  there are none, `form` is the form to preview and `completeness` how complete each language
  is. A version rule that fails (already published, built in, not newer) raises.
- `import_workbook(service, path, version=None, by=None)` -> `WorkbookCheck`: the same, and when
  there are no problems the form is kept as its draft (replacing an earlier draft of that form):
  `staged` is set.
- `draft_form(service, form_id)` -> `Form`: a waiting draft, checked again, for the preview
  (open it in the worker's editor read-only; any language, side by side).
- `version_form(service, form_id, version)` -> `Form`: a built-in or published version.
- `publish(service, form_id=None, by=None)` -> `Published`: the draft becomes a new version,
  its signed package and the form list are written to the share; `FormsNotOnShare` when only
  the list could not be written (the version is published; `write_share_again` repairs).
- `retire(service, form_id, version, by=None)` -> `Retired`.
- `write_share_again(service)` -> `FormIndex`: every published package and the list, again.

`by` is who acts (shown in the table); None is the computer's user name. After `publish` the
service's `registry()` knows the new version, so interviews made with it show with their form.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from intake_app.domain.completeness import LanguageCompleteness
from intake_app.domain.form import Form, version_key
from intake_app.domain.utc_time import utc_now
from intake_app.domain.xlsform import WorkbookInvalid, WorkbookProblem
from intake_app.services.centre import CentreService
from intake_app.sync.centre import form_drafts, form_publish, form_versions
from intake_app.sync.centre.form_errors import FormVersionNotFound
from intake_app.sync.centre.form_publish import Published, Retired
from intake_app.sync.centre.form_versions import StagedForm
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.who import checked_name
from intake_app.sync.format.form_package import FormIndex

BUILT_IN = "built-in"
PUBLISHED = "published"
DRAFT = "draft"


@dataclass(frozen=True)
class FormVersionRow:
    """One row of the Forms tab: a form version and where it stands.

    `source` is "built-in", "published" or "draft"; `state` is "current", "retired" or "draft"
    (a built-in version counts as current: every laptop has it). The times are stored UTC
    times (`...Z`; `sync.centre.texts.when` puts them in words), the names as given."""

    form_id: str
    version: str
    source: str
    state: str
    published: str | None = None
    published_by: str | None = None
    retired: str | None = None
    retired_by: str | None = None
    file: str | None = None  # a draft's workbook file name
    staged: str | None = None
    staged_by: str | None = None


@dataclass(frozen=True)
class WorkbookCheck:
    """A workbook read and checked: its problems, or the form it holds."""

    file: str
    problems: tuple[WorkbookProblem, ...] = ()
    form: Form | None = None
    completeness: tuple[LanguageCompleteness, ...] = field(default=())
    staged: StagedForm | None = None  # set by `import_workbook` when the draft was kept

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(centre: Centre, built_in: list[Form]) -> list[FormVersionRow]:
    with centre.vault.reading() as conn:
        published = form_versions.published_versions(conn)
        drafts = form_versions.drafts(conn)
    rows = [FormVersionRow(f.id, f.version, BUILT_IN, "current") for f in built_in]
    rows += [
        FormVersionRow(
            v.form_id,
            v.version,
            PUBLISHED,
            v.state.value,
            v.published,
            v.published_by,
            v.retired,
            v.retired_by,
        )
        for v in published
    ]
    rows += [
        FormVersionRow(
            d.form_id,
            d.version,
            DRAFT,
            DRAFT,
            file=d.source,
            staged=d.staged,
            staged_by=d.staged_by,
        )
        for d in drafts
    ]
    order = {BUILT_IN: 0, PUBLISHED: 1, DRAFT: 2}
    return sorted(rows, key=lambda r: (r.form_id, version_key(r.version), order[r.source]))


def list_versions(service: CentreService) -> Future[list[FormVersionRow]]:
    """Every form version: built in, published, waiting (see the module docstring)."""
    built_in = service.built_in_forms().forms()
    return service.run(lambda centre: _rows(centre, built_in))


def _check(
    centre: Centre, path: Path, version: str | None, built_in: list[Form], stage_by: str | None
) -> WorkbookCheck:
    try:
        if stage_by is None:
            checked = form_drafts.check_workbook(centre, path, version=version, shipped=built_in)
            staged = None
        else:
            staged, checked = form_drafts.stage_workbook(
                centre, path, version=version, shipped=built_in, at=utc_now(), by=stage_by
            )
    except WorkbookInvalid as invalid:
        return WorkbookCheck(path.name, invalid.problems)
    return WorkbookCheck(path.name, (), checked.form, tuple(checked.completeness), staged)


def check_workbook(
    service: CentreService, path: Path, version: str | None = None
) -> Future[WorkbookCheck]:
    """Read and check a workbook as publishing would; keep nothing."""
    built_in = service.built_in_forms().forms()
    return service.run(lambda centre: _check(centre, Path(path), version, built_in, None))


def import_workbook(
    service: CentreService, path: Path, version: str | None = None, by: str | None = None
) -> Future[WorkbookCheck]:
    """Read and check a workbook; without problems, keep it as its form's draft."""
    built_in = service.built_in_forms().forms()
    return service.run(
        lambda centre: _check(centre, Path(path), version, built_in, checked_name(by))
    )


def draft_form(service: CentreService, form_id: str) -> Future[Form]:
    """A waiting draft as a form, checked again, for the preview."""
    built_in = service.built_in_forms().forms()
    return service.run(
        lambda centre: form_drafts.check_draft(centre, form_id, shipped=built_in).form
    )


def _version_form(service: CentreService, centre: Centre, form_id: str, version: str) -> Form:
    with centre.vault.reading() as conn:
        data = form_versions.package_data(conn, form_id, version)
    if data is not None:
        return form_versions.load_definition(data, f"{form_id}_{version}.json")
    form = service.built_in_forms().get(form_id, version)
    if form is None:
        raise FormVersionNotFound(form=form_id, version=version)
    return form


def version_form(service: CentreService, form_id: str, version: str) -> Future[Form]:
    """A built-in or published version as a form, for the preview."""
    return service.run(lambda centre: _version_form(service, centre, form_id, version))


def publish(
    service: CentreService, form_id: str | None = None, by: str | None = None
) -> Future[Published]:
    """Publish a waiting draft (that of `form_id`, or the only one) as a new version."""
    built_in = service.built_in_forms().forms()

    def work(centre: Centre) -> Published:
        name = checked_name(by)
        try:
            return form_publish.publish_draft(centre, form_id, shipped=built_in, by=name)
        finally:
            service.use_published_forms(centre)  # also when only the share's list failed

    return service.run(work)


def retire(
    service: CentreService, form_id: str, version: str, by: str | None = None
) -> Future[Retired]:
    """Retire a published version: laptops start no new interviews with it."""
    return service.run(
        lambda centre: form_publish.retire_form(
            centre, form_id, version, by=checked_name(by)
        )
    )


def write_share_again(service: CentreService) -> Future[FormIndex]:
    """Write every published version and the form list to the share again."""
    return service.run(form_publish.write_forms_to_share)
