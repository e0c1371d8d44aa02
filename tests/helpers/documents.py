"""The one interview document builder for every test (storage, device, bundles, centre)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any


def default_answers() -> dict[str, Any]:
    """Consent, the alias "A." and a short English account (a new dict each time)."""
    return {"consent_interview": "yes", "alias": "A.",
            "account": {"text": "Worked without pay", "lang": "en"}}


def new_id() -> str:
    return str(uuid.uuid4())


def make_document(record_id: str | None = None, revision: int = 1, *, status: str = "final",
             answers: Mapping[str, Any] | None = None, lang: str = "en",
             **more: Any) -> dict[str, Any]:
    """An interview document in the contract's shape, for the test form intake-fi 2026.1.

    Its answers are `answers` (by default consent, alias "A." and a short account) with `more`
    added; a plain-text `account` becomes {"text": account, "lang": lang}. Revision 0 is a
    record never saved; a bundle carries revisions from 1.
    """
    if isinstance(more.get("account"), str):
        more["account"] = {"text": more["account"], "lang": lang}
    return {
        "format": "intake-interview", "version": 1,
        "id": record_id or new_id(), "revision": revision,
        "form": "intake-fi", "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z", "modified": "2026-11-28T16:05:00Z",
        "status": status,
        "answers": {**(default_answers() if answers is None else answers), **more},
    }
