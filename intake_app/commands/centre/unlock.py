"""Opening the centre's vault for one command, with the passphrase from the terminal or stdin."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import _

if TYPE_CHECKING:
    from intake_app.sync.centre.vault import Centre


def open_centre(args: argparse.Namespace, secrets: SecretInput | None = None) -> Centre:
    """The centre in `--data-dir`, its share at `--share` if the command has one; close it after."""
    from intake_app.sync.centre.vault import Centre

    passphrase = (secrets or SecretInput()).read(_("Centre passphrase: "))
    return Centre.open(args.data_dir, passphrase, share=getattr(args, "share", None))


def add_share_option(parser: argparse.ArgumentParser) -> None:
    """`--share PATH`: where the share is mounted on this computer, if not at the profile's path."""
    parser.add_argument("--share", type=Path, default=None, metavar="PATH",
                        help=_("where the share is mounted here (default: the profile's path)"))
