"""`init`, `has-vault`, `passphrase change` and `vault check`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate
from intake_app.paths import vault_dir

if TYPE_CHECKING:
    from intake_app.storage import KdfParams


def register(commands: Any) -> None:
    init = commands.add_parser("init", help=_("create a new vault"))
    init.set_defaults(handler=cmd_init)

    has = commands.add_parser("has-vault", help=_("exit 0 when a vault exists, 1 when not"))
    has.set_defaults(handler=cmd_has_vault)

    passphrase = commands.add_parser("passphrase", help=_("manage the vault's passphrase"))
    sub = passphrase.add_subparsers(metavar="ACTION", required=True)
    change = sub.add_parser("change", help=_("change the passphrase"))
    change.set_defaults(handler=cmd_passphrase_change)

    vault = commands.add_parser("vault", help=_("check the vault"))
    vsub = vault.add_subparsers(metavar="ACTION", required=True)
    check = vsub.add_parser("check", help=_("check integrity and the revision chain"))
    check.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    check.set_defaults(handler=cmd_vault_check)


def cmd_init(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    secrets = SecretInput()
    passphrase = secrets.read_new(_("New passphrase: "), _("Type it again: "))
    print(_("Creating the vault; this takes a few seconds ..."), file=sys.stderr)
    vault, recovery_code = Vault.create(vault_dir(args.data_dir), passphrase, kdf=kdf_from_env())
    vault.lock()
    print(_("Vault created in {folder}.", folder=isolate(vault_dir(args.data_dir))))
    print(_("Recovery code (write it down and keep it apart from the computer; it is shown once):"))
    print(recovery_code)
    return 0


def kdf_from_env() -> KdfParams | None:
    """`INTAKE_KDF=minimum` skips calibration and uses the floor (64 MiB, 3 passes): for tests."""
    from intake_app.storage import KdfParams

    return KdfParams.MINIMUM if os.environ.get("INTAKE_KDF") == "minimum" else None


def cmd_has_vault(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    return 0 if Vault.exists(vault_dir(args.data_dir)) else 1


def cmd_passphrase_change(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    secrets = SecretInput()
    old = secrets.read(_("Current passphrase: "))
    vault = Vault.unlock(vault_dir(args.data_dir), old)
    try:
        new = secrets.read_new(_("New passphrase: "), _("Type it again: "))
        vault.change_passphrase(old, new)
    finally:
        vault.lock()
    print(_("The passphrase was changed."))
    return 0


def cmd_vault_check(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    vault = Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: ")))
    try:
        report = vault.check()
    finally:
        vault.lock()
    if args.json:
        print(json.dumps(dataclasses.asdict(report) | {"ok": report.ok}, indent=2))
    else:
        print(
            _(
                "Database integrity: {state}",
                state=_("ok") if not report.integrity else _("damaged"),
            )
        )
        for line in report.integrity:
            print(f"  {line}")
        print(
            _(
                "Revision chain: {records} interviews, {revisions} revisions, {state}",
                records=report.chain.records,
                revisions=report.chain.revisions,
                state=_("ok") if report.chain.ok else _("broken"),
            )
        )
        for line in report.chain.problems:
            print(f"  {line}")
        print(
            _(
                "Attachment files: {state}",
                state=_("ok") if not report.attachments else _("damaged"),
            )
        )
        for line in report.attachments:
            print(f"  {line}")
    return 0 if report.ok else 1
