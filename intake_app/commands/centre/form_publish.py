"""`intake-app centre form preview-check|publish|retire|list`: forms from the centre to laptops.

- `preview-check [FILE.xlsx | --form ID]` checks a workbook, or a form imported and waiting,
  exactly as publishing would (every problem with its sheet, row and column; the version
  rules), prints how complete each language is, and changes nothing.
- `publish [--form ID]` makes the imported form a new published version: its signed package
  and the form list go to the share (`forms/`), where laptops pick them up when they sync.
  `publish --again` writes every published version and the list to the share again.
- `retire FORM VERSION`: laptops finish the interviews they have with it and start none new.
- `list [--json]`: the versions built in, those published (current or retired) and those
  waiting to be published.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre.output import (
    EXIT_INVALID,
    add_by_option,
    add_json_option,
    print_json,
    refusing,
    shown,
)
from intake_app.commands.centre.unlock import add_share_option, open_centre
from intake_app.i18n import _, ngettext

if TYPE_CHECKING:
    from intake_app.sync.centre.form_drafts import CheckedForm
    from intake_app.sync.centre.form_versions import PublishedVersion, StagedForm


def register(actions: Any) -> None:
    """Add preview-check, publish, retire and list to `centre form`."""
    check = actions.add_parser(
        "preview-check",
        help=_("check a workbook or an imported form as publishing would; change nothing"),
    )
    check.add_argument("workbook", type=Path, nargs="?", default=None, metavar="FILE.xlsx")
    check.add_argument(
        "--form",
        default=None,
        metavar="ID",
        help=_("an imported form waiting to be published (instead of a file)"),
    )
    check.add_argument(
        "--version",
        default=None,
        metavar="V",
        help=_("the version the form gets (needed for a translator's workbook)"),
    )
    check.set_defaults(handler=cmd_preview_check)

    publish = actions.add_parser(
        "publish", help=_("publish the imported form to the laptops as a new version")
    )
    publish.add_argument(
        "--form",
        default=None,
        metavar="ID",
        help=_("the form's id (needed when more than one form is waiting)"),
    )
    publish.add_argument(
        "--again",
        action="store_true",
        help=_(
            "write every published version and the list of forms to the "
            "share again; publish nothing new"
        ),
    )
    add_by_option(publish, _("who publishes (default: your user name on this computer)"))
    add_share_option(publish)
    add_json_option(publish)
    publish.set_defaults(handler=cmd_publish)

    retire = actions.add_parser(
        "retire", help=_("retire a published version: laptops start no new interviews with it")
    )
    retire.add_argument("form_id", metavar="FORM")
    retire.add_argument("version", metavar="VERSION")
    add_by_option(retire, _("who retires it (default: your user name on this computer)"))
    add_share_option(retire)
    add_json_option(retire)
    retire.set_defaults(handler=cmd_retire)

    listing = actions.add_parser(
        "list", help=_("list the form versions: built in, published, waiting to be published")
    )
    add_json_option(listing)
    listing.set_defaults(handler=cmd_list)


def print_completeness(checked: CheckedForm) -> None:
    """One line per language: how many of the form's texts it has."""
    for entry in checked.completeness:
        print(
            "  "
            + ngettext(
                "{language}: {done} of {n} text translated ({status})",
                "{language}: {done} of {n} texts translated ({status})",
                entry.total,
                language=entry.language,
                done=entry.translated,
                status=entry.status,
            )
        )


def _workbook_or_form(args: argparse.Namespace) -> str | None:
    if (args.workbook is None) == (args.form is None):
        return _("Name a workbook file or an imported form (--form ID), not both.")
    if args.form is not None and args.version is not None:
        return _("An imported form already has its version: leave out --version.")
    return None


@refusing(_workbook_or_form)
def cmd_preview_check(args: argparse.Namespace) -> int:
    from intake_app.commands.centre.forms import print_problems
    from intake_app.domain.registry import FormRegistry
    from intake_app.domain.xlsform import WorkbookInvalid
    from intake_app.sync.centre.form_drafts import check_draft, check_workbook

    shipped = FormRegistry.load().forms()
    try:
        with open_centre(args) as centre:
            if args.workbook is not None:
                checked = check_workbook(
                    centre, args.workbook, version=args.version, shipped=shipped
                )
            else:
                checked = check_draft(centre, args.form, shipped=shipped)
    except WorkbookInvalid as invalid:
        print_problems(invalid)
        return EXIT_INVALID
    form = checked.form
    if checked.new:
        print(
            _(
                "Form {form} version {version} passes every check and can be published.",
                form=form.id,
                version=form.version,
            )
        )
    else:
        print(
            _(
                "Form {form} version {version} is already published with exactly these "
                "contents; publishing it again only writes it to the share again.",
                form=form.id,
                version=form.version,
            )
        )
    print_completeness(checked)
    return 0


