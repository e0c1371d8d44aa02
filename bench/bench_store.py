"""Benchmark of the interview store against a bare sqlcipher3 insert measured in the same run.

    python bench/bench_store.py [--count 10000] [--dir DIR]

Builds realistic interviews (~4 KB of JSON; accounts in Finnish, English, Arabic, Thai and
Russian), then measures and prints: insert throughput per call (one transaction each) and in
batches, each as a ratio to a bare insert of the same JSON into a one-table SQLCipher database
with the same pragmas, and the save's cost against the same rows (revision with its chained hash
over canonical JSON, head row) written bare in one fsync'd transaction (the budget: <= 1.25x);
get by id; list; full-text search p50/p95; autosave p95; database size against plain SQLite;
peak memory; unlock time minus the key derivation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlcipher3

from intake_app.storage import KdfParams, Vault
from intake_app.storage.kdf import derive_key

PASSPHRASE = "benchmark passphrase"
BLOCK = 500  # store and bare inserts alternate in blocks, so machine noise hits both alike

_SAMPLES = {
    "fi": "hän työskenteli ravintolassa keittiössä ilman palkkaa passi otettiin pois "
    "työnantaja lupasi asunnon mutta asunto oli varasto marjanpoiminta metsässä velka "
    "kasvoi joka viikko hän pelkäsi poliisia eikä puhunut kenellekään",
    "en": "she worked twelve hours a day at the berry farm the employer kept her passport "
    "and promised a contract that never came the debt for travel grew every month "
    "threats against her family at home kept her silent",
    "ar": "كانت تعمل في المطعم اثنتي عشرة ساعة يوميا أخذ صاحب العمل جواز السفر ووعد "
    "بعقد لم يأت أبدا الدين ازداد كل شهر وهددوا عائلتها",
    "th": "เธอ ทำงาน ใน ร้านนวด ทุกวัน นายจ้าง ยึด หนังสือเดินทาง สัญญา ว่า จะ ให้ ค่าจ้าง "
    "แต่ ไม่ เคย ได้ หนี้ เพิ่มขึ้น ทุก เดือน เก็บ ผลเบอร์รี่ ใน ป่า",
    "ru": "она работала в ресторане по двенадцать часов в день работодатель забрал паспорт "
    "обещал договор которого не было долг за дорогу рос каждый месяц угрожали семье",
}
WORDS = {lang: sample.split() for lang, sample in _SAMPLES.items()}
NO_SPACES = {"th"}  # Thai writes words without spaces between them


def sentence(rng: random.Random, lang: str, words: int) -> str:
    picked = rng.choices(WORDS[lang], k=words)
    return ("" if lang in NO_SPACES else " ").join(picked) + "."


def text(rng: random.Random, lang: str, chars: int) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(sentence(rng, lang, rng.randint(6, 14)))
    return " ".join(parts)


def make_interview(rng: random.Random, n: int) -> dict[str, Any]:
    lang = rng.choice(list(WORDS))
    answers: dict[str, Any] = {
        "consent_interview": "yes",
        "consent_processing": "yes",
        "consent_referral": rng.choice(["yes", "no", "undecided", "anonymous"]),
        "interview_date": "2026-11-28",
        "setting": rng.choice(["street", "workplace", "housing", "ngo_office", "phone"]),
        "worker_code": f"W{rng.randint(100, 999)}",
        "alias": f"{rng.choice(['A.', 'Mira', 'Layla', 'Nok', 'Olga', 'Joy'])} {n}",
        "age_band": rng.choice(["18-29", "30-39", "40-49"]),
        "nationality": [rng.choice(["TH", "VN", "IQ", "SO", "UA", "NG"])],
        "mother_tongue": lang,
        "exploitation_types": ["forced_labour"],
        "sector": rng.choice(["restaurant", "berry_picking", "cleaning", "construction"]),
        "indicators": {f"ilo_{i:02d}": rng.choice(["yes", "no", "unknown"]) for i in range(24)},
        "account": {"text": text(rng, lang, 1400), "lang": lang},
        "translation": {"text": text(rng, "fi", 600), "lang": "fi"},
        "promised_vs_actual": {"text": text(rng, lang, 200), "lang": lang},
        "risk_level": rng.choice(["low", "medium", "high"]),
    }
    return {
        "format": "intake-interview",
        "version": 1,
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "revision": 0,
        "form": "intake-fi",
        "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z",
        "modified": f"2026-11-{1 + n % 28:02d}T16:05:00Z",
        "status": rng.choice(["final", "final", "draft", "withdrawn"]),
        "answers": answers,
    }


def open_bare(path: Path) -> Any:
    """A one-table SQLCipher database with the vault's pragmas: the baseline."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_memory_security = ON")
    conn.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
    for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}").fetchall()
    conn.execute("PRAGMA secure_delete = ON").fetchall()
    conn.execute("CREATE TABLE interview (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
    return conn


def bare_insert(conn: Any, documents: Iterable[dict[str, Any]]) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO interview (id, document) VALUES (?, ?)",
        ((d["id"], json.dumps(d, ensure_ascii=False)) for d in documents),
    )
    conn.execute("COMMIT")


