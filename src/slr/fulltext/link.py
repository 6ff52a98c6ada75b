"""Which PDF is which work. Evidence is tried strongest first, and a tie is never broken by guessing:

1. a DOI in the file name (``10.3390_su9040549.pdf``; "/" written as ``_``, ``-``, ``@``, ``+``
   or ``%2F``, anything around it allowed). Known DOIs are looked for in the name, longest
   first, so ``_`` inside a DOI is no problem and ``10.1000_abc1.pdf`` is not ``10.1000/abc``;
2. a DOI on the first page (only that page is read; a DOI cut at the line end is rejoined);
3. the title in the file name (``Sun_2017_Coordination of industrial symbiosis....pdf``, Zotero's
   ``Sun et al. - 2017 - Title.pdf``): author surnames, years and "et al." are set aside and
   the rest is compared with each title (rapidfuzz ``ratio`` on folded text, also against the
   title's start when the name holds a title cut short: at least 40 characters of it, or 20 when
   the name starts with one of the work's author surnames and carries its year); a match needs
   ``TITLE_THRESHOLD`` (90 of 100) and, when the name carries a year, a work year within one
   year of it;
4. the title on the first page (rapidfuzz ``partial_ratio`` >= ``FIRST_PAGE_THRESHOLD``, 95,
   for titles of at least 25 characters). It also settles a file name that fits two works
   (``Wu_2014_How_park_management_bodies_shape_eco-industrial.pdf`` when two titles start so),
   provided the page's title is one of them.

Titles are scored against every work, so a PDF of a work that was screened out is reported as
such instead of being pinned on a look-alike. A PDF whose evidence points at two works
(two DOIs, or two titles within ``MARGIN`` points, unless one title contains the other) is
``ambiguous_pdf`` and linked to neither. A DOI that names a work not to be retrieved stops
the search for that PDF: the file is that other work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
from rapidfuzz import fuzz, process

from slr.errors import InputError
from slr.fulltext.batches import pdf_names
from slr.fulltext.tables import cell, read_table
from slr.records import fold, normalise_doi, normalise_year

TITLE_THRESHOLD = 90.0
FIRST_PAGE_THRESHOLD = 95.0
MIN_FIRST_PAGE_TITLE = 25
MIN_TRUNCATED_TITLE = 40
MIN_TRUNCATED_TITLE_NAMED = 20
MARGIN = 5.0

LINK_FIELDS: tuple[str, ...] = ("work_id", "file", "matched_by", "score")
UNLINKED_FIELDS: tuple[str, ...] = ("kind", "file", "work_id", "note")
UNLINKED_KINDS: tuple[str, ...] = ("unmatched_pdf", "ambiguous_pdf", "missing_pdf", "duplicate_pdf")

_YEAR_TOKEN = re.compile(r"^(?:19|20)\d\d$")
_DOI_START = re.compile(r"(?<![0-9.])10\.\d{4,9}")
_DOI_LIKE = re.compile(r"(?<![0-9.])10\.\d{4,9}[/_@+-][^\s]+")
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_DOI_TRAILING = ".,;:)]}'\""
_UNSAFE = re.compile(r"[^A-Za-z0-9._();-]+")
_FILLER = {"et", "al"}
_EVIDENCE = {
    "doi_filename": "the DOI in the file name",
    "doi_first_page": "the DOI on the first page",
    "title_filename": "the title in the file name",
    "title_first_page": "the title on the first page",
}


@dataclass(frozen=True)
class Work:
    work_id: str
    title: str | None = None
    year: int | None = None
    doi: str | None = None
    authors: tuple[str, ...] = ()
    line: int | None = None
    key: str = field(init=False, compare=False)
    surnames: frozenset[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", fold(self.title))
        tokens = {tok for name in self.authors for tok in fold(name.split(",")[0]).split()}
        object.__setattr__(self, "surnames", frozenset(tokens))

    @property
    def first_author(self) -> str | None:
        if not self.authors:
            return None
        return fold(self.authors[0].split(",")[0]) or None


# ------------------------------------------------------------------ file names


def safe_stem(text: str, limit: int = 150) -> str:
    """A file-name stem made from a DOI or a title: letters, digits and ``._();-`` only, no
    leading dot, so ``10.1000/../../x`` becomes ``10.1000_.._.._x`` and stays in its folder."""
    stem = _UNSAFE.sub("_", text).strip("._ ")
    stem = stem[:limit].rstrip("._ ")
    return stem or "unnamed"


def suggested_file_name(work: Work) -> str:
    """The name to save a work's PDF under so that ``link`` finds it by DOI (or by title)."""
    if work.doi:
        return f"{safe_stem(work.doi)}.pdf"
    words = fold(work.title).split()[:12]
    parts = [work.first_author or "anonymous", str(work.year or "nd"), " ".join(words) or work.work_id]
    return f"{safe_stem('_'.join(p.replace(' ', '_') for p in parts))}.pdf"


