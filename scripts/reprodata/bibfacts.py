"""Stage 1 (extract): bibliographic facts from the real IS bibliography and Appendix C.

Reads the Zotero BibTeX file and the paper's Appendix C, and returns rows of facts
only (key, type, title, authors, year, journal, volume, issue, pages, doi, language)
with flags computed from the abstract and keywords at extraction time. No abstract,
keyword or sentence text leaves this module: the bibliography has no licence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from rapidfuzz import fuzz

from slr.records import fold, normalise_doi

FACT_COLUMNS = (
    "key",
    "type",
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "language",
    "has_abstract",
    "flag_broad_terms",
    "flag_refined_terms",
    "flag_anchor",
    "flag_empirical",
    "flag_quantitative",
    "in_scope",
    "scope_note",
    "appendix_c",
    "provenance",
)

APPENDIX_C_COLUMNS = ("study", "key", "matched_by", "score", "note", "provenance")

# The search strings of Appendix A as patterns (word starts; Scopus phrase search also finds plurals).
BROAD_TERMS = re.compile(
    r"industrial\s+symbios|by-?\s?products?\s+(?:exchange|synerg)|industrial\s+eco-?systems?"
    r"|eco-?\s?industrial|resource\s+synerg|recycling\s+linkage|recycling\s+network",
    re.IGNORECASE,
)
REFINED_TERMS = re.compile(
    r"\b(?:collaborat|co-?operat|polic|regulat|decision[-\s]+mak|manag|plann|govern|legislat|partnership"
    r"|co-?ordinat)",
    re.IGNORECASE,
)
ANCHOR = re.compile(r"anchor", re.IGNORECASE)
EMPIRICAL = re.compile(
    r"\b(?:case[-\s]+stud|interview|survey|empirical|field\s*work|evidence\s+from|lessons\s+from"
    r"|experiences?\s+(?:of|from|in)|documents?\s+analys|observations?\s+(?:of|in))",
    re.IGNORECASE,
)
QUANTITATIVE = re.compile(
    r"\b(?:life[-\s]+cycle|LCA|emissions?|optimi[sz]|simulat|modell?ing|mathematical|programming"
    r"|input[-\s]+output|exergy|emergy|quantif|carbon\s+footprint|cost[-\s]+benefit|net\s+present\s+value"
    r"|material\s+flow\s+analys|MFA|energy\s+savings?)",
    re.IGNORECASE,
)

# Sources that the bibliography files as "article" but that are books, chapters, theses, reports,
# proceedings or book reviews: Scopus and WoS give them another document type, so the
# article-only searches cannot return them.
NOT_A_JOURNAL = re.compile(
    r"Edward Elgar|International Perspectives on Industrial Ecology|dissertation|Conference|Symposium|Workshop"
    r"|Proceedings|Procedia|University|Institute|Academy|Report for|Eco-Industrial Strategies"
    r"|greening of industrial ecosystems|Changing Stocks|Impact Integrated Clean Energy|Industrilal ecosystems"
    r"|Politecnico|PSE2015|^opt\. cot$|^TCE$|BOOK REVIEW",
    re.IGNORECASE,
)

_PARTICLES = {"van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "le", "la", "ten", "ter"}


# ------------------------------------------------------------------ cleaning


def clean_latex(value: str) -> str:
    """Plain text from a Zotero BibTeX value: braces, escapes and web-page suffixes removed."""
    text = value.replace("\u2121", "TEL")  # Zotero turns "TEL" into the telephone sign
    text = re.sub(r"\{?\\textbar\}?", "|", text)
    text = text.replace("\\{", "").replace("\\}", "")
    text = text.replace("\\&", "&").replace("\\$", "$").replace("\\%", "%").replace("\\_", "_")
    text = text.replace("{", "").replace("}", "")
    text = text.replace("\u00a0", " ")
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def clean_title(value: str) -> str:
    text = clean_latex(value)
    # Titles saved from a web page carry the site's name after a bar ("... | SpringerLink").
    if " | " in text:
        text = text.split(" | ")[0]
    return text.strip().rstrip(".").strip()


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` at brace depth 0."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_bib_authors(value: str) -> list[tuple[str, str]]:
    """BibTeX author field -> [(surname, given)], 'others' and anonymous markers dropped."""
    names: list[tuple[str, str]] = []
    for raw in _split_top(value, " and "):
        if raw.strip("{} ").lower() in ("others", "[anonymous]", "anonymous"):
            continue
        if raw.startswith("{") and raw.endswith("}") and "," not in raw:
            names.append((clean_latex(raw), ""))  # an organisation
            continue
        parts = [clean_latex(p) for p in _split_top(raw, ",")]
        if len(parts) >= 2:
            surname, given = parts[0], " ".join(parts[1:])
        else:
            tokens = clean_latex(raw).split()
            if len(tokens) == 1:
                surname, given = tokens[0], ""
            else:
                cut = len(tokens) - 1
                while cut > 1 and tokens[cut - 1].lower() in _PARTICLES:
                    cut -= 1
                surname, given = " ".join(tokens[cut:]), " ".join(tokens[:cut])
        # "Beers, D. van" -> "van Beers, D."
        gtok = given.split()
        moved: list[str] = []
        while gtok and gtok[-1].lower() in _PARTICLES:
            moved.insert(0, gtok.pop())
        if moved:
            surname, given = " ".join([*moved, surname]), " ".join(gtok)
        if surname.isupper() and len(surname) > 2:
            surname = surname.title()
        names.append((surname, given))
    return names


def format_authors(names: Iterable[tuple[str, str]]) -> str:
    return "; ".join(f"{s}, {g}" if g else s for s, g in names)


def parse_authors_cell(value: str) -> list[tuple[str, str]]:
    """Inverse of ``format_authors``."""
    out: list[tuple[str, str]] = []
    for part in value.split("; "):
        if not part:
            continue
        surname, _, given = part.partition(", ")
        out.append((surname, given))
    return out


def clean_pages(value: str) -> str:
    text = clean_latex(value).replace("--", "-").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s*-\s*", "-", text)


def doi_of(fields: dict[str, str]) -> str:
    """The DOI field, else a DOI inside the URL (publisher links carry it)."""
    doi = normalise_doi(fields.get("doi", ""))
    if doi:
        return _doi_case(fields.get("doi", ""), doi)
    for url in fields.get("url", "").split():
        m = re.search(r"(?:doi\.org/|/doi/(?:abs/|full/|pdf/)?)(10\.\d{4,9}/[^\s?#]+)", url)
        if m:
            candidate = re.sub(r"/(?:full|abstract|pdf|epdf)$", "", m.group(1))
            if normalise_doi(candidate):
                return candidate
    return ""


def _doi_case(raw: str, normalised: str) -> str:
    """Keep the DOI's own spelling (publishers' case), without prefixes."""
    text = raw.strip()
    idx = text.lower().find(normalised)
    return text[idx : idx + len(normalised)] if idx >= 0 else normalised


def flag(pattern: re.Pattern[str], text: str, known: bool) -> str:
    if pattern.search(text):
        return "yes"
    return "no" if known else ""


# ------------------------------------------------------------------ Appendix C


@dataclass
class AppendixRef:
    study: str  # the short label, e.g. "Costa and Ferrão 2010b"
    authors: list[tuple[str, str]]
    year: int
    suffix: str
    title: str
    journal: str
    volume: str = ""
    issue: str = ""
    pages: str = ""
    kind: str = "article"
    raw: str = field(default="", repr=False)


_REF = re.compile(r"^(?P<authors>.+?)\s*\(?(?P<year>(?:19|20)\d\d)(?P<suffix>[ab]?)\)?\.\s+(?P<rest>.+)$")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.\s?-?\s?)+$")


def _ref_authors(text: str) -> list[tuple[str, str]]:
    tokens = [t.strip() for t in re.split(r",\s*|\s*&\s*", text.replace("., &", "., ")) if t.strip()]
    tokens = [t for t in tokens if t != "&"]
    names: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        m = re.match(r"^(.+?)\s+((?:[A-Z]\.\s?)+)$", tok)  # "Mannino I."
        if m and not _INITIALS.match(tok):
            names.append((m.group(1), m.group(2).strip()))
            i += 1
            continue
        if i + 1 < len(tokens) and _INITIALS.match(tokens[i + 1]):
            names.append((tok, tokens[i + 1].strip()))
            i += 2
            continue
        names.append((tok, ""))
        i += 1
    return names


def _label(names: list[tuple[str, str]], year: int, suffix: str) -> str:
    surnames = [s for s, _ in names]
    if len(surnames) == 1:
        who = surnames[0]
    elif len(surnames) == 2:
        who = f"{surnames[0]} and {surnames[1]}"
    elif len(surnames) == 3:
        who = f"{surnames[0]}, {surnames[1]} and {surnames[2]}"
    else:
        who = f"{surnames[0]} et al."
    return f"{who} {year}{suffix}"


def parse_appendix_c(paper_text: str) -> list[AppendixRef]:
    """The references of the paper's Appendix C ("Papers Included in the Review")."""
    m = re.search(r"^## Appendix C\..*?$(.*?)^## ", paper_text, flags=re.MULTILINE | re.DOTALL)
    if not m:
        raise ValueError("the paper text has no '## Appendix C.' section")
    refs: list[AppendixRef] = []
    for line in m.group(1).splitlines():
        line = line.strip()
        if not line:
            continue
        rm = _REF.match(line)
        if not rm:
            raise ValueError(f"cannot read Appendix C reference: {line[:80]}")
        names = _ref_authors(rm.group("authors").rstrip(", "))
        rest = rm.group("rest")
        italics = re.findall(r"\*([^*]+)\*", rest)
        if rest.startswith("*"):
            title = italics[0]
            journal = italics[1] if len(italics) > 1 else ""
            after = rest.split("*", 4)[-1] if len(italics) > 1 else ""
        else:
            title = rest.split(" *", 1)[0]
            journal = italics[0] if italics else ""
            after = rest.split("*", 2)[-1] if italics else ""
        title = title.strip().rstrip(".").strip()
        kind = "article" if journal else "book"
        vol = iss = pages = ""
        vm = re.match(r"^[,\s]*(\d+)?\s*(?:\(([^)]*)\))?,?\s*(\d+\s*[-\u2013]\s*\d+)?", after)
        if vm:
            vol, iss, pages = (vm.group(1) or ""), (vm.group(2) or ""), (vm.group(3) or "")
        year = int(rm.group("year"))
        refs.append(
            AppendixRef(
                study="",
                authors=names,
                year=year,
                suffix=rm.group("suffix"),
                title=title,
                journal=journal.strip(),
                volume=vol,
                issue=iss,
                pages=pages.replace(" ", "").replace("\u2013", "-"),
                kind=kind,
                raw=line,
            )
        )
    return refs


