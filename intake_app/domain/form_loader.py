"""Read a form definition file (docs/form-format.md) into a checked `Form`, strictly.

Every problem is collected with the file, the question and the reason, and all of them are
raised together as one `FormInvalid`. Missing translations are not problems: the completeness
check (`completeness.py`) reports them.
"""

from __future__ import annotations

import json
import re
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from babel import UnknownLocaleError

from intake_app.domain.codelists import babel_locale
from intake_app.domain.errors import FormInvalid, FormProblem
from intake_app.domain.form import TRANSLATION_STATES, ConsentGate, Form, Source
from intake_app.domain.form_checks import check_form
from intake_app.domain.form_reader import FormReader
from intake_app.domain.json_text import DuplicateKey, no_duplicate_keys

FORM_FORMAT = "intake-form"
FORM_FORMAT_VERSION = 1
FORM_ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")

_FORM_KEYS = frozenset(
    {
        "format",
        "format_version",
        "id",
        "version",
        "languages",
        "default_language",
        "translation_status",
        "sources",
        "consent_gate",
        "questions",
        "choices",
    }
)


def _header(reader: FormReader, data: dict[str, Any]) -> tuple[str, str]:
    reader.unknown_keys(data, _FORM_KEYS, ("title::", "draft_notice::"), "")
    if data.get("format") != FORM_FORMAT or data.get("format_version") != FORM_FORMAT_VERSION:
        reader.problem("", f"format must be {FORM_FORMAT!r} version {FORM_FORMAT_VERSION}")
    form_id, version = data.get("id"), data.get("version")
    if not isinstance(form_id, str) or not FORM_ID.match(form_id):
        reader.problem("", "id must be a lower-case name such as 'intake-fi'")
        form_id = "?"
    if not isinstance(version, str) or not VERSION.match(version):
        reader.problem("", "version must be dotted numbers such as '2026.1'")
        version = "0"
    return form_id, version


def _languages(reader: FormReader, data: dict[str, Any]) -> tuple[str, dict[str, str]]:
    languages = data.get("languages")
    if (
        not isinstance(languages, list)
        or not languages
        or len(set(map(str, languages))) != len(languages)
    ):
        reader.problem("", "languages must be a non-empty list without repeats")
        languages = []
    for lang in languages:
        try:
            babel_locale(str(lang))
        except (UnknownLocaleError, ValueError):
            reader.problem("", f"language {lang!r} is not a locale Babel knows")
    reader.languages = tuple(str(lang) for lang in languages)
    default = data.get("default_language")
    if default not in reader.languages:
        reader.problem("", "default_language must be one of the languages")
    status = data.get("translation_status")
    if not isinstance(status, dict):
        reader.problem("", "translation_status must map each language to source/reviewed/draft")
        status = {}
    for lang in reader.languages:
        if status.get(lang) not in TRANSLATION_STATES:
            reader.problem("", f"translation_status of {lang!r} must be source, reviewed or draft")
    for lang in status:
        if lang not in reader.languages:
            reader.problem("", f"translation_status names {lang!r}, which is not a form language")
    return str(default), {str(k): str(v) for k, v in status.items()}


def _sources(reader: FormReader, data: object) -> tuple[Source, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        reader.problem("sources", "sources must be a list")
        return ()
    sources: list[Source] = []
    for item in data:
        if (
            not isinstance(item, dict)
            or not set(item) <= {"id", "title", "url", "note"}
            or not all(isinstance(v, str) for v in item.values())
            or not item.get("id")
            or not item.get("title")
        ):
            reader.problem("sources", "each source needs id and title, and may have url and note")
            continue
        sources.append(Source(**item))
    return tuple(sources)


def _gate(reader: FormReader, data: object) -> ConsentGate | None:
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != {"condition", "open"}:
        reader.problem("consent_gate", "consent_gate needs exactly condition and open")
        return None
    condition = reader.expression(data, "condition", "consent_gate")
    sections = data["open"]
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        reader.problem("consent_gate", "open must be a list of section names")
        return None
    return ConsentGate(condition, tuple(sections)) if condition is not None else None


def form_from_data(data: object, file: str) -> Form:
    """Build and check a form from parsed JSON; raises FormInvalid with every problem found."""
    reader = FormReader(file)
    if not isinstance(data, dict):
        raise FormInvalid([FormProblem(file, "", "the file must hold one JSON object")])
    form_id, version = _header(reader, data)
    default_language, status = _languages(reader, data)
    titles = reader.texts(data, "title", "")
    choice_lists = reader.choice_lists(data.get("choices", {}))
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        reader.problem("", "questions must be a non-empty list")
        raw_questions = []
    built = [reader.question(item, "") for item in raw_questions]
    if reader.problems:
        raise FormInvalid(reader.problems)
    form = Form(
        id=form_id,
        version=version,
        file=file,
        languages=reader.languages,
        default_language=default_language,
        titles=titles,
        translation_status=status,
        sources=_sources(reader, data.get("sources")),
        consent_gate=_gate(reader, data.get("consent_gate")),
        questions=tuple(q for q in built if q is not None),
        choice_lists=choice_lists,
        draft_notices=reader.texts(data, "draft_notice", ""),
    )
    problems = reader.problems + [FormProblem(file, where, why) for where, why in check_form(form)]
    if problems:
        raise FormInvalid(problems)
    return form


def load_form_text(text: str | bytes, file: str) -> Form:
    """Parse a form definition from JSON text; `file` names it in error reports."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except UnicodeDecodeError:
        raise FormInvalid([FormProblem(file, "", "the file is not UTF-8 text")]) from None
    except DuplicateKey as exc:
        raise FormInvalid([FormProblem(file, "", f"key {exc.args[0]!r} appears twice")]) from None
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise FormInvalid([FormProblem(file, "", reason)]) from None
    except RecursionError:
        raise FormInvalid([FormProblem(file, "", "the JSON is nested too deeply")]) from None
    return form_from_data(data, file)


def load_form(path: Path | Traversable) -> Form:
    """Load one form definition file."""
    return load_form_text(path.read_bytes(), path.name)