def doi_forms(doi: str) -> set[str]:
    """How a DOI may be written in a file name (lower case)."""
    doi = doi.lower()
    forms = {doi, safe_stem(doi).lower()}
    forms.update(doi.replace("/", sep) for sep in "_-@+")
    return forms


def dois_in_name(stem: str, forms: dict[str, str]) -> set[str]:
    """Known DOIs written in a file-name stem (``forms`` maps each written form to its DOI)."""
    found: set[str] = set()
    for variant in {stem.lower(), unquote(stem).lower()}:
        for start in _DOI_START.finditer(variant):
            rest = variant[start.start() :]
            for end in range(len(rest), start.end() - start.start(), -1):
                if rest[:end] in forms and (end == len(rest) or not rest[end].isalnum()):
                    found.add(forms[rest[:end]])
                    break
    return found


def doi_like_in_name(stem: str) -> str | None:
    match = _DOI_LIKE.search(unquote(stem))
    return match.group(0) if match else None


def dois_on_page(text: str, known: set[str]) -> set[str]:
    """Known DOIs printed on a page; a DOI broken at a line end is tried with the next line's start."""
    found: set[str] = set()
    for match in _DOI_IN_TEXT.finditer(text):
        candidates = [match.group(0)]
        after = text[match.end() :]
        stripped = after.lstrip(" \t")
        if stripped.startswith("\n") and stripped.split():
            candidates.append(match.group(0) + stripped.split()[0])
        for candidate in candidates:
            doi = normalise_doi(candidate.rstrip(_DOI_TRAILING))
            if doi in known:
                found.add(doi)
    return found


# ------------------------------------------------------------------ titles


def name_tokens(stem: str) -> tuple[list[str], set[int]]:
    """The words of a file-name stem without years and "et al.", and the years it names."""
    tokens = fold(stem).split()
    years = {int(t) for t in tokens if _YEAR_TOKEN.match(t)}
    return [t for t in tokens if not _YEAR_TOKEN.match(t) and t not in _FILLER], years


def name_title_score(tokens: list[str], years: set[int], work: Work) -> float:
    """How well a file name (``name_tokens``) spells a work's title, 0-100."""
    if not work.key or not tokens:
        return 0.0
    title_years = {int(t) for t in work.key.split() if _YEAR_TOKEN.match(t)}
    named = years - title_years
    if named and work.year is not None and not any(abs(y - work.year) <= 1 for y in named):
        return 0.0
    skip = 0
    while skip < len(tokens) - 1 and tokens[skip] in work.surnames:
        skip += 1
    # a title cut short needs 40 characters, or 20 when the name also gives the author and year
    shortest = MIN_TRUNCATED_TITLE_NAMED if skip and named and work.year is not None else MIN_TRUNCATED_TITLE
    best = 0.0
    for rest in {" ".join(tokens), " ".join(tokens[skip:])}:
        best = max(best, fuzz.ratio(rest, work.key))
        if shortest <= len(rest) < len(work.key):
            best = max(best, fuzz.ratio(rest, work.key[: len(rest)]))
    return float(best)


def pick(scores: dict[str, float], works: dict[str, Work], threshold: float) -> tuple[list[str], float]:
    """The works a PDF's title evidence points at: one (a match), several (ambiguous) or none."""
    above = sorted(((s, w) for w, s in scores.items() if s >= threshold), key=lambda sw: (-sw[0], sw[1]))
    if not above:
        return [], 0.0
    keys = {w: works[w].key for _, w in above}
    # a title inside a longer matching title is explained by it ("industrial symbiosis" in
    # "industrial symbiosis in kalundborg")
    above = [(s, w) for s, w in above if not any(keys[w] != keys[o] and keys[w] in keys[o] for _, o in above)]
    if len(above) == 1 or above[0][0] - above[1][0] >= MARGIN:
        return [above[0][1]], above[0][0]
    return [w for s, w in above if above[0][0] - s < MARGIN], above[0][0]