def label_refs(refs: list[AppendixRef], labels: list[str]) -> None:
    """Attach the published short labels (config/published.yaml) to the parsed references."""
    free = list(labels)
    for ref in refs:
        first = fold(ref.authors[0][0]) if ref.authors else ""
        best, best_score = None, -1.0
        for lab in free:
            lm = re.match(r"^(.*) (\d{4})([ab]?)$", lab)
            if not lm or int(lm.group(2)) != ref.year or lm.group(3) != ref.suffix:
                continue
            score = fuzz.token_set_ratio(fold(lm.group(1)), " ".join(fold(s) for s, _ in ref.authors))
            if fold(lm.group(1)).split()[0] == first.split()[0]:
                score += 100
            if score > best_score:
                best, best_score = lab, score
        if best is None:
            raise ValueError(f"no published label for Appendix C reference {ref.raw[:60]}")
        ref.study = best
        free.remove(best)


# ------------------------------------------------------------------ extraction


@dataclass
class Entry:
    key: str
    type: str
    fields: dict[str, str]
    order: int


def read_bib(path: Path) -> list[Entry]:
    library = bibtexparser.parse_file(str(path))
    if library.failed_blocks:
        raise ValueError(f"{path}: {len(library.failed_blocks)} BibTeX blocks could not be parsed")
    return [
        Entry(e.key, e.entry_type.lower(), {k.lower(): str(f.value) for k, f in e.fields_dict.items()}, i)
        for i, e in enumerate(library.entries)
    ]


