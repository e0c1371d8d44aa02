"""`intake-app centre form ...`: the interview form as an XLSForm workbook, and publishing it.

`export` writes a known form (or one language's texts of it, for a translator) as a workbook;
with a centre in the data folder the versions it published count as known (its passphrase is
asked). `import FILE.xlsx` reads a workbook, checks it with the strict form loader and the rules
of a new version, prints every problem with its sheet, row and column, and keeps the form in the
centre vault as its draft; with `--to FILE.json` it only writes the checked form's canonical JSON
(no centre needed). `preview-check`, `publish`, `retire` and `list` are in `form_publish`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre import form_publish
from intake_app.commands.centre.output import EXIT_INVALID, add_by_option, refusing, shown
from intake_app.commands.centre.unlock import open_centre
from intake_app.i18n import _, ngettext

if TYPE_CHECKING:
    from intake_app.domain.form import Form
    from intake_app.domain.registry import FormRegistry
    from intake_app.domain.xlsform import WorkbookInvalid


def register(sub: Any) -> None:
    """Add `form` and its actions to the `centre` subcommands."""
    form = sub.add_parser("form", help=_("the interview form: workbooks, publishing to laptops"))
    actions = form.add_subparsers(metavar="ACTION", required=True)

    export = actions.add_parser("export", help=_("write a form as an XLSForm workbook"))
    export.add_argument(
        "--form",
        default=None,
        metavar="ID",
        help=_("the form's id (needed when more than one form is known)"),
    )
    export.add_argument(
        "--version", default=None, metavar="V", help=_("the form's version (default: the newest)")
    )
    export.add_argument(
        "--language",
        default=None,
        metavar="LANG",
        help=_("only this language's texts, beside the default language's, for a translator"),
    )
    export.add_argument(
        "--to",
        type=Path,
        required=True,
        metavar="FILE.xlsx",
        help=_("the new workbook (it must not exist yet)"),
    )
    export.set_defaults(handler=cmd_export)

    read = actions.add_parser(
        "import",
        help=_("read and check an XLSForm workbook and keep it at the centre, ready to publish"),
    )
    read.add_argument("workbook", type=Path, metavar="FILE.xlsx")
    read.add_argument(
        "--version",
        default=None,
        metavar="V",
        help=_("the version the form gets (needed for a translator's workbook)"),
    )
    read.add_argument(
        "--to",
        type=Path,
        default=None,
        metavar="FILE.json",
        help=_(
            "only write the checked form as canonical JSON to this new file "
            "(keeps nothing at the centre)"
        ),
    )
    add_by_option(read, _("who imports (default: your user name on this computer)"))
    read.set_defaults(handler=cmd_import)
    form_publish.register(actions)


def known_form(registry: FormRegistry, form_id: str | None, version: str | None) -> Form:
    """The form named on the command line, by default the newest version of the only form."""
    from intake_app.domain.xlsform.errors import FormNeedsNaming, FormNotKnown

    ids = sorted({form.id for form in registry.forms()})
    if form_id is None:
        if len(ids) != 1:
            raise FormNeedsNaming(forms=", ".join(ids))
        form_id = ids[0]
    form = registry.latest(form_id) if version is None else registry.get(form_id, version)
    if form is None:
        raise FormNotKnown(form=form_id, version=version or "-")
    return form


def form_definition(form: Form) -> dict[str, Any]:
    """The definition file of a form built into the application, as parsed JSON."""
    from intake_app.sync.centre.form_drafts import shipped_definition

    return shipped_definition(form)


def base_lookup(registry: FormRegistry) -> Any:
    """The definitions built in here by (id, version), for a translator's workbook."""

    def lookup(form_id: str, version: str) -> Mapping[str, Any] | None:
        form = registry.get(form_id, version)
        return form_definition(form) if form is not None else None

    return lookup


def has_centre(args: argparse.Namespace) -> bool:
    """Whether the data folder holds a centre vault."""
    from intake_app.storage import Vault
    from intake_app.sync.centre.vault import centre_dir

    return Vault.exists(centre_dir(args.data_dir))


