"""Tell a file's real format from its bytes, not its name."""
from __future__ import annotations

from pathlib import PurePosixPath

SUPPORTED = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def claimed_format(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    return SUPPORTED.get(suffix, suffix.lstrip(".") or "unknown")


def sniff_format(data: bytes, path: str) -> str:
    """pdf / html / txt from magic bytes; otherwise the extension's claim (zip, docx, ...)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head.startswith(b"pk\x03\x04"):
        return "zip" if claimed_format(path) in ("txt", "html", "pdf") else claimed_format(path)
    if head.startswith((b"<!doctype html", b"<html", b"<div", b"<table", b"<head", b"<body", b"<?xml", b"<p", b"<!--", b"<meta")):
        return "html"
    claimed = claimed_format(path)
    if claimed == "pdf":
        return "broken_pdf" if data else "empty"
    if claimed in ("txt", "html"):
        return claimed if data else "empty"
    return claimed
