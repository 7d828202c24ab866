"""UK phone numbers -> international format ('023 8083 4899' -> '+44 23 8083 4899')."""
from __future__ import annotations

import re

import phonenumbers

# A UK number as printed: 023 8083 4899, 03000 416478, (01622) 694000, +44 (0)20 8545 3616
PHONE_RE = re.compile(r"(?<![\d£.,])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d \-)]{7,13}\d(?![\d%])")


def normalise_phone(text: str | None) -> str | None:
    """The number in `text` formatted +44 ..., or None when it is not a valid UK number."""
    if not text:
        return None
    try:
        num = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def find_phones(text: str) -> list[tuple[int, int, str]]:
    """Every UK phone number in `text`: (start, end, normalised)."""
    out = []
    for m in PHONE_RE.finditer(text or ""):
        norm = normalise_phone(m.group(0))
        if norm:
            out.append((m.start(), m.end(), norm))
    return out