def _version_json(version: PublishedVersion) -> dict[str, object]:
    return {
        "form": version.form_id,
        "version": version.version,
        "source": "published",
        "state": version.state.value,
        "sha256": version.sha256,
        "size": version.size,
        "published": version.published,
        "published_by": version.published_by,
        "retired": version.retired,
        "retired_by": version.retired_by,
    }


def _draft_json(draft: StagedForm) -> dict[str, object]:
    return {
        "form": draft.form_id,
        "version": draft.version,
        "source": "draft",
        "state": "draft",
        "file": draft.source,
        "staged": draft.staged,
        "staged_by": draft.staged_by,
    }


def _again_alone(args: argparse.Namespace) -> str | None:
    if args.again and (args.form is not None or args.by is not None):
        return _(
            "--again writes the published versions to the share again and publishes nothing "
            "new: leave out --form and --by."
        )
    return None


@refusing(_again_alone)
def cmd_publish(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.form_publish import publish_draft, write_forms_to_share
    from intake_app.sync.centre.who import checked_name

    by = checked_name(args.by)
    with open_centre(args) as centre:
        if args.again:
            index = write_forms_to_share(centre)
            if args.json:
                print_json({"written": len(index.entries), "serial": index.serial})
            else:
                print(
                    ngettext(
                        "{n} published form version and the list of forms were written "
                        "to the share.",
                        "{n} published form versions and the list of forms were written "
                        "to the share.",
                        len(index.entries),
                    )
                )
            return 0
        published = publish_draft(centre, args.form, shipped=FormRegistry.load().forms(), by=by)
    version = published.version
    if args.json:
        print_json(
            {**_version_json(version), "new": published.new, "serial": published.index.serial}
        )
    elif published.new:
        print(
            _(
                "Form {form} version {version} is published. Laptops start new interviews with "
                "it after their next sync.",
                form=version.form_id,
                version=version.version,
            )
        )
    else:
        print(
            _(
                "Form {form} version {version} was already published with exactly these "
                "contents; it was written to the share again.",
                form=version.form_id,
                version=version.version,
            )
        )
    return 0


def cmd_retire(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.form_publish import retire_form
    from intake_app.sync.centre.who import checked_name

    by = checked_name(args.by)
    with open_centre(args) as centre:
        retired = retire_form(centre, args.form_id, args.version, by=by)
    version = retired.version
    if args.json:
        print_json({**_version_json(version), "new": retired.new, "serial": retired.index.serial})
    elif retired.new:
        print(
            _(
                "Form {form} version {version} is retired. Laptops finish the interviews they "
                "have with it and start no new ones with it after their next sync.",
                form=version.form_id,
                version=version.version,
            )
        )
    else:
        print(
            _(
                "Form {form} version {version} was already retired; the list of forms was "
                "written to the share again.",
                form=version.form_id,
                version=version.version,
            )
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre import form_versions
    from intake_app.sync.centre.texts import when

    shipped = FormRegistry.load().forms()
    with open_centre(args) as centre, centre.vault.reading() as conn:
        published = form_versions.published_versions(conn)
        drafts = form_versions.drafts(conn)
    for form in shipped:
        if args.json:
            print_json(
                {"form": form.id, "version": form.version, "source": "built-in", "state": "current"}
            )
        else:
            print(_("{form} {version}: built into Intake", form=form.id, version=form.version))
    for version in published:
        if args.json:
            print_json(_version_json(version))
        elif version.retired is None:
            print(
                _(
                    "{form} {version}: current, published {when} by {name}",
                    form=version.form_id,
                    version=version.version,
                    when=when(version.published),
                    name=shown(version.published_by),
                )
            )
        else:
            print(
                _(
                    "{form} {version}: retired {when} by {name} (published {published})",
                    form=version.form_id,
                    version=version.version,
                    when=when(version.retired),
                    name=shown(version.retired_by or ""),
                    published=when(version.published),
                )
            )
    for draft in drafts:
        if args.json:
            print_json(_draft_json(draft))
        else:
            print(
                _(
                    "{form} {version}: waiting to be published (imported from {file} {when} "
                    "by {name})",
                    form=draft.form_id,
                    version=draft.version,
                    file=shown(draft.source),
                    when=when(draft.staged),
                    name=shown(draft.staged_by),
                )
            )
    if not args.json and not (shipped or published or drafts):
        print(_("No forms."), file=sys.stderr)
    return 0
