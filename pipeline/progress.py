"""Progress on a terminal (tqdm: files, pages/s, ETA, failures so far); silent when not a TTY."""
from __future__ import annotations

import sys


class Progress:
    def __init__(self, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.bar = None
        self.pages = 0
        self.failures = 0

    def __enter__(self):
        return self

    def update(self, result, from_cache: bool = False, total: int | None = None) -> None:
        """One more file done; `total` (the files of the run) gives the bar its length and ETA."""
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True)
        self.pages += result.pages
        self.failures += result.status in ("failed", "partial")
        rate = self.pages / max(self.bar.format_dict.get("elapsed") or 1e-9, 1e-9)
        self.bar.set_postfix_str(f"{rate:.0f} pages/s, {self.failures} not ok", refresh=False)
        self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False
