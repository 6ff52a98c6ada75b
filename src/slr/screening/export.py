"""Stage exports: a stage's works as RIS and BibTeX (for Zotero or any reference
manager) and the included studies as a list ready to import into a QDA tool.

Every exported reference carries its ``work_id`` (RIS ``ID`` and a note, BibTeX
``note``) so anything coded elsewhere can be traced back to the pipeline's works.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import rispy
from rispy.writer import RisWriter

from slr.records import fold


class _PlainRisWriter(RisWriter):
    """RIS without the "1." counter lines rispy writes before each reference."""

    def set_header(self, count: int) -> str:
        return ""


def _one_line(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _pages(pages: object) -> tuple[str | None, str | None]:
    text = _one_line(pages)
    if not text:
        return None, None
    parts = re.split(r"\s*[-\u2013\u2014]+\s*", text, maxsplit=1)
    return parts[0] or None, (parts[1] if len(parts) > 1 and parts[1] else None)


_RIS_TYPES = {"book": "BOOK", "book chapter": "CHAP", "conference paper": "CONF", "proceedings paper": "CONF"}
_BIB_TYPES = {
    "book": "book",
    "book chapter": "incollection",
    "conference paper": "inproceedings",
    "proceedings paper": "inproceedings",
}


def _doc_type(work: Mapping[str, Any], table: Mapping[str, str], default_journal: str, default_other: str) -> str:
    doc_type = fold(work.get("doc_type"))
    for part in re.split(r"\s*;\s*", doc_type):
        if part in table:
            return table[part]
    return default_journal if work.get("journal") else default_other


def ris(works: Sequence[Mapping[str, Any]]) -> str:
    entries = []
    for w in works:
        start, end = _pages(w.get("pages"))
        entry: dict[str, Any] = {
            "type_of_reference": _doc_type(w, _RIS_TYPES, "JOUR", "GEN"),
            "title": _one_line(w.get("title")),
            "authors": list(w.get("authors") or []),
            "year": str(w["year"]) if w.get("year") else None,
            "secondary_title": _one_line(w.get("journal")),
            "volume": _one_line(w.get("volume")),
            "number": _one_line(w.get("issue")),
            "start_page": start,
            "end_page": end,
            "doi": w.get("doi"),
            "urls": [f"https://doi.org/{w['doi']}"] if w.get("doi") else [],
            "abstract": _one_line(w.get("abstract")),
            "keywords": [k.strip() for k in str(w.get("keywords") or "").split(";") if k.strip()],
            "language": _one_line(w.get("language")),
            "id": w["work_id"],
            "notes": [f"work_id: {w['work_id']}"],
        }
        entries.append({k: v for k, v in entry.items() if v not in (None, [], "")})
    return rispy.dumps(entries, implementation=_PlainRisWriter) if entries else ""


_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile("|".join(re.escape(k) for k in _BIB_ESCAPES))


def bib_escape(value: object) -> str:
    """Text as a BibTeX field value: TeX specials escaped, so braces always balance."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group()], _one_line(value) or "")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum()).lower()


def citation_keys(works: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``surnameYEARword`` keys, with a, b, ... when two works would share one."""
    base: dict[str, str] = {}
    for w in works:
        authors = w.get("authors") or []
        surname = _ascii(str(authors[0]).split(",")[0]) if authors else "anon"
        words = [t for t in fold(w.get("title")).split() if len(t) > 3]
        word = _ascii(words[0]) if words else ""
        base[w["work_id"]] = f"{surname or 'anon'}{w.get('year') or 'nd'}{word}"
    counts: dict[str, int] = {}
    for key in base.values():
        counts[key] = counts.get(key, 0) + 1
    keys: dict[str, str] = {}
    used: dict[str, int] = {}
    for w in sorted(works, key=lambda w: str(w["work_id"])):
        key = base[w["work_id"]]
        if counts[key] > 1:
            n = used.get(key, 0)
            used[key] = n + 1
            key = f"{key}{_suffix(n)}"
        keys[w["work_id"]] = key
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def bibtex(works: Sequence[Mapping[str, Any]]) -> str:
    keys = citation_keys(works)
    chunks = []
    for w in works:
        start, end = _pages(w.get("pages"))
        fields = {
            "author": " and ".join(bib_escape(a) for a in w.get("authors") or []),
            "title": bib_escape(w.get("title")),
            "journal": bib_escape(w.get("journal")),
            "year": str(w["year"]) if w.get("year") else "",
            "volume": bib_escape(w.get("volume")),
            "number": bib_escape(w.get("issue")),
            "pages": bib_escape(f"{start}--{end}" if start and end else start),
            "doi": bib_escape(w.get("doi")),
            "abstract": bib_escape(w.get("abstract")),
            "keywords": bib_escape(", ".join(k.strip() for k in str(w.get("keywords") or "").split(";") if k.strip())),
            "language": bib_escape(w.get("language")),
            "note": bib_escape(f"work_id: {w['work_id']}"),
        }
        entry_type = _doc_type(w, _BIB_TYPES, "article", "misc")
        if entry_type != "article" and fields["journal"]:
            fields["booktitle"] = fields.pop("journal")
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
        chunks.append(f"@{entry_type}{{{keys[w['work_id']]},\n{body}\n}}\n")
    return "\n".join(chunks)


QDA_COLUMNS = ("work_id", "citation", "title", "authors", "year", "journal", "doi", "file", "document_name")


def citation(work: Mapping[str, Any]) -> str:
    """Author-year citation: Lowe 1997, Bansal and McKnight 2009, Mannino et al. 2015."""
    surnames = [str(a).split(",")[0].strip() for a in work.get("authors") or []]
    year = work.get("year") or "n.d."
    if not surnames:
        who = "Anonymous"
    elif len(surnames) == 1:
        who = surnames[0]
    elif len(surnames) == 2:
        who = f"{surnames[0]} and {surnames[1]}"
    else:
        who = f"{surnames[0]} et al."
    return f"{who} {year}"


def qda_rows(works: Sequence[Mapping[str, Any]], files: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """One row per study (and per PDF when a study has several) for importing into a QDA tool;
    ``document_name`` is what MAXQDA and similar tools call the document (the PDF's stem)."""
    rows = []
    for w in sorted(works, key=lambda w: (citation(w), w["work_id"])):
        pdfs: list[str | None] = list(files.get(w["work_id"]) or []) or [None]
        for file in pdfs:
            rows.append(
                {
                    "work_id": w["work_id"],
                    "citation": citation(w),
                    "title": w.get("title"),
                    "authors": "; ".join(w.get("authors") or []) or None,
                    "year": w.get("year"),
                    "journal": w.get("journal"),
                    "doi": w.get("doi"),
                    "file": file,
                    "document_name": Path(file).stem if file else None,
                }
            )
    return rows
