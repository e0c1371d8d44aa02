"""The one renderer of answers (issue 17): every answer type in words, in the language asked,
the same in the detail pane, the referral data and the CSV; attachments counted in the CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.sync.centre.answer_text import AnswerLine, answer_lines, labelled
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.referral_data import load_referral
from intake_app.sync.centre.reports import export_csv
from intake_app.sync.centre.vault import Centre
from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import PASSPHRASE, make_centre, register
from tests.unit.sync.centre.real_form import ACCOUNT, full_document, installed_forms

PNG = bytes.fromhex("89504e470d0a1a0a") + b"\0" * 64


def by_name(lines: list[AnswerLine]) -> dict[str, AnswerLine]:
    return {line.name: line for line in lines}


def test_repeat_groups_are_said_item_by_item_with_their_labels() -> None:
    lines = by_name(answer_lines(installed_forms(), full_document(), "fi"))
    languages = lines["other_languages"]
    assert languages.text == "1. Kieli: englanti; Taso: Sujuva\n2. Kieli: venäjä; Taso: Alkeet"
    assert languages.section == "4 Kielet"
    needs = lines["needs"].text
    assert "{" not in needs and "[" not in needs and "need_urgency" not in needs
    assert "Court date soon" in needs
    english = by_name(answer_lines(installed_forms(), full_document(), "en"))
    assert english["other_languages"].text.startswith("1. Language: English; Level: Fluent")


def test_every_answer_type_is_said_in_words_in_the_language_asked() -> None:
    fi = by_name(answer_lines(installed_forms(), full_document(), "fi"))
    assert fi["interview_date"].text == "7.12.2026"
    assert fi["date_of_birth"].text == "touko 1994"
    assert fi["ilo_cr_violence"].text == "Kyllä — Hit by the foreman\n(englanti)"
    assert fi["ilo_cr_violence"].section == "8 Indikaattorit › Pakottava rekrytointi"
    assert fi["account"].text == ACCOUNT + "\n(englanti)"  # its paragraphs kept
    assert fi["consent_interview"].text == "Kyllä"
    en = by_name(answer_lines(installed_forms(), full_document(), "en"))
    assert en["interview_date"].text == "Dec 7, 2026"
    assert all("{" not in line.text for line in en.values())


def test_a_question_ending_in_a_question_mark_takes_no_colon() -> None:
    assert labelled("Is it safe to call?", "Yes") == "Is it safe to call? Yes"
    assert labelled("هل هو آمن؟", "نعم") == "هل هو آمن؟ نعم"
    assert labelled("Language", "English") == "Language: English"


@pytest.fixture
def real_centre(tmp_path: Path) -> Iterator[Centre]:
    make_centre(tmp_path).close()
    with Centre.open(tmp_path / "centre-data", PASSPHRASE,
                     validator=lambda: registry_validator(installed_forms())) as centre:
        yield centre


def test_csv_referral_and_renderer_say_the_same_and_count_attachments(
        real_centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(real_centre, laptop)
    document = full_document()
    other = full_document(2, alias="Fictional Beza")
    files = [attachment(PNG, document["id"], "image/png"),
             attachment(b"%PDF-1.4 fictional", document["id"], "application/pdf")]
    written = laptop.bundle(tmp_path / "out", real_centre, records=[document, other],
                            attachments=files)
    assert import_bundle(real_centre, written.path).delivered
    out = tmp_path / "export.csv"
    export_csv(real_centre.vault, installed_forms(), out, "en")
    rows = {row["id"]: row for row in
            csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")))}
    row = rows[document["id"]]
    lines = by_name(answer_lines(installed_forms(), document, "en"))
    assert row["attachments"] == "2" and rows[other["id"]]["attachments"] == "0"
    assert row["other_languages_label"] == lines["other_languages"].text
    assert row["needs_label"] == lines["needs"].text
    assert row["ilo_cr_violence_label"] == lines["ilo_cr_violence"].text
    assert row["ilo_cr_violence"] == "yes"
    referral = load_referral(real_centre, installed_forms(), document["id"], "en")
    assert referral.laptop == laptop.name
    assert [line.text for line in referral.answers] == [
        line.text for line in answer_lines(installed_forms(), document, "en")]
    assert sorted(info.media_type for info in referral.attachments) == [
        "application/pdf", "image/png"]