class TitleGrams:
    """Which titles can be on a page at ``FIRST_PAGE_THRESHOLD`` (rapidfuzz ``partial_ratio``):
    a screen that passes every such title, so that the slow comparison of a 6,000-character page
    with each of 60,000 titles (a second per PDF) runs only on the few that pass.

    A score of 95 or more means some stretch of the page is within Indel distance
    ``d <= len(title) // 10`` of the title (the stretch is at most as long as the title). Each
    deleted or inserted character spoils at most ``Q`` of the title's ``Q``-grams, so at least
    ``len(title) - Q + 1 - Q * d`` of them occur on the page; a title with fewer cannot score 95.
    """

    Q = 4

    def __init__(self, titles: Sequence[str]) -> None:
        q = self.Q
        self.size = len(titles)
        self.lengths = np.array([len(title) for title in titles], dtype=np.int64)
        slack = self.lengths // 10 + 1  # one more than the bound: float rounding can never matter
        self.need = self.lengths - q + 1 - q * slack
        self.ids: dict[str, int] = {}
        grams: list[int] = []
        starts: list[int] = []  # where each title's q-grams begin in `grams`
        for title in titles:
            starts.append(len(grams))
            grams.extend(self.ids.setdefault(title[i : i + q], len(self.ids)) for i in range(len(title) - q + 1))
        grams.append(len(self.ids))  # a gram no page has: every title's slice ends inside the array
        self.grams = np.array(grams, dtype=np.int64)
        self.starts = np.array(starts, dtype=np.int64)
        self.short = self.lengths < q  # no q-gram at all (never for the titles link screens)

    def candidates(self, page: str) -> list[int]:
        """Indices of the titles that may score ``FIRST_PAGE_THRESHOLD`` against ``page``."""
        q = self.Q
        present = np.zeros(len(self.ids) + 1, dtype=bool)
        found = {self.ids.get(page[i : i + q], -1) for i in range(len(page) - q + 1)}
        present[[g for g in found if g >= 0]] = True
        if not self.size:
            return []
        counts = np.add.reduceat(present[self.grams], self.starts, dtype=np.int64)
        # a title longer than the page is compared the other way round: never screened out
        keep = (counts >= self.need) | (self.lengths > len(page)) | self.short
        return [int(n) for n in np.flatnonzero(keep)]


# ------------------------------------------------------------------ linking


@dataclass
class LinkResult:
    links: list[dict[str, Any]]
    unlinked: list[dict[str, Any]]


FirstPage = Callable[[Path], tuple[str | None, str | None]]


