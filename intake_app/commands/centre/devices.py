"""`intake-app centre devices|enrolments|register|dismiss|approve|retire|revoke`: the laptops
the centre trusts, and the enrolment requests on the share that are not registered yet."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.centre.output import (
    EXIT_INVALID,
    add_json_option,
    print_each,
    print_json,
    refusing,
    report,
    shown,
)
from intake_app.commands.centre.unlock import add_share_option, open_centre
from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import _

if TYPE_CHECKING:
    from intake_app.sync.centre.devices import RegisteredDevice
    from intake_app.sync.centre.sequence import Gap


def register(sub: Any) -> None:
    """Add the laptop commands to the `centre` subcommands."""
    devices = sub.add_parser("devices", help=_("list the registered laptops"))
    add_json_option(devices)
    add_share_option(devices)
    devices.set_defaults(handler=cmd_devices)

    enrol = sub.add_parser("enrolments", help=_(
        "list the enrolment requests on the share that are not registered; register FILEs"))
    enrol.add_argument("files", nargs="*", type=Path, metavar="FILE")
    add_json_option(enrol)
    add_share_option(enrol)
    enrol.set_defaults(handler=cmd_enrolments)

    reg = sub.add_parser("register", help=_("register enrolment requests from the share"))
    reg.add_argument("requests", nargs="*", metavar="ID")
    reg.add_argument("--all", action="store_true", help=_("register every request waiting"))
    add_json_option(reg)
    add_share_option(reg)
    reg.set_defaults(handler=cmd_register)

    dismiss = sub.add_parser("dismiss", help=_(
        "dismiss enrolment requests (and laptops waiting for approval) with what they sent"))
    dismiss.add_argument("requests", nargs="+", metavar="ID")
    add_json_option(dismiss)
    add_share_option(dismiss)
    dismiss.set_defaults(handler=cmd_dismiss)

    approve = sub.add_parser("approve", help=_("approve a laptop after comparing its fingerprint"))
    approve.add_argument("device", metavar="DEVICE")
    approve.add_argument("--fingerprint", default=None,
                         help=_("the fingerprint shown on the laptop's screen"))
    add_json_option(approve)
    add_share_option(approve)
    approve.set_defaults(handler=cmd_approve)

    retire = sub.add_parser("retire", help=_("retire a laptop after its last bundle"))
    retire.add_argument("device", metavar="DEVICE")
    retire.add_argument("--last-seq", type=int, required=True, metavar="N",
                        help=_("the last sequence number still accepted from it"))
    retire.set_defaults(handler=cmd_retire)

    revoke = sub.add_parser("revoke", help=_("revoke a lost or stolen laptop"))
    revoke.add_argument("device", metavar="DEVICE")
    add_json_option(revoke)
    add_share_option(revoke)
    revoke.set_defaults(handler=cmd_revoke)


def _device_json(device: RegisteredDevice, gaps: Sequence[Gap]) -> dict[str, Any]:
    return {"device_id": device.device_id, "state": device.state.value,
            "last_seq": device.last_seq, "device_name": device.device_name,
            "worker": device.worker, "fingerprint": device.fingerprint,
            "public_key": device.public_key, "key_id": device.key_id,
            "registered": device.registered,
            "gaps": [[gap.first, gap.last] for gap in gaps]}


def _device_words(device: RegisteredDevice, gaps: Sequence[Gap]) -> str:
    from intake_app.sync.centre.texts import state_text

    lines = [f"{device.device_id}  {state_text(device.state.value)}  "
             f"{shown(device.device_name)}  {shown(device.worker)}",
             "    " + _("fingerprint {fingerprint}", fingerprint=device.fingerprint)]
    if device.last_seq is not None:
        lines.append("    " + _("last sequence number {seq}", seq=device.last_seq))
    lines += ["    " + _("missing bundles {first} to {last}", first=gap.first, last=gap.last)
              for gap in gaps]
    return "\n".join(lines)


def _print_devices(listed: Sequence[tuple[RegisteredDevice, Sequence[Gap]]],
                   as_json: bool) -> None:
    print_each(listed, as_json, lambda pair: _device_json(*pair),
               lambda pair: _device_words(*pair))


def cmd_devices(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import list_devices
    from intake_app.sync.centre.sequence import gaps

    with open_centre(args) as centre:
        listed = [(device, gaps(centre.vault, device.device_id))
                  for device in list_devices(centre.vault)]
    _print_devices(listed, args.json)
    return 0


def _files_or_share(args: argparse.Namespace) -> str | None:
    if args.files and args.share is not None:
        return _(
            "Files named on the command line are read where they are: leave out --share, or "
            "the files."
        )
    return None


@refusing(_files_or_share)
def cmd_enrolments(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import (
        list_devices,
        read_requests,
        unregistered_requests,
    )
    from intake_app.sync.format import keys
    from intake_app.sync.format.reader import DeviceState

    if args.files:  # files brought on a USB stick: the administrator chose them
        with open_centre(args) as centre:
            problems = [read for read in read_requests(centre.vault, args.files) if read.error]
            pending = list_devices(centre.vault, DeviceState.PENDING)
        _print_problems(problems)
        _print_devices([(device, []) for device in pending], args.json)
        return EXIT_INVALID if problems else 0
    with open_centre(args) as centre:
        waiting = unregistered_requests(centre.vault, centre.share)
    _print_problems(waiting)
    for read in waiting:
        request = read.request
        if request is None:
            continue
        fingerprint = keys.key_fingerprint(request.public_key)
        if args.json:
            print_json({"request_id": request.device_id, "device_id": request.device_id,
                        "state": "request", "device_name": request.device_name,
                        "worker": request.worker, "fingerprint": fingerprint,
                        "public_key": request.public_key, "requested": request.created})
        else:
            state = _("not registered")
            print(f"{request.device_id}  {state}  "
                  f"{shown(request.device_name)}  {shown(request.worker)}")
            print("    " + _("fingerprint {fingerprint}", fingerprint=fingerprint))
    return EXIT_INVALID if any(read.error for read in waiting) else 0


def _print_problems(reads: Sequence[Any]) -> None:
    for read in reads:
        if read.error is not None:
            print(f"{shown(read.path.name)}: {read.error.translated()}", file=sys.stderr)


def _requests_or_all(args: argparse.Namespace) -> str | None:
    if args.all == bool(args.requests):
        return _("Name the requests to register, or use --all.")
    return None


@refusing(_requests_or_all)
def cmd_register(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import register_requests

    with open_centre(args) as centre:
        reads = register_requests(centre.vault, centre.share,
                                  None if args.all else args.requests)
    _print_problems(reads)
    _print_devices([(read.device, []) for read in reads if read.device is not None], args.json)
    return EXIT_INVALID if any(read.error for read in reads) else 0


def cmd_dismiss(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.release import dismiss_requests

    with open_centre(args) as centre:
        dismissed = dismiss_requests(centre, args.requests)
    print_each(dismissed, args.json, lambda device_id: {"request_id": device_id, "dismissed": True},
               lambda device_id: _("The enrolment request {device} was dismissed.",
                                   device=device_id))
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import find_device
    from intake_app.sync.centre.errors import FingerprintNeeded
    from intake_app.sync.centre.release import approve_device

    secrets = SecretInput()
    with open_centre(args, secrets) as centre:
        device = find_device(centre.vault, args.device)
        print(_("Laptop “{name}” ({device}), worker {worker}", name=shown(device.device_name),
                device=device.device_id, worker=shown(device.worker)), file=sys.stderr)
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
    return report(results, args.json)


def cmd_retire(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import find_device, retire

    with open_centre(args) as centre:
        device = retire(centre.vault, find_device(centre.vault, args.device).device_id,
                        args.last_seq)
    print(_("The laptop {device} was retired after bundle {seq}.", device=device.device_id,
            seq=args.last_seq))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from intake_app.sync.centre.devices import find_device
    from intake_app.sync.centre.release import revoke_device

    with open_centre(args) as centre:
        device, results = revoke_device(centre, find_device(centre.vault, args.device).device_id)
    print(_("The laptop {device} was revoked.", device=device.device_id), file=sys.stderr)
    report(results, args.json)
    return 0
