"""The choices sheet: the form's choice lists, each code once, with its labels and condition."""

from __future__ import annotations

from typing import Any

from intake_app.domain.xlsform.columns import CHOICE_RELEVANT, CHOICES, CHOICES_ALIASES, CLDR_LISTS
from intake_app.domain.xlsform.sheet_reader import SheetReader
from intake_app.i18n.core import N_


class ChoicesReader(SheetReader):
    """Turns the choices sheet's rows into the definition's choice lists."""

    def choices(self) -> dict[str, list[dict[str, Any]]]:
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return {}
        texts = frozenset({"label"})
        known = frozenset({"list_name", "name", CHOICE_RELEVANT})
        lists: dict[str, list[dict[str, Any]]] = {}
        said: set[str] = set()
        names = frozenset(self.places.questions)
        for row in sheet.rows:
            item: dict[str, Any] = {}
            list_name = ""
            for header, value in row.cells.items():
                meaning = self.column(CHOICES, header, CHOICES_ALIASES, texts, known)
                if meaning is None:
                    self.unsupported(sheet, row, header, said)
                elif meaning.key == "list_name":
                    list_name = value
                elif meaning.key == "label":
                    item[f"label::{meaning.language}"] = value
                elif meaning.key == CHOICE_RELEVANT:
                    item["relevant"] = value
                    self.condition(sheet, row, header, value, names)
                else:
                    item["name"] = value
            if not list_name or "name" not in item:
                self.problems.add(sheet.title, row.number, "list_name" if not list_name
                                  else "name", N_("Every choice needs a list_name and a name."))
                continue
            if list_name in CLDR_LISTS:
                self.problems.add(sheet.title, row.number, "list_name", N_(
                    "The list name {list} is Intake's own (its choices come from the language "
                    "and country names); choose another name."), list=list_name)
                continue
            place = f"choices.{list_name}.{item['name']}"
            if place in self.places.choices:
                self.problems.add(sheet.title, row.number, "name", N_(
                    "The code {code} is in the list {list} already, in row {row}."),
                    code=item["name"], list=list_name, row=self.places.choices[place])
                continue
            self.places.choices[place] = row.number
            self.places.choices.setdefault(f"choices.{list_name}", row.number)
            self.default_label(sheet, row, item)
            lists.setdefault(list_name, []).append(item)
        return lists
