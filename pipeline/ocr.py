"""Optional OCR for PDFs without a text layer, through ocrmypdf (which drives tesseract).

OCR is slow and needs system packages, so it runs only with `--ocr` and only on
documents that need it. The document keeps the doc_id of the bytes the user gave.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HINT = ("no text layer: install ocrmypdf and tesseract (e.g. `apt-get install ocrmypdf`) "
        "and run again with --ocr")


class OCRUnavailable(Exception):
    pass


def ocr_available() -> bool:
    return shutil.which("ocrmypdf") is not None


def ocr_pdf(data: bytes, timeout_s: float = 600.0, language: str = "eng") -> bytes:
    """The same PDF with a text layer added; raises OCRUnavailable or RuntimeError."""
    exe = shutil.which("ocrmypdf")
    if exe is None:
        raise OCRUnavailable(HINT)
    with tempfile.TemporaryDirectory(prefix="councilpapers-ocr-") as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        proc = subprocess.run([exe, "--skip-text", "--quiet", "-l", language, str(src), str(dst)],
                              capture_output=True, text=True, timeout=timeout_s)
        if proc.returncode != 0 or not dst.exists():
            raise RuntimeError(f"ocrmypdf failed (exit {proc.returncode}): {proc.stderr.strip()[:300]}")
        return dst.read_bytes()
