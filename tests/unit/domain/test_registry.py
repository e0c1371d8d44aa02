"""Form versions: an interview keeps its version; newer forms open older interviews; unknown
forms give a raw read-only view; nothing is dropped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain import (
    FormRegistry,
    Interview,
    OpenedInterview,
    RawInterview,
    new_interview,
    normalise,
    validate,
)

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "resources" / "forms" / "intake-fi_2026.1.json"


def _without(question_name: str, data: dict[str, Any]) -> None:
    def strip(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for entry in entries:
            if entry["name"] == question_name:
                continue
            if "children" in entry:
                entry["children"] = strip(entry["children"])
            kept.append(entry)
        return kept

    data["questions"] = strip(data["questions"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Forms folder with only 2026.2 (no "dialect" question) and 2026.10 of a second form."""
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    data["version"] = "2026.2"
    _without("dialect", data)
    (tmp_path / "intake-fi_2026.2.json").write_text(json.dumps(data), encoding="utf-8")
    for version in ("2026.9", "2026.10"):
        other = json.loads(SOURCE.read_text(encoding="utf-8"))
        other.update(id="intake-test", version=version)
        (tmp_path / f"intake-test_{version}.json").write_text(json.dumps(other), encoding="utf-8")
    (tmp_path / "README.txt").write_text("not a form", encoding="utf-8")
    return tmp_path


def made_with(form_id: str, version: str, answers: dict[str, Any]) -> Interview:
    made = new_interview(form_id, version, now=datetime(2026, 3, 1, tzinfo=UTC))
    return made.with_answers(answers)


ANSWERS = {"consent_interview": "yes", "consent_data": "yes", "alias": "A.", "dialect": "Sorani"}


def test_bundled_registry_opens_its_own_version_exactly() -> None:
    registry = FormRegistry.load()
    opened = registry.open(made_with("intake-fi", "2026.1", ANSWERS))
    assert isinstance(opened, OpenedInterview)
    assert opened.exact and opened.form.version == "2026.1" and not opened.read_only


def test_newer_version_opens_an_older_interview(folder: Path) -> None:
    registry = FormRegistry(FormRegistry.load(folder).forms())
    older = made_with("intake-fi", "2026.1", ANSWERS)
    opened = registry.open(older)
    assert isinstance(opened, OpenedInterview)
    assert not opened.exact and opened.form.version == "2026.2"
    assert dict(opened.read_only) == {"dialect": "Sorani"}
    with pytest.raises(TypeError):
        opened.read_only["dialect"] = "x"  # type: ignore[index]
    # The answer the newer form lacks is kept through validation and normalising.
    found = validate(older, opened.form)
    assert [(i.question, i.code, i.severity) for i in found] == [
        ("dialect", "kept-read-only", "warning")
    ]
    saved = normalise(older, opened.form).interview
    assert saved.answers["dialect"] == "Sorani"
    assert saved.form_version == "2026.1"  # the interview keeps the version it was made with


def test_unknown_form_is_shown_raw_and_read_only(folder: Path) -> None:
    registry = FormRegistry.load(folder)
    stranger = made_with("intake-se", "1.0", {"alias": "B.", "whatever": [1, 2]})
    opened = registry.open(stranger)
    assert isinstance(opened, RawInterview)
    assert opened.read_only
    assert dict(opened.answers) == {"alias": "B.", "whatever": [1, 2]}
    with pytest.raises(TypeError):
        opened.answers["alias"] = "C."  # type: ignore[index]
    assert registry.form_for(stranger) is None


def test_interview_newer_than_every_known_version_is_raw(folder: Path) -> None:
    registry = FormRegistry.load(folder)
    future = made_with("intake-fi", "2027.1", ANSWERS)
    assert registry.form_for(future) is None
    assert isinstance(registry.open(future), RawInterview)


def test_versions_compare_as_numbers(folder: Path) -> None:
    registry = FormRegistry.load(folder)
    latest = registry.latest("intake-test")
    assert latest is not None and latest.version == "2026.10"
    assert [(f.id, f.version) for f in registry.forms()] == [
        ("intake-fi", "2026.2"),
        ("intake-test", "2026.9"),
        ("intake-test", "2026.10"),
    ]
    assert registry.get("intake-test", "2026.9") is not None
    assert registry.get("intake-test", "2026.1") is None
    opened = registry.open(made_with("intake-test", "2026.3", ANSWERS))
    assert isinstance(opened, OpenedInterview) and opened.form.version == "2026.10"
