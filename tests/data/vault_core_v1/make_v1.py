"""Made tests/data/vault_core_v1 with the code of commit 54ec9fc (core schema version 1)."""
import io, json, shutil, sys
from pathlib import Path
sys.path[:0] = [str(Path(__file__).resolve().parents[3]), str(Path(__file__).resolve().parents[2])]
from storage_fixtures import make_document
from intake_app.storage import KdfParams, Vault
out = Path(Path(__file__).resolve().parent / "vault")
shutil.rmtree(out, ignore_errors=True)
vault, code = Vault.create(out, "fixture passphrase for core v1", kdf=KdfParams.MINIMUM)
s = vault.interviews
ids = {k: f"00000000-0000-4000-8000-00000000000{i}" for i, k in enumerate("abcdef", 1)}
a = make_document(ids["a"], alias="Mira", account="Marjanpoiminta Kemijärvellä ilman palkkaa.", lang="fi")
s.save_revision(a)
a2 = {**a, "answers": {**a["answers"], "account": {"text": "Siivoustyö Rovaniemellä, passi otettiin.", "lang": "fi"}}}
info2 = s.save_revision({**a2, "revision": 1})
s.search("Rovaniemellä")  # index revision 2
a3 = {**a2, "answers": {**a2["answers"], "alias": "Mira K."}}
s.save_revision({**a3, "revision": 2})
s.mark_delivered([(ids["a"], 2, info2.sha256)])
b = make_document(ids["b"], alias="Olga", account="Работала в ресторане без договора.", lang="ru")
s.save_revision(b); s.search("ресторане"); s.delete(ids["b"], "entered twice")
c = make_document(ids["c"], alias="Nok", account="ทำงาน ใน ร้านนวด ทุกวัน", lang="th")
ic = s.save_revision(c); s.mark_delivered([(ids["c"], 1, ic.sha256)]); s.purge(ids["c"])
d = make_document(ids["d"], alias="Layla", account="كانت تعمل في المطعم", lang="ar")
s.save_revision(d); s.save_draft({**d, "revision": 1, "answers": {**d["answers"], "alias": "Layla (draft)"}})
e = make_document(ids["e"], alias="Joy", account="Berry farm, passport kept by the employer.")
s.save_revision(e); s.add_attachment(ids["e"], io.BytesIO(b"fixture attachment bytes\n" * 100), "text/plain", "note.txt")
s.save_draft(make_document(ids["f"], alias="New draft only", status="draft"))
assert vault.check().ok
print(code)
vault.lock()
