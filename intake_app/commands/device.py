"""`device enrol|show|retention`, `sync`, `export --to DIR`, `verify BUNDLE --device-key KEY`.

The worker's vault is unlocked with its passphrase, asked on the terminal or read as the first
line of standard input. Output never holds interview content: ids, codes, counts and times.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate

EXIT_PROBLEM = 1
EXIT_REFUSED = 3
MiB = 1024 * 1024


def register(commands: Any) -> None:
    device = commands.add_parser("device", help=_("enrol this laptop with a reception centre"))
    sub = device.add_subparsers(metavar="ACTION", required=True)

    enrol = sub.add_parser("enrol", help=_("accept a centre profile and write the request"))
    enrol.add_argument("profile", type=Path, metavar="PROFILE")
    enrol.add_argument("--to", type=Path, default=None, metavar="DIR",
                       help=_("write the request into DIR (a USB stick) instead of the share"))
    enrol.add_argument("--name", default=None, help=_("this laptop's name"))
    enrol.add_argument("--worker", default=None, help=_("your pseudonymous worker code"))
    enrol.add_argument("--fingerprint", default=None,
                       help=_("the profile fingerprint your administrator gave you"))
    enrol.add_argument("--yes", action="store_true",
                       help=_("accept the profile without asking (scripts)"))
    enrol.set_defaults(handler=cmd_enrol)

    show = sub.add_parser("show", help=_("show this laptop's enrolment"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=cmd_show)

    retention = sub.add_parser("retention", help=_("show or set how long delivered interviews "
                                                   "stay on this laptop"))
    retention.add_argument("days", nargs="?", default=None, metavar="DAYS|never")
    retention.set_defaults(handler=cmd_retention)

    sync = commands.add_parser("sync", help=_("export, send, collect receipts and purge once"))
    sync.add_argument("--json", action="store_true", help=_("print JSON"))
    sync.add_argument("--share", type=Path, default=None, metavar="DIR",
                      help=_("use DIR as the centre's share instead of the profile's"))
    sync.set_defaults(handler=cmd_sync)

    export = commands.add_parser("export", help=_("put everything not yet delivered into "
                                                  "bundles in DIR (a USB stick)"))
    export.add_argument("--to", type=Path, required=True, metavar="DIR")
    export.add_argument("--max-size", type=int, default=512, metavar="MIB",
                        help=_("largest bundle in MiB (default 512)"))
    export.set_defaults(handler=cmd_export)

    verify = commands.add_parser("verify", help=_("check a bundle's signature without "
                                                  "decrypting it"))
    verify.add_argument("bundle", type=Path, metavar="BUNDLE")
    verify.add_argument("--device-key", required=True, metavar="KEY",
                        help=_("the laptop's public key (RW...) or its .pub file"))
    verify.add_argument("--json", action="store_true", help=_("print JSON"))
    verify.set_defaults(handler=cmd_verify)


def _unlock(args: argparse.Namespace, secrets: SecretInput | None = None) -> Any:
    from intake_app.paths import vault_dir
    from intake_app.storage import Vault
    from intake_app.sync.device.schema import ensure_device_schema

    vault = Vault.unlock(vault_dir(args.data_dir), (secrets or SecretInput()).read(
        _("Passphrase: ")))
    try:
        ensure_device_schema(vault)
    except BaseException:
        vault.lock()
        raise
    return vault


def _confirm_fingerprint(args: argparse.Namespace, secrets: SecretInput, fingerprint: str
                         ) -> str | None:
    """The fingerprint to insist on, after asking on a terminal; exits if not confirmed."""
    if args.fingerprint is not None:
        return str(args.fingerprint)
    if args.yes:
        return None
    if not secrets.interactive:
        raise SystemExit(_("Compare the fingerprint with your administrator's and run again "
                           "with --fingerprint or --yes. Nothing was changed."))
    answer = input(_("Does it match the fingerprint your administrator gave you? [y/N] "))
    if answer.strip().lower() not in (_("y"), _("yes"), "y", "yes"):
        raise SystemExit(_("The profile was not accepted. Nothing was changed."))
    return fingerprint


def cmd_enrol(args: argparse.Namespace) -> int:
    from intake_app.sync.device.enrol import (
        accept_profile,
        read_profile_file,
        write_enrolment_request,
    )

    profile_file = read_profile_file(args.profile)
    print(_("Centre: {name}", name=profile_file.profile.name))
    print(_("Profile fingerprint: {fingerprint}", fingerprint=isolate(profile_file.fingerprint)))
    secrets = SecretInput()
    expected = _confirm_fingerprint(args, secrets, profile_file.fingerprint)
    vault = _unlock(args, secrets)
    try:
        identity = accept_profile(
            vault, profile_file, device_name=args.name or socket.gethostname() or "laptop",
            worker=args.worker or "unspecified", expected_fingerprint=expected,
        )
        print(_("Laptop: {device_id}", device_id=identity.device_id))
        print(_("Key fingerprint (compare with the administrator's screen): {fingerprint}",
                fingerprint=isolate(identity.key_fingerprint())))
        path = write_enrolment_request(vault, args.to)
    finally:
        vault.lock()
    print(_("Enrolment request written to {path}.", path=isolate(path)))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from intake_app.sync.device.identity import device_status
    from intake_app.sync.device.purge import retention_days

    vault = _unlock(args)
    try:
        identity, profile, fingerprint = device_status(vault)
        days = retention_days(vault)
    finally:
        vault.lock()
    info: dict[str, Any] = {
        "enrolled": identity is not None and profile is not None,
        "device_id": identity and identity.device_id,
        "device_name": identity and identity.device_name,
        "key_fingerprint": identity and identity.key_fingerprint(),
        "next_seq": identity and identity.next_seq,
        "centre_id": profile and profile.centre_id,
        "centre_name": profile and profile.name,
        "profile_fingerprint": fingerprint,
        "share": profile and profile.share,
        "retention_days": days,
    }
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    elif not info["enrolled"]:
        print(_("This laptop is not enrolled with a reception centre yet."))
    else:
        for key, value in info.items():
            print(f"{key}: {value}")
    return 0 if info["enrolled"] else EXIT_PROBLEM


def cmd_retention(args: argparse.Namespace) -> int:
    from intake_app.sync.device.purge import (
        NEVER,
        RetentionInvalid,
        purge_schedule,
        retention_days,
        set_retention_days,
    )

    days: int | None = None
    if args.days is not None and args.days != NEVER:
        try:
            days = int(args.days)
        except ValueError:
            raise RetentionInvalid(maximum=36_500) from None
    vault = _unlock(args)
    try:
        if args.days is not None:
            set_retention_days(vault, days)
        current = retention_days(vault)
        schedule = purge_schedule(vault)
    finally:
        vault.lock()
    print(_("Retention: {days}", days=_("never") if current is None else current))
    for item in schedule:
        print(_("{id} may be removed after {time}", id=item.record_id, time=item.purge_after))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from intake_app.sync.device.round import ExportWhen, SyncOptions, sync_once
    from intake_app.sync.device.status import SyncState

    vault = _unlock(args)
    try:
        report = sync_once(vault, options=SyncOptions(export=ExportWhen.ALWAYS,
                                                      share=args.share))
    finally:
        vault.lock()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.status.describe())
        for problem in report.problems[1:]:
            print(problem.translated(), file=sys.stderr)
    ok = report.status.state not in (SyncState.PROBLEM, SyncState.NOT_ENROLLED,
                                    SyncState.REVOKED)
    return 0 if ok else EXIT_PROBLEM


def cmd_export(args: argparse.Namespace) -> int:
    from intake_app.sync.device.folder_export import export_to_folder

    vault = _unlock(args)
    try:
        result = export_to_folder(vault, args.to, max_size=max(1, args.max_size) * MiB,
                                  clock=_utc_now)
    finally:
        vault.lock()
    for path in result.written:
        print(path)
    for problem in result.problems:
        print(problem.translated(), file=sys.stderr)
    return EXIT_PROBLEM if result.skipped else 0


def cmd_verify(args: argparse.Namespace) -> int:
    from intake_app.sync.device.verify import verify_bundle_file
    from intake_app.sync.errors import BundleRefused

    try:
        signed = verify_bundle_file(args.bundle, _read_key(args.device_key))
    except BundleRefused as refused:
        if args.json:
            print(json.dumps({"ok": False, "reason": refused.reason.value}))
        else:
            print(f"{refused.reason.value}: {refused.translated()}", file=sys.stderr)
        return EXIT_REFUSED
    fields = {
        "ok": True,
        "device": signed.comment.device_id,
        "seq": signed.comment.seq,
        "created": signed.comment.created,
        "manifest": signed.comment.manifest_sha256,
        "payload": signed.payload_sha256,
        "key_id": signed.key_id,
    }
    if args.json:
        print(json.dumps(fields, indent=2))
    else:
        print(_("Signature and trusted comment verified."))
        for key, value in list(fields.items())[1:]:
            print(f"{key}: {value}")
    return 0


def _read_key(value: str) -> str:
    """A public key given as text (RW...) or as a minisign .pub file."""
    candidate = Path(value)
    if not value.startswith("RW") and candidate.is_file():
        lines = [line.strip() for line in candidate.read_text("ascii", "replace").splitlines()]
        keys = [line for line in lines if line and not line.startswith("untrusted comment:")]
        return keys[-1] if keys else ""
    return value.strip()


def _utc_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
