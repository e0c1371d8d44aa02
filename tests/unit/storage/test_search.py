"""Full-text search: every script, short terms, and queries that are never FTS syntax."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.storage import Vault
from intake_app.storage.search_text import fts_phrase, fts_prefix, like_pattern, query_terms
from tests.helpers.documents import make_document
from tests.helpers.storage import PASSPHRASE, new_vault

ACCOUNTS = {
    "fi": ("Hän työskenteli ravintolassa Helsingissä ilman palkkaa.", "Mira"),
    "ar": ("كانت تعمل في مطعم في هلسنكي بدون أجر", "Layla"),
    "th": ("เธอทำงานในร้านอาหารโดยไม่ได้รับค่าจ้าง", "Nok"),
    "ru": ("Она работала в ресторане без оплаты.", "Olga"),
    "en": ("She worked at a berry farm; passport kept by the boss.", "A."),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search") / "vault"
    vault = new_vault(folder)
    for lang, (account, alias) in ACCOUNTS.items():
        document = make_document(
            alias=alias,
            account=account,
            lang=lang,
            notes=[{"text": f"interpreter note {lang}-note", "lang": "fi"}],
            translation={"text": f"translation for {alias} (100% literal_copy)", "lang": "en"},
            region="uusimaa",  # a code, not free text: not indexed
        )
        vault.interviews.save_revision(document)
    vault.lock()
    return folder


@pytest.fixture(scope="module")
def vault(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    folder = Path(shutil.copytree(template, tmp_path_factory.mktemp("copy") / "vault"))
    vault = Vault.unlock(folder, PASSPHRASE)
    yield vault
    vault.lock()


def _aliases(vault: Vault, query: str) -> set[str | None]:
    return {summary.alias for summary in vault.interviews.search(query)}


@pytest.mark.parametrize(
    ("query", "aliases"),
    [
        ("ravintola", {"Mira"}),  # the start of a Finnish inflected form
        ("TYÖSKENTELI", {"Mira"}),  # case folding
        ("tyoskenteli", {"Mira"}),  # diacritics removed
        ("مطعم", {"Layla"}),
        ("مَطْعَم", {"Layla"}),  # harakat in the query do not matter
        ("ร้านอาหาร", {"Nok"}),  # Thai has no spaces between words
        ("อาหาร", {"Nok"}),  # a word in the middle of a Thai run
        ("ใน", {"Nok"}),  # two Thai letters are a word, not an alias initial
        ("ресторане", {"Olga"}),
        ("РЕСТОРАН", {"Olga"}),
        ("berry passport", {"A."}),  # every term must match
        ("berry ravintola", set()),
        ("Nok", {"Nok"}),  # alias
        ("A.", {"A."}),  # short terms match aliases only
        ("mi", {"Mira"}),
        ("ar-note", {"Layla"}),  # a tagged note inside a list
        ("100%", {"Mira", "Layla", "Nok", "Olga", "A."}),
        ("literal_copy", {"Mira", "Layla", "Nok", "Olga", "A."}),
        ("a%", set()),  # LIKE wildcards are plain characters
        ("_", set()),
        ("uusimaa", set()),  # codes are not free text
        ("", set()),
        ("   ", set()),
        ("!!!", set()),
        ("Nok !!!", {"Nok"}),  # a term without letters is ignored
    ],
)
def test_search_finds_text_in_every_script(vault: Vault, query: str, aliases: set[str]) -> None:
    assert _aliases(vault, query) == aliases


def test_search_limit_keeps_the_best(vault: Vault) -> None:
    everyone = vault.interviews.search("translation")
    assert len(everyone) == 5
    assert vault.interviews.search("translation", limit=2) == everyone[:2]
    assert vault.interviews.search("Nok", limit=0) == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "NEAR(",
        "a OR b",
        "AND",
        "NOT berry",
        "col:berry",
        "^berry",
        "berry*",
        "(",
        ")",
        "{alias}:x",
        "'",
        "\\",
        "\0",
        "a\0b",
        "-",
        "+",
        "\ud800",
    ],
)
def test_fts_syntax_is_just_text(vault: Vault, query: str) -> None:
    vault.interviews.search(query)  # must not raise


def test_quoting_and_like_escaping() -> None:
    assert fts_phrase('say "hi"') == '"say ""hi"""'
    assert like_pattern("50%_\\") == "%50\\%\\_\\\\%"
    assert query_terms(" a  b a\0c \ud800") == ["a", "b", "c"]
    assert fts_prefix("ravintola") == '"ravintola"*'
    assert fts_prefix("---") is None


def _index_bytes(vault: Vault) -> bytes:
    rows = vault.connection.execute("SELECT block FROM interview_text_data").fetchall()
    return b"".join(row[0] for row in rows if isinstance(row[0], bytes))


