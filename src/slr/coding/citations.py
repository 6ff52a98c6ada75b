"""Author-year citations as the review's tables print them.

One author "Lowe 1997", two "Bansal and McKnight 2009", three "Wolf, Eklund and Söderström 2007",
four or more "Mannino et al. 2015". When one label names several studies they get a, b, ...
after the year, in the order of their titles ("Costa and Ferrão 2010a", "2010b"). Surnames are
printed as the works table spells them (diacritics and particles kept: "de Walle"); a label that
opens with a lower-case particle is capitalised, as at the start of a sentence ("Von Malmborg").

Matching keys (``match_key``) make the many ways people type a citation comparable:
"&" = "and", "et al.," = "et al.", case, accents and punctuation ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from slr.records import fold

NO_YEAR = "n.d."


@dataclass(frozen=True)
class Cited:
    """What a citation needs to know about a work."""

    work_id: str
    authors: tuple[str, ...]  # "Surname, I.I." as in works.csv
    year: int | None
    title: str | None


def surname(author: str) -> str:
    """'de Walle, F.B.' -> 'de Walle'; a name without a comma (an organisation) stays whole."""
    text = " ".join(author.split())
    return text.split(",", 1)[0].strip() if "," in text else text


def _sentence_start(name: str) -> str:
    return name[:1].upper() + name[1:]


def author_part(authors: Sequence[str]) -> str:
    names = [n for n in (surname(a) for a in authors) if n]
    if not names:
        return ""
    names[0] = _sentence_start(names[0])
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    if len(names) == 3:
        return f"{names[0]}, {names[1]} and {names[2]}"
    return f"{names[0]} et al."


def base_label(work: Cited) -> str:
    """The label before any a/b suffix."""
    who = author_part(work.authors)
    if not who:
        words = (work.title or work.work_id).split()
        who = " ".join(words[:4]) + ("..." if len(words) > 4 else "")
    return f"{who} {work.year if work.year is not None else NO_YEAR}"


def _letters(i: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa."""
    out = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _with_suffix(label: str, year: int | None, letter: str) -> str:
    return f"{label}{letter}" if year is not None else f"{label}-{letter}"


def assign(works: Iterable[Cited]) -> dict[str, str]:
    """work_id -> label, unique within ``works`` (a/b suffixes where a label names several works)."""
    groups: dict[str, list[Cited]] = defaultdict(list)
    for work in works:
        groups[match_key(base_label(work))].append(work)
    labels: dict[str, str] = {}
    for members in groups.values():
        unique = {w.work_id: w for w in members}
        if len(unique) == 1:
            work = next(iter(unique.values()))
            labels[work.work_id] = base_label(work)
            continue
        ordered = sorted(unique.values(), key=lambda w: (fold(w.title), w.work_id))
        for i, work in enumerate(ordered):
            labels[work.work_id] = _with_suffix(base_label(work), work.year, _letters(i))
    return labels


def sort_key(label: str, year: int | None) -> tuple[int, str]:
    """Year first, then the label (so 2010a comes before 2010b)."""
    return (year if year is not None else 9999, match_key(label))


def ordered(labels: dict[str, str], years: dict[str, int | None], work_ids: Iterable[str]) -> list[str]:
    """The labels of ``work_ids`` sorted by year then name, each study once."""
    unique = dict.fromkeys(work_ids)
    return [labels[w] for w in sorted(unique, key=lambda w: sort_key(labels[w], years.get(w)))]


_ET_AL = re.compile(r"\bet\s+al\b\.?\s*,?", re.IGNORECASE)


def match_key(citation: str) -> str:
    """A key under which spellings of one citation meet ("&" = "and", "et al.," = "et al")."""
    text = citation.replace("&", " and ")
    text = _ET_AL.sub(" et al ", text)
    return fold(text)


def spelling(citation: str) -> str:
    """The citation without punctuation and spacing differences, but with case, accents, "&"
    and words kept: two spellings of one study that differ here differ in more than style."""
    text = unicodedata.normalize("NFC", citation)
    text = re.sub(r"[^\w&\s]", " ", text)
    return " ".join(text.split())


def split_suffix(key: str) -> tuple[str, str]:
    """'costa and ferrao 2010a' -> ('costa and ferrao 2010', 'a'); no suffix -> (key, '')."""
    m = re.match(r"^(.*\b(?:1[5-9]\d\d|20\d\d))([a-z]{1,2})$", key)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^(.*\bn d) ([a-z]{1,2})$", key)
    if m:
        return m.group(1), m.group(2)
    return key, ""


def year_of(citation: str) -> int | None:
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?![0-9])", citation)
    return int(m.group(1)) if m else None


def surnames_of(citation: str) -> set[str]:
    """Folded name words of a citation (for matching a misspelt published citation to a study)."""
    key = match_key(citation)
    words = [w for w in key.split() if not re.fullmatch(r"\d{4}[a-z]{0,2}", w)]
    return {w for w in words if w not in {"and", "et", "al", "n", "d"} and len(w) > 1}


def bibtex_keys(works: Iterable[Cited]) -> dict[str, str]:
    """work_id -> BibTeX key like 'VanLeeuwen2003', unique (a, b, ... where two would clash)."""
    groups: dict[str, list[Cited]] = defaultdict(list)
    for work in works:
        names = [surname(a) for a in work.authors]
        first = names[0] if names else (work.title or work.work_id).split()[0]
        ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
        stem = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", ascii_name) if part)
        groups[f"{stem or 'Anon'}{work.year if work.year is not None else 'nd'}"].append(work)
    keys: dict[str, str] = {}
    for stem, members in groups.items():
        unique = {w.work_id: w for w in members}
        if len(unique) == 1:
            keys[next(iter(unique))] = stem
            continue
        order = sorted(unique.values(), key=lambda w: (match_key(base_label(w)), fold(w.title), w.work_id))
        for i, work in enumerate(order):
            keys[work.work_id] = stem + _letters(i)
    return keys
