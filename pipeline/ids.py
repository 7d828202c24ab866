"""Content-derived ids: same input, same id, on any machine and any run."""
from __future__ import annotations

import hashlib


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def content_id(*parts: object) -> str:
    """16 hex digits of the sha256 of the parts joined with a unit separator."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
