"""The survey's type column: the question types Intake supports, and why it refuses the rest.

`begin group`/`begin repeat` and their `end` rows, the plain types, and the select types with
their list (Intake's own yes_no_unknown and language/country lists, or a list of the choices
sheet). A type of ODK's that Intake does not support is refused with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from intake_app.domain.xlsform.columns import CLDR_LISTS, SURVEY, YES_NO_UNKNOWN
from intake_app.domain.xlsform.sheet_reader import SheetReader
from intake_app.domain.xlsform.workbook import Row, Sheet
from intake_app.i18n.core import N_

#: XLSForm types Intake refuses, and why (said with the refusal).
_WHY_NOT = {
    **dict.fromkeys(("geopoint", "geotrace", "geoshape", "start-geopoint"),
                    N_("Intake records no locations.")),
    **dict.fromkeys(("image", "photo", "audio", "video", "file", "background-audio", "barcode"),
                    N_("Files are attached to an interview on their own, not as answers.")),
    **dict.fromkeys(("start", "end", "today", "deviceid", "imei", "subscriberid", "simserial",
                     "phonenumber", "username", "email", "audit"),
                    N_("Intake records no device or tracking data about an interview.")),
    **dict.fromkeys(("calculate", "hidden"), N_("Intake calculates nothing in a form.")),
    **dict.fromkeys(("time", "datetime"), N_("Intake stores dates only.")),
}
_PLAIN_TYPES = frozenset({"text", "integer", "decimal", "date", "note"})
_CONTROL = {"group": "group", "repeat": "repeat", "lgroup": "repeat", "looped group": "repeat"}
_SELECT = re.compile(
    r"^(select_one|select one|select1|add select one prompt using|select one from"
    r"|select_multiple|select all that apply|add select multiple prompt using"
    r"|select all that apply from)\s+(\S+)$"
)
_MULTIPLE = frozenset({"select_multiple", "select all that apply",
                       "add select multiple prompt using", "select all that apply from"})


class QuestionTypes(SheetReader):
    """Reads the type cell of a survey row (and the end rows of groups and repeats)."""

    def end(self, sheet: Sheet, row: Row, what: str,
            stack: list[tuple[dict[str, Any], str, int]]) -> None:
        kind = _CONTROL.get(what.replace("_", " ").strip())
        if kind is None:
            self.problems.add(sheet.title, row.number, "type", N_(
                "The type {type} is not supported by Intake."), type=row.cells.get("type"))
            return
        if not stack or stack[-1][1] != kind:
            self.problems.add(sheet.title, row.number, "type", N_(
                "This end {kind} row ends no {kind}."), kind=kind)
            return
        item, _, _ = stack.pop()
        name = row.cells.get("name")
        if name and name != item.get("name"):
            self.problems.add(sheet.title, row.number, "name", N_(
                "This row ends {name}, but the {kind} open here is {open}."),
                name=name, kind=kind, open=item.get("name", "?"))
        for header in row.cells:
            if header not in ("type", "name"):
                self.problems.add(sheet.title, row.number, header, N_(
                    "An end row holds only its type (and the name it ends)."))

    def question_type(self, sheet: Sheet, row: Row, kind: str, item: dict[str, Any],
                      lists: frozenset[str]) -> bool:
        if not kind:
            self.problems.add(sheet.title, row.number, "type", N_(
                "This row has no type."))
            return False
        if kind.startswith(("begin ", "begin_")):
            control = _CONTROL.get(kind[6:].replace("_", " ").strip())
            if control is None:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The type {type} is not supported by Intake."), type=kind)
                return False
            item["type"] = control
            return True
        if kind in _PLAIN_TYPES:
            item["type"] = kind
            return True
        select = _SELECT.match(kind)
        if select is None:
            why = _WHY_NOT.get(kind.split(" ")[0])
            if why is not None:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The type {type} is not supported by Intake: {why}"), type=kind, why=why)
            else:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The type {type} is not supported by Intake."), type=kind)
            return False
        multiple = select.group(1) in _MULTIPLE
        list_name = select.group(2)
        if list_name == YES_NO_UNKNOWN:
            if multiple:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The list yes_no_unknown takes one answer: use select_one."))
                return False
            item["type"] = YES_NO_UNKNOWN
        elif list_name in CLDR_LISTS:
            item["type"] = list_name
            if multiple:
                item["multiple"] = True
        else:
            item["type"] = "select_multiple" if multiple else "select_one"
            item["choices"] = list_name
            if list_name not in lists:
                self.problems.add(sheet.title, row.number, "type", N_(
                    "The choice list {list} is not on the choices sheet."), list=list_name)
        return True

    def list_of(self, name: str) -> str | None:
        sheet = self.sheets[SURVEY]
        for row in sheet.rows:
            if row.cells.get("name") == name:
                select = _SELECT.match(" ".join(row.cells.get("type", "").split()))
                return select.group(2) if select else None
        return None
