"""Export files in the databases' own formats: Scopus CSV (2020-23 layout) and WoS plain text.

The layouts follow real exports (see data/README.md): the Scopus CSV starts with a BOM, quotes
text fields and leaves Year and Cited by bare; the WoS file opens with ``FN``/``VR``, has one
two-letter tag per field, continuation lines indented three spaces, ``ER`` after each record and
``EF`` at the end.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from urllib.parse import quote

from .plan import Plan, Record, Work, digits, rng_for

SCOPUS_HEADER = [
    "Authors", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.", "Page start",
    "Page end", "Page count", "Cited by", "DOI", "Link", "Affiliations", "Authors with affiliations", "Abstract",
    "Author Keywords", "Index Keywords", "Molecular Sequence Numbers", "Chemicals/CAS", "Tradenames",
    "Manufacturers", "Funding Details", "Funding Text 1", "References", "Correspondence Address", "Editors",
    "Sponsors", "Publisher", "Conference name", "Conference date", "Conference location", "Conference code",
    "ISSN", "ISBN", "CODEN", "PubMed ID", "Language of Original Document", "Abbreviated Source Title",
    "Document Type", "Publication Stage", "Open Access", "Source", "EID",
]  # fmt: skip
_BARE = {"Year", "Cited by"}

_SMALL = {"of", "and", "the", "for", "in", "on", "at", "to", "a", "an", "with", "from", "by"}


def initials(given: str, dotted: bool = True, sep: str = "") -> str:
    """'Ernest A' -> 'E.A.' (or 'EA'); 'Hung-Suck' -> 'H.-S.' (or 'HS'); 'Gerard PJ' -> 'G.P.J.'."""
    out: list[str] = []
    for token in re.split(r"[\s.]+", given.strip()):
        if not token:
            continue
        if "-" in token and dotted:
            out.append("-".join(p[0].upper() + "." for p in token.split("-") if p))
            continue
        if "-" in token:
            out.append("".join(p[0].upper() for p in token.split("-") if p))
            continue
        if token.isupper() and 1 < len(token) <= 3:
            out.extend(ch + ("." if dotted else "") for ch in token)
            continue
        out.append(token[0].upper() + ("." if dotted else ""))
    return sep.join(out)


def full_given(given: str) -> str:
    """Given names as WoS AF shows them: single letters get a full stop."""
    tokens = []
    for token in given.split():
        if len(token) == 1 and token.isalpha():
            tokens.append(token + ".")
        elif token.isupper() and 1 < len(token) <= 3 and "." not in token:
            tokens.append(" ".join(ch + "." for ch in token))
        else:
            tokens.append(token)
    return " ".join(tokens)


def source_title(journal: str) -> str:
    """Scopus spelling of a journal name (the bibliography holds some in WoS capitals)."""
    if not journal.isupper():
        return journal
    words = journal.lower().split()
    return " ".join(w if (i and w in _SMALL) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _quote(name: str, value: str) -> str:
    if value == "":
        return ""
    if name in _BARE:
        return value
    return '"' + value.replace('"', '""') + '"'


def _author_id(seed: int, surname: str, given: str) -> str:
    return digits(seed, "author", surname, initials(given), n=11).lstrip("0").rjust(11, "5")


def _page_count(start: str, end: str) -> str:
    if start.isdigit() and end.isdigit() and int(end) >= int(start):
        return str(int(end) - int(start) + 1)
    return ""


def cited_by(seed: int, work: Work) -> int:
    r = rng_for(seed, "cites", work.key)
    return int(r.paretovariate(1.3) * max(1, 2016 - work.year)) - 1


def scopus_row(seed: int, work: Work, rec: Record) -> dict[str, str]:
    if work.authors:
        authors = ", ".join(f"{s} {initials(g)}".strip() for s, g in work.authors)
        ids = "".join(_author_id(seed, s, g) + ";" for s, g in work.authors)
    else:
        authors, ids = "[No author name available]", "[No author id available]"
    start, end = rec.pages
    md5 = hashlib.md5(f"{seed}:{rec.record_id}".encode()).hexdigest()
    link = f"https://www.scopus.com/inward/record.uri?eid={rec.record_id}"
    if rec.doi:
        link += "&doi=" + quote(rec.doi.lower(), safe="")
    link += f"&partnerID=40&md5={md5}"
    second = bool(rec.note)
    return {
        "Authors": authors,
        "Author(s) ID": ids,
        "Title": rec.title,
        "Year": str(rec.year),
        "Source title": source_title(rec.journal),
        "Volume": "" if second else work.volume,
        "Issue": "" if second else work.issue,
        "Page start": start,
        "Page end": end,
        "Page count": _page_count(start, end),
        "Cited by": str(max(0, cited_by(seed, work))) if not second else "",
        "DOI": rec.doi,
        "Link": link,
        "Abstract": work.abstract,
        "Author Keywords": "; ".join(work.author_keywords),
        "Index Keywords": "; ".join(work.index_keywords),
        "Language of Original Document": work.language,
        "Document Type": "Article",
        "Publication Stage": "Final",
        "Source": "Scopus",
        "EID": rec.record_id,
    }


def scopus_csv(seed: int, items: list[tuple[Work, Record]]) -> bytes:
    lines = [",".join(SCOPUS_HEADER)]
    for work, rec in items:
        row = scopus_row(seed, work, rec)
        lines.append(",".join(_quote(h, row.get(h, "")) for h in SCOPUS_HEADER))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def _tag(tag: str, values: list[str]) -> list[str]:
    values = [v for v in values if v]
    if not values:
        return []
    return [f"{tag} {values[0]}", *(f"   {v}" for v in values[1:])]


def _wrapped(tag: str, text: str, width: int = 72) -> list[str]:
    if not text:
        return []
    return _tag(tag, textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False))


def wos_record(seed: int, work: Work, rec: Record) -> list[str]:
    r = rng_for(seed, "wos-fields", rec.record_id)
    if work.authors:
        au = [f"{s}, {initials(g, dotted=False)}".rstrip(", ") for s, g in work.authors]
        af = [f"{s}, {full_given(g)}".rstrip(", ") for s, g in work.authors]
    else:
        au = af = ["[Anonymous]"]
    start, end = rec.pages
    tc = max(0, cited_by(seed, work) - r.randint(0, 3))
    lines = ["PT J", *_tag("AU", au), *_tag("AF", af)]
    lines += _wrapped("TI", rec.title)
    lines += _tag("SO", [rec.journal])
    lines += _tag("LA", [work.language])
    lines += _tag("DT", ["Article"])
    lines += _wrapped("DE", "; ".join(work.author_keywords))
    lines += _wrapped("ID", "; ".join(k.upper() for k in work.index_keywords))
    lines += _tag("AB", [work.abstract])
    lines += _tag("NR", [str(r.randint(12, 70))])
    lines += _tag("TC", [str(tc)])
    lines += _tag("Z9", [str(tc + r.randint(0, 2))])
    lines += _tag("U1", [str(r.randint(0, 9))])
    lines += _tag("U2", [str(r.randint(3, 60))])
    lines += _tag("PY", [str(rec.year)])
    lines += _tag("VL", [work.volume])
    lines += _tag("IS", [work.issue])
    lines += _tag("BP", [start])
    lines += _tag("EP", [end])
    lines += _tag("DI", [rec.doi])
    lines += _tag("PG", [_page_count(start, end)])
    lines += _tag("UT", [rec.record_id])
    lines.append("ER")
    return lines


def wos_text(seed: int, items: list[tuple[Work, Record]]) -> bytes:
    lines = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for work, rec in items:
        lines += wos_record(seed, work, rec)
        lines.append("")
    lines.append("EF")
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def export_items(plan: Plan, database: str, refined_only: bool) -> list[tuple[Work, Record]]:
    """Records of one database for one search, newest first (the databases' default order)."""
    items = [(w, r) for w in plan.works if (w.refined or not refined_only) for r in w.records if r.database == database]
    items.sort(key=lambda wr: (-wr[1].year, wr[1].title.casefold(), wr[1].record_id))
    return items


def expand_query(query: str, broad: str, database: str) -> str:
    """Replace the abbreviation "(broad topic terms)" of published.yaml by the broad search's topic part."""
    if "(broad topic terms)" not in query:
        return query
    if database == "scopus":
        topic = broad.split(" AND (LIMIT-TO")[0].strip()
        return query.replace("(broad topic terms)", f"({topic})")
    topic = broad.split(" Refined by")[0].strip()
    m = re.match(r"TS=\((.*)\)$", topic)
    return query.replace("(broad topic terms)", f"({m.group(1)})" if m else topic)


def _yq(text: str) -> str:
    return "'" + " ".join(text.split()).replace("'", "''") + "'"


SEARCH_DATES = {"broad": "2016-03-14", "refined": "2016-05-09"}  # reconstructed (see data/README.md)


def search_yaml(search: str, description: str, exports: list[dict[str, object]]) -> str:
    lines = [
        "# Sidecar of the exports in this folder (format: docs/architecture.md, 'search.yaml').",
        "# Search strings: Appendix A of Sun et al. (2017), as in config/published.yaml. The dates are",
        "# reconstructed (the paper does not give them); reported_hits is the number of records in the file.",
        f"search: {search}",
        f"description: {description}",
        "exports:",
    ]
    for e in exports:
        lines.append(f"  - file: {_yq(str(e['file']))}")
        lines.append(f"    database: {e['database']}")
        lines.append(f"    query: {_yq(str(e['query']))}")
        lines.append(f"    date: {e['date']}")
        lines.append("    limits:")
        for k, v in e["limits"].items():  # type: ignore[attr-defined]
            lines.append(f"      {k}: {v}")
        lines.append(f"    reported_hits: {e['reported_hits']}")
    return "\n".join(lines) + "\n"
