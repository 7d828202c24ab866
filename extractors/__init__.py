"""Built-in extractors, one module per document family.

Importing this package imports every module in it, and each module registers its
extractors with `pipeline.registry.extractor`; nothing else lists them.
"""
from __future__ import annotations

import importlib
import pkgutil

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
