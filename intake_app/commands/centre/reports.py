"""`intake-app centre log|alerts|attachments|attachment`: what the centre holds and what
happened (`stats` is in `stats`, `export` and `export-csv` in `exports`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre.output import (
    EXIT_INVALID,
    add_json_option,
    outcome_words,
    print_each,
    print_json,
    shown,
)
from intake_app.commands.centre.unlock import open_centre
from intake_app.i18n import _

if TYPE_CHECKING:
    from intake_app.sync.centre.log import LogEntry


def register(sub: Any) -> None:
    """Add the look-back commands to the `centre` subcommands."""
    log = sub.add_parser("log", help=_("show the import log"))
    log.add_argument("--limit", type=int, default=50, metavar="N")
    add_json_option(log)
    log.set_defaults(handler=cmd_log)

    alerts = sub.add_parser("alerts", help=_(
        "show alerts; acknowledge one with --ack, a cap's alert with --ack-cap"))
    alerts.add_argument("--ack", type=int, default=None, metavar="N",
                        help=_("mark the alert numbered N as seen"))
    alerts.add_argument("--ack-cap", type=int, default=None, metavar="N",
                        help=_("mark the cap's alert numbered N as seen"))
    add_json_option(alerts)
    alerts.set_defaults(handler=cmd_alerts)

    attached = sub.add_parser("attachments", help=_("list an interview's attached files"))
    attached.add_argument("id")
    add_json_option(attached)
    attached.set_defaults(handler=cmd_attachments)

    copy = sub.add_parser("attachment", help=_("write a clear copy of an attached file"))
    copy.add_argument("id")
    copy.add_argument("sha256")
    copy.add_argument("--to", metavar="FILE", type=Path, required=True,
                      help=_("the new file (it must not exist yet)"))
    copy.set_defaults(handler=cmd_attachment)


def _entry_json(entry: LogEntry) -> dict[str, Any]:
    return {"num": entry.num, "at": entry.at, "file": entry.file_name,
            "outcome": entry.outcome.value,
            "reason": None if entry.reason is None else entry.reason.value,
            "device_id": entry.device_id, "seq": entry.seq, "records": entry.records,
            "acknowledged": entry.acknowledged}


def _entry_words(entry: LogEntry) -> str:
    words = outcome_words(entry.outcome, entry.reason)
    return f"{entry.num}  {entry.at}  {shown(entry.file_name)}  {words}"


def _print_entries(entries: Sequence[LogEntry], as_json: bool) -> None:
    print_each(entries, as_json, _entry_json, _entry_words)


def cmd_log(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.log import import_log

    with open_centre(args) as centre:
        entries = import_log(centre.vault, limit=args.limit)
    _print_entries(entries, args.json)
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """The import log's open alerts, then the caps' (a laptop's bundles left in the inbox),
    each in words naming the laptop and the cap; `--ack`/`--ack-cap` mark one as seen."""
    from intake_app.sync.centre.devices import list_devices
    from intake_app.sync.centre.log import acknowledge, alerts
    from intake_app.sync.centre.quarantine import acknowledge_cap_alert, cap_alerts
    from intake_app.sync.centre.texts import cap_alert_text

    with open_centre(args) as centre:
        if args.ack is not None and not acknowledge(centre.vault, args.ack):
            print(_("There is no open alert with the number {n}.", n=args.ack), file=sys.stderr)
            return 1
        if args.ack_cap is not None and not acknowledge_cap_alert(centre.vault, args.ack_cap):
            print(_("There is no open cap's alert with the number {number}.",
                    number=args.ack_cap), file=sys.stderr)
            return 1
        entries = alerts(centre.vault)
        capped = cap_alerts(centre.vault)
        names = {device.device_id: device.device_name for device in list_devices(centre.vault)}
    _print_entries(entries, args.json)
    if capped and not args.json:
        print(_("Bundles left in the inbox by a cap (mark one as seen with --ack-cap N):"))
    for alert in capped:
        name = names.get(alert.device_id)
        if args.json:
            print_json({"cap_alert": alert.num, "at": alert.at, "cap": alert.cap,
                        "device_id": alert.device_id, "device_name": name,
                        "acknowledged": alert.acknowledged})
        else:
            words = cap_alert_text(alert.device_id, alert.cap, name, whole_id=True)
            print(f"{alert.num}  {alert.at}  {words}")
    return 0


def cmd_attachments(args: argparse.Namespace) -> int:
    from intake_app.commands.clear_copy import print_attachment_list
    from intake_app.sync.centre.records import attachments, get_interview

    with open_centre(args) as centre:
        get_interview(centre.vault, args.id)  # NotFound for an interview the centre lacks
        found = attachments(centre.vault, args.id)
    print_attachment_list(found, as_json=args.json)
    return 0


def cmd_attachment(args: argparse.Namespace) -> int:
    from intake_app.commands.clear_copy import copy_listed_attachment, new_target
    from intake_app.sync.centre.records import attachments

    target: Path = args.to
    if not new_target(target):
        return EXIT_INVALID
    with open_centre(args) as centre:
        copy_listed_attachment(attachments(centre.vault, args.id), args.sha256,
                               centre.vault.interviews.open_attachment, target)
    return 0
