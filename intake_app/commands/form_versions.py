"""`intake-app forms [--json]`: the interview form versions this laptop has (shipped with the
application, or picked up from the centre's share by `intake-app sync`), whether new
interviews may start with each (current) or not (retired), when the share was last checked,
and the last problem picking forms up (what, which file, since when), until a pickup takes
everything. Ids, versions, codes and times only: nothing personal."""

from __future__ import annotations

import argparse
import json
import unicodedata
from typing import Any

from intake_app.commands.passphrase_input import SecretInput
from intake_app.i18n import N_, _

STATE_WORDS = {"current": N_("current"), "retired": N_("retired")}
SOURCE_WORDS = {"shipped": N_("shipped"), "share": N_("the centre's share")}


def register(commands: Any) -> None:
    forms = commands.add_parser("forms", help=_("list the interview form versions this laptop has"))
    forms.add_argument("--json", action="store_true", help=_("print JSON"))
    forms.set_defaults(handler=cmd_forms)


def cmd_forms(args: argparse.Namespace) -> int:
    from intake_app.i18n.formatting import format_moment
    from intake_app.paths import vault_dir
    from intake_app.services.form_versions import problem_text, read_vault_forms
    from intake_app.services.interviews import FormCatalogue
    from intake_app.storage import Vault

    with Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: "))) as vault:
        found = read_vault_forms(vault, load=False)
    listed = FormCatalogue().versions(found)
    if args.json:
        problem = listed.problem
        info = {
            "checked": listed.checked,
            "forms": [v.as_dict() for v in listed.versions],
            "problem": None
            if problem is None
            else {"code": problem.code, "file": problem.file, "since": problem.since},
        }
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    header = [_("Form"), _("Version"), _("State"), _("From"), _("New interviews")]
    rows = [
        [
            v.form_id,
            v.version,
            _(STATE_WORDS[v.state]),
            _(SOURCE_WORDS[v.source]),
            _("yes") if v.new_interviews else "",
        ]
        for v in listed.versions
    ]
    for line in _table([header, *rows]):
        print(line)
    print()
    if listed.checked is None:
        print(_("This laptop has not checked the centre's share for forms yet."))
    else:
        print(
            _(
                "Last checked the centre's share for forms: {time}",
                time=format_moment(listed.checked),
            )
        )
    if listed.problem is not None:
        print(problem_text(listed.problem))
    return 0


def _width(text: str) -> int:
    """Columns `text` takes in a terminal (wide East Asian letters two, marks none)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
