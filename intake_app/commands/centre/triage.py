"""`intake-app centre follow-up|duplicates`: the centre's follow-up of an interview, and the
interviews that may be of the same person (the window's triage, on the command line)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre.output import (
    add_by_option,
    add_json_option,
    print_json,
    refusing,
    shown,
)
from intake_app.commands.centre.unlock import open_centre
from intake_app.i18n import _, ngettext

if TYPE_CHECKING:
    from intake_app.sync.centre.follow_up import FollowUpRecord
    from intake_app.sync.centre.triage import TriageRow


def register(sub: Any) -> None:
    """Add `follow-up` and `duplicates` to the `centre` subcommands."""
    follow = sub.add_parser(
        "follow-up",
        help=_("show an interview's follow-up and its changes, or change its status or note"),
    )
    follow.add_argument("id", metavar="ID", help=_("the interview's id (or its beginning)"))
    # The statuses are checked when set (no vault module is imported to build the parser).
    follow.add_argument(
        "--status",
        default=None,
        metavar="STATUS",
        help=_("the new follow-up status: new, in_review, referred or closed"),
    )
    follow.add_argument(
        "--note",
        default=None,
        metavar="TEXT",
        help=_('the new note (replaces the note; "" removes it)'),
    )
    add_by_option(follow, _("who changes it (default: your user name on this computer)"))
    add_json_option(follow)
    follow.set_defaults(handler=cmd_follow_up)

    duplicates = sub.add_parser(
        "duplicates", help=_("list interviews that may be of the same person (nothing is merged)")
    )
    duplicates.add_argument(
        "--not-same",
        nargs=2,
        default=None,
        metavar="ID",
        help=_("mark two interviews as not the same person"),
    )
    add_json_option(duplicates)
    duplicates.set_defaults(handler=cmd_duplicates)


def _follow_up_json(record: FollowUpRecord) -> dict[str, Any]:
    current = record.current
    return {
        "id": current.record_id,
        "status": current.status,
        "note": current.note,
        "changed": current.changed,
        "by": current.by,
        "deleted": record.deleted,
        "history": [
            {"at": c.at, "by": c.by, "status": c.status, "note": c.note} for c in record.history
        ],
    }


def _print_follow_up(record: FollowUpRecord) -> None:
    from intake_app.sync.centre.follow_up import follow_up_text
    from intake_app.sync.centre.texts import when

    current = record.current
    print(
        _(
            "Follow-up of {id}: {status}",
            id=current.record_id,
            status=follow_up_text(current.status),
        )
    )
    if current.note:
        print(_("Note:"))
        for line in current.note.split("\n"):
            print(f"  {shown(line)}")
    if record.deleted:
        print(_("The interview was deleted on its laptop: its notes were removed."))
    if not record.history:
        print(_("No changes yet."))
        return
    print(_("Changes:"))
    for change in record.history:
        words = f"  {when(change.at)}  {shown(change.by)}  {follow_up_text(change.status)}"
        if change.note is not None:
            words += "  " + (_("(note changed)") if change.note else _("(note removed)"))
        print(words)


def _by_with_a_change(args: argparse.Namespace) -> str | None:
    if args.by is not None and args.status is None and args.note is None:
        return _("--by says who changes the follow-up: give --status or --note with it.")
    return None


@refusing(_by_with_a_change)
def cmd_follow_up(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.follow_up import find_record, follow_up, set_follow_up

    with open_centre(args) as centre:
        record_id = find_record(centre.vault, args.id)
        if args.status is not None or args.note is not None:
            set_follow_up(centre.vault, record_id, status=args.status, note=args.note, by=args.by)
        record = follow_up(centre.vault, record_id)
    if args.json:
        print_json(_follow_up_json(record))
    else:
        _print_follow_up(record)
    return 0


def _side(row: TriageRow) -> dict[str, Any]:
    return {
        "id": row.record_id,
        "alias": row.interview.alias,
        "device_id": row.interview.device_id,
        "device_name": row.device_name,
        "worker": row.device_worker,
        "interview_date": row.answers.get("interview_date"),
        "date_of_birth": row.answers.get("date_of_birth"),
    }


def _words(row: TriageRow) -> str:
    from intake_app.sync.centre.texts import laptop_words

    return _(
        "{id} “{alias}” from {laptop}",
        id=row.record_id,
        alias=shown(row.interview.alias or "-"),
        laptop=laptop_words(row.interview.device_id, row.device_name, whole_id=True),
    )


def cmd_duplicates(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.duplicates import reasons_text
    from intake_app.sync.centre.follow_up import find_record
    from intake_app.sync.centre.triage import mark_not_duplicate, triage_rows

    with open_centre(args) as centre:
        if args.not_same is not None:
            one, other = (find_record(centre.vault, typed) for typed in args.not_same)
            mark_not_duplicate(centre.vault, one, other)
        rows = triage_rows(centre.vault)
    by_id = {row.record_id: row for row in rows}
    pairs = sorted(
        {pair for row in rows for pair in row.duplicates},
        key=lambda pair: (pair.first, pair.second),
    )
    for pair in pairs:
        first, second = by_id[pair.first], by_id[pair.second]
        if args.json:
            print_json(
                {"first": _side(first), "second": _side(second), "reasons": list(pair.reasons)}
            )
        else:
            print(f"{_words(first)}\n  {_words(second)}\n  {reasons_text(pair)}")
    if not args.json:
        print(
            ngettext(
                "{n} pair of interviews may be of the same person.",
                "{n} pairs of interviews may be of the same person.",
                len(pairs),
            )
        )
    return 0
