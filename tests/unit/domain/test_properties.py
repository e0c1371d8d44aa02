"""Property tests: whatever arrives, the domain answers with an Interview plus known issues, or
a KnownError; never another exception. Normalising is idempotent and leaves nothing to drop."""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.domain import (
    Form,
    FormRegistry,
    Interview,
    OpenedInterview,
    indicator_counts,
    normalise,
    parse_document,
    section_progress,
    validate,
    visible_questions,
)
from intake_app.domain.expressions import ExpressionError, evaluate, parse
from intake_app.domain.issues import MESSAGES
from intake_app.errors import KnownError

REGISTRY = FormRegistry.load()


def _bundled_form() -> Form:
    form = REGISTRY.get("intake-fi", "2026.1")
    assert form is not None
    return form


FORM = _bundled_form()
PROPERTY = settings(
    max_examples=int(os.environ.get("INTAKE_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
DROPPING = {"not-relevant", "no-consent", "choice-not-allowed"}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _codes(form: Form) -> list[str]:
    return sorted({code for lst in form.choice_lists.values() for code in lst.codes()})


NAMES = [*sorted(q.name for q in FORM.walk()), "unknown_thing"]
plausible = st.one_of(
    st.sampled_from(_codes(FORM)),
    st.lists(st.sampled_from(_codes(FORM)), max_size=3),
    st.sampled_from(
        ["yes", "no", "unknown", "ar", "fa-AF", "IQ", "stateless", "2026", "2026-13-01"]
    ),
    st.lists(st.sampled_from(["IQ", "SO", "stateless", "xx"]), max_size=3),
    st.builds(
        lambda text, lang: {"text": text, "lang": lang},
        st.text(max_size=30),
        st.sampled_from(["ar", "fi", "en", "zz", "fa-AF"]),
    ),
    st.builds(
        lambda value, note: {"value": value, "note": note} if note else {"value": value},
        st.sampled_from(["yes", "no", "unknown", "maybe"]),
        st.none() | st.builds(lambda t: {"text": t, "lang": "fi"}, st.text(max_size=10)),
    ),
    st.lists(
        st.dictionaries(st.sampled_from(NAMES), st.sampled_from(_codes(FORM)), max_size=3),
        max_size=3,
    ),
    st.integers(min_value=-5, max_value=40),
    st.floats(min_value=-1, max_value=30, allow_nan=False),
    json_values,
)
answers_strategy = st.dictionaries(st.sampled_from(NAMES), plausible, max_size=25)


def envelope(answers: object, **changes: object) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "intake-interview",
        "version": 1,
        "id": "5f0c2b4e-8a51-4d8e-9d6c-2f1f7f3b9a10",
        "revision": 3,
        "form": "intake-fi",
        "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z",
        "modified": "2026-11-28T16:05:00Z",
        "status": "final",
        "answers": answers,
    }
    data.update(changes)
    return data


def _exercise(interview: Interview) -> None:
    """Everything the UI and the CLI do with an interview; none of it may raise."""
    opened = REGISTRY.open(interview)
    # A raw view has no form to edit with; check it against the bundled one all the same.
    form = opened.form if isinstance(opened, OpenedInterview) else FORM
    issues = validate(interview, form)
    assert all(issue.code in MESSAGES for issue in issues)
    assert all(isinstance(issue.translated(), str) for issue in issues)
    result = normalise(interview, form)
    assert all(issue.code in MESSAGES for issue in result.removed)
    again = normalise(result.interview, form)
    assert again.removed == () and again.interview == result.interview
    assert not [i for i in validate(result.interview, form) if i.code in DROPPING]
    section_progress(form, interview.answers)
    visible_questions(form, interview.answers)
    indicator_counts(form, interview.answers)
    assert parse_document(result.interview.to_json()) == result.interview


@PROPERTY
@given(answers_strategy, st.sampled_from(["draft", "final", "withdrawn"]))
def test_random_answers_give_known_issues_only(answers: dict[str, Any], status: str) -> None:
    try:
        interview = parse_document(json.dumps(envelope(answers, status=status)))
    except KnownError:
        return
    _exercise(interview)


@PROPERTY
@given(
    st.dictionaries(st.sampled_from([*list(envelope({})), "extra"]), json_values, max_size=12),
    answers_strategy,
)
def test_random_envelopes_are_documents_or_known_errors(
    changes: dict[str, Any], answers: dict[str, Any]
) -> None:
    data = envelope(answers)
    data.update(changes)
    try:
        interview = parse_document(json.dumps(data))
    except KnownError:
        return
    _exercise(interview)


@PROPERTY
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_random_bytes_are_documents_or_known_errors(raw: bytes | str) -> None:
    with contextlib.suppress(KnownError):
        parse_document(raw)


@PROPERTY
@given(
    st.text(alphabet="${}()'=!, abcdefinotlrsy_0123456789", max_size=60),
    st.dictionaries(st.sampled_from(["a", "b", "yes"]), json_values, max_size=3),
)
def test_random_conditions_parse_or_fail_cleanly(text: str, answers: dict[str, Any]) -> None:
    try:
        tree = parse(text)
    except ExpressionError:
        return
    assert evaluate(tree, answers) in (True, False)
