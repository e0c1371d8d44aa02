"""A strict reading of `.po` syntax, for what Babel's lenient parser lets through.

Babel reads `msgid "Broken` (no closing quote) as "Broke" and keeps only one of two entries with
the same msgid; GNU msgfmt and Weblate reject both, and so does `scripts/i18n.py check`.
"""

from __future__ import annotations

import re

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$")
_QUOTED = re.compile(r'"(?:[^"\\]|\\["\\abfnrtv?]|\\[0-7]{1,3}|\\x[0-9a-fA-F]+)*"')


def lint_po(text: str) -> list[str]:
    """Syntax problems in the text of a `.po` file (an empty list when it is well formed)."""
    problems: list[str] = []
    seen: set[tuple[str | None, str]] = set()
    keyword: str | None = None
    context: str | None = None
    msgid: str | None = None

    def finish_key(lineno: int) -> None:
        nonlocal context, msgid
        if msgid is not None:
            key = (context, msgid)
            if key in seen:
                problems.append(f"line {lineno}: the same msgid appears twice: {msgid[:60]}")
            seen.add(key)
        context = msgid = None

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # blank, comment, or an obsolete "#~" entry
        match = _KEYWORD.match(line)
        quoted = match.group(2).strip() if match else line
        if not _QUOTED.fullmatch(quoted):
            problems.append(f"line {lineno}: not a well-formed quoted string: {line[:60]}")
            continue
        if match:
            keyword = match.group(1)
            if keyword == "msgctxt":
                context = quoted[1:-1]
            elif keyword == "msgid":
                msgid = quoted[1:-1]
            elif keyword.startswith("msgstr"):
                finish_key(lineno)
        elif keyword is None:
            problems.append(f"line {lineno}: a string outside any entry")
        elif keyword == "msgctxt" and context is not None:
            context += quoted[1:-1]
        elif keyword == "msgid" and msgid is not None:
            msgid += quoted[1:-1]
    return problems