def _year(value: str) -> int | None:
    m = re.search(r"(?:19|20)\d\d", value or "")
    return int(m.group(0)) if m else None


def _language(fields: dict[str, str], title: str, journal: str) -> str:
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", journal + title):
        return "Chinese"
    lang = fields.get("language", "").strip().lower()
    if lang in ("", "en", "eng", "english", "\u82f1\u8a9e"):
        return "English"
    return lang.title()


def fact_row(entry: Entry) -> dict[str, str]:
    f = entry.fields
    title = clean_title(f.get("title", ""))
    journal = clean_latex(f.get("journal", ""))
    abstract = f.get("abstract", "")
    keywords = f.get("keywords", "")
    text = " ".join([title, abstract, keywords])
    known = bool(abstract.strip())
    year = _year(f.get("year", ""))
    return {
        "key": entry.key,
        "type": entry.type,
        "title": title,
        "authors": format_authors(parse_bib_authors(f.get("author", ""))),
        "year": str(year) if year else "",
        "journal": journal,
        "volume": clean_latex(f.get("volume", "")),
        "issue": clean_pages(f.get("number", "")),
        "pages": clean_pages(f.get("pages", "")),
        "doi": doi_of(f),
        "language": _language(f, title, journal),
        "has_abstract": "yes" if known else "no",
        "flag_broad_terms": flag(BROAD_TERMS, text, known),
        "flag_refined_terms": flag(REFINED_TERMS, text, known),
        "flag_anchor": "yes" if ANCHOR.search(text) else "no",
        "flag_empirical": flag(EMPIRICAL, text, known),
        "flag_quantitative": flag(QUANTITATIVE, text, known),
        "in_scope": "",
        "scope_note": "",
        "appendix_c": "",
        "provenance": "real_record",
    }


