"""The real centre: a centre vault in a test folder, the test form, and what a test reads back.

Laptops, centre keys without a vault and bundles are in `tests.helpers.bundles`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from intake_app.domain.form_loader import load_form_text
from intake_app.domain.registry import FormRegistry
from intake_app.storage import Vault
from intake_app.sync.centre.devices import RegisteredDevice, approve, register_request
from intake_app.sync.centre.forms import registry_validator
from intake_app.sync.centre.schema import RECORD_TABLES
from intake_app.sync.centre.setup import init_centre
from intake_app.sync.centre.vault import Centre
from intake_app.sync.format.payload_reader import RecordValidator
from tests.helpers.bundles import Laptop
from tests.helpers.storage import FAST

PASSPHRASE = "centre passphrase 2026"
YES_NO = [{"name": "yes", "label::en": "Yes", "label::fi": "Kyllä"},
          {"name": "no", "label::en": "No", "label::fi": "Ei"}]
FORM = {
    "format": "intake-form", "format_version": 1, "id": "intake-fi", "version": "2026.1",
    "languages": ["en", "fi"], "default_language": "en",
    "translation_status": {"en": "source", "fi": "draft"},
    "title::en": "Centre test interview",
    "choices": {
        "yes_no": YES_NO,
        "setting": [{"name": "street", "label::en": "Street", "label::fi": "Katu"},
                    {"name": "workplace", "label::en": "Workplace", "label::fi": "Työpaikka"}],
        "needs": [{"name": "housing", "label::en": "Safe housing", "label::fi": "Asunto"},
                  {"name": "legal", "label::en": "Legal aid", "label::fi": "Oikeusapu"}],
    },
    "questions": [{
        "type": "group", "name": "main", "label::en": "Interview", "label::fi": "Haastattelu",
        "children": [
            {"type": "select_one", "name": "consent_interview", "required": True,
             "choices": "yes_no", "label::en": "Consent to the interview",
             "label::fi": "Suostumus"},
            {"type": "text", "name": "alias", "label::en": "Alias", "label::fi": "Peitenimi"},
            {"type": "select_one", "name": "setting", "choices": "setting",
             "label::en": "Setting"},
            {"type": "select_multiple", "name": "needs", "choices": "needs",
             "label::en": "Needs"},
            {"type": "long_text", "name": "account", "label::en": "Account"},
        ],
    }],
}
REGISTRY = FormRegistry([load_form_text(json.dumps(FORM), "centre-test-form.json")])


def validator() -> RecordValidator:
    return registry_validator(REGISTRY)


def make_centre(tmp_path: Path, *, share: Path | None = None,
                backup: Path | None = None) -> Centre:
    """A real centre vault in `tmp_path/centre-data` with its share in `tmp_path/share`."""
    share = share or tmp_path / "share"
    share.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "centre-data"
    init_centre(data, name="Example reception centre", share=str(share), passphrase=PASSPHRASE,
                kdf=FAST, backup_identity=backup)
    return open_centre(tmp_path)


def open_centre(tmp_path: Path) -> Centre:
    return Centre.open(tmp_path / "centre-data", PASSPHRASE, validator=validator)


def register(centre: Centre, laptop: Laptop, *, active: bool = True) -> RegisteredDevice:
    device = register_request(centre.vault, laptop.request())
    if active:
        device = approve(centre.vault, laptop.device_id, laptop.fingerprint)
    return device


def record_digest(vault: Vault) -> str:
    """SHA-256 over every row of every table that holds what bundles brought."""
    digest = hashlib.sha256()
    with vault.transaction() as conn:
        for table in RECORD_TABLES:
            digest.update(table.encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def table_count(vault: Vault, table: str) -> int:
    with vault.transaction() as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def write_forms_folder(folder: Path) -> Path:
    """A forms folder holding the test form, for `FormRegistry.load` in command-line runs."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "centre-test-form.json").write_text(json.dumps(FORM), encoding="utf-8")
    return folder
