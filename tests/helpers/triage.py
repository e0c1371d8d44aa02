"""Triage test kit: a centre on the installed forms, interviews with the answers triage reads
(risk, danger, urgent needs, referral consent, date of birth, nationality), imported for real."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, make_centre, register
from tests.unit.sync.centre.real_form import full_document, installed_forms


def open_real_centre(tmp_path: Path) -> Centre:
    """The centre in `tmp_path/centre-data`, checking records with the installed forms."""
    return Centre.open(
        tmp_path / "centre-data",
        PASSPHRASE,
        validator=lambda: registry_validator(installed_forms()),
    )


def make_real_centre(tmp_path: Path) -> Centre:
    make_centre(tmp_path).close()
    return open_real_centre(tmp_path)


@cache
def _base() -> dict[str, Any]:
    return full_document(1)


def triage_document(alias: str, **answers: Any) -> dict[str, Any]:
    """A valid interview on intake-fi 2026.1 with a new id, `alias`, and `answers` changed
    (a None removes the answer)."""
    document = copy.deepcopy(_base())
    document["id"] = str(uuid.uuid4())
    document["answers"]["alias"] = alias
    for name, value in answers.items():
        if value is None:
            document["answers"].pop(name, None)
        else:
            document["answers"][name] = value
    return document


def import_documents(
    centre: Centre, laptop: Laptop, documents: Sequence[dict[str, Any]], folder: Path
) -> None:
    """Register `laptop` if needed and import `documents` in one bundle from it."""
    with centre.vault.reading() as conn:
        known = conn.execute(
            "SELECT 1 FROM centre_device WHERE device_id = ?", (laptop.device_id,)
        ).fetchone()
    if known is None:
        register(centre, laptop)
    bundle = laptop.bundle(folder, centre, records=list(documents))
    assert import_bundle(centre, bundle.path).delivered