def _scope(row: dict[str, str]) -> str:
    """Why a bibliography entry cannot be a record of the article-only searches (or '')."""
    if row["type"] != "article":
        return f"not an article ({row['type']})"
    if not row["year"]:
        return "no year"
    if int(row["year"]) >= 2016:
        return "published 2016 or later (excluded by the searches)"
    if not row["title"] or not row["journal"]:
        return "no title or no journal"
    if NOT_A_JOURNAL.search(row["journal"]):
        return "not a journal article (book, chapter, thesis, report, proceedings or review)"
    if re.match(r"(?i)(erratum|corrigendum)\b", row["title"]):
        return "an erratum (document type Erratum, not Article)"
    return ""


def _match_appendix(refs: list[AppendixRef], rows: list[dict[str, str]]) -> dict[str, tuple[str, float]]:
    """Appendix C label -> (bibliography key, title score) for the studies found in the bibliography."""
    found: dict[str, tuple[str, float]] = {}
    for ref in refs:
        best, best_score = "", 0.0
        for row in rows:
            if not row["year"] or abs(int(row["year"]) - ref.year) > 1:
                continue
            surnames = {fold(s) for s, _ in parse_authors_cell(row["authors"])}
            ref_names = " ".join(fold(s) for s, _ in ref.authors)
            shared = any(s and s in ref_names.split() for s in surnames)
            # A shared surname allows a subtitle on one side only; without one, the titles must agree.
            if shared:
                score = fuzz.token_set_ratio(fold(ref.title), fold(row["title"]))
            else:
                score = fuzz.token_sort_ratio(fold(ref.title), fold(row["title"]))
            if score >= 90:
                tie = int(row["year"]) == ref.year
                if score + tie > best_score:
                    best, best_score = row["key"], score + tie
        if best:
            found[ref.study] = (best, float(min(best_score, 100.0)))
    return found


