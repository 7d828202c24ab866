"""Plain text: one page, decoded with a charset guess when it is not UTF-8."""
from __future__ import annotations

from ..document import Document, Page
from .encoding import decode, not_text_reason


def load_txt(data: bytes, *, doc_id: str, source_path: str) -> Document:
    from . import LoadError, pick_title, tidy_text
    text = tidy_text(decode(data))
    why = not_text_reason(text)
    if why:
        raise LoadError("not_text", f"named as text, but its bytes are not text: {why}")
    return Document(doc_id=doc_id, source_path=source_path, format="txt",
                    pages=[Page(1, text)], title=pick_title(text))
