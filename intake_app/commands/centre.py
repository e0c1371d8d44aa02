"""`intake-app centre ...`: set up a reception centre, manage laptops, import bundles, export.

The centre vault lives in `<data-dir>/centre`; its passphrase is asked on the terminal or read
as the first line of standard input. Machine-readable output (`--json`) uses the stable codes
of bundle-format.md; the words are for people and follow `--lang`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import _, current_language, gettext, ngettext

EXIT_REFUSED = 3


def register(commands: Any) -> None:
    centre = commands.add_parser("centre", help=_("run a reception centre: keys, laptops, imports"))
    sub = centre.add_subparsers(metavar="ACTION", required=True)

    init = sub.add_parser("init", help=_("set up the centre's vault, keys and profile"))
    init.add_argument("--name", required=True, help=_("the centre's name, shown on laptops"))
    init.add_argument("--share", required=True, help=_("the share folder laptops send to"))
    init.add_argument("--backup-identity", type=Path, default=None, metavar="FILE",
                      help=_("also make an offline backup key and write it once to FILE"))
    init.set_defaults(handler=cmd_init)

    _register_import(sub)
    _register_devices(sub)
    _register_reports(sub)


def _register_import(sub: Any) -> None:
    imp = sub.add_parser("import", help=_("import bundle files or the share's inbox"))
    imp.add_argument("files", nargs="*", type=Path, metavar="FILE")
    imp.add_argument("--inbox", action="store_true", help=_("import what waits in the inbox"))
    _json_and_share(imp)
    imp.set_defaults(handler=cmd_import)

    held = sub.add_parser("held", help=_("list bundles held in quarantine"))
    held.add_argument("--json", action="store_true", help=_("print JSON"))
    held.set_defaults(handler=cmd_held)

    release = sub.add_parser("release", help=_("import a held bundle now (accepts a jump)"))
    release.add_argument("number", type=int, metavar="N")
    _json_and_share(release)
    release.set_defaults(handler=cmd_release)

    window = sub.add_parser("window", help=_("open the administrator's window"))
    window.add_argument("--share", type=Path, default=None, metavar="PATH",
                        help=_("where the share is mounted here (default: the profile's path)"))
    window.set_defaults(handler=cmd_window)


def _register_devices(sub: Any) -> None:
    devices = sub.add_parser("devices", help=_("list the registered laptops"))
    _json_and_share(devices)
    devices.set_defaults(handler=cmd_devices)

    enrol = sub.add_parser("enrolments", help=_("register enrolment requests; list pending ones"))
    enrol.add_argument("files", nargs="*", type=Path, metavar="FILE")
    _json_and_share(enrol)
    enrol.set_defaults(handler=cmd_enrolments)

    approve = sub.add_parser("approve", help=_("approve a laptop after comparing its fingerprint"))
    approve.add_argument("device", metavar="DEVICE")
    approve.add_argument("--fingerprint", default=None,
                         help=_("the fingerprint shown on the laptop's screen"))
    _json_and_share(approve)
    approve.set_defaults(handler=cmd_approve)

    retire = sub.add_parser("retire", help=_("retire a laptop after its last bundle"))
    retire.add_argument("device", metavar="DEVICE")
    retire.add_argument("--last-seq", type=int, required=True, metavar="N",
                        help=_("the last sequence number still accepted from it"))
    retire.set_defaults(handler=cmd_retire)

    revoke = sub.add_parser("revoke", help=_("revoke a lost or stolen laptop"))
    revoke.add_argument("device", metavar="DEVICE")
    _json_and_share(revoke)
    revoke.set_defaults(handler=cmd_revoke)


def _register_reports(sub: Any) -> None:
    export = sub.add_parser("export-csv", help=_("export the interviews as CSV"))
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--lang", dest="labels_lang", default=None, metavar="L",
                        help=_("language of the labels (default: the current language)"))
    export.set_defaults(handler=cmd_export_csv)

    stats = sub.add_parser("stats", help=_("count interviews by group (small groups hidden)"))
    stats.add_argument("--by", action="append", default=None, metavar="FIELD",
                       help=_("a question's name, or month, status or form (repeatable)"))
    stats.add_argument("--json", action="store_true", help=_("print JSON"))
    stats.set_defaults(handler=cmd_stats)

    log = sub.add_parser("log", help=_("show the import log"))
    log.add_argument("--limit", type=int, default=50, metavar="N")
    log.add_argument("--json", action="store_true", help=_("print JSON"))
    log.set_defaults(handler=cmd_log)

    alerts = sub.add_parser("alerts", help=_("show alerts; acknowledge one with --ack"))
    alerts.add_argument("--ack", type=int, default=None, metavar="N")
    alerts.add_argument("--json", action="store_true", help=_("print JSON"))
    alerts.set_defaults(handler=cmd_alerts)


def _json_and_share(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
    parser.add_argument("--share", type=Path, default=None, metavar="PATH",
                        help=_("where the share is mounted here (default: the profile's path)"))


def _open(args: argparse.Namespace, secrets: SecretInput | None = None) -> Any:
    from intake_app.sync.centre.vault import Centre

    passphrase = (secrets or SecretInput()).read(_("Centre passphrase: "))
    return Centre.open(args.data_dir, passphrase, share=getattr(args, "share", None))


def _shown(text: str) -> str:
    """Text from a laptop or the share (names, file names) made safe for a terminal."""
    from intake_app.sync.format.enrolment import escape_hidden

    return escape_hidden(text)


def _print_json(value: object) -> None:
    from intake_app.sync.format.enrolment import has_hidden_characters

    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    if has_hidden_characters(text):
        # JSON leaves DEL, C1 controls, bidi and format characters raw; a terminal would obey.
        text = json.dumps(value, ensure_ascii=True, sort_keys=False)
    print(text)


def cmd_init(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.setup import init_centre

    passphrase = SecretInput().read_new(_("New centre passphrase: "), _("Type it again: "))
    print(_("Setting up the centre; this takes a few seconds ..."), file=sys.stderr)
    setup = init_centre(args.data_dir, name=args.name, share=args.share, passphrase=passphrase,
                        backup_identity=args.backup_identity)
    print(_("Centre vault created in {folder}.", folder=setup.vault_folder))
    print(_("Centre profile: {path}", path=setup.profile_path))
    print(_("Profile fingerprint: {fingerprint}", fingerprint=setup.fingerprint))
    if not setup.share_ready:
        print(_("The share folder {folder} cannot be reached now. Laptops can send bundles once "
                "it exists and this computer can write to it.", folder=args.share),
              file=sys.stderr)
    if setup.backup_identity is not None:
        print(_("Offline backup key written to {path}. Print it or copy it to offline storage, "
                "then delete the file from this computer.", path=setup.backup_identity))
    print(_("Recovery code (write it down and keep it apart from the computer; it is shown once):"))
    print(setup.recovery_code)
    return 0


def _describe(result: Any) -> str:
    if result.reason is None:
        words = {"accepted": _("accepted"), "duplicate": _("already imported")}
        return f"{_shown(result.file)}: {words[result.outcome.value]}"
    return f"{_shown(result.file)}: {gettext(result.reason.description)}"


def _report(results: Sequence[Any], as_json: bool) -> int:
    for result in results:
        if as_json:
            _print_json(result.to_json())
        else:
            print(_describe(result))
        if result.receipt_error is not None:
            print(_("The receipt could not be written: {problem}",
                    problem=result.receipt_error.translated()), file=sys.stderr)
    return 0 if all(result.delivered for result in results) else EXIT_REFUSED


def cmd_import(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.importer import import_bundle
    from intake_app.sync.centre.inbox import scan_inbox
    from intake_app.sync.centre.search import refresh_search_index

    if not args.files and not args.inbox:
        raise SystemExit(_("Name bundle files to import, or use --inbox."))
    unreadable = False
    results: list[Any] = []
    with _open(args) as centre:
        for path in args.files:
            try:
                results.append(import_bundle(centre, path, file_name=path.name))
            except OSError:
                unreadable = True
                print(_("Could not read {file}.", file=_shown(path.name)), file=sys.stderr)
        if args.inbox:
            results += scan_inbox(centre)
        if results:
            refresh_search_index(centre.vault)  # so the administrator's first search is quick
    code = _report(results, args.json)
    return 2 if unreadable and code == 0 else code


def _device_json(device: Any, gaps: Sequence[Any]) -> dict[str, Any]:
    return {"device_id": device.device_id, "state": device.state.value,
            "last_seq": device.last_seq, "device_name": device.device_name,
            "worker": device.worker, "fingerprint": device.fingerprint,
            "public_key": device.public_key, "key_id": device.key_id,
            "registered": device.registered,
            "gaps": [[gap.first, gap.last] for gap in gaps]}


def _print_device(device: Any, gaps: Sequence[Any]) -> None:
    from intake_app.sync.centre.errors import STATE_NAMES

    print(f"{device.device_id}  {gettext(STATE_NAMES[device.state.value])}  "
          f"{_shown(device.device_name)}  {_shown(device.worker)}")
    print("    " + _("fingerprint {fingerprint}", fingerprint=device.fingerprint))
    if device.last_seq is not None:
        print("    " + _("last sequence number {seq}", seq=device.last_seq))
    for gap in gaps:
        print("    " + _("missing bundles {first} to {last}", first=gap.first, last=gap.last))


def cmd_devices(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import list_devices
    from intake_app.sync.centre.sequence import gaps

    with _open(args) as centre:
        listed = [(device, gaps(centre.vault, device.device_id))
                  for device in list_devices(centre.vault)]
    for device, missing in listed:
        if args.json:
            _print_json(_device_json(device, missing))
        else:
            _print_device(device, missing)
    return 0


def cmd_enrolments(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import enrolment_files, list_devices, read_requests
    from intake_app.sync.format.reader import DeviceState

    with _open(args) as centre:
        paths = list(args.files) or enrolment_files(centre.share)
        problems = [read for read in read_requests(centre.vault, paths) if read.error]
        pending = list_devices(centre.vault, DeviceState.PENDING)
    for read in problems:
        assert read.error is not None
        print(f"{_shown(read.path.name)}: {read.error.translated()}", file=sys.stderr)
    for device in pending:
        if args.json:
            _print_json(_device_json(device, []))
        else:
            _print_device(device, [])
    return 2 if problems else 0


def cmd_approve(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import find_device
    from intake_app.sync.centre.errors import FingerprintNeeded
    from intake_app.sync.centre.release import approve_device

    secrets = SecretInput()
    with _open(args, secrets) as centre:
        device = find_device(centre.vault, args.device)
        print(_("Laptop “{name}” ({device}), worker {worker}", name=_shown(device.device_name),
                device=device.device_id, worker=_shown(device.worker)), file=sys.stderr)
        print(_("Key fingerprint: {fingerprint}", fingerprint=device.fingerprint),
              file=sys.stderr)
        typed = args.fingerprint
        if typed is None:
            if not secrets.interactive:
                raise FingerprintNeeded(fingerprint=device.fingerprint)
            answer = input(_("Does the laptop show the same fingerprint? Type yes to approve: "))
            if answer.strip().lower() not in {"yes", _("yes").lower()}:
                print(_("The laptop was not approved."))
                return 1
            typed = device.fingerprint
        device, results = approve_device(centre, device.device_id, typed)
    print(_("The laptop was approved."), file=sys.stderr)
    return _report(results, args.json)


def cmd_retire(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import find_device, retire

    with _open(args) as centre:
        device = retire(centre.vault, find_device(centre.vault, args.device).device_id,
                        args.last_seq)
    print(_("The laptop {device} was retired after bundle {seq}.", device=device.device_id,
            seq=args.last_seq))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import find_device
    from intake_app.sync.centre.release import revoke_device

    with _open(args) as centre:
        device, results = revoke_device(centre, find_device(centre.vault, args.device).device_id)
    print(_("The laptop {device} was revoked.", device=device.device_id), file=sys.stderr)
    _report(results, args.json)
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.reports import export_csv

    lang = args.labels_lang or current_language()
    with _open(args) as centre:
        count = export_csv(centre.vault, FormRegistry.load(), args.out, lang)
    print(ngettext("{count} interview written to {file}.", "{count} interviews written to {file}.",
                   count, count=count, file=args.out))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.reports import MIN_GROUP, check_group_fields, statistics

    by = args.by or ["month"]
    check_group_fields(FormRegistry.load(), by)
    with _open(args) as centre:
        table = statistics(centre.vault, by)
    if args.json:
        _print_json({"columns": list(table.columns), "min_group": MIN_GROUP,
                     "rows": [{"group": list(group), "count": count}
                              for group, count in table.rows]})
        return 0
    print("\t".join([*table.columns, _("interviews")]))
    for group, count in table.rows:
        shown = str(count) if count is not None else _("hidden")
        print("\t".join([*(value or "-" for value in group), shown]))
    print(_("Counts below {n}, and counts from which one could be worked out, are hidden.",
            n=MIN_GROUP), file=sys.stderr)
    return 0


def _entry_json(entry: Any) -> dict[str, Any]:
    return {"num": entry.num, "at": entry.at, "file": entry.file_name,
            "outcome": entry.outcome.value,
            "reason": None if entry.reason is None else entry.reason.value,
            "device_id": entry.device_id, "seq": entry.seq, "records": entry.records,
            "acknowledged": entry.acknowledged}


def _print_entries(entries: Sequence[Any], as_json: bool) -> None:
    from intake_app.sync.centre.texts import outcome_text  # words only: no Qt is loaded

    for entry in entries:
        if as_json:
            _print_json(_entry_json(entry))
            continue
        words = gettext(entry.reason.description) if entry.reason else outcome_text(entry.outcome)
        print(f"{entry.num}  {entry.at}  {_shown(entry.file_name)}  {words}")


def cmd_log(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.log import import_log

    with _open(args) as centre:
        entries = import_log(centre.vault, limit=args.limit)
    _print_entries(entries, args.json)
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.log import acknowledge, alerts

    with _open(args) as centre:
        if args.ack is not None and not acknowledge(centre.vault, args.ack):
            print(_("There is no open alert with the number {n}.", n=args.ack), file=sys.stderr)
            return 1
        entries = alerts(centre.vault)
    _print_entries(entries, args.json)
    return 0


def cmd_held(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.quarantine import held_bundles

    with _open(args) as centre:
        held = held_bundles(centre.vault)
    for bundle in held:
        if args.json:
            _print_json({"num": bundle.num, "device_id": bundle.device_id, "seq": bundle.seq,
                         "reason": bundle.reason.value, "file": bundle.file_name,
                         "size": bundle.size, "held": bundle.held})
        else:
            print(f"{bundle.num}  {_shown(bundle.file_name)}  "
                  f"{gettext(bundle.reason.description)}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.release import release_number

    with _open(args) as centre:
        result = release_number(centre, args.number)
    return _report([result], args.json)


def cmd_window(args: argparse.Namespace) -> int:
    from intake_app.ui.admin import run_admin

    return run_admin(args.data_dir, share=args.share)
