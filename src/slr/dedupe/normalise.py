"""Matching keys: what of a record is compared, in the form it is compared in.

Scopus, Web of Science and BibTeX write the same paper differently: ALL-CAPS
titles, HTML entities and LaTeX accents, a translated title in brackets, a
subtitle one database drops, "Smith, J.A." against "Smith, John A.", full and
abbreviated journal names. Everything here turns one record into ``Keys``, a
form in which those differences vanish, worked out once per record (and only
when needed) so that comparing two records is cheap. Nothing here is written to
an output.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz.distance import Indel

# ---------------------------------------------------------------- text


_TAGS = re.compile(r"<[^>]{0,200}>")
# LaTeX accents: {\"o}, \'e, \c{c}, \v{s} ... keep the letter (accents are folded away anyway).
_LATEX_ACCENT = re.compile(
    r"""\\[\"'`^~=.]\s*\{?\s*([A-Za-z])\s*\}?|\\[cvuHkrdb]\s*\{\s*([A-Za-z])\s*\}|\\[cvuHkrdb]\s+([A-Za-z])"""
)
_LATEX_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*|\\.")
_NON_WORD = re.compile(r"[^\w\s]|_")


def plain(text: str) -> str:
    """Markup removed: HTML entities and tags, LaTeX accents, commands, braces and math dollars."""
    if "&" in text:
        text = html.unescape(html.unescape(text))
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "\\" in text:
        text = _LATEX_ACCENT.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)
        text = _LATEX_LETTER.sub(lambda m: m.group(1), text)
        text = _LATEX_COMMAND.sub(" ", text)
    if "{" in text or "}" in text or "$" in text:
        text = text.replace("{", "").replace("}", "").replace("$", "")
    return text


# Letters NFKD does not decompose, written as their usual Latin transliteration.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def fold_text(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces. ``plain`` first."""
    text = plain(text)
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.casefold()).casefold()
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LETTERS)
    return " ".join(_NON_WORD.sub(" ", text).split())


# ---------------------------------------------------------------- titles

# Titles that name no paper: a record with one of these has no title to match on.
PLACEHOLDER_TITLES = frozenset(
    {"unknown", "untitled", "no title", "none", "null", "na", "n a", "no title available", "title not available"}
)

# Kinds of record that share the title of another paper but are not that paper.
CORRECTION, RETRACTION, REPLY, COMMENT = "correction", "retraction", "reply", "comment"

_KIND_PREFIXES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        CORRECTION,
        re.compile(
            r"^(?:erratum|errata|corrigendum|corrigenda|addendum|correction|corrections|author correction|"
            r"publisher correction|publisher s note|publishers note|publisher s erratum|notice of correction)"
            r"(?:\s+(?:to|for|on|of|in|regarding|notice))?\b\s*"
        ),
    ),
    (
        RETRACTION,
        re.compile(
            r"^(?:retraction(?:\s+(?:note|notice|statement))?|notice of retraction|retraction and replacement|"
            r"expression of concern|editorial expression of concern|withdrawn article)"
            r"(?:\s+(?:to|for|on|of|regarding))?\b\s*"
        ),
    ),
    (
        REPLY,
        re.compile(
            r"^(?:reply|replies|in reply|authors? reply|authors? response|author s reply|authors reply|"
            r"the authors reply|rebuttal|response to (?:the )?(?:comment|comments|letter|commentary|critique|"
            r"discussion|editorial|reviewers?|correspondence)s?|closure to|re)"
            r"(?:\s+(?:to|on|of|regarding))?\b\s*"
        ),
    ),
    (
        COMMENT,
        re.compile(
            r"^(?:comment|comments|commentary|discussion|letter to the editor|letter|correspondence)"
            r"\s+(?:on|to|of|regarding|about|re)\b\s*"
        ),
    ),
)
_COMMENT_COLON = re.compile(
    r"^(?:comment|comments|commentary|invited commentary|reply|response|erratum|corrigendum)\s*:"
)
_RETRACTED_FLAG = re.compile(r"^\s*(?:retracted(?:\s+article)?|withdrawn)\s*[:.\-]\s*", re.IGNORECASE)
# Web of Science titles an erratum as the original title plus "(vol 12, pg 345, 2010)".
_WOS_ERRATUM = re.compile(
    r"\(\s*vol\.?\s*\w+\s*,\s*(?:pg|pp?|page|pages)\.?\s*[\w\-]+(?:\s*,\s*\d{4})?\s*\)\s*\.?\s*$", re.I
)
# Scopus titles an erratum as the original title plus "(Journal Name (2009) 360 (542-544))".
_SCOPUS_ERRATUM = re.compile(r"\(\s*[^()]{3,}\(\s*\d{4}\s*\)\s*\d+[^()]*(?:\([^()]*\))?\s*\)\s*\.?\s*$")
_TRAILING_KIND = re.compile(
    r"[\s(\[\-–—:.]+(erratum|corrigendum|retraction|correction|reply|authors'? reply|response)[\s)\].]*$", re.I
)
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_UNCLOSED = re.compile(r"\[[^\[\]]*$")  # "... [Erratum appears in Hu" cut off by the database
_SUBTITLE = re.compile(r"\s*(?::|\s[-–—]\s|\.\s|\?\s|;\s)\s*")
_DOC_TYPE_KIND = {
    "erratum": CORRECTION,
    "correction": CORRECTION,
    "corrigendum": CORRECTION,
    "correction addition": CORRECTION,
    "retraction": RETRACTION,
    "retraction notice": RETRACTION,
    "expression of concern": RETRACTION,
}
_NOTE = re.compile(
    r"^(?:comment|update|republished|summary for patients|retraction|erratum|corrected and republished)s?"
    r"\s+(?:in|on|of|from)\b|\bappears in\b"
)
_DIGITS = re.compile(r"\d+")
_ROMAN = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv"})
_ARTICLES = frozenset({"the", "a", "an"})