BARE_ROWS_SCHEMA = """
CREATE TABLE interview (
    num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL,
    head_sha256 TEXT NOT NULL, status TEXT NOT NULL, alias TEXT, form TEXT NOT NULL,
    form_version TEXT NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL,
    purged INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0,
    indexed_rowid INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE revision (
    num INTEGER PRIMARY KEY, interview_num INTEGER NOT NULL, interview_id TEXT NOT NULL,
    revision INTEGER NOT NULL, sha256 TEXT NOT NULL, prev_sha256 TEXT NOT NULL,
    saved TEXT NOT NULL, status TEXT NOT NULL, delivered TEXT, document TEXT
);
"""


def open_bare_rows(path: Path) -> Any:
    """The store's two tables, bare: the baseline of the performance budget's store rule."""
    conn = open_bare(path)
    conn.execute("DROP TABLE interview")
    conn.executescript(BARE_ROWS_SCHEMA)
    return conn


def bare_rows_insert(conn: Any, documents: Iterable[dict[str, Any]]) -> None:
    """The same rows a save writes (revision with its chained hash over canonical JSON, head
    row), by bare sqlcipher3 in one fsync'd transaction, with none of the store's code."""
    conn.execute("BEGIN IMMEDIATE")
    for d in documents:
        text = json.dumps({**d, "revision": 1}, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        prev = "0" * 64
        sha = hashlib.sha256(prev.encode() + text.encode()).hexdigest()
        num = conn.execute(
            "INSERT INTO interview (id, revision, head_sha256, status, alias, form, "
            "form_version, created, modified) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
            (d["id"], sha, d["status"], d["answers"].get("alias"), d["form"],
             d["form_version"], d["created"], d["modified"]),
        ).lastrowid
        conn.execute(
            "INSERT INTO revision (num, interview_num, interview_id, revision, sha256, "
            "prev_sha256, saved, status, document) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
            ((num << 24) + 1, num, d["id"], sha, prev, d["modified"], d["status"], text),
        )
    conn.execute("COMMIT")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def compare_inserts(
    docs: list[dict[str, Any]], vault: Vault, bare: Any, batch: int,
    insert: Callable[[Any, list[dict[str, Any]]], None] = bare_insert,
) -> tuple[float, float]:
    """Seconds for the store and for the bare table, alternating blocks of BLOCK documents."""
    store_total = bare_total = 0.0
    for start in range(0, len(docs), BLOCK):
        block = docs[start : start + BLOCK]
        chunks = [block[i : i + batch] for i in range(0, len(block), batch)]
        begin = time.perf_counter()
        for chunk in chunks:
            if batch == 1:
                vault.interviews.save_revision(chunk[0])
            else:
                vault.interviews.save_revisions(chunk)
        middle = time.perf_counter()
        for chunk in chunks:
            insert(bare, chunk)
        store_total += middle - begin
        bare_total += time.perf_counter() - middle
    return store_total, bare_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None, help="where to build (a real disk)")
    args = parser.parse_args()
    rng = random.Random(2026)
    work = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.dir))
    rows: list[tuple[str, str]] = []
    try:
        docs = [make_interview(rng, n) for n in range(args.count)]
        sizes = [len(json.dumps(d, ensure_ascii=False).encode()) for d in docs]
        rows.append(("interviews", f"{len(docs)} (JSON mean {statistics.mean(sizes):.0f} B)"))

        vault, _code = Vault.create(work / "vault", PASSPHRASE, kdf=KdfParams.MINIMUM)
        bare = open_bare(work / "bare.db")
        store_s, bare_s = compare_inserts(docs, vault, bare, batch=1)
        rows.append(("insert, one transaction each: store", f"{len(docs) / store_s:.0f} /s"))
        rows.append(
            ("insert, one transaction each: bare sqlcipher3", f"{len(docs) / bare_s:.0f} /s")
        )
        rows.append(("  ratio store / one-table bare insert", f"{bare_s / store_s:.2f}"))
        vault_r, _ = Vault.create(work / "vault-r", PASSPHRASE, kdf=KdfParams.MINIMUM)
        bare_r = open_bare_rows(work / "bare-rows.db")
        store_r, rows_r = compare_inserts(docs, vault_r, bare_r, batch=1,
                                          insert=bare_rows_insert)
        rows.append(("insert, one transaction each: the same rows bare",
                     f"{len(docs) / rows_r:.0f} /s"))
        rows.append(("  save cost / the same rows bare (budget <= 1.25)",
                     f"{store_r / rows_r:.2f}"))
        vault_r.lock()
        bare_r.close()

        vault2, _ = Vault.create(work / "vault2", PASSPHRASE, kdf=KdfParams.MINIMUM)
        bare2 = open_bare(work / "bare2.db")
        store_b, bare_b = compare_inserts(docs, vault2, bare2, batch=100)
        rows.append(("insert, batches of 100: store", f"{len(docs) / store_b:.0f} /s"))
        rows.append(("insert, batches of 100: bare sqlcipher3", f"{len(docs) / bare_b:.0f} /s"))
        rows.append(("  ratio store / bare", f"{bare_b / store_b:.2f}"))
        vault2.lock()
        bare2.close()

        store = vault.interviews
        catch_up = timed(store.refresh_search_index)
        rows.append(
            (
                f"search index catch-up, {len(docs)} saved",
                f"{catch_up:.1f} s ({len(docs) / catch_up:.0f} /s)",
            )
        )
        ids = [d["id"] for d in docs]
        gets = [timed(lambda i=i: store.get(i)) for i in rng.sample(ids, 1000)]
        rows.append(
            ("get by id p50 / p95", f"{ms(percentile(gets, 50))} / {ms(percentile(gets, 95))}")
        )
        lists = [timed(store.list) for _ in range(5)]
        rows.append((f"list all {len(docs)} (median of 5)", ms(statistics.median(lists))))
        filtered = [timed(lambda: store.list(status="final", delivered=False)) for _ in range(5)]
        rows.append(("list status=final, undelivered", ms(statistics.median(filtered))))

        vocabulary = [w for words in WORDS.values() for w in words if len(w) >= 3]
        aliases = [d["answers"]["alias"] for d in docs]
        kinds = {
            "search, an alias (few hits)": [rng.choice(aliases) for _ in range(100)],
            "search, a place or employer word (~20% hit)": [
                rng.choice(vocabulary) for _ in range(100)
            ],
            "search, two words": [
                f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}" for _ in range(50)
            ],
        }
        kinds["search, a common word, first 100 shown"] = kinds[
            "search, a place or employer word (~20% hit)"
        ]
        for label, queries in kinds.items():
            hits: list[int] = []
            limit = 100 if "first 100" in label else None
            times = [
                timed(lambda q=q, h=hits, n=limit: h.append(len(store.search(q, limit=n))))
                for q in queries
            ]
            rows.append(
                (f"{label} p50 / p95", f"{ms(percentile(times, 50))} / {ms(percentile(times, 95))}")
            )
            rows.append(("  results per query (median)", f"{statistics.median(hits):.0f}"))

        autosaves = []
        for n in range(500):
            draft = dict(docs[rng.randrange(len(docs))])
            draft["answers"] = {
                **draft["answers"],
                "note": {"text": "typing " * (n % 50), "lang": "fi"},
            }
            autosaves.append(timed(lambda d=draft: store.save_draft(d)))
        rows.append(
            (
                "autosave p50 / p95",
                f"{ms(percentile(autosaves, 50))} / {ms(percentile(autosaves, 95))}",
            )
        )
        vault.lock()
        bare.close()

        plain = sqlite3.connect(work / "plain.db")
        plain.execute("CREATE TABLE interview (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
        plain.executemany(
            "INSERT INTO interview VALUES (?, ?)",
            ((d["id"], json.dumps(d, ensure_ascii=False)) for d in docs),
        )
        plain.commit()
        plain.close()
        vault_size = (work / "vault" / "intake.db").stat().st_size
        plain_size = (work / "plain.db").stat().st_size
        bare_size = (work / "bare.db").stat().st_size
        rows.append(("database size: vault (revisions, drafts, FTS)", f"{vault_size / 1e6:.1f} MB"))
        rows.append(("database size: bare sqlcipher3 table", f"{bare_size / 1e6:.1f} MB"))
        rows.append(("database size: plain sqlite3 table", f"{plain_size / 1e6:.1f} MB"))
        rows.append(("  ratio vault / plain sqlite3", f"{vault_size / plain_size:.2f}"))

        unlocks, kdfs = [], []
        for _ in range(3):
            unlocks.append(timed(lambda: Vault.unlock(work / "vault", PASSPHRASE).lock()))
            kdfs.append(timed(lambda: derive_key(b"x", b"\0" * 16, KdfParams.MINIMUM)))
        rows.append(
            (
                "unlock minus KDF (median of 3)",
                ms(statistics.median(unlocks) - statistics.median(kdfs)),
            )
        )
        rows.append(("  KDF alone (minimum parameters)", ms(statistics.median(kdfs))))
        checked = Vault.unlock(work / "vault", PASSPHRASE)
        try:
            whole = "at unlock" if checked.pages_checked else "after unlock, beside the work"
            rows.append((f"every page's HMAC checked {whole}", ms(timed(checked.pages_intact))))
        finally:
            checked.lock()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rows.append(("peak memory (ru_maxrss, whole run)", f"{peak / 1024:.0f} MB"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 24}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
