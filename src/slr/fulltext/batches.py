"""Which PDFs are extracted together, so that Snakemake pays the ~0.3 s start-up of a job per
batch rather than per PDF, and adding a PDF re-runs only the batch it falls in.

A PDF's batch is a hash of its file name modulo a power of two chosen so that batches hold about
``batch_size`` PDFs (between half and all of it, on average). The hash does not depend on the other
files, so a new PDF leaves every other batch as it was; only when the number of PDFs passes a
power-of-two multiple of ``batch_size`` do the batches split, and then the text cache spares the
re-extraction. Batch names are ``<count>-<index>`` (``32-007``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def batch_count(n_files: int, batch_size: int) -> int:
    needed = max(1, -(-n_files // max(1, batch_size)))
    return 1 << (needed - 1).bit_length()


def batch_index(name: str, count: int) -> int:
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % count


def plan_batches(names: Iterable[str], batch_size: int) -> dict[str, list[str]]:
    """Non-empty batches by name, each with its file names sorted."""
    names = sorted(set(names))
    count = batch_count(len(names), batch_size)
    width = len(str(count - 1))
    batches: dict[str, list[str]] = {}
    for name in names:
        batches.setdefault(f"{count}-{batch_index(name, count):0{width}d}", []).append(name)
    return dict(sorted(batches.items()))


def pdf_names(folder: str | Path) -> list[str]:
    """File names of the PDFs directly in ``folder`` (none when it does not exist yet)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf" and not p.name.startswith(".")
    )
