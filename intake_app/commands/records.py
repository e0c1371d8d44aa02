"""`record add|list|show|search|attach|attachments|attachment`: interviews from the command line,
checked against their form, and their attached files."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.commands.clear_copy import (
    copy_listed_attachment,
    new_target,
    print_attachment_list,
)
from intake_app.commands.passphrase_input import SecretInput
from intake_app.errors import InvalidDocument
from intake_app.i18n import _, ngettext
from intake_app.paths import vault_dir

if TYPE_CHECKING:
    pass

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024


def register(commands: Any) -> None:
    record = commands.add_parser("record", help=_("add, list, show and search interviews"))
    sub = record.add_subparsers(metavar="ACTION", required=True)

    add = sub.add_parser("add", help=_("add an interview document (JSON) from FILE or - for stdin"))
    add.add_argument("file", metavar="FILE|-")
    add.set_defaults(handler=cmd_add)

    listing = sub.add_parser("list", help=_("list interviews"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.add_argument("--status", choices=["draft", "final", "withdrawn", "deleted"])
    listing.add_argument("--modified-since", metavar="TIME", help=_("ISO 8601 UTC time"))
    delivered = listing.add_mutually_exclusive_group()
    delivered.add_argument("--delivered", dest="delivered", action="store_true", default=None)
    delivered.add_argument("--undelivered", dest="delivered", action="store_false")
    listing.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help=_("print one interview as JSON"))
    show.add_argument("id")
    show.set_defaults(handler=cmd_show)

    search = sub.add_parser("search", help=_("full-text search in alias, account and notes"))
    search.add_argument("query")
    search.add_argument("--json", action="store_true", help=_("print JSON"))
    search.set_defaults(handler=cmd_search)

    attach = sub.add_parser("attach", help=_("attach FILE to an interview (prints its SHA-256)"))
    attach.add_argument("id")
    attach.add_argument("file", metavar="FILE", type=Path)
    attach.add_argument("--media-type", metavar="TYPE",
                        help=_("media type, e.g. image/jpeg (default: guessed from the name)"))
    attach.set_defaults(handler=cmd_attach)

    attached = sub.add_parser("attachments", help=_("list an interview's attached files"))
    attached.add_argument("id")
    attached.add_argument("--json", action="store_true", help=_("print JSON"))
    attached.set_defaults(handler=cmd_attachments)

    copy = sub.add_parser("attachment", help=_("write a clear copy of an attached file"))
    copy.add_argument("id")
    copy.add_argument("sha256")
    copy.add_argument("--to", metavar="FILE", type=Path, required=True,
                      help=_("the new file (it must not exist yet)"))
    copy.set_defaults(handler=cmd_attachment)


def _read_document(file: str, secrets: SecretInput) -> bytes:
    if file == "-":
        raw = (
            secrets.rest().encode("utf-8") if not secrets.interactive else sys.stdin.read().encode()
        )
    else:
        path = Path(file)
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise InvalidDocument(problem=_("the file is larger than 4 MB"))
        raw = path.read_bytes()
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InvalidDocument(problem=_("the document is larger than 4 MB"))
    return raw


def checked_document(raw: bytes) -> tuple[dict[str, Any], list[str]]:
    """Parse and check a document against its form; returns it and the warnings to show."""
    from intake_app.domain import FormRegistry, errors, normalise, parse_document, validate

    interview = parse_document(raw)
    form = FormRegistry.load().form_for(interview)
    if form is None:
        raise InvalidDocument(
            problem=_(
                "the form {form} {version} is not known to this application",
                form=interview.form,
                version=interview.form_version,
            )
        )
    normalised = normalise(interview, form)
    problems = errors(validate(normalised.interview, form))
    if problems:
        details = "; ".join(issue.translated() for issue in problems[:5])
        raise InvalidDocument(problem=details)
    warnings = [issue.translated() for issue in normalised.removed]
    return normalised.interview.to_dict(), warnings


def cmd_add(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    secrets = SecretInput()
    passphrase = secrets.read(_("Passphrase: "))
    document, warnings = checked_document(_read_document(args.file, secrets))
    for warning in warnings:
        print(_("warning: {message}", message=warning), file=sys.stderr)
    with Vault.unlock(vault_dir(args.data_dir), passphrase) as vault:
        saved = vault.interviews.save_revision(document)
    print(json.dumps({"id": saved.id, "revision": saved.revision, "sha256": saved.sha256}))
    return 0


def _summary_rows(summaries: list[Any]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(summary) for summary in summaries]


def _print_summaries(summaries: list[Any], as_json: bool) -> None:
    rows = _summary_rows(summaries)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        delivered = _("delivered") if row["delivered"] else _("not delivered")
        print(
            f"{row['id']}  {row['status']:<9}  {row['modified']}  {delivered}  {row['alias'] or ''}"
        )
    print(ngettext("{n} interview", "{n} interviews", len(rows)), file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    with Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: "))) as vault:
        found = vault.interviews.list(
            status=args.status, modified_since=args.modified_since, delivered=args.delivered
        )
    _print_summaries(found, args.json)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    with Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: "))) as vault:
        document = vault.interviews.get(args.id)
    print(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    with Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: "))) as vault:
        found = vault.interviews.search(args.query)
    _print_summaries(found, args.json)
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    import mimetypes

    from intake_app.storage import Vault

    passphrase = SecretInput().read(_("Passphrase: "))
    media_type = args.media_type or mimetypes.guess_type(args.file.name)[0]
    if not args.file.is_file():
        print(_("intake-app: {file} is not a file that can be read.", file=str(args.file)),
              file=sys.stderr)
        return 2
    with args.file.open("rb") as source, Vault.unlock(vault_dir(args.data_dir), passphrase) as v:
        info = v.interviews.add_attachment(
            args.id, source, media_type or "application/octet-stream", args.file.name
        )
    print(info.sha256)
    return 0


def cmd_attachments(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    with Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: "))) as vault:
        found = vault.interviews.attachments(args.id)
    print_attachment_list(found, as_json=args.json)
    return 0


def cmd_attachment(args: argparse.Namespace) -> int:
    from intake_app.storage import Vault

    target: Path = args.to
    if not new_target(target):
        return 2
    with Vault.unlock(vault_dir(args.data_dir), SecretInput().read(_("Passphrase: "))) as vault:
        copy_listed_attachment(vault.interviews.attachments(args.id), args.sha256,
                               vault.interviews.open_attachment, target)
    return 0
