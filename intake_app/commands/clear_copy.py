"""Attached files on the command line: listing them, and writing a clear copy of one.

Both the worker's (`record attachments|attachment`) and the centre's (`centre attachments|
attachment`) commands use these, so the two say and do the same.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.i18n import _, ngettext

if TYPE_CHECKING:
    from intake_app.storage import AttachmentInfo, AttachmentReader


def print_attachment_list(found: Sequence[AttachmentInfo], *, as_json: bool) -> None:
    """One line per attached file (names made safe for a terminal), or one JSON list."""
    from intake_app.commands.centre.output import print_json, shown

    rows = [dataclasses.asdict(info) for info in found]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        print(f"{row['sha256']}  {row['size']:>12}  {row['media_type']:<24}  {shown(row['name'])}")
    print(ngettext("{n} attached file", "{n} attached files", len(rows)), file=sys.stderr)


def copy_listed_attachment(found: Sequence[AttachmentInfo], sha256: str,
                           opener: Callable[[str], AttachmentReader], target: Path) -> None:
    """Write a clear copy of the file `sha256`, which must be one of `found` (else NotFound)."""
    from intake_app.errors import NotFound

    if sha256 not in {info.sha256 for info in found}:
        raise NotFound()
    write_clear_copy(opener(sha256), target)


def new_target(target: Path) -> bool:
    """Whether `target` names no file yet (said on stderr when it does)."""
    if target.exists():
        print(_("intake-app: {file} exists already; name a new file.", file=str(target)),
              file=sys.stderr)
        return False
    return True


def write_clear_copy(reader: AttachmentReader, target: Path) -> None:
    """Decrypt an attachment into a new file readable only by this user (0600), after saying
    on stderr that the copy is not protected; the file goes again if anything fails."""
    import os

    print(_("Writing a clear, unencrypted copy of the attached file to {file}. It is not "
            "protected by the vault: delete it when you no longer need it.",
            file=str(target)), file=sys.stderr)
    # A new file only readable by this user; never over an existing one.
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except BaseException:
        reader.close()
        raise
    try:
        with reader, os.fdopen(fd, "wb") as out:
            while piece := reader.read(1024 * 1024):
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