def split_brackets(title: str) -> tuple[str, str | None]:
    """The title outside brackets and the longest bracketed segment.

    MEDLINE writes a translated title in brackets ("[Title]. [Spanish]"), sometimes followed
    by the original ("[English] TO: Original"); Scopus puts the original-language title in
    brackets after the English one; notes like "[Erratum appears in ...]" may be cut off.
    When text of three words or more is outside the brackets it is the title and a bracketed
    segment of three words or more is an alternative; else the longest segment is the title.
    """
    if "[" not in title:
        return title, None
    segments: list[str] = []
    outside = title
    while "[" in outside:  # innermost first: "[Erratum appears in ... [added]]"
        found = _BRACKETS.findall(outside)
        if not found:
            break
        segments = found
        outside = _BRACKETS.sub(" ", outside)
    outside = _UNCLOSED.sub(" ", outside)
    # "[Erratum appears in ...]", "[Comment in ...]" are notes, never the title
    titles = [seg[1:-1] for seg in segments if not _NOTE.search(fold_text(seg[1:-1]))]
    longest = max(titles, key=len) if titles else None
    words = len(fold_text(outside).split())
    if words >= 3:
        return outside, longest if longest and len(fold_text(longest).split()) >= 3 else None
    if longest:
        return longest, None
    if words:
        return outside, None
    return title.replace("[", " ").replace("]", " "), None


_PREFIX_TRIGGERS = frozenset(
    [
        "erratum",
        "errata",
        "corrigendum",
        "corrigenda",
        "addendum",
        "correction",
        "corrections",
        "author",
        "authors",
        "publisher",
        "publishers",
        "notice",
        "retraction",
        "expression",
        "editorial",
        "withdrawn",
        "reply",
        "replies",
        "in",
        "the",
        "rebuttal",
        "response",
        "closure",
        "re",
        "comment",
        "comments",
        "commentary",
        "discussion",
        "letter",
        "correspondence",
        "invited",
    ]
)
_TRAILING_TRIGGERS = ("erratum", "corrigendum", "retraction", "correction", "reply", "response")


def title_kind(title: str, doc_type: str | None) -> tuple[str, str]:
    """The record's kind (``""`` for an ordinary paper, or correction/retraction/reply/comment)
    and the folded title with the marker removed, e.g. ``"Erratum to: X"`` -> (correction, ``"x"``)."""
    kind = ""
    text = title.strip()
    lower = text.lower()
    if lower.startswith(("retracted", "withdrawn")):
        text = _RETRACTED_FLAG.sub("", text)  # "RETRACTED ARTICLE: X" is X itself, flagged
    if lower.endswith((")", ").")):
        for pattern in (_WOS_ERRATUM, _SCOPUS_ERRATUM):
            if pattern.search(text):
                kind, text = CORRECTION, pattern.sub("", text)
                break
    if lower.rstrip(" .)]").endswith(_TRAILING_TRIGGERS):
        match = _TRAILING_KIND.search(text)
        if match and len(fold_text(text[: match.start()]).split()) >= 3:
            word = match.group(1).lower()
            kind = REPLY if "reply" in word or word == "response" else _DOC_TYPE_KIND.get(word, CORRECTION)
            text = text[: match.start()]
    folded = fold_text(text)
    if not kind and folded.split(" ", 1)[0] in _PREFIX_TRIGGERS:
        colon = _COMMENT_COLON.match(text.lower())
        for name, pattern in _KIND_PREFIXES:
            m = pattern.match(folded)
            if m and (name != REPLY or m.group(0).strip() != "re" or colon or text[:3].lower() == "re:"):
                kind, folded = name, folded[m.end() :]
                break
        else:
            if colon:
                word = colon.group(0).rstrip(": ").split()[-1]
                kind = {"erratum": CORRECTION, "corrigendum": CORRECTION, "reply": REPLY, "response": REPLY}.get(
                    word, COMMENT
                )
                folded = fold_text(text[colon.end() :])
    if not kind and doc_type:
        kind = _DOC_TYPE_KIND.get(fold_text(doc_type), "")
    return kind, folded


