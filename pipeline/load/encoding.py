"""Bytes to str: UTF-8 (with or without BOM), the declared charset, then Windows-1252.

UK council papers that are not UTF-8 are nearly always Windows-1252 (a `£` saved by
Word); charset-normalizer guesses wrong on short texts (it reads `£` as Polish `Ł`),
so it is only the last resort, for bytes cp1252 cannot decode.
"""
from __future__ import annotations


def decode(data: bytes, declared: str | None = None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best)
    return data.decode("cp1252", errors="replace")
