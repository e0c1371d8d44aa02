"""The settings sheet: row 2 holds the form's settings, the rows after it its sources."""

from __future__ import annotations

from typing import Any

from intake_app.domain.xlsform.columns import (
    DRAFT_NOTICE,
    FORM_STATUS,
    GATE,
    GATE_OPEN,
    SETTINGS,
    SETTINGS_ALIASES,
    SOURCE_COLUMNS,
    TITLE,
)
from intake_app.domain.xlsform.sheet_reader import SheetReader
from intake_app.i18n.core import N_

_ALWAYS_ALLOWED_SETTINGS = frozenset({TITLE, "form_id", "version", "default_language"})


class SettingsReader(SheetReader):
    """Puts the settings sheet's cells into the definition."""

    def settings(self, data: dict[str, Any]) -> None:
        sheet = self.sheets[SETTINGS]
        texts = frozenset({TITLE, DRAFT_NOTICE})
        known = frozenset({*_ALWAYS_ALLOWED_SETTINGS, GATE, GATE_OPEN, *SOURCE_COLUMNS})
        said: set[str] = set()
        status: dict[str, str] = {}
        sources: list[dict[str, str]] = []
        for row in sheet.rows:
            source: dict[str, str] = {}
            for header, value in row.cells.items():
                meaning = self.column(SETTINGS, header, SETTINGS_ALIASES, texts, known)
                if meaning is None:
                    self.unsupported(sheet, row, header, said)
                elif meaning.key in SOURCE_COLUMNS:
                    source[SOURCE_COLUMNS[meaning.key]] = value
                elif row.number != 2:
                    self.problems.add(sheet.title, row.number, header, N_(
                        "Only row 2 holds the form's settings; the rows after it hold sources."))
                elif meaning.key == TITLE:
                    data[f"title::{meaning.language}"] = value
                elif meaning.key == DRAFT_NOTICE:
                    data[f"draft_notice::{meaning.language}"] = value
                elif meaning.key == FORM_STATUS:
                    status[str(meaning.language)] = value
                elif meaning.key == "form_id":
                    data["id"] = value
                elif meaning.key == "version":
                    data["version"] = value
                elif meaning.key == GATE:
                    data.setdefault("consent_gate", {})["condition"] = value
                    self.condition(sheet, row, header, value, frozenset(self.places.questions))
                elif meaning.key == GATE_OPEN:
                    data.setdefault("consent_gate", {})["open"] = value.split()
            if source:
                sources.append(source)
        for key in ("id", "version"):
            if key not in data:
                column = "form_id" if key == "id" else "version"
                self.problems.add(sheet.title, 2, column, N_("The form needs a {column}."),
                                  column=column)
        if "consent_gate" in data and "open" not in data["consent_gate"]:
            data["consent_gate"]["open"] = []
        if sources:
            data["sources"] = sources
        # A workbook that does not say how far each text can be trusted: the default
        # language is the source and every other language a draft nobody has checked.
        data["translation_status"] = status or {
            lang: "source" if lang == self.default else "draft" for lang in self.languages
        }