def title_numbers(folded: str) -> tuple[str, ...]:
    """Numbers in a title (digits and Roman numerals from II on): "Part 1" is not "Part 2"."""
    found = [n.lstrip("0") or "0" for n in _DIGITS.findall(folded)]
    found += [t for t in folded.split() if t in _ROMAN]
    return tuple(sorted(found))


class TitleForm:
    """One way of reading a record's title, folded: the primary reading, or the alternative in
    brackets (a translation or the original-language title). ``main`` and ``numbers`` are
    worked out only for the few records that get compared in detail."""

    __slots__ = ("_main", "_numbers", "compact", "text", "title", "words")

    def __init__(self, text: str, folded: str) -> None:
        words = [] if folded in PLACEHOLDER_TITLES else folded.split()
        if words and words[0] in _ARTICLES and len(words) > 1:
            words = words[1:]
        self.text = text  # plain, not folded: where the subtitle separators still are
        self.title = " ".join(words)  # folded, marker removed, leading article dropped
        self.compact = "".join(words)  # "non-small cell" == "nonsmall cell"
        self.words = len(words)
        self._main: str | None = None
        self._numbers: tuple[str, ...] | None = None

    @property
    def main(self) -> str:
        """The compact title before the first subtitle separator (":", " - ", ". ")."""
        if self._main is None:
            words = fold_text(_SUBTITLE.split(self.text.strip(), maxsplit=1)[0]).split()
            if words and words[0] in _ARTICLES and len(words) > 1:
                words = words[1:]
            self._main = "".join(words) if len(words) >= 3 else self.compact
        return self._main

    @property
    def numbers(self) -> tuple[str, ...]:
        if self._numbers is None:
            self._numbers = title_numbers(self.title)
        return self._numbers

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TitleForm) and self.title == other.title

    def __hash__(self) -> int:
        return hash(self.title)

    def __repr__(self) -> str:
        return f"TitleForm({self.title!r})"


def title_forms(raw: str, doc_type: str | None) -> tuple[str, tuple[TitleForm, ...]]:
    """The record's kind and its title forms (the first is the primary one; none if no title)."""
    primary, alternative = split_brackets(plain(raw))
    kind = ""
    forms: list[TitleForm] = []
    for text in (primary, alternative):
        if not text:
            continue
        found, folded = title_kind(text, doc_type)
        if text is primary:
            kind = found
        elif found or _NOTE.search(folded):
            continue  # "[Erratum appears in ...]", "[Comment in ...]": a note, not a title
        form = TitleForm(text, folded)
        if form.compact and form not in forms:
            forms.append(form)
    return kind, tuple(forms)


# ---------------------------------------------------------------- people and places

_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "das",
        "dos",
        "du",
        "le",
        "la",
        "el",
        "al",
        "ter",
        "ten",
    }
)


class Name(NamedTuple):
    """An author as compared: surname key, given-name initials, whether the surname was only a
    particle ("Le, Q.M." for Le Quintrec, M.)."""

    key: str
    initials: str
    particle_only: bool


@lru_cache(maxsize=1 << 17)
def surname_key(author: str) -> str:
    """The surname without particles, folded, its words joined: "van Kessel, M." and
    "Kessel, M.E." share "kessel"; a surname that is only a particle stays ("le")."""
    words = fold_text(author.partition(",")[0]).split()
    kept = [w for w in words if w not in _PARTICLES and not w.isdigit()]
    return "".join(kept or words)


