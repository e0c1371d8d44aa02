"""The editor's memory inside the vault: places per interview (forgotten with the interview),
a few named choices, nothing written before the first save."""

from __future__ import annotations

import pytest

from intake_app.storage import Vault, read_choice, read_place, save_choices, save_place
from tests.helpers.documents import make_document


def test_nothing_is_read_before_anything_was_kept(vault: Vault) -> None:
    assert read_place(vault, "any") is None
    assert read_choice(vault, "second_language") is None


def test_places_are_kept_replaced_and_pruned_with_their_interview(vault: Vault) -> None:
    kept = make_document()
    gone = make_document()
    vault.interviews.save_revision(kept)
    vault.interviews.save_revision(gone)
    save_place(vault, kept["id"], ("person", "alias", None))
    save_place(vault, gone["id"], ("languages", "other_level", 2))
    assert read_place(vault, gone["id"]) == ("languages", "other_level", 2)
    save_place(vault, kept["id"], ("account", None, None))
    assert read_place(vault, kept["id"]) == ("account", None, None)
    vault.interviews.delete(gone["id"], "deleted by the worker")
    save_place(vault, kept["id"], ("needs", None, None))
    assert read_place(vault, gone["id"]) is None  # pruned with the next save
    assert read_place(vault, kept["id"]) == ("needs", None, None)


@pytest.mark.parametrize(
    "place", [("", None, None), ("a b", None, None), ("ok", "x;drop", None), ("ok", "q", -1)]
)
def test_a_place_that_names_no_form_question_is_refused(vault: Vault, place) -> None:
    with pytest.raises(ValueError):
        save_place(vault, "some-id", place)


def test_choices_are_kept_and_forgotten_together(vault: Vault) -> None:
    save_choices(vault, {"second_language": "fa-AF", "side_by_side": "on"})
    assert read_choice(vault, "second_language") == "fa-AF"
    assert read_choice(vault, "side_by_side") == "on"
    save_choices(vault, {"second_language": "th", "side_by_side": None})
    assert read_choice(vault, "second_language") == "th"
    assert read_choice(vault, "side_by_side") is None
    with pytest.raises(ValueError):
        save_choices(vault, {"second_language": "not a code"})