class _Linker:
    def __init__(self, works: Sequence[Work], retrieve: set[str] | None) -> None:
        self.works = {w.work_id: w for w in works}
        self.retrieve = set(self.works) if retrieve is None else set(retrieve)
        # for name_scores: every work's title, and the works by year and by author surname
        self.listed = list(self.works.values())
        self.keys = [w.key for w in self.listed]
        self.by_year: dict[int | None, list[int]] = {}
        self.year_in_title: dict[int, list[int]] = {}
        self.by_surname: dict[str, list[int]] = {}
        for n, work in enumerate(self.listed):
            self.by_year.setdefault(work.year, []).append(n)
            for token in work.key.split():
                if _YEAR_TOKEN.match(token):
                    self.year_in_title.setdefault(int(token), []).append(n)
            for surname in work.surnames:
                self.by_surname.setdefault(surname, []).append(n)
        self.by_doi: dict[str, list[str]] = {}
        for work in works:
            if work.doi:
                self.by_doi.setdefault(work.doi, []).append(work.work_id)
        self.forms = {form: doi for doi in self.by_doi for form in doi_forms(doi)}
        titled = [w for w in works if len(w.key) >= MIN_FIRST_PAGE_TITLE]
        self.page_titles = [w.key for w in titled]
        self.page_title_ids = [w.work_id for w in titled]
        self._page_grams: TitleGrams | None = None  # built for the first PDF that needs it

    def by_dois(self, dois: Iterable[str], how: str) -> tuple[list[str], str | None]:
        """Works to retrieve with these DOIs, or a note when the DOIs belong to other works only."""
        targets = sorted({w for doi in dois for w in self.by_doi.get(doi, [])})
        wanted = [w for w in targets if w in self.retrieve]
        if targets and not wanted:
            return [], f"the DOI {how} is work {', '.join(targets)}, which is not among the works to retrieve"
        return wanted, None

    def name_scores(self, tokens: list[str], years: set[int]) -> dict[str, float]:
        """``name_title_score`` of each work that can reach ``TITLE_THRESHOLD`` (the others cannot
        be picked). Scoring every title in Python took seconds per PDF in a search of 60,000
        works, so rapidfuzz first screens them at C speed: the works of the years the name
        allows, the name against each title and against each longer title's start; works whose
        author surnames start the name are scored anyway (their score leaves the surnames out)."""
        if not tokens:
            return {}
        if years:
            found = set(self.by_year.get(None, ()))
            for year in years:
                found.update(self.year_in_title.get(year, ()))
                for near in (year - 1, year, year + 1):
                    found.update(self.by_year.get(near, ()))
            pool = sorted(found)
        else:
            pool = list(range(len(self.listed)))
        whole = " ".join(tokens)
        size = len(whole)
        keys = [self.keys[n] for n in pool]
        screens: list[Sequence[str | None]] = [keys]
        if size >= MIN_TRUNCATED_TITLE_NAMED:
            screens.append([key[:size] if len(key) > size else None for key in keys])
        candidates: set[int] = set()
        for choices in screens:
            hits = process.extract(whole, choices, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD, limit=None)
            candidates.update(pool[i] for _, _, i in hits)
        candidates.update(self.by_surname.get(tokens[0], ()))
        return {self.listed[n].work_id: name_title_score(tokens, years, self.listed[n]) for n in sorted(candidates)}

    def page_title_scores(self, page_key: str) -> dict[str, float]:
        """partial_ratio of each title found on the page at ``FIRST_PAGE_THRESHOLD`` or more."""
        if self._page_grams is None:
            self._page_grams = TitleGrams(self.page_titles)
        pool = self._page_grams.candidates(page_key)
        titles = [self.page_titles[n] for n in pool]
        matches = process.extract(
            page_key, titles, scorer=fuzz.partial_ratio, score_cutoff=FIRST_PAGE_THRESHOLD, limit=None
        )
        return {self.page_title_ids[pool[i]]: float(s) for _, s, i in matches}

    def by_title(self, scores: dict[str, float], threshold: float, how: str) -> tuple[list[str], float, str | None]:
        chosen, score = pick(scores, self.works, threshold)
        wanted = [w for w in chosen if w in self.retrieve]
        if len(chosen) == 1 and not wanted:
            return [], score, f"the title {how} matches work {chosen[0]}, which is not among the works to retrieve"
        return chosen, score, None

    def link_one(self, path: Path, first_page: FirstPage) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        name = path.name
        notes: list[str] = []

        def found(ids: list[str], how: str, score: float) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
            if len(ids) == 1:
                return {"work_id": ids[0], "file": name, "matched_by": how, "score": round(score, 1)}, None
            note = f"{_EVIDENCE[how]} points at {len(ids)} works; rename the file to the right work's DOI"
            return None, {"kind": "ambiguous_pdf", "file": name, "work_id": "; ".join(ids), "note": note}

        def unmatched(note: str) -> tuple[None, dict[str, Any]]:
            return None, {"kind": "unmatched_pdf", "file": name, "work_id": None, "note": note}

        ids, stop = self.by_dois(dois_in_name(path.stem, self.forms), "in the file name")
        if ids:
            return found(ids, "doi_filename", 100.0)
        if stop:
            return unmatched(stop)
        lookalike = doi_like_in_name(path.stem)
        if lookalike:
            notes.append(f"the file name holds {lookalike}, which is no work's DOI")

        text, problem = first_page(path)
        if problem:
            notes.append(f"first page not readable: {problem}")
        if text:
            ids, stop = self.by_dois(dois_on_page(text, set(self.by_doi)), "on the first page")
            if ids:
                return found(ids, "doi_first_page", 100.0)
            if stop:
                return unmatched(stop)

        tokens, years = name_tokens(path.stem)
        named, name_score, stop = self.by_title(self.name_scores(tokens, years), TITLE_THRESHOLD, "in the file name")
        if len(named) == 1:
            return found(named, "title_filename", name_score)
        if stop:
            return unmatched(stop)

        paged: list[str] = []
        if text and self.page_titles:
            page_key = fold(text)[:6000]
            page_scores = self.page_title_scores(page_key)
            paged, page_score, stop = self.by_title(page_scores, FIRST_PAGE_THRESHOLD, "on the first page")
            # a name that fits two works (a title cut short) is settled by the full title on the page
            if len(paged) == 1 and (not named or paged[0] in named):
                return found(paged, "title_first_page", page_score)
            if stop and not named:
                return unmatched(stop)
        if named or paged:
            return found(sorted({*named, *paged}), "title_filename" if named else "title_first_page", name_score)
        notes.append("no DOI or title of a work to retrieve found; rename it to the work's DOI")
        return unmatched("; ".join(notes))


