"""`intake-app centre import|held|release|conflicts|resolve|window`: bring bundles in, settle
record conflicts, and the window that does it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre.output import (
    EXIT_INVALID,
    EXIT_REFUSED,
    add_by_option,
    add_json_option,
    describe,
    print_each,
    print_json,
    refusing,
    report,
    say_receipt_problem,
    shown,
)
from intake_app.commands.centre.unlock import add_share_option, open_centre
from intake_app.i18n import _

if TYPE_CHECKING:
    from intake_app.sync.centre.importer import ImportResult


def register(sub: Any) -> None:
    """Add `import`, `held`, `release` and `window` to the `centre` subcommands."""
    imp = sub.add_parser("import", help=_("import bundle files or the share's inbox"))
    imp.add_argument("files", nargs="*", type=Path, metavar="FILE")
    imp.add_argument("--inbox", action="store_true", help=_("import what waits in the inbox"))
    add_json_option(imp)
    add_share_option(imp)
    imp.set_defaults(handler=cmd_import)

    held = sub.add_parser("held", help=_("list bundles held in quarantine"))
    add_json_option(held)
    held.set_defaults(handler=cmd_held)

    release = sub.add_parser("release", help=_("import a held bundle now (accepts a jump)"))
    release.add_argument("number", type=int, metavar="N")
    add_json_option(release)
    add_share_option(release)
    release.set_defaults(handler=cmd_release)

    conflicts = sub.add_parser("conflicts", help=_("list record conflicts waiting for a choice"))
    add_json_option(conflicts)
    conflicts.set_defaults(handler=cmd_conflicts)

    resolve = sub.add_parser("resolve", help=_("choose which version of a conflicting record is "
                                               "current, and import its held bundle"))
    resolve.add_argument("record_id", metavar="ID", help=_("the interview's id (or its beginning)"))
    resolve.add_argument("--keep", required=True, choices=("centre", "laptop"),
                         help=_("the version to make current; the other is kept, set aside"))
    resolve.add_argument("--revision", type=int, default=None, metavar="N",
                         help=_("the revision, when the interview has several conflicts"))
    add_by_option(resolve, _("who chooses (default: your user name on this computer)"))
    add_json_option(resolve)
    add_share_option(resolve)
    resolve.set_defaults(handler=cmd_resolve)

    window = sub.add_parser("window", help=_("open the administrator's window"))
    add_share_option(window)
    window.set_defaults(handler=cmd_window)


def _files_or_inbox(args: argparse.Namespace) -> str | None:
    if not args.files and not args.inbox:
        return _("Name bundle files to import, or use --inbox.")
    return None


@refusing(_files_or_inbox)
def cmd_import(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.errors import HeldCapReached
    from intake_app.sync.centre.importer import import_bundle
    from intake_app.sync.centre.inbox import scan_inbox
    from intake_app.sync.centre.quarantine import cap_alerts
    from intake_app.sync.centre.search import refresh_search_index
    from intake_app.sync.errors import ShareReadFailed

    unreadable = False
    results: list[ImportResult] = []
    with open_centre(args) as centre:
        for path in args.files:
            try:
                results.append(import_bundle(centre, path, file_name=path.name))
            except OSError:
                unreadable = True
                print(_("Could not read {file}.", file=shown(path.name)), file=sys.stderr)
            except (ShareReadFailed, HeldCapReached) as error:  # a pipe or a link; changed
                unreadable = True  # while read; stuck; or over a quarantine cap (not held)
                print(error.translated(), file=sys.stderr)
        if args.inbox:
            known = {alert.num for alert in cap_alerts(centre.vault)}
            results += scan_inbox(centre)
            for alert in cap_alerts(centre.vault):  # new: bundles left in the inbox by a cap
                if alert.num not in known:
                    print(HeldCapReached(alert.device_id, alert.cap).translated(),
                          file=sys.stderr)
        if results:
            refresh_search_index(centre.vault)  # so the administrator's first search is quick
    code = report(results, args.json)
    return EXIT_INVALID if unreadable and code == 0 else code


def cmd_held(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.quarantine import held_bundles
    from intake_app.sync.centre.texts import reason_text

    with open_centre(args) as centre:
        held = held_bundles(centre.vault)
    print_each(held, args.json,
               lambda bundle: {"num": bundle.num, "device_id": bundle.device_id,
                               "seq": bundle.seq, "reason": bundle.reason.value,
                               "file": bundle.file_name, "size": bundle.size,
                               "held": bundle.held},
               lambda bundle: f"{bundle.num}  {shown(bundle.file_name)}  "
                              f"{reason_text(bundle.reason)}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.release import release_number

    with open_centre(args) as centre:
        result = release_number(centre, args.number)
    return report([result], args.json)


def cmd_conflicts(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.i18n import current_language
    from intake_app.sync.centre.conflicts import compare_answers, open_conflicts
    from intake_app.sync.centre.texts import kept_text, short_id, when

    with open_centre(args) as centre:
        conflicts = open_conflicts(centre)
    registry = None if args.json or not conflicts else FormRegistry.load()
    for conflict in conflicts:
        if args.json:
            print_json(conflict.to_json())
            continue
        assert registry is not None
        print(_("Interview {record}, revision {revision}: held bundle {number} ({file}) from "
                "laptop {device}, held {held}",
                record=conflict.record_id, revision=conflict.revision,
                number=conflict.held_num, file=shown(conflict.file_name),
                device=short_id(conflict.device_id), held=when(conflict.held)))
        if conflict.chosen is not None:
            print("  " + _("Chosen: {version}, by {name}; waiting for the bundle's other "
                           "conflicts", version=kept_text(conflict.chosen.kept.value),
                           name=shown(conflict.chosen.by)))
        if conflict.centre_document is None:
            print("  " + _("The centre's version was deleted (its content is gone)."))
        for pair in compare_answers(registry, conflict.centre_document,
                                    conflict.laptop_document, current_language()):
            mark = "≠" if pair.differs else "="
            print(f"  {mark} {shown(pair.label)}")
            print("      " + _("Centre: {answer}", answer=shown(pair.centre) or "—"))
            print("      " + _("Laptop: {answer}", answer=shown(pair.laptop) or "—"))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.conflicts import resolve_conflict
    from intake_app.sync.centre.search import refresh_search_index
    from intake_app.sync.centre.texts import kept_text

    with open_centre(args) as centre:
        resolution = resolve_conflict(centre, args.record_id, args.keep, revision=args.revision,
                                      by=args.by)
        if resolution.result.delivered:
            refresh_search_index(centre.vault)
    result = resolution.result
    if args.json:
        print_json({"id": resolution.choice.record_id, "revision": resolution.choice.revision,
                    "kept": resolution.choice.kept.value, "by": resolution.choice.by,
                    "waiting": resolution.waiting, **result.to_json()})
    else:
        print(_("Interview {record}, revision {revision}: {version} kept.",
                record=resolution.choice.record_id, revision=resolution.choice.revision,
                version=kept_text(resolution.choice.kept.value)))
        if resolution.waiting:
            print(_("The bundle stays held until its other conflicts are chosen too."))
        else:
            print(describe(result))
    say_receipt_problem(result)
    return 0 if result.delivered or resolution.waiting else EXIT_REFUSED


def cmd_window(args: argparse.Namespace) -> int:
    from intake_app.app import run_admin  # the one place the command line starts Qt

    return run_admin(args.data_dir, share=args.share, language=args.lang)
