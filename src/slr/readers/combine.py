"""Small helpers that several readers need to build one schema field from export fields."""

from __future__ import annotations

import re

from slr.records import clean

_EID = re.compile(r"\b(2-s2\.0-\d+)\b")
_WOS_UT = re.compile(r"\b(WOS:[A-Z0-9]+)\b")


def pages(first: object, last: object) -> str | None:
    """'first-last', or whichever of the two is there ('1535-41' stays as it is)."""
    a, b = clean(first), clean(last)
    if a and b:
        return f"{a}-{b}"
    return a or b


def is_bare_year(value: object) -> bool:
    """True for a value that is just a four-digit year (nothing is lost by keeping only the year)."""
    text = clean(value)
    return text is not None and len(text) == 4 and text.isdigit()


def join_keywords(*values: str | None) -> str | None:
    """Keyword fields as one '; '-separated list, in order, empty items dropped.

    White space inside an item is folded later, by ``make_record`` (the keywords field is collapsed).
    """
    items = [k for value in values if value for k in map(str.strip, value.split(";")) if k]
    return "; ".join(items) if items else None


def scopus_eid(*values: str | None) -> str | None:
    """The Scopus EID (``2-s2.0-<digits>``) in the first value that holds one (URL, note, eid field)."""
    for value in values:
        if value:
            match = _EID.search(value)
            if match:
                return match.group(1)
    return None


def wos_ut(*values: str | None) -> str | None:
    """The Web of Science accession number (``WOS:<id>``) in the first value that holds one."""
    for value in values:
        if value:
            match = _WOS_UT.search(value)
            if match:
                return match.group(1)
    return None


def split_lines(text: str) -> list[str]:
    """Lines of a tagged export: LF, CRLF and a lone CR each end a line; a leading BOM is dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff").split("\n")


_TRANSLATED = re.compile(r"^(?P<title>.*\S)\s*\[(?P<original>[^\[\]]+)\]\s*$", re.DOTALL)


def split_scopus_title(title: str | None, language: str | None) -> tuple[str | None, str | None]:
    """Scopus appends the original-language title in brackets: 'Decision support [Derybų ...]'.

    For a record whose language is not (only) English, returns the English title and the
    bracketed original; otherwise the title unchanged and None.
    """
    if not title or not language or language.strip().lower() == "english":
        return title, None
    match = _TRANSLATED.match(title)
    if match is None:
        return title, None
    return match.group("title"), match.group("original").strip()