def _write_new(target: Path, data: bytes) -> bool:
    """Write a workbook or a definition the user named, whole or not at all (temp, fsync,
    rename): a kill leaves no half-written file; a folder that cannot take it is a known,
    translated error."""
    from intake_app.commands.clear_copy import new_target
    from intake_app.storage import atomic_write_bytes
    from intake_app.sync.centre.xlsx_common import known_write_errors

    if not new_target(target):
        return False
    with known_write_errors(target):
        atomic_write_bytes(target, data, 0o644)
    return True


def _known_definition(args: argparse.Namespace) -> tuple[Form, dict[str, Any]]:
    """The form to export and its definition: built in, or published by the centre here."""
    from intake_app.domain.json_text import loads_strict
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.form_versions import package_data, published_forms
    from intake_app.sync.centre.forms import centre_registry

    shipped = FormRegistry.load()
    if not has_centre(args):
        form = known_form(shipped, args.form, args.version)
        return form, form_definition(form)
    with open_centre(args) as centre, centre.vault.reading() as conn:
        form = known_form(centre_registry(shipped, published_forms(conn)), args.form, args.version)
        data = package_data(conn, form.id, form.version)
    if data is None:
        return form, form_definition(form)
    definition = loads_strict(data.decode("utf-8"))
    assert isinstance(definition, dict)
    return form, definition


def cmd_export(args: argparse.Namespace) -> int:
    from intake_app.domain.xlsform import form_workbook, translation_workbook

    form, data = _known_definition(args)
    workbook = (
        form_workbook(data) if args.language is None else translation_workbook(data, args.language)
    )
    if not _write_new(args.to, workbook):
        return EXIT_INVALID
    print(
        _(
            "Form {form} version {version} written to {file}.",
            form=form.id,
            version=form.version,
            file=str(args.to),
        )
    )
    return 0


def print_problems(invalid: WorkbookInvalid) -> None:
    """Every problem of a workbook, with its sheet, row and column, on standard error."""
    print(
        ngettext(
            "The workbook {file} cannot be used ({n} problem); nothing was written:",
            "The workbook {file} cannot be used ({n} problems); nothing was written:",
            len(invalid.problems),
            file=shown(invalid.file),
        ),
        file=sys.stderr,
    )
    for problem in invalid.problems:
        print(f"  {shown(problem.translated())}", file=sys.stderr)


def _kept_or_written(args: argparse.Namespace) -> str | None:
    if args.to is not None and args.by is not None:
        return _(
            "With --to the form is only written to the file and nothing is kept at the "
            "centre: leave out --by."
        )
    return None


@refusing(_kept_or_written)
def cmd_import(args: argparse.Namespace) -> int:
    from intake_app.domain.json_text import canonical_json
    from intake_app.domain.registry import FormRegistry
    from intake_app.domain.utc_time import utc_now
    from intake_app.domain.xlsform import WorkbookInvalid, read_form_workbook
    from intake_app.sync.centre.form_drafts import stage_workbook
    from intake_app.sync.centre.who import checked_name

    shipped = FormRegistry.load()
    try:
        if args.to is None:
            by = checked_name(args.by)
            with open_centre(args) as centre:
                staged, checked = stage_workbook(
                    centre,
                    args.workbook,
                    version=args.version,
                    shipped=shipped.forms(),
                    at=utc_now(),
                    by=by,
                )
            print(
                _(
                    "Form {form} version {version} is checked and kept at the centre, ready to "
                    "publish (“intake-app centre form publish”).",
                    form=staged.form_id,
                    version=staged.version,
                )
            )
            form_publish.print_completeness(checked)
            return 0
        data = read_form_workbook(
            args.workbook, version=args.version, base_lookup=base_lookup(shipped)
        )
    except WorkbookInvalid as invalid:
        print_problems(invalid)
        return EXIT_INVALID
    if not _write_new(args.to, canonical_json(data).encode("utf-8")):
        return EXIT_INVALID
    print(
        _(
            "Form {form} version {version} checked and written to {file}.",
            form=data["id"],
            version=data["version"],
            file=str(args.to),
        )
    )
    return 0
