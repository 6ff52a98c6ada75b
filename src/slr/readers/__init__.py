"""Readers for bibliographic exports, one module per format.

Each reader module defines ``FORMAT`` (a short name), ``DESCRIPTION`` (what a
researcher calls it), ``sniff(head) -> bool`` (does this text look like my
format?) and ``parse(text, path) -> list[Record]``. ``load(path)`` here decodes
the file, picks the reader from the content (never the file name) and parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from slr.errors import InputError
from slr.records import Record, content_id
from slr.textio import read_text

from . import bibtex, generic_csv, ris, scopus_csv, wos_tab, wos_text

__all__ = ["READERS", "Loaded", "content_id", "detect", "load", "loads"]

# Order matters: the most specific formats first, the generic CSV last.
READERS: list[ModuleType] = [wos_text, wos_tab, ris, bibtex, scopus_csv, generic_csv]

HEAD_CHARS = 20_000


@dataclass
class Loaded:
    path: Path
    format: str
    description: str
    encoding: str
    records: list[Record]


def detect(text: str, path: str | Path) -> ModuleType:
    """The reader whose ``sniff`` accepts the start of ``text``."""
    head = text[:HEAD_CHARS].lstrip("\ufeff")
    for reader in READERS:
        if reader.sniff(head):
            return reader
    first = next((ln.strip() for ln in head.splitlines() if ln.strip()), "")
    if re.match(r"(?is)\s*(<!doctype\s+html|<html|<\?xml|<head|<body)", head):
        raise InputError(
            path,
            "this is a web page (HTML/XML), not an export: the download probably failed or needed a login",
            "export the search again from Scopus or Web of Science and save the file it gives you",
            line=1,
        )
    raise InputError(
        path,
        f"not a known export format (first line: {first[:60]!r})",
        "export again from Scopus as CSV, RIS or BibTeX, or from Web of Science as 'Plain text file' or "
        "'Tab-delimited file' (Full record)",
        line=1,
    )


def loads(text: str, path: str | Path = "<string>", encoding: str = "utf-8") -> Loaded:
    reader = detect(text, path)
    records = reader.parse(text, Path(path))
    return Loaded(Path(path), reader.FORMAT, reader.DESCRIPTION, encoding, records)


def load(path: str | Path) -> Loaded:
    """Decode ``path``, detect its format from the content and read every record."""
    decoded = read_text(path)
    return loads(decoded.text, path, decoded.encoding)