def _duplicate_groups(rows: list[dict[str, str]]) -> dict[str, str]:
    """key -> canonical key, for in-scope entries that are the same article twice."""
    parent: dict[str, str] = {r["key"]: r["key"] for r in rows}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    by_id: dict[str, str] = {}
    for r in rows:
        ids = []
        if r["doi"]:
            ids.append("doi:" + r["doi"].lower())
        ids.append(f"t:{fold(r['title']).replace(' ', '')}|{r['year']}")
        first = fold(r["authors"].split(",")[0]) if r["authors"] else ""
        start = r["pages"].split("-")[0]
        if first and r["volume"] and start:
            ids.append(f"v:{first}|{r['year']}|{r['volume']}|{start}")
        for ident in ids:
            if ident in by_id:
                a, b = find(by_id[ident]), find(r["key"])
                if a != b:
                    parent[b] = a
            else:
                by_id[ident] = r["key"]
    return {k: find(k) for k in parent}


def reconstructed_row(ref: AppendixRef) -> dict[str, str]:
    row = {c: "" for c in FACT_COLUMNS}
    row.update(
        key="appc:" + re.sub(r"[^a-z0-9]+", "-", fold(ref.study)).strip("-"),
        type=ref.kind,
        title=ref.title,
        authors=format_authors(ref.authors),
        year=str(ref.year),
        journal=ref.journal,
        volume=ref.volume,
        issue=ref.issue,
        pages=ref.pages,
        language="English",
        has_abstract="no",
        flag_anchor="no",
        appendix_c=ref.study,
        provenance="reconstructed",
    )
    return row


def extract(bib_path: Path, paper_text: str, labels: list[str]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Facts rows (bibliography, then reconstructed Appendix C studies) and the Appendix C map."""
    entries = read_bib(bib_path)
    rows = [fact_row(e) for e in entries]
    refs = parse_appendix_c(paper_text)
    label_refs(refs, labels)
    for row in rows:
        row["scope_note"] = _scope(row)
    candidates = [r for r in rows if not r["scope_note"]]
    matches = _match_appendix(refs, candidates)
    by_key = {r["key"]: r for r in rows}
    for study, (key, _score) in matches.items():
        by_key[key]["appendix_c"] = study
    groups = _duplicate_groups(candidates)
    order = {e.key: e.order for e in entries}
    members: dict[str, list[str]] = {}
    for key, root in groups.items():
        members.setdefault(root, []).append(key)
    for keys in members.values():
        # Keep the Appendix C match, else the fullest entry (with a DOI), else the first in the file.
        keys.sort(key=lambda k: (not by_key[k]["appendix_c"], not by_key[k]["doi"], order[k]))
        for dup in keys[1:]:
            by_key[dup]["scope_note"] = f"duplicate of {keys[0]} in the bibliography"
            if by_key[dup]["appendix_c"]:
                raise ValueError(f"two bibliography entries matched {by_key[dup]['appendix_c']}")
    for row in rows:
        row["in_scope"] = "no" if row["scope_note"] else "yes"
    appendix_rows: list[dict[str, str]] = []
    recon: list[dict[str, str]] = []
    for ref in refs:
        if ref.study in matches:
            key, score = matches[ref.study]
            appendix_rows.append(
                dict(study=ref.study, key=key, matched_by="title, author and year", score=f"{score:.0f}", note="")
            )
        elif ref.kind != "article":
            appendix_rows.append(
                dict(
                    study=ref.study,
                    key="",
                    matched_by="",
                    score="",
                    note="not a journal article: the article-only searches cannot have returned it; no record",
                )
            )
        else:
            row = reconstructed_row(ref)
            row["in_scope"] = "yes"
            row["scope_note"] = "not in the bibliography; facts from Appendix C of the paper"
            recon.append(row)
            appendix_rows.append(
                dict(study=ref.study, key=row["key"], matched_by="reconstructed from Appendix C", score="", note="")
            )
    for a in appendix_rows:
        a["provenance"] = "published"
    return rows + recon, appendix_rows
