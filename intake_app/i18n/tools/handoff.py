"""Handing untranslated messages to a translator and taking the translations back.

`untranslated()` gives JSON that a person (or a translation tool) fills in; `apply_translations()`
puts it into the `.po`, refusing any translation whose `{fields}` differ from the source.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TypedDict

from babel.messages.catalog import Message

from intake_app.i18n.catalogs import is_translated, parse_po, po_path
from intake_app.i18n.fields import FieldMismatch, check_plural_form, check_translation
from intake_app.i18n.tools.maintenance import (
    Project,
    directory_for,
    language_header_comment,
    render_catalog,
    write_if_changed,
)


def _entry(message: Message, num_plurals: int) -> dict[str, object]:
    entry: dict[str, object] = {"context": message.context, "comments": list(message.auto_comments)}
    if isinstance(message.id, tuple | list):
        entry["msgid"], entry["msgid_plural"] = str(message.id[0]), str(message.id[1])
        current = message.string if isinstance(message.string, tuple | list) else ()
        entry["msgstr"] = [str(s) for s in current] or [""] * num_plurals
    else:
        entry["msgid"], entry["msgstr"] = str(message.id), str(message.string or "")
    entry["fuzzy"] = message.fuzzy
    return entry


class TodoFile(TypedDict):
    """What `untranslated` gives a translator, and `apply_translations` takes back."""

    language: str
    plural_forms: str
    note: str
    messages: list[dict[str, object]]


def untranslated(project: Project, code: str) -> TodoFile:
    """The messages of `code` still to translate (missing or fuzzy), as JSON for a translator."""
    catalog = parse_po(po_path(project.translations, directory_for(code)))
    todo = [
        _entry(message, catalog.num_plurals)
        for message in catalog
        if message.id and (message.fuzzy or not is_translated(message))
    ]
    return {
        "language": code,
        "plural_forms": catalog.plural_forms,
        "note": "Fill msgstr; keep every {field} exactly; then run `scripts/i18n.py apply`.",
        "messages": todo,
    }


def _first_mismatch(msgid: str, plural: str | None, forms: list[str]) -> FieldMismatch | None:
    for form in forms:
        if not form:
            continue
        if plural is None:
            mismatch = check_translation(msgid, form)
        else:
            mismatch = check_plural_form(msgid, plural, form)
        if mismatch is not None:
            return mismatch
    return None


def apply_translations(
    project: Project,
    code: str,
    entries: Iterable[dict[str, object]],
    *,
    review: str = "draft",
    translator: str | None = None,
) -> tuple[int, list[str]]:
    """Put translated entries (the `untranslated` format) into the `.po`; (count, problems).

    An entry whose fields differ from the source is refused; `review` becomes the catalog's state.
    """
    path = po_path(project.translations, directory_for(code))
    catalog = parse_po(path)
    applied, problems = 0, []
    for entry in entries:
        msgid, plural = str(entry["msgid"]), entry.get("msgid_plural")
        key: str | tuple[str, str] = (msgid, str(plural)) if plural else msgid
        context = entry.get("context")
        message = catalog.get(key, str(context) if context else None)
        if message is None:
            problems.append(f"not in the catalog (run extract and update): {msgid!r}")
            continue
        text = entry.get("msgstr")
        forms = [str(t) for t in text] if isinstance(text, list) else [str(text or "")]
        mismatch = _first_mismatch(msgid, str(plural) if plural else None, forms)
        if mismatch is not None:
            problems.append(f"fields differ, not applied: {msgid!r}: {mismatch.describe()}")
            continue
        if not any(forms):
            continue
        message.string = tuple(forms) if plural else forms[0]
        message.flags.discard("fuzzy")
        applied += 1
    catalog.header_comment = language_header_comment(code, review)
    if translator:
        catalog.last_translator = translator
    if applied:
        catalog.revision_date = datetime.datetime.now(datetime.UTC)
    write_if_changed(path, render_catalog(catalog, review))
    return applied, problems