def test_deleted_and_purged_records_leave_the_index_itself(tmp_path: Path) -> None:
    with new_vault(tmp_path / "vault") as vault:
        store = vault.interviews
        deleted = make_document(alias="Gone One", account="zyxwvutsrq " + "filler " * 300)
        purged = make_document(alias="Gone Two", account="qponmlkjih " + "filler " * 300)
        kept = make_document(alias="Kept", account="filler " * 300)
        for document in (deleted, purged, kept):
            store.save_revision(document)
        assert len(store.search("Gone")) == 2  # indexes them
        deleted["answers"]["alias"] = "Gone One Edited"
        store.save_revision(deleted)  # re-indexed: the old entry is replaced
        assert len(store.search("Gone")) == 2
        index = _index_bytes(vault)
        assert b"zyxwvutsrq" in index and b"qponmlkjih" in index
        store.delete(deleted["id"], "duplicate")
        store.purge(purged["id"])
        assert store.search("Gone") == []
        assert [s.alias for s in store.search("filler")] == ["Kept"]
        index = _index_bytes(vault)
        assert b"zyxwvutsrq" not in index and b"qponmlkjih" not in index
        assert vault.check().ok


def test_search_sees_every_save_without_being_told(tmp_path: Path) -> None:
    with new_vault(tmp_path / "vault") as vault:
        store = vault.interviews
        document = make_document(alias="First")
        store.save_revision(document)
        assert [s.alias for s in store.search("First")] == ["First"]
        document["answers"]["alias"] = "Second"
        store.save_revision(document)
        assert store.search("First") == []
        assert [s.alias for s in store.search("Second")] == ["Second"]
        store.save_revisions([make_document(alias=f"Bulk {n}") for n in range(30)])
        assert store.refresh_search_index(limit=12) == 12
        assert store.refresh_search_index() == 18
        assert store.refresh_search_index() == 0
        assert len(store.search("Bulk")) == 30

def test_search_sees_saves_made_through_another_connection(tmp_path: Path) -> None:
    """The index is not looked at again while nothing changed; a save by another process
    (here a second connection to the same vault) is a change all the same."""
    folder = tmp_path / "vault"
    with new_vault(folder) as vault:
        store = vault.interviews
        store.save_revision(make_document(alias="Here"))
        assert [s.alias for s in store.search("Here")] == ["Here"]
        assert store.search("Elsewhere") == []  # the index is now known to be current
        with Vault.unlock(folder, PASSPHRASE) as other:
            other.interviews.save_revision(make_document(alias="Elsewhere"))
        assert [s.alias for s in store.search("Elsewhere")] == ["Elsewhere"]
        assert store.refresh_search_index() == 0



@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(alphabet=st.characters(codec=None), max_size=40))
def test_any_typed_query_never_raises(vault: Vault, query: str) -> None:
    results = vault.interviews.search(query)
    assert isinstance(results, list)


@settings(max_examples=200, deadline=None, database=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                '"',
                "*",
                "NEAR",
                "(",
                ")",
                "OR",
                "AND",
                "NOT",
                ":",
                "^",
                "-",
                "%",
                "_",
                "\\",
                "'",
                "berry",
                "ravintola",
                "ресторане",
                "\0",
                "{",
                "}",
            ]
        ),
        max_size=8,
    )
)
def test_fts_operator_soup_never_raises(vault: Vault, words: list[str]) -> None:
    vault.interviews.search(" ".join(words))
    vault.interviews.search("".join(words))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_matches_a_model_through_random_edits(tmp_path: Path, seed: int) -> None:
    """Random saves, edits, batch imports, deletes and purges; search must agree with a model."""
    rng = random.Random(seed)
    words = [f"word{n:02d}" for n in range(12)]
    model: dict[str, set[str]] = {}  # live record -> its words
    with new_vault(tmp_path / "vault") as vault:
        store = vault.interviews
        for step in range(120):
            roll = rng.random()
            if not model or roll < 0.35:
                picked = set(rng.sample(words, 3))
                document = make_document(account=" ".join(sorted(picked)))
                store.save_revision(document)
                model[document["id"]] = picked
            elif roll < 0.6:
                record_id = rng.choice(sorted(model))
                picked = set(rng.sample(words, 3))
                document = store.get(record_id)
                document["answers"]["account"]["text"] = " ".join(sorted(picked))
                store.save_revision(document)
                model[record_id] = picked
            elif roll < 0.7:
                batch = [make_document(account=" ".join(rng.sample(words, 2))) for _ in range(3)]
                store.save_revisions(batch)
                for document in batch:
                    model[document["id"]] = set(document["answers"]["account"]["text"].split())
            elif roll < 0.85:
                record_id = rng.choice(sorted(model))
                if rng.random() < 0.5:
                    store.delete(record_id, "x")
                else:
                    store.purge(record_id)
                del model[record_id]
            if step % 7 == 0 or step == 119:
                for word in words:
                    expected = {rid for rid, found in model.items() if word in found}
                    assert {s.id for s in store.search(word)} == expected, (step, word)
        conn = vault.connection
        conn.execute("INSERT INTO interview_text (interview_text) VALUES ('integrity-check')")
        assert vault.check().ok
