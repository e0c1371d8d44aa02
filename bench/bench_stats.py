"""Statistics benchmark: the annual report's tables, counted and protected together with the
overview and the other years, against a bare count of the same groups.

Data: fictional interview documents (no vault: the reading is the same for both), spread over
five years, with a skewed nationality (many small countries), age group, gender, types of
exploitation and referral actions (several per interview): `--interviews` (2,000).

- ours: `count_table(documents, [field], year)` for the five fields of the annual report
  (counting, the overview's and the years' own suppression, the joint year × field
  suppression with its maximum flows, and showing back extra cells that give nothing away);
- bare: the same five tables counted with a `Counter`, nothing hidden.

Printed: the best of `--runs` for each, and the ratio ours/bare; also how many groups the
protection across reports hides beyond what each year's table hid on its own.

Run: `.venv/bin/python bench/bench_stats.py [--interviews 2000] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from intake_app.sync.centre.reports import MIN_GROUP, count_table  # noqa: E402
from intake_app.sync.centre.stats_report import ANNUAL  # noqa: E402
from intake_app.sync.centre.suppression import suppress  # noqa: E402

YEARS = (2022, 2023, 2024, 2025, 2026)
COUNTRIES = [f"C{n:02d}" for n in range(60)]
AGES = ["age_under_18", "age_18_29", "age_30_39", "age_40_49", "age_50_59", "age_60_plus"]
TYPES = ["forced_labour", "sexual_exploitation", "forced_criminality", "begging", "marriage"]
ACTIONS = ["assistance_phone", "health_care", "victim_support", "police_report", "other_ngo"]


def documents(count: int, seed: int = 7) -> list[dict[str, Any]]:
    pick = random.Random(seed)
    weights = [1 / (rank + 1) ** 1.3 for rank in range(len(COUNTRIES))]
    found = []
    for _n in range(count):
        year = pick.choice(YEARS)
        found.append(
            {
                "status": "final",
                "created": f"{year}-06-01T10:00:00Z",
                "answers": {
                    "interview_date": f"{year}-{pick.randint(1, 12):02d}-15",
                    "nationality": pick.choices(COUNTRIES, weights)[:1],
                    "age_band": pick.choices(AGES, [1, 8, 6, 3, 2, 1])[0],
                    "gender": pick.choice(["female", "male", "other"]),
                    "exploitation_types": pick.sample(TYPES, pick.randint(1, 2)),
                    "referral_actions": pick.sample(ACTIONS, pick.randint(0, 3)),
                },
            }
        )
    return found


def ours(docs: list[dict[str, Any]], year: int) -> list[Any]:
    return [count_table(docs, [field], year) for field in ANNUAL]


def bare(docs: list[dict[str, Any]], year: int) -> list[Counter[str]]:
    tables = []
    for field in ANNUAL:
        counts: Counter[str] = Counter()
        for doc in docs:
            if doc["answers"]["interview_date"][:4] != str(year):
                continue
            value = doc["answers"].get(field)
            counts.update(value if isinstance(value, list) else [value])
        tables.append(counts)
    return tables


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interviews", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    docs = documents(args.interviews)
    year = YEARS[-1]
    best = {"bare": float("inf"), "ours": float("inf")}
    for _run in range(args.runs):
        for name, work in (("bare", bare), ("ours", ours)):
            start = time.perf_counter()
            work(docs, year)
            best[name] = min(best[name], time.perf_counter() - start)
    tables = ours(docs, year)
    extra = alone = 0
    for field, table in zip(ANNUAL, tables, strict=True):
        in_year = bare(docs, year)[ANNUAL.index(field)]
        own = suppress({(str(k),): v for k, v in in_year.items()}, 1, MIN_GROUP,
                       sum(1 for d in docs if d["answers"]["interview_date"].startswith(str(year))))
        alone += len(own.hidden)
        extra += len(in_year) - len(table.rows) - len(own.hidden)
    print(f"annual report, {args.interviews} interviews over {len(YEARS)} years:")
    print(f"  bare count {best['bare'] * 1000:.1f} ms, ours {best['ours'] * 1000:.1f} ms, "
          f"ratio {best['ours'] / best['bare']:.1f}")
    print(f"  groups hidden by each year's table on its own: {alone}; "
          f"hidden beyond that to protect across reports: {extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
