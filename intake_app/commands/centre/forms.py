"""`intake-app centre form export|import`: the interview form as an XLSForm workbook.

`export` writes a known form (or one language's texts of it, for a translator) as a workbook;
`import` reads a workbook back, checks it with the strict form loader and prints every problem
with its sheet, row and column, or writes the form's canonical JSON. Neither publishes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.i18n import _, ngettext

if TYPE_CHECKING:
    from intake_app.domain.form import Form
    from intake_app.domain.registry import FormRegistry

EXIT_INVALID = 2


def register(sub: Any) -> None:
    """Add `form` and its actions to the `centre` subcommands."""
    form = sub.add_parser("form", help=_("the interview form as an XLSForm workbook"))
    actions = form.add_subparsers(metavar="ACTION", required=True)

    export = actions.add_parser("export", help=_("write a form as an XLSForm workbook"))
    export.add_argument("--form", default=None, metavar="ID",
                        help=_("the form's id (needed when more than one form is known)"))
    export.add_argument("--version", default=None, metavar="V",
                        help=_("the form's version (default: the newest)"))
    export.add_argument("--language", default=None, metavar="LANG",
                        help=_("only this language's texts, beside the default language's, "
                               "for a translator"))
    export.add_argument("--to", type=Path, required=True, metavar="FILE.xlsx",
                        help=_("the new workbook (it must not exist yet)"))
    export.set_defaults(handler=cmd_export)

    read = actions.add_parser("import", help=_("read and check an XLSForm workbook"))
    read.add_argument("workbook", type=Path, metavar="FILE.xlsx")
    read.add_argument("--version", default=None, metavar="V",
                      help=_("the version the form gets (needed for a translator's workbook)"))
    read.add_argument("--to", type=Path, default=None, metavar="FILE.json",
                      help=_("write the checked form as canonical JSON to this new file"))
    read.set_defaults(handler=cmd_import)


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
    """The definition file of a known form, as parsed JSON."""
    from intake_app.domain.json_text import loads_strict
    from intake_app.domain.resources import forms_dir

    data = loads_strict((forms_dir() / form.file).read_text(encoding="utf-8"))
    assert isinstance(data, dict)  # the registry loaded it
    return data


def base_lookup(registry: FormRegistry) -> Any:
    """The definitions known here by (id, version), for a translator's workbook."""

    def lookup(form_id: str, version: str) -> Mapping[str, Any] | None:
        form = registry.get(form_id, version)
        return form_definition(form) if form is not None else None

    return lookup


def _write_new(target: Path, data: bytes) -> bool:
    from intake_app.commands.clear_copy import new_target

    if not new_target(target):
        return False
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def cmd_export(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.domain.xlsform import form_workbook, translation_workbook

    form = known_form(FormRegistry.load(), args.form, args.version)
    data = form_definition(form)
    workbook = (form_workbook(data) if args.language is None
                else translation_workbook(data, args.language))
    if not _write_new(args.to, workbook):
        return EXIT_INVALID
    print(_("Form {form} version {version} written to {file}.", form=form.id,
            version=form.version, file=str(args.to)))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from intake_app.domain.json_text import canonical_json
    from intake_app.domain.registry import FormRegistry
    from intake_app.domain.xlsform import WorkbookInvalid, read_form_workbook

    try:
        data = read_form_workbook(args.workbook, version=args.version,
                                  base_lookup=base_lookup(FormRegistry.load()))
    except WorkbookInvalid as invalid:
        print(ngettext("The workbook {file} cannot be used ({n} problem); nothing was written:",
                       "The workbook {file} cannot be used ({n} problems); nothing was written:",
                       len(invalid.problems), file=invalid.file), file=sys.stderr)
        for problem in invalid.problems:
            print(f"  {problem.translated()}", file=sys.stderr)
        return EXIT_INVALID
    if args.to is not None:
        if not _write_new(args.to, canonical_json(data).encode("utf-8")):
            return EXIT_INVALID
        print(_("Form {form} version {version} checked and written to {file}.",
                form=data["id"], version=data["version"], file=str(args.to)))
    else:
        print(_("The workbook holds a valid form: {form} version {version}.",
                form=data["id"], version=data["version"]))
    return 0
