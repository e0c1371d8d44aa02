"""Full-text search: every script, short terms, and queries that are never FTS syntax."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storage_fixtures import PASSPHRASE, make_document, new_vault

from intake_app.storage import Vault
from intake_app.storage.search import fts_phrase, like_pattern, query_terms

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
        ("ravintola", {"Mira"}),  # a word inside a Finnish inflected form
        ("TYÖSKENTELI", {"Mira"}),  # case folding
        ("tyoskenteli", {"Mira"}),  # diacritics removed
        ("مطعم", {"Layla"}),
        ("ร้านอาหาร", {"Nok"}),  # Thai has no spaces between words
        ("ресторане", {"Olga"}),
        ("РЕСТОРАН", {"Olga"}),
        ("berry passport", {"A."}),  # every term must match
        ("berry ravintola", set()),
        ("Nok", {"Nok"}),  # alias
        ("A.", {"A.", "Mira"}),  # two characters, matched with LIKE ("palkkaa." too)
        ("ar-note", {"Layla"}),  # a tagged note inside a list
        ("100%", {"Mira", "Layla", "Nok", "Olga", "A."}),
        ("literal_copy", {"Mira", "Layla", "Nok", "Olga", "A."}),
        ("a%a", set()),  # LIKE wildcards are plain characters
        ("a_", set()),
        ("%", {"Mira", "Layla", "Nok", "Olga", "A."}),
        ("_", {"Mira", "Layla", "Nok", "Olga", "A."}),
        ("uusimaa", set()),  # codes are not free text
        ("", set()),
        ("   ", set()),
    ],
)
def test_search_finds_text_in_every_script(vault: Vault, query: str, aliases: set[str]) -> None:
    assert _aliases(vault, query) == aliases


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


def test_deleted_and_purged_records_are_not_found(tmp_path: Path) -> None:
    with new_vault(tmp_path / "vault") as vault:
        deleted, purged = make_document(alias="Gone One"), make_document(alias="Gone Two")
        vault.interviews.save_revision(deleted)
        vault.interviews.save_revision(purged)
        assert len(vault.interviews.search("Gone")) == 2
        vault.interviews.delete(deleted["id"], "duplicate")
        vault.interviews.purge(purged["id"])
        assert vault.interviews.search("Gone") == []


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
