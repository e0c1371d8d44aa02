"""The catalogs and the current form hold to the glossary (docs/translation/glossary.md).

The glossary's fenced `toml` blocks list, per language, the words to avoid and why. A text that
uses one fails here unless the rule names it as an exception, with a reason. The Markdown tables
give the agreed rendering of each key term; every language must have all of them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain import Form, FormRegistry, load_form
from intake_app.i18n import LANGUAGE_CODES, SOURCE_LANGUAGE
from intake_app.i18n.catalogs import parse_po, po_path
from intake_app.i18n.languages import directory_of

ROOT = Path(__file__).resolve().parents[3]
GLOSSARY = ROOT / "docs" / "translation" / "glossary.md"
TRANSLATIONS = ROOT / "translations"
FIRST_FORM = ROOT / "resources" / "forms" / "intake-fi_2026.1.json"
KEY_TERMS = (
    "victim / person affected",
    "trafficking",
    "exploitation",
    "consent",
    "guardian / representative",
    "interpreter",
    "police",
    "reception centre",
    "encrypted",
)
_FENCE = re.compile(r"^```toml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SECTION = re.compile(r"^## .*\((?P<code>[a-zA-Z-]+)\)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Text:
    """One translated text, where it is (`po:<msgid>`, `form:<name>.label`), its English source."""

    lang: str
    where: str
    source: str
    text: str


@dataclass(frozen=True)
class Rule:
    """A word to avoid in one language, optionally only where the English source says something."""

    lang: str
    words: re.Pattern[str]
    reason: str
    source: re.Pattern[str] | None
    exceptions: frozenset[str]


def rules(markdown: str) -> list[Rule]:
    """Every `[[avoid]]` rule of the glossary's toml blocks."""
    found: list[Rule] = []
    for block in _FENCE.findall(markdown):
        for entry in tomllib.loads(block).get("avoid", []):
            found.append(rule(entry))
    return found


def rule(entry: dict[str, Any]) -> Rule:
    excepted = entry.get("exception", [])
    assert all(item.get("reason") and item.get("where") for item in excepted), entry
    assert entry["lang"] in LANGUAGE_CODES and entry.get("reason"), entry
    source = entry.get("source")
    return Rule(
        lang=entry["lang"],
        words=re.compile(entry["words"], re.IGNORECASE),
        reason=entry["reason"],
        source=re.compile(source, re.IGNORECASE) if source else None,
        exceptions=frozenset(item["where"] for item in excepted),
    )


def catalog_texts(folder: Path, lang: str) -> Iterator[Text]:
    """Every translation in the language's catalog, plural forms included (English: the source)."""
    catalog = parse_po(po_path(folder, str(directory_of(lang))))
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if lang == SOURCE_LANGUAGE:
            strings = ids
        for text in strings:
            if text:
                yield Text(lang, f"po:{ids[0]}", " ".join(map(str, ids)), str(text))


def form_texts(form: Form, lang: str) -> Iterator[Text]:
    """Every text the form shows in `lang` (its own, not the English fallback)."""
    entries: list[tuple[str, Any]] = [("title", form.titles), ("draft_notice", form.draft_notices)]
    for question in form.walk():
        entries += [(f"{question.name}.label", question.labels)]
        entries += [(f"{question.name}.hint", question.hints)]
    for name, choices in form.choice_lists.items():
        entries += [(f"choices.{name}.{choice.name}", choice.labels) for choice in choices.choices]
    for where, by_lang in entries:
        if lang in by_lang:
            yield Text(lang, f"form:{where}", by_lang.get("en", ""), by_lang[lang])


def findings(rule_list: list[Rule], texts: list[Text]) -> list[tuple[Rule, Text]]:
    """(rule, text) for each text that uses a word its language avoids, exceptions left out."""
    hits = []
    for text in texts:
        for each in rule_list:
            if each.lang != text.lang or text.where in each.exceptions:
                continue
            if each.source is not None and not each.source.search(text.source):
                continue
            if each.words.search(text.text):
                hits.append((each, text))
    return hits


def describe(hits: list[tuple[Rule, Text]]) -> str:
    return "\n".join(
        f"{text.lang} {text.where[:90]!r}: {each.words.search(text.text).group(0)!r} "  # type: ignore[union-attr]
        f"- {each.reason}"
        for each, text in hits
    )


@pytest.fixture(scope="module")
def glossary() -> str:
    return GLOSSARY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def current_form() -> Form:
    form = FormRegistry.load().latest("intake-fi")
    assert form is not None
    return form


def all_texts(form: Form, lang: str, folder: Path = TRANSLATIONS) -> list[Text]:
    return [*catalog_texts(folder, lang), *form_texts(form, lang)]


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_catalog_and_current_form_avoid_the_listed_words(
    glossary: str, current_form: Form, lang: str
) -> None:
    hits = findings(rules(glossary), all_texts(current_form, lang))
    assert not hits, "words the glossary says to avoid:\n" + describe(hits)


def test_every_exception_still_points_at_a_text_that_uses_the_word(
    glossary: str, current_form: Form
) -> None:
    stale = []
    for each in rules(glossary):
        texts = {t.where: t for t in all_texts(current_form, each.lang)}
        for where in sorted(each.exceptions):
            text = texts.get(where)
            if text is None or not each.words.search(text.text):
                stale.append(f"{each.lang} {where}: {each.words.pattern}")
    assert not stale, "exceptions no longer needed (remove them):\n" + "\n".join(stale)


def test_every_language_has_the_agreed_terms_and_a_rule(glossary: str) -> None:
    sections = list(_SECTION.finditer(glossary))
    by_code = {
        match["code"]: glossary[match.end() : nxt.start() if nxt else len(glossary)]
        for match, nxt in zip(sections, [*sections[1:], None], strict=True)
    }
    assert set(by_code) == set(LANGUAGE_CODES)
    with_rules = {each.lang for each in rules(glossary)}
    for code, body in by_code.items():
        rows = {line.split("|")[1].strip() for line in body.splitlines() if line.startswith("|")}
        missing = [term for term in KEY_TERMS if term not in rows]
        assert not missing, f"{code} has no agreed rendering for {missing}"
        assert code in with_rules, f"{code} lists no word to avoid"


def test_the_ukrainian_rule_catches_the_first_form_versions_zhertvy(glossary: str) -> None:
    # Intake-fi 2026.1 is published and never changes: it still says "жертви" ("victims").
    old = load_form(FIRST_FORM)
    hits = findings(rules(glossary), list(form_texts(old, "uk")))
    caught = {text.where for _rule, text in hits}
    assert {"form:consent_text_referral.label", "form:consent_referral.label"} <= caught


def test_a_rule_limited_to_a_source_word_leaves_other_messages_alone() -> None:
    limited = rule(
        {"lang": "ru", "words": r"\bприн\w+", "source": r"\bregist", "reason": "register"}
    )
    wrong = Text("ru", "po:x", "register enrolment requests", "принять запросы")
    fine = Text("ru", "po:y", "Accept the centre", "Принять центр")
    assert findings([limited], [wrong, fine]) == [(limited, wrong)]
