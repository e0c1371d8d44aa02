"""Answers in words: the one way the centre says an interview's answers to a person.

The administrator's detail pane, the referral summary and the CSV's label columns all read
answers through here, so each answer type is said the same way everywhere: choices by their
labels, dates and numbers in the language's format, free texts with their paragraphs and their
language, repeat groups item by item with their questions' labels, an indicator's note after
its answer. Only the forms and CLDR are asked (no catalog), so the words follow `lang` even
when the window speaks another language. Nothing here is markup: callers escape for their
medium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.domain.answers import is_empty, is_tagged_text, parse_partial_date
from intake_app.domain.codelists import country_name, language_name
from intake_app.domain.document import interview_from_dict
from intake_app.domain.errors import DocumentTooNew, NotADocument
from intake_app.domain.form import Form, Question
from intake_app.domain.registry import FormRegistry
from intake_app.i18n.formatting import format_number, format_partial_date

CODED_TYPES = frozenset({"select_one", "select_multiple", "yes_no_unknown", "country", "language"})
#: Marks that already end a question: no colon after them ("Is it safe? Yes", not "?:").
_ENDS_A_QUESTION = ("?", "؟", "？", ":", "：")
SECTION_SEPARATOR = " › "
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class AnswerLine:
    """One answered question as a person reads it."""

    name: str  # the question's name in the form (its answer's key)
    section: str  # the section (and sub-section) it sits in; "" for names the form lacks
    label: str  # the question in the language asked; an unknown answer's name
    text: str  # the answer in words; line breaks are the answer's own (paragraphs, items)


def labelled(label: str, text: str) -> str:
    """ "Language: English", but "Is it safe to call? Yes" (never "?:")."""
    if label.rstrip().endswith(_ENDS_A_QUESTION):
        return f"{label.rstrip()} {text}"
    return f"{label}: {text}"


def form_of(registry: FormRegistry, document: Mapping[str, Any]) -> Form | None:
    """The form a document opens with (its version, or the newest newer one), if any."""
    try:
        return registry.form_for(interview_from_dict(dict(document)))
    except (NotADocument, DocumentTooNew):
        return None


def sections(form: Form, lang: str) -> dict[str, str]:
    """Each question's section path in `lang` ("8 Indicators › Coercive recruitment")."""
    found: dict[str, str] = {}

    def walk(questions: Sequence[Question], path: tuple[str, ...]) -> None:
        for question in questions:
            found[question.name] = SECTION_SEPARATOR.join(path)
            if question.type == "group":
                walk(question.children, (*path, question.label(lang) or question.name))
            elif question.type == "repeat":
                walk(question.children, path)

    walk(form.questions, ())
    return found


def top_questions(forms: Sequence[Form]) -> Iterator[Question]:
    """The answerable questions outside repeats (repeats themselves included), in form order,
    each name once."""
    seen: set[str] = set()
    for form in forms:
        for question in form.walk():
            if (question.answerable and form.repeat_of(question.name) is None
                    and question.name not in seen):
                seen.add(question.name)
                yield question


def answer_lines(registry: FormRegistry, document: Mapping[str, Any], lang: str
                 ) -> list[AnswerLine]:
    """Every answered question of a document, in form order, then answers the form lacks."""
    answers = document.get("answers")
    answers = answers if isinstance(answers, dict) else {}
    form = form_of(registry, document)
    lines: list[AnswerLine] = []
    known: set[str] = set()
    if form is not None:
        where = sections(form, lang)
        for question in top_questions([form]):
            known.add(question.name)
            value = answers.get(question.name)
            if is_empty(value):
                continue
            lines.append(AnswerLine(question.name, where.get(question.name, ""),
                                    question.label(lang) or question.name,
                                    answer_text([form], question, value, lang)))
    for name, value in answers.items():
        if name not in known and not is_empty(value):
            lines.append(AnswerLine(str(name), "", str(name), raw_text(value)))
    return lines


def answer_text(forms: Sequence[Form], question: Question, value: object, lang: str) -> str:
    """One answer in words in `lang`; "" for no answer. A value of an unexpected shape is shown
    as it is stored, never dropped."""
    if is_empty(value):
        return ""
    kind = question.type
    if kind == "repeat":
        return _repeat(forms, question, value, lang)
    if kind == "yes_no_unknown" and isinstance(value, dict) and "value" in value:
        said = _codes(forms, question, value["value"], lang)
        note = value.get("note")
        if isinstance(note, dict) and is_tagged_text(note) and not is_empty(note):
            return f"{said} — {_tagged(note, lang)}"
        return said
    if kind in CODED_TYPES:
        return _codes(forms, question, value, lang)
    if kind == "long_text" and isinstance(value, dict) and is_tagged_text(value):
        return _tagged(value, lang)
    if kind in ("integer", "decimal") and isinstance(value, int | float) and not isinstance(
            value, bool):
        return format_number(value, in_lang=lang)
    if kind == "date" and isinstance(value, str):
        parts = parse_partial_date(value)
        return value if parts is None else format_partial_date(parts, in_lang=lang)
    return value if isinstance(value, str) else raw_text(value)


def raw_text(value: object) -> str:
    """An answer no form explains: text as it is, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def choice_label(forms: Sequence[Form], question: Question, code: str, lang: str) -> str:
    """A code's label in `lang`: the forms' choices, CLDR's country and language names; an
    unknown code as it is."""
    if question.type == "country":
        for form in forms:
            extra = form.choice_lists.get(question.extra_choices or "")
            choice = extra.get(code) if extra is not None else None
            if choice is not None:
                return choice.label(lang)
        return country_name(code, lang)
    if question.type == "language":
        return language_name(code, lang)
    for form in forms:
        choices = form.choice_list(question)
        choice = choices.get(code) if choices is not None else None
        if choice is not None:
            return choice.label(lang)
    return code


def _codes(forms: Sequence[Form], question: Question, value: object, lang: str) -> str:
    codes = value if isinstance(value, list) else [value]
    return LIST_SEPARATOR.join(choice_label(forms, question, str(code), lang)
                               for code in codes if code is not None)


def _tagged(value: Mapping[str, Any], lang: str) -> str:
    """A free text with its paragraphs, then its language in brackets."""
    text = str(value["text"]).strip("\n")
    return f"{text}\n({language_name(str(value['lang']), lang)})"


def _repeat(forms: Sequence[Form], question: Question, value: object, lang: str) -> str:
    if not isinstance(value, list):
        return raw_text(value)
    children = {child.name: child for top in question.children for child in top.walk()}
    items: list[str] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            items.append(f"{format_number(number, in_lang=lang)}. {raw_text(item)}")
            continue
        parts: list[str] = []
        for child in children.values():
            if child.answerable and not is_empty(item.get(child.name)):
                text = answer_text(forms, child, item[child.name], lang).replace("\n", " ")
                parts.append(labelled(child.label(lang) or child.name, text))
        parts += [labelled(str(name), raw_text(answer)) for name, answer in item.items()
                  if name not in children and not is_empty(answer)]
        items.append(f"{format_number(number, in_lang=lang)}. {LIST_SEPARATOR.join(parts)}")
    return "\n".join(items)