@lru_cache(maxsize=1 << 17)
def name_of(author: str) -> Name | None:
    """An author as compared ("Bu?lova" and "Builova" have close keys)."""
    key = surname_key(author)
    if not key:
        return None
    given = author.partition(",")[2]
    initials = "".join(w[0] for w in fold_text(given).split() if w[0].isalpha()) if given else ""
    particle_only = all(w in _PARTICLES for w in fold_text(author.partition(",")[0]).split())
    return Name(key, initials, particle_only)


def names_agree(a: Name, b: Name) -> int:
    """2 = same surname; 1 = similar (a typo, a dropped particle or second surname, or given and
    family names swapped: "Wu, C.Y." / "Ching-yi, W."); 0 = different."""
    if a.key == b.key:
        return 2
    short, long = (a.key, b.key) if len(a.key) <= len(b.key) else (b.key, a.key)
    if len(short) >= 3 and (long.startswith(short) or long.endswith(short)):
        return 1
    if len(short) >= 4 and a.key[0] == b.key[0] and Indel.normalized_similarity(a.key, b.key) >= 0.8:
        return 1
    if a.initials and b.initials:
        a_in_b = a.key[0] in b.initials
        b_in_a = b.key[0] in a.initials
        if (a_in_b and (b_in_a or b.particle_only)) or (b_in_a and a.particle_only):
            return 1
    return 0


_VENUE_STOP = frozenset({"of", "the", "and", "for", "in", "on", "de", "des", "der", "und", "la", "le", "a", "an", "y"})
_PROCEEDINGS = re.compile(
    r"\b(?:conference|conf|proceedings|proc|symposium|symp|workshop|congress|meeting|colloquium|abstracts|"
    r"supplement|suppl|lecture notes|annual|forum|summit|amcis|icis|ecis|hicss|pacis)\b"
)


def venue_tokens(venue: str) -> tuple[str, ...]:
    return tuple(t for t in fold_text(venue).split() if t not in _VENUE_STOP)


def is_proceedings(venue: str) -> bool:
    return bool(_PROCEEDINGS.search(fold_text(venue)))


_FIRST_NUMBER = re.compile(r"\d+")
_PAGE_RANGE = re.compile(r"([A-Za-z]{0,3})(\d+)[A-Za-z]?(?:\s*[-–—]+\s*[A-Za-z]{0,3}(\d+))?")


def first_number(value: str | None) -> str | None:
    if not value:
        return None
    m = _FIRST_NUMBER.search(value)
    return m.group(0).lstrip("0") or "0" if m else None


class Pages(NamedTuple):
    """Page ranges as numbers: "233-8, 246-51" -> starts (233, 246), ends (238, 251); letter
    prefixes ("S27", "e1234") are dropped. ``article_number``: one number with a letter prefix
    and no end ("a1754", "e0123"), an article's number rather than its pages."""

    starts: tuple[int, ...]
    ends: tuple[int | None, ...]
    article_number: bool = False


# 'Suppl-29', 't-20': a range whose first page was cut off, only the last digits of the end left
_CUT_RANGE = re.compile(r"[A-Za-z]+\.?\s*-\s*\d+")
_ARTICLE_NUMBER = re.compile(r"[A-Za-z]\d{3,}")


def pages_of(value: str | None) -> Pages | None:
    if not value:
        return None
    value = value.strip()
    if _CUT_RANGE.fullmatch(value):
        return None  # says nothing comparable
    starts: list[int] = []
    ends: list[int | None] = []
    for m in _PAGE_RANGE.finditer(value):
        start = int(m.group(2))
        end: int | None = None
        if m.group(3):
            end = int(m.group(3))
            digits = len(m.group(3))
            if end < start and digits < len(str(start)):  # "1676-87" -> 1687
                end = int(str(start)[: len(str(start)) - digits] + m.group(3))
        starts.append(start)
        ends.append(end)
        if len(starts) == 4:
            break
    if not starts:
        return None
    return Pages(tuple(starts), tuple(ends), bool(_ARTICLE_NUMBER.fullmatch(value)))


# ---------------------------------------------------------------- identifiers

_DOI_VERSION = re.compile(r"\.pub\d+$")
PUBMED_KEYS = ("pubmed id", "pubmed_id", "pmid", "pm", "pubmed", "medline pmid")


_DOI_ESCAPES = re.compile(r"\\([_&%#$])|&amp;")


def doi_key(doi: object) -> str | None:
    """A DOI as compared: lower case, LaTeX and HTML escapes undone (WoS BibTeX writes
    ``10.1007/978-3-319-06692-9\\_11``). None for an empty value: two empty DOIs never match."""
    if not doi:
        return None
    text = str(doi).strip().lower()
    if "\\" in text or "&amp;" in text:
        text = _DOI_ESCAPES.sub(lambda m: m.group(1) or "&", text)
    return text or None


