"""The one canonical JSON spelling and the one strict JSON reader.

Revision hashes are computed over `canonical_json`, at the laptop and at the centre, so the
vault (storage) and the bundle format (sync.format) both import it from here and can never
spell a document two ways. The strict reader refuses what JSON allows but no file of ours
holds: a key twice in one object, NaN and Infinity.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn


class DuplicateKey(ValueError):
    """A key appears twice in one JSON object; `args[0]` is the key."""


class NotFiniteNumber(ValueError):
    """NaN, Infinity or -Infinity in JSON text; `args[0]` is how it was spelled."""


def canonical_json(value: Any) -> str:
    """The one JSON spelling a document's hash is computed over (sorted keys, no spaces)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` for `json.loads` that raises `DuplicateKey` on a repeated key."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def reject_constant(name: str) -> NoReturn:
    """`parse_constant` for `json.loads` that raises `NotFiniteNumber`."""
    raise NotFiniteNumber(name)


def loads_strict(text: str) -> Any:
    """Parse JSON text refusing repeated keys and NaN/Infinity.

    Raises `DuplicateKey`, `NotFiniteNumber`, `json.JSONDecodeError` (all `ValueError`) or
    `RecursionError` for nesting too deep.
    """
    return json.loads(text, object_pairs_hook=no_duplicate_keys, parse_constant=reject_constant)
