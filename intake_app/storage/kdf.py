"""Argon2id key derivation: passphrase -> key-encryption key, with parameters kept per vault."""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, replace
from typing import ClassVar

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_BYTES = 32
SALT_BYTES = 16
# Upper bounds for parameters read from vault.json: a tampered file must not make unlock
# allocate gigabytes or spin for minutes.
MAX_MEMORY_KIB = 4 * 1024 * 1024
MAX_ITERATIONS = 64
MAX_LANES = 16
# Calibration does not go beyond this much memory, so a laptop with little RAM can still unlock.
CALIBRATION_MAX_MEMORY_KIB = 512 * 1024


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters (memory in KiB, passes, lanes)."""

    memory_kib: int
    iterations: int
    lanes: int

    MINIMUM: ClassVar[KdfParams]

    def is_within_bounds(self) -> bool:
        """Whether these parameters are at least the minimum and not absurdly large."""
        return (
            MINIMUM_MEMORY_KIB <= self.memory_kib <= MAX_MEMORY_KIB
            and MINIMUM_ITERATIONS <= self.iterations <= MAX_ITERATIONS
            and 1 <= self.lanes <= MAX_LANES
        )

    @classmethod
    def calibrate(cls, target_seconds: float = 0.5) -> KdfParams:
        """Parameters that take about `target_seconds` here, never below `MINIMUM`."""
        params = cls.MINIMUM
        elapsed = _time_one(params)
        # RFC 9106 advice: spend the budget on memory first, then on passes.
        while elapsed * 2 <= target_seconds and params.memory_kib * 2 <= CALIBRATION_MAX_MEMORY_KIB:
            params = replace(params, memory_kib=params.memory_kib * 2)
            elapsed = _time_one(params)
        if elapsed < target_seconds:
            wanted = round(params.iterations * target_seconds / max(elapsed, 1e-6))
            params = replace(params, iterations=min(MAX_ITERATIONS, max(params.iterations, wanted)))
        return params


MINIMUM_MEMORY_KIB = 64 * 1024
MINIMUM_ITERATIONS = 3
KdfParams.MINIMUM = KdfParams(memory_kib=MINIMUM_MEMORY_KIB, iterations=MINIMUM_ITERATIONS, lanes=4)


def normalize_secret(secret: str) -> bytes:
    """The bytes a typed passphrase stands for: NFC, so every keyboard and input method agrees."""
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id(secret, salt) with `params`: a 256-bit key-encryption key."""
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def _time_one(params: KdfParams) -> float:
    start = time.perf_counter()
    derive_key(b"calibration", b"\0" * SALT_BYTES, params)
    return time.perf_counter() - start
