"""`intake-app centre init`: set up the centre's vault, keys and profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import _


def register(sub: Any) -> None:
    """Add `init` to the `centre` subcommands."""
    init = sub.add_parser("init", help=_("set up the centre's vault, keys and profile"))
    init.add_argument("--name", required=True, help=_("the centre's name, shown on laptops"))
    init.add_argument("--share", required=True, help=_("the share folder laptops send to"))
    init.add_argument("--backup-identity", type=Path, default=None, metavar="FILE",
                      help=_("also make an offline backup key and write it once to FILE"))
    init.set_defaults(handler=cmd_init)


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
