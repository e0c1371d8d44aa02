"""Made tests/data/vault_core_v2 with the code of commit 95a1a93 (core schema 2, attachments
inside the database). Run it with that code first on the path: PYTHONPATH=<old tree> python ..."""
import hashlib, io, random, shutil, sys
from pathlib import Path
from storage_fixtures import make_document
from intake_app.storage import KdfParams, Vault
from intake_app.storage.migrations import newest_core_version
assert newest_core_version() == 2, "run with the code of core schema 2"
out = Path(__file__).resolve().parent / "vault"
shutil.rmtree(out, ignore_errors=True)
vault, code = Vault.create(out, "fixture passphrase for core v2", kdf=KdfParams.MINIMUM)
s = vault.interviews
ids = {k: f"00000000-0000-4000-8000-00000000001{i}" for i, k in enumerate("abcde", 1)}
def content(seed, size): return random.Random(seed).randbytes(size)
a = make_document(ids["a"], alias="Mira", account="Marjanpoiminta Kemijärvellä.", lang="fi")
s.save_revision(a)
s.add_attachment(ids["a"], io.BytesIO(content(1, 1_300_000)), "image/jpeg", "passport.jpg")
s.add_attachment(ids["a"], io.BytesIO(content(2, 40_000)), "audio/ogg", "talk.ogg")
s.add_attachment(ids["a"], io.BytesIO(b""), "text/plain", "empty.txt")
b = make_document(ids["b"], alias="Olga", account="Работала в ресторане.", lang="ru")
s.save_revision(b)
s.add_attachment(ids["b"], io.BytesIO(content(2, 40_000)), "audio/ogg", "same-talk.ogg")
c = make_document(ids["c"], alias="Nok", account="ทำงาน ใน ร้านนวด", lang="th")
s.save_revision(c)
s.add_attachment(ids["c"], io.BytesIO(content(3, 300_000)), "image/png", "gone.png")
s.delete(ids["c"], "entered twice")
d = make_document(ids["d"], alias="Draft only", status="draft")
s.save_draft(d)
s.add_attachment(ids["d"], io.BytesIO(content(4, 70_000)), "application/pdf", "contract.pdf")
e = make_document(ids["e"], alias="Joy", account="Berry farm.")
s.save_revision(e)
s.add_attachment(ids["e"], io.BytesIO(content(5, 200_000)), "video/mp4", "removed.mp4")
s.remove_attachment(ids["e"], hashlib.sha256(content(5, 200_000)).hexdigest())
assert vault.check().ok
print(code)
vault.lock()
