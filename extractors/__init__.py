"""Built-in extractors, one module per document family.

Importing this package imports every module in it, and each module registers its
extractors with `pipeline.registry.extractor`; nothing else lists them. A module
that fails to import is recorded in IMPORT_ERRORS (the runner reports it on every
document as a problem) instead of taking the other extractors down with it.
"""
from __future__ import annotations

import importlib
import pkgutil

IMPORT_ERRORS: dict[str, str] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if not _info.name.startswith("_"):
        try:
            importlib.import_module(f"{__name__}.{_info.name}")
        except Exception as exc:  # a broken module must not stop the others
            IMPORT_ERRORS[_info.name] = f"{type(exc).__name__}: {exc}"
