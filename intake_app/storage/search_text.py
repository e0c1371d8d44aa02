"""The text the search index sees, and the FTS5 expression a typed query becomes.

The index uses SQLite's unicode61 tokenizer (words, case and Latin diacritics folded). Before
text reaches it, combining marks are dropped (so Arabic with or without harakat, and Thai with
its vowel and tone marks, match the same way), and runs of scripts written without spaces
between words (Thai, Lao, Khmer, Myanmar, Chinese, Japanese) become overlapping character
pairs, so a word inside such a run is found as a phrase of pairs.

Changing anything here changes what is in the index: it needs a migration that rebuilds it,
because a contentless index can only remove a record given exactly the text it was given.
"""

from __future__ import annotations

import json
import operator
import re
import unicodedata
from typing import Any

_NO_SPACE_RUN = re.compile(
    "[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
SHORTEST_WORD = 3  # shorter terms are matched against the alias only


# Combining marks of the scripts people write in here (and the generic combining blocks). A
# mark left out would not break search (index and query are prepared alike), only make marked
# and unmarked spellings differ. A full Unicode class makes Python's re several times slower.
_MARKS = re.compile(
    "["
    "\u0300-\u036f"  # combining diacritical marks (decomposed Latin, Cyrillic, Greek)
    "\u0483-\u0489"  # Cyrillic
    "\u0591-\u05c7"  # Hebrew points
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # Arabic harakat, also Dari
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # Thai vowel and tone marks
    "\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece"  # Lao
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # combining extensions
    "]+"
)


def _pairs(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(map(operator.add, run[:-1], run[1:])) + " "


def index_form(text: str) -> str:
    """`text` as it is given to the tokenizer (for indexing and for queries alike)."""
    if text.isascii():
        return text
    folded = _MARKS.sub("", unicodedata.normalize("NFC", text))
    return _NO_SPACE_RUN.sub(_pairs, folded)


def searchable_texts(answers: dict[str, Any]) -> str:
    """Every language-tagged free text `{"text", "lang"}` anywhere in the answers, one per line."""
    found: list[str] = []
    stack: list[Any] = [answers]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            text = value.get("text")
            if isinstance(text, str) and isinstance(value.get("lang"), str):
                found.append(text)
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return "\n".join(found)


def index_values(document: str) -> tuple[str, str]:
    """The (alias, texts) a revision's canonical JSON puts into the index."""
    body = json.loads(document)
    answers = body.get("answers") if isinstance(body, dict) else None
    if not isinstance(answers, dict):
        return "", ""
    alias = answers.get("alias")
    return index_form(alias if isinstance(alias, str) else ""), index_form(
        searchable_texts(answers)
    )


def query_terms(query: str) -> list[str]:
    """The distinct terms of a typed query, with characters SQLite cannot take removed."""
    cleaned = "".join(" " if ch == "\0" else ch for ch in query if not 0xD800 <= ord(ch) <= 0xDFFF)
    return list(dict.fromkeys(cleaned.split()))


def fts_phrase(term: str) -> str:
    """`term` as an FTS5 string: quoted, inner quotes doubled, so it is never syntax."""
    return '"' + term.replace('"', '""') + '"'


def fts_prefix(term: str) -> str | None:
    """The FTS5 expression for one typed term (a phrase whose last word may go on), or None
    when the term has no letters or digits and so matches nothing."""
    form = " ".join(index_form(term).split())
    if not any(ch.isalnum() for ch in form):
        return None
    return fts_phrase(form) + "*"


def like_pattern(term: str) -> str:
    """`term` as a LIKE pattern matching it anywhere, with `\\`, `%` and `_` escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def is_short(term: str) -> bool:
    """Whether `term` is too short to search the free texts with (it then matches aliases)."""
    return len(term) < SHORTEST_WORD and not _NO_SPACE_RUN.search(term)
