"""Known interviews on the installed form for the statistics' tests, and what they must give.

Eighteen interviews made in 2026, five in 2025 (all alike, so that no group of 2025 is small
and the reports for 2026 hide only what 2026 needs) and one in 2026 whose consent was withdrawn.
The 2026 counts and what the rule (suppression.py) hides, by the table:

- month: Jan 5, Feb 5, Mar 4, Apr 4 - Mar and Apr hidden (7 could be either), Jan and Feb shown
- age group: 18-29 8, 30-39 6, 40-49 3, 50-59 1 - 3 and 1 hidden, so 6 too (4 split in two
  would be below 5 either way)
- gender: female 10, male 8 - both shown
- nationality: VN 9, TH 6, IQ 2, SO 1 - IQ and SO hidden, so TH too
- forms of exploitation (several per interview): forced labour 14, sexual exploitation 6,
  forced criminality 2 - criminality hidden, so sexual exploitation too
- referral actions (several): phone call to the Assistance System 9, health care 12, victim
  support 7, police report 3, no answer 2 - 3 and 2 hidden, so 7 too
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from intake_app.domain.document import interview_from_dict
from intake_app.domain.issues import errors
from intake_app.domain.validation import validate
from intake_app.services.demo import fictional_interview
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, register
from tests.unit.sync.centre.real_form import installed_forms

YEAR = 2026
IN_YEAR = 18
EARLIER = 5  # in the year before
AGES = ["age_18_29"] * 8 + ["age_30_39"] * 6 + ["age_40_49"] * 3 + ["age_50_59"]
NATIONALITIES = ["VN"] * 9 + ["TH"] * 6 + ["IQ"] * 2 + ["SO"]


def _types(i: int) -> list[str]:
    types = ["forced_labour"] if i < 14 else []
    types += ["sexual_exploitation"] if i >= 12 else []
    return types + (["forced_criminality"] if i < 2 else [])


def _actions(i: int) -> list[str]:
    actions = ["assistance_phone"] if i < 9 else []
    actions += ["victim_support"] if 9 <= i < 16 else []
    actions += ["police_report"] if i < 3 else []
    return actions + (["health_care"] if i < 12 else [])


def document(n: int, **answers: Any) -> dict[str, Any]:
    """A valid fictional interview on the installed form with these answers (None: none)."""
    form = installed_forms().get("intake-fi", "2026.1")
    assert form is not None
    made = dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC)
    doc = fictional_interview(form, n, made).to_dict()
    doc.update(revision=1, status="final")
    chosen = doc["answers"]
    chosen.update(alias=f"Fictional {n}", **answers)
    chosen.pop("exploitation_main", None)
    for name in [name for name, value in chosen.items() if value is None]:
        del chosen[name]
    for _round in range(5):  # the demo's random answers may break a rule: drop those
        problems = errors(validate(interview_from_dict(doc), form))
        if not problems:
            return doc
        for issue in problems:
            assert issue.question not in answers, issue
            chosen.pop(issue.question, None)
    raise AssertionError("no valid fictional document")


def known_documents() -> list[dict[str, Any]]:
    """The interviews above: 18 in 2026, 5 in 2025, 1 withdrawn."""
    docs = [
        document(
            i,
            interview_date=f"{YEAR}-{i % 4 + 1:02d}-15",
            age_band=AGES[i],
            gender="female" if i < 10 else "male",
            nationality=[NATIONALITIES[i]],
            exploitation_types=_types(i),
            referral_actions=_actions(i) or None,
        )
        for i in range(IN_YEAR)
    ]
    docs += [
        document(
            100 + i,
            interview_date=f"{YEAR - 1}-06-01",
            age_band="age_60_plus",
            gender="female",
            nationality=["FI"],
            exploitation_types=["forced_labour"],
            referral_actions=["health_care"],
        )
        for i in range(EARLIER)
    ]
    withdrawn = document(
        200,
        interview_date=f"{YEAR}-01-15",
        age_band="age_18_29",
        nationality=["VN"],
        exploitation_types=["forced_labour"],
    )
    withdrawn["status"] = "withdrawn"
    return [*docs, withdrawn]


def import_known(centre: Centre, folder: Path) -> None:
    """Register a laptop and import the known interviews into `centre`."""
    laptop = Laptop(name="Statistics laptop")
    register(centre, laptop)
    bundle = laptop.bundle(folder, centre, records=known_documents())
    assert import_bundle(centre, bundle.path).delivered


def open_real_centre(tmp_path: Path) -> Centre:
    """The centre made by `make_centre(tmp_path)`, checking records with the installed forms."""
    return Centre.open(
        tmp_path / "centre-data",
        PASSPHRASE,
        validator=lambda: registry_validator(installed_forms()),
    )
