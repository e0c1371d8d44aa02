"""Exports from the centre: the CSV (codes and labels) and the statistics table (small groups
suppressed)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from intake_app.sync.centre.errors import StatsFieldNotCoded
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.reports import MIN_GROUP, check_group_fields, export_csv, statistics
from intake_app.sync.centre.vault import Centre
from intake_app.sync.format.manifest import Tombstone
from tests.helpers.bundles import Laptop
from tests.helpers.centre import REGISTRY, register
from tests.helpers.documents import make_document


def _import(centre: Centre, laptop: Laptop, folder: Path, docs: list[dict[str, object]],
            **extra: object) -> None:
    written = laptop.bundle(folder, centre, records=docs, **extra)  # type: ignore[arg-type]
    assert import_bundle(centre, written.path).delivered


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_csv_has_codes_labels_and_no_withdrawn_or_deleted(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    kept = make_document(consent_interview="yes", alias="+SUM(A1)", setting="workplace",
                    needs=["legal"], account={"text": "Kerrottu", "lang": "fi"})
    withdrawn = dict(make_document(), status="withdrawn", answers={"consent_interview": "no"})
    deleted = make_document()
    _import(centre, laptop, tmp_path / "1", [kept, withdrawn, deleted])
    _import(centre, laptop, tmp_path / "2", [], deleted=[Tombstone(deleted["id"], 2, "error")])
    out = tmp_path / "export.csv"
    assert export_csv(centre.vault, REGISTRY, out, "fi") == 1
    [row] = _rows(out, ";")  # Finnish: a decimal comma, so fields are split by ";"
    assert row["id"] == kept["id"] and row["revision"] == "1"
    assert (row["setting"], row["setting_label"]) == ("workplace", "Työpaikka")
    assert (row["needs"], row["needs_label"]) == ("legal", "Oikeusapu")
    assert (row["consent_interview"], row["consent_interview_label"]) == ("yes", "Kyllä")
    assert (row["account"], row["account_lang"]) == ("Kerrottu", "fi")
    assert row["alias"] == "'+SUM(A1)"
    assert export_csv(centre.vault, REGISTRY, out, "en") == 1
    assert _rows(out)[0]["setting_label"] == "Workplace"


def test_statistics_hide_groups_smaller_than_five(
        centre: Centre, tmp_path: Path, laptop: Laptop) -> None:
    register(centre, laptop)
    docs = [make_document(answers={"consent_interview": "yes", "setting": "street",
                                   "needs": ["housing", "legal"]}) for _ in range(MIN_GROUP)]
    docs += [make_document(answers={"consent_interview": "yes", "setting": "workplace",
                                    "needs": ["legal"]}) for _ in range(MIN_GROUP - 1)]
    _import(centre, laptop, tmp_path, docs)
    # 4 at the workplace is hidden; with the street's 5 shown it would be the total (9, from
    # the table by month) minus 5, so the street's count is hidden too.
    table = statistics(centre.vault, ["setting"])
    assert table.rows == () and table.folded  # hidden groups are not even named
    needs = dict(statistics(centre.vault, ["needs"]).rows)
    assert needs == {("housing",): MIN_GROUP, ("legal",): 2 * MIN_GROUP - 1}
    # Housing's 5 and legal's 9 (the table by needs) and the street's 10 would pin every cell
    # of setting × needs, whichever are hidden: no group is listed.
    both = statistics(centre.vault, ["setting", "needs"])
    assert both.withheld and both.rows == () and both.total == 2 * MIN_GROUP - 1
    assert dict(statistics(centre.vault, ["month"]).rows) == {("2026-11",): 2 * MIN_GROUP - 1}


def test_statistics_group_only_by_codes() -> None:
    for field in ("setting", "month", "needs", "status", "form"):
        check_group_fields(REGISTRY, [field, "month"])
    for field in ("alias", "account", "no_such_field"):
        with pytest.raises(StatsFieldNotCoded):
            check_group_fields(REGISTRY, [field])
