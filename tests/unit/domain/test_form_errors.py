"""A malformed form definition gives a precise error: the file, the question and the reason."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from intake_app.domain import (
    FormInvalid,
    FormRegistry,
    form_from_data,
    load_form_text,
    translation_report,
)
from intake_app.errors import KnownError

FILE = "test-form.json"


def base() -> dict[str, Any]:
    """A small valid form: one section with a select, a dependent text and a multi-select."""
    return {
        "format": "intake-form",
        "format_version": 1,
        "id": "test",
        "version": "1.0",
        "title::en": "Test",
        "languages": ["en", "fi"],
        "default_language": "en",
        "translation_status": {"en": "source", "fi": "draft"},
        "questions": [
            {
                "type": "group",
                "name": "s1",
                "label::en": "Section",
                "children": [
                    {
                        "type": "select_one",
                        "name": "colour",
                        "choices": "colours",
                        "label::en": "C",
                    },
                    {
                        "type": "text",
                        "name": "why",
                        "relevant": "${colour} = 'red'",
                        "label::en": "W",
                    },
                    {
                        "type": "select_multiple",
                        "name": "pets",
                        "choices": "pets",
                        "label::en": "P",
                    },
                ],
            }
        ],
        "choices": {
            "colours": [{"name": "red", "label::en": "Red"}, {"name": "blue", "label::en": "Blue"}],
            "pets": [{"name": "cat", "label::en": "Cat"}, {"name": "dog", "label::en": "Dog"}],
        },
    }


def children(data: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = data["questions"][0]["children"]
    return result


def problems_of(mutate: Callable[[dict[str, Any]], None]) -> list[tuple[str, str, str]]:
    data = base()
    mutate(data)
    with pytest.raises(FormInvalid) as caught:
        form_from_data(data, FILE)
    return [(p.file, p.question, p.reason) for p in caught.value.problems]


def test_the_base_form_is_valid() -> None:
    form = form_from_data(base(), FILE)
    assert [q.name for q in form.walk()] == ["s1", "colour", "why", "pets"]


def _set(index: int, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        children(data)[index][key] = value

    return mutate


def _append(question: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        children(data).append(question)

    return mutate


def _clashing_extra_choices(data: dict[str, Any]) -> None:
    children(data).append(
        {"type": "language", "name": "tongue", "extra_choices": "more", "label::en": "T"}
    )
    data["choices"]["more"] = [{"name": "fi", "label::en": "Finnish again"}]


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("unknown type", _set(0, "type", "colour_picker"), "colour", "unknown type 'colour_picker'"),
    (
        "duplicate name",
        _append({"type": "text", "name": "why", "label::en": "Again"}),
        "why",
        "duplicate name",
    ),
    (
        "relevance names a later question",
        _set(0, "relevant", "${why} = 'x'"),
        "colour",
        "relevant names 'why', which comes later in the form",
    ),
    (
        "relevance names an unknown question",
        _set(1, "relevant", "${shade} = 'x'"),
        "why",
        "relevant names unknown question 'shade'",
    ),
    (
        "relevance names itself",
        _set(1, "relevant", "${why} = 'x'"),
        "why",
        "relevant names the question itself",
    ),
    ("missing choice list", _set(0, "choices", "shades"), "colour", "missing choice list 'shades'"),
    ("unknown key", _set(0, "colour_hex", "#f00"), "colour", "unknown key 'colour_hex'"),
    (
        "label in a language the form lacks",
        _set(0, "label::de", "Farbe"),
        "colour",
        "label::de: 'de' is not one of the form's languages",
    ),
    (
        "relevance compares with a code the list lacks",
        _set(1, "relevant", "${colour} = 'green'"),
        "why",
        "relevant: 'green' is not a choice of 'colour'",
    ),
    (
        "relevance syntax",
        _set(1, "relevant", "${colour} == 'red'"),
        "why",
        "relevant: expected a quoted code or a number at position 12",
    ),
    (
        "relevance with selected() on a single choice",
        _set(1, "relevant", "selected(${colour}, 'red')"),
        "why",
        "relevant: selected() needs a multiple-choice question, not 'colour'",
    ),
    (
        "relevance with = on a multiple choice",
        _append(
            {"type": "text", "name": "pet_name", "relevant": "${pets} = 'cat'", "label::en": "N"}
        ),
        "pet_name",
        "relevant: use selected() to test the multiple-choice 'pets'",
    ),
    (
        "select without a list",
        _set(0, "choices", None),
        "colour",
        "a select question needs either choices or choices_from",
    ),
    (
        "choices_from a later or single question",
        _append({"type": "select_one", "name": "main", "choices_from": "colour", "label::en": "M"}),
        "main",
        "choices_from must name an earlier select_multiple question",
    ),
    (
        "question without any label",
        _append({"type": "text", "name": "bare"}),
        "bare",
        "has no label in any language",
    ),
    (
        "yes_no_unknown without its list",
        _append({"type": "yes_no_unknown", "name": "sure", "label::en": "Sure?"}),
        "choices.yes_no_unknown",
        "missing choice list (yes_no_unknown questions use it)",
    ),
    (
        "integer limit of the wrong type",
        _append({"type": "integer", "name": "n", "min": "0", "label::en": "N"}),
        "n",
        "min has the wrong type",
    ),
    (
        "min above max",
        _append({"type": "integer", "name": "n", "min": 5, "max": 1, "label::en": "N"}),
        "n",
        "min is greater than max",
    ),
    (
        "bad date limit",
        _append({"type": "date", "name": "d", "min": "01.01.2020", "label::en": "D"}),
        "d",
        "min must be a date like 2026, 2026-01 or 2026-01-31",
    ),
    (
        "extra choice clashing with CLDR",
        _clashing_extra_choices,
        "tongue",
        "extra choice 'fi' clashes with a CLDR code",
    ),
    (
        "group in a repeat",
        _append(
            {
                "type": "repeat",
                "name": "rows",
                "label::en": "Rows",
                "children": [
                    {
                        "type": "group",
                        "name": "inner",
                        "label::en": "I",
                        "children": [{"type": "text", "name": "x", "label::en": "X"}],
                    }
                ],
            }
        ),
        "inner",
        "a repeat may hold only questions and notes",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "question", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_malformed_definition_gives_a_precise_error(
    mutate: Callable[[dict[str, Any]], None], question: str, reason: str
) -> None:
    assert (FILE, question, reason) in problems_of(mutate)


def test_relevance_into_another_repeat_is_refused() -> None:
    def mutate(data: dict[str, Any]) -> None:
        children(data).append(
            {
                "type": "repeat",
                "name": "a",
                "label::en": "A",
                "children": [{"type": "text", "name": "a_text", "label::en": "T"}],
            }
        )
        children(data).append(
            {
                "type": "repeat",
                "name": "b",
                "label::en": "B",
                "children": [
                    {
                        "type": "text",
                        "name": "b_text",
                        "relevant": "${a_text} = 'x'",
                        "label::en": "T",
                    }
                ],
            }
        )

    assert (FILE, "b_text", "relevant names 'a_text' inside another repeat") in problems_of(mutate)


def test_form_level_problems() -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["format_version"] = 2
        data["version"] = "one"
        data["translation_status"] = {"en": "source"}
        data["languages"] = ["en", "fi", "xx-nowhere"]

    found = problems_of(mutate)
    reasons = {reason for _, where, reason in found if where == ""}
    assert "format must be 'intake-form' version 1" in reasons
    assert "version must be dotted numbers such as '2026.1'" in reasons
    assert "translation_status of 'fi' must be source, reviewed or draft" in reasons
    assert "language 'xx-nowhere' is not a locale Babel knows" in reasons


def test_consent_gate_must_read_open_sections() -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["questions"].append(
            {
                "type": "group",
                "name": "s2",
                "label::en": "Two",
                "children": [{"type": "text", "name": "late", "label::en": "L"}],
            }
        )
        data["consent_gate"] = {"condition": "${late} = 'x'", "open": ["s1", "s9"]}

    found = problems_of(mutate)
    assert (FILE, "consent_gate", "open names 's9', which is not a section") in found
    assert (
        FILE,
        "consent_gate",
        "condition names 'late', which is not in an open section",
    ) in found


def test_all_problems_are_reported_together() -> None:
    def mutate(data: dict[str, Any]) -> None:
        children(data)[0]["colour_hex"] = 1
        children(data)[2]["type"] = "pet_picker"

    found = problems_of(mutate)
    assert (FILE, "colour", "unknown key 'colour_hex'") in found
    assert (FILE, "pets", "unknown type 'pet_picker'") in found


def test_not_json_and_repeated_keys() -> None:
    with pytest.raises(FormInvalid) as caught:
        load_form_text(b'{"format": "intake-form",', FILE)
    assert caught.value.problems[0].reason.startswith("not valid JSON at line 1 column")
    with pytest.raises(FormInvalid) as caught:
        load_form_text('{"id": "a", "id": "b"}', FILE)
    assert caught.value.problems[0].reason == "key 'id' appears twice"
    with pytest.raises(FormInvalid) as caught:
        load_form_text(b"\xff\xfe", FILE)
    assert caught.value.problems[0].reason == "the file is not UTF-8 text"


def test_form_invalid_is_a_known_error_naming_file_question_and_reason() -> None:
    data = base()
    children(data)[0]["type"] = "colour_picker"
    with pytest.raises(KnownError) as caught:
        form_from_data(data, FILE)
    assert caught.value.code == "form-invalid"
    text = caught.value.translated()
    assert FILE in text and "colour" in text and "unknown type" in text


def test_missing_translations_are_reported_not_fatal() -> None:
    form = form_from_data(base(), FILE)  # nothing in Finnish at all
    report = {entry.language: entry for entry in translation_report(form)}
    assert report["en"].missing == ()
    assert report["fi"].translated == 0
    assert "colour.label" in report["fi"].missing
    assert "choices.pets.dog" in report["fi"].missing
    assert form.question("colour") is not None
    assert form.question("colour").label("fi") == "C"  # type: ignore[union-attr]


def test_registry_refuses_two_files_with_the_same_form_version() -> None:
    one = form_from_data(base(), "a.json")
    two = form_from_data(copy.deepcopy(base()), "b.json")
    with pytest.raises(FormInvalid) as caught:
        FormRegistry([one, two])
    assert "also defined in a.json" in caught.value.problems[0].reason


def test_loading_from_text_round_trips_the_base_form() -> None:
    form = load_form_text(json.dumps(base()), FILE)
    assert (form.id, form.version, form.file) == ("test", "1.0", FILE)
