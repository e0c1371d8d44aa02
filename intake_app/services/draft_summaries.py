"""List entries for interviews that exist only as a draft (never finished, never saved).

The store lists and indexes saved revisions; a new interview lives only in the draft table
until it is finished. The worker still expects to see it, and to find it by its alias.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from intake_app.storage import InterviewSummary

if TYPE_CHECKING:
    from intake_app.storage import Vault


def _texts(value: object) -> list[str]:
    """The alias-like and tagged free texts inside an answer, like the store's index."""
    if isinstance(value, dict):
        if isinstance(value.get("text"), str) and isinstance(value.get("lang"), str):
            return [value["text"]]
        return [text for inner in value.values() for text in _texts(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _texts(inner)]
    return []


def _matches(document: dict[str, Any], query: str) -> bool:
    answers = document.get("answers") or {}
    alias = answers.get("alias")
    haystack = " ".join([alias if isinstance(alias, str) else "", *_texts(answers)]).casefold()
    return all(word in haystack for word in query.casefold().split())


def unsaved_drafts(vault: Vault, query: str | None) -> list[Any]:
    """Summaries of drafts whose record has no saved revision (matching `query` if given)."""
    found: list[Any] = []
    for info in vault.interviews.drafts():
        if info.base_revision != 0:  # a draft of changes to a saved record: listed already
            continue
        document = vault.interviews.get_draft(info.id)
        if document is None or (query and not _matches(document, query)):
            continue
        alias = (document.get("answers") or {}).get("alias")
        found.append(
            InterviewSummary(
                id=info.id,
                revision=0,
                status="draft",
                alias=alias if isinstance(alias, str) else None,
                form=str(document.get("form", "")),
                form_version=str(document.get("form_version", "")),
                created=str(document.get("created", info.modified)),
                modified=info.modified,
                delivered=False,
                deleted=False,
                has_draft=True,
            )
        )
    return found
