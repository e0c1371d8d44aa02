"""`intake-app centre ...`: set up a reception centre, manage laptops, import bundles, export.

The centre vault lives in `<data-dir>/centre`; its passphrase is asked on the terminal or read
as the first line of standard input. Machine-readable output (`--json`) uses the stable codes
of bundle-format.md; the words are the administrator's window's and follow `--lang`.

One module per task: `setup` (init), `imports` (import, held, release, conflicts, resolve,
window), `devices`
(devices, enrolments, approve, retire, revoke), `stats` (statistics: a table, a spreadsheet or a
PDF with charts; the annual report), `reports` (log, alerts, attachments),
`exports` (export, export-csv),
`forms` (form export, form import: the form as an XLSForm workbook);
`triage` (follow-up, duplicates);
`output` prints for all of them and `unlock` opens the centre's vault.
"""

from __future__ import annotations

from typing import Any

from intake_app.commands.centre import (
    devices,
    exports,
    forms,
    imports,
    reports,
    setup,
    stats,
    triage,
)
from intake_app.i18n import _

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add `centre` and its subcommands to the command line."""
    centre = commands.add_parser("centre", help=_("run a reception centre: keys, laptops, imports"))
    sub = centre.add_subparsers(metavar="ACTION", required=True)
    setup.register(sub)
    imports.register(sub)
    devices.register(sub)
    stats.register(sub)
    reports.register(sub)
    exports.register(sub)
    forms.register(sub)
    triage.register(sub)