def link_pdfs(
    pdfs: Sequence[Path], works: Sequence[Work], retrieve: set[str] | None, first_page: FirstPage, pdf_dir: Path
) -> LinkResult:
    """links (``work_id,file,matched_by,score``) and everything that did not link cleanly."""
    linker = _Linker(works, retrieve)
    links: list[dict[str, Any]] = []
    unlinked: list[dict[str, Any]] = []
    for path in sorted(pdfs, key=lambda p: p.name):
        link, problem = linker.link_one(path, first_page)
        if link is not None:
            links.append(link)
        if problem is not None:
            unlinked.append(problem)
    files_of: dict[str, list[str]] = {}
    for link in links:
        files_of.setdefault(link["work_id"], []).append(link["file"])
    for work_id in sorted(linker.retrieve):
        files = files_of.get(work_id, [])
        if not files:
            name = suggested_file_name(linker.works[work_id])
            unlinked.append(
                {
                    "kind": "missing_pdf",
                    "file": None,
                    "work_id": work_id,
                    "note": f"no PDF; save it as {pdf_dir / name}",
                }
            )
        for extra in files[1:]:
            unlinked.append(
                {
                    "kind": "duplicate_pdf",
                    "file": extra,
                    "work_id": work_id,
                    "note": f"{work_id} also has {files[0]}; both are searched - remove one if it is a copy",
                }
            )
    return LinkResult(links, unlinked)


# ------------------------------------------------------------------ inputs


def load_works(path: Path) -> list[Work]:
    """Works from ``works.csv`` (``work_id`` and ``title`` needed; ``doi``, ``year``, ``authors`` used)."""
    fix = "give the works.csv written by slr dedupe"
    works: list[Work] = []
    seen: dict[str, int] = {}
    for line, row in read_table(path, "a works file", fix, ("work_id", "title")):
        work_id = cell(row, "work_id")
        if not work_id:
            raise InputError(path, "empty work_id", fix, line=line)
        if work_id in seen:
            raise InputError(path, f"work {work_id} is listed twice (first on line {seen[work_id]})", fix, line=line)
        seen[work_id] = line
        authors = tuple(a.strip() for a in cell(row, "authors").split(";") if a.strip())
        title = cell(row, "title") or None
        works.append(
            Work(work_id, title, normalise_year(row.get("year")), normalise_doi(row.get("doi")), authors, line)
        )
    return works


def load_aliases(path: Path) -> dict[str, str]:
    """alias -> work_id from the ``aliases`` column of works.csv, when there is one."""
    mapping: dict[str, str] = {}
    for _, row in read_table(path, "a works file", "give the works.csv written by slr dedupe", ("work_id",)):
        for alias in cell(row, "aliases").split(";"):
            if alias.strip():
                mapping[alias.strip()] = cell(row, "work_id")
    return mapping


def load_screened(path: Path, works: Sequence[Work], aliases: dict[str, str] | None = None) -> set[str]:
    """The work_ids a screened file marks ``included``."""
    fix = "give a *_screened.csv written by slr screening apply"
    known = {w.work_id for w in works}
    aliases = aliases or {}
    included: set[str] = set()
    for line, row in read_table(path, "a screening result", fix, ("work_id", "decision")):
        decision = cell(row, "decision").lower()
        if decision not in ("included", "excluded", "to_screen"):
            raise InputError(path, f"decision {decision!r} is not included/excluded/to_screen", fix, line=line)
        work_id = aliases.get(cell(row, "work_id"), cell(row, "work_id"))
        if work_id not in known:
            raise InputError(path, f"work {work_id!r} is not in the works file", "screen the works you link", line=line)
        if decision == "included":
            included.add(work_id)
    return included


def pdf_files(folder: Path) -> list[Path]:
    """The PDFs directly in a folder (``*.pdf``, any case; hidden files skipped)."""
    if not folder.is_dir():
        raise InputError(folder, "no such folder of PDFs", "create it and put the PDFs there")
    return [folder / name for name in pdf_names(folder)]