def doi_base(doi: str | None) -> str | None:
    """A DOI without a version suffix: Cochrane updates are ``...CD002273.pub2``, ``.pub3``."""
    return _DOI_VERSION.sub("", doi) if doi else None


def pubmed_id(extra: Mapping[str, Any] | None) -> str | None:
    """A PubMed ID from the export fields the schema does not name (Scopus "PubMed ID", WoS "PM")."""
    if not extra:
        return None
    for key, value in extra.items():
        if key.strip().lower() in PUBMED_KEYS and value is not None:
            text = str(value).strip()
            if text.isdigit() and 1 <= len(text) <= 9:
                return text.lstrip("0") or None
    return None


# ---------------------------------------------------------------- keys


_ANONYMOUS = frozenset({"unknown", "anonymous", "anon"})


class Keys:
    """One record in the form it is compared in; missing values are None or empty.

    What blocking needs (titles, kind, year, identifiers, first author) is worked out for every
    record; the rest (authors, venue, volume, pages, abstract) on first use, because only a few
    records ever meet a candidate with a similar title."""

    __slots__ = (
        "_abstract",
        "_authors",
        "_pages",
        "_venues",
        "doi",
        "doi_base",
        "forms",
        "index",
        "kind",
        "pmid",
        "record",
        "record_id",
        "volume",
        "year",
    )

    def __init__(self, index: int, record: Mapping[str, Any]) -> None:
        self.index = index
        self.record = record
        self.record_id = str(record["record_id"])
        self.kind, self.forms = title_forms(record.get("title") or "", record.get("doc_type"))
        year = record.get("year")
        self.year: int | None = int(year) if year is not None else None
        self.doi = doi_key(record.get("doi"))
        self.doi_base = doi_base(self.doi)
        self.pmid = pubmed_id(record.get("extra"))
        self.volume = first_number(record.get("volume"))
        self._authors: tuple[Name, ...] | None = None
        self._venues: tuple[tuple[tuple[str, ...], ...], bool] | None = None
        self._pages: Pages | bool | None = False
        self._abstract: str | None = None

    @property
    def compact(self) -> str:
        return self.forms[0].compact if self.forms else ""

    @property
    def authors(self) -> tuple[Name, ...]:
        if self._authors is None:
            names = tuple(n for n in (name_of(a) for a in self.record.get("authors") or []) if n)
            self._authors = names if names and names[0].key not in _ANONYMOUS else ()
        return self._authors

    @property
    def first_author(self) -> str:
        """The first author's surname key, or "" (cheap: for blocking short titles)."""
        authors = self.record.get("authors")
        if not authors:
            return ""
        key = surname_key(authors[0])
        return key if key not in _ANONYMOUS else ""

    def _venue_info(self) -> tuple[tuple[tuple[str, ...], ...], bool]:
        if self._venues is None:
            venue = _venue(self.record)
            self._venues = (venue_forms(venue), bool(venue) and is_proceedings(venue or ""))
        return self._venues

    @property
    def venues(self) -> tuple[tuple[str, ...], ...]:
        """Each way the venue is written ("A = B", "A [B]"), as folded words."""
        return self._venue_info()[0]

    @property
    def venue_proceedings(self) -> bool:
        return self._venue_info()[1]

    @property
    def pages(self) -> Pages | None:
        if self._pages is False:
            self._pages = pages_of(self.record.get("pages"))
        return self._pages  # type: ignore[return-value]

    @property
    def abstract(self) -> str:
        """Folded, first 600 characters ("" = none)."""
        if self._abstract is None:
            text = self.record.get("abstract")
            self._abstract = fold_text(text)[:600] if text else ""
        return self._abstract


def _venue(record: Mapping[str, Any]) -> str | None:
    journal = record.get("journal")
    if journal:
        return str(journal)
    extra = record.get("extra") or {}
    for key in ("booktitle", "BookTitle", "secondary title", "Conference name", "Source title"):
        if extra.get(key):
            return str(extra[key])
    return None


_VENUE_PARTS = re.compile(r"\s=\s|\[|\]")


@lru_cache(maxsize=1 << 15)
def venue_forms(venue: str | None) -> tuple[tuple[str, ...], ...]:
    if not venue or fold_text(venue) in PLACEHOLDER_TITLES:
        return ()
    parts = [venue_tokens(p) for p in _VENUE_PARTS.split(venue)]
    out: list[tuple[str, ...]] = []
    for part in parts:
        if part and part not in out:
            out.append(part)
    return tuple(out)
