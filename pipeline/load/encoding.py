"""Bytes to str: UTF-8 (with or without BOM), UTF-16/32 (with or without BOM), the declared
charset, then Windows-1252; and a check that what came out is text at all.

UK council papers that are not UTF-8 are nearly always Windows-1252 (a `£` saved by
Word); charset-normalizer guesses wrong on short texts (it reads `£` as Polish `Ł`),
so it is only the last resort, for bytes cp1252 cannot decode. UTF-16 and UTF-32 saved
without a byte-order mark are told by where their zero bytes fall.
"""
from __future__ import annotations


def _wide_encoding(data: bytes) -> str | None:
    """utf-32-le/be or utf-16-le/be for text saved without a BOM: mostly-ASCII text in a wide encoding has
    zero bytes at fixed positions, and UTF-8 text has none."""
    head = data[:4096]
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    def zeros(offset: int, step: int) -> float:
        part = head[offset::step]
        return part.count(0) / max(1, len(part))
    if zeros(1, 4) > 0.9 and zeros(2, 4) > 0.9 and zeros(3, 4) > 0.9:
        return "utf-32-le"
    if zeros(0, 4) > 0.9 and zeros(1, 4) > 0.9 and zeros(2, 4) > 0.9:
        return "utf-32-be"
    if zeros(1, 2) > 0.6 and zeros(0, 2) < 0.1:
        return "utf-16-le"
    if zeros(0, 2) > 0.6 and zeros(1, 2) < 0.1:
        return "utf-16-be"
    return None


def decode(data: bytes, declared: str | None = None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    wide = _wide_encoding(data)
    if wide:
        return data.decode(wide, errors="replace")
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


_TEXT_EXTRA = set("£€‘’“”–—•…·§°½¼¾×÷")


def not_text_reason(text: str) -> str | None:
    """Why decoded bytes are not text (binary garbage named .txt or .html), else None: text is mostly
    printable characters, with control characters and undecodable bytes rare."""
    sample = text[:20000]
    if not sample.strip():
        return None
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd" or 0x7f <= ord(ch) < 0xa0)
    plain = sum(1 for ch in sample if ch.isascii() or ch.isalpha() or ch in _TEXT_EXTRA)
    if controls > 0.02 * len(sample):
        return f"{controls} of the first {len(sample)} characters are control characters or undecodable bytes"
    if plain < 0.8 * len(sample):
        return f"only {plain} of the first {len(sample)} characters read as text"
    return None
