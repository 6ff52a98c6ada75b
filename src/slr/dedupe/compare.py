"""Compare two records and decide: the same publication, a near miss, or different.

Two rules, tried in order:

1. **Identifier** (``doi``, ``pubmed_id``): the same normalised DOI (or PubMed ID) is the same
   work, unless the titles contradict it (``identifier_veto``: similarity below
   ``ID_TITLE_MIN``, neither title containing the other, and nothing else agreeing) or one
   record is an erratum, retraction, reply or comment and the other is not. Such a pair is
   reported as a near miss, never merged.
2. **Title with evidence** (``title``, ``title_prefix``): the folded titles are similar
   (``TITLE_POINTS``) or one is the other cut short (a dropped subtitle, a truncated export),
   and the other fields add or subtract points (``POINTS``). The pair merges when the sum
   reaches ``MERGE_AT``; from ``NEAR_MISS_AT`` it is listed for manual review.

Vetoes, whatever the points: different kinds (an erratum never merges with its paper),
different numbers in the titles ("Part 1"/"Part 2"), years more than one apart, two different
DOIs (other than Cochrane-style ``.pubN`` versions) or PubMed IDs. A missing value is never
evidence: it scores nothing, for or against.

The points are log-odds-like weights chosen once for all data: a title that is the same after
folding (10) plus the same year (2) and first author (3) is just enough; any contradiction
(another journal, volume or first page) then needs more agreement to make up for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from .normalise import Keys, Name, Pages, TitleForm, names_agree

MERGE_AT = 15
NEAR_MISS_AT = 10
ID_TITLE_MIN = 70.0
ID_TITLE_FLOOR = 50.0
# Title similarity (0-100, on the folded title without spaces) -> points; below the last, no match.
TITLE_POINTS: tuple[tuple[float, int], ...] = ((98.0, 10), (94.0, 8), (90.0, 6), (85.0, 3), (80.0, 2), (75.0, 1))
TITLE_CANDIDATE_MIN = 75.0
PREFIX_POINTS = 5  # one title is the other without its subtitle, or cut short
PREFIX_MIN_CHARS = 20
CONTAINED_MIN = 0.92
# Short titles say less: points scaled by the word count of the shorter title.
SHORT_TITLE_FACTOR: tuple[tuple[int, float], ...] = ((2, 0.4), (4, 0.7))
POINTS = {
    "year_same": 2,
    "year_adjacent": -2,  # online-first and print years
    "first_author_same": 3,
    "first_author_similar": 1,
    "first_author_differs": -6,
    "authors_overlap": 2,  # >= 80 % of the shorter list (both with 2+ authors)
    "authors_disjoint": -3,  # < 50 %
    "venue_compatible": 2,
    "venue_differs": -4,
    "venue_differs_proceedings": -1,  # conference names vary too much between databases
    "volume_same": 2,
    "volume_differs": -4,
    "pages_same": 3,
    "pages_range_same": 4,  # first and last page both the same: with journal and volume, the article
    "pages_differ": -7,  # one paper starts on one page: a 1-page item of the same title is an erratum
    "abstract_same": 2,  # similarity >= 90
}
ID_RULES = ("doi", "pubmed_id")
FIELDS = ("title", "year", "first_author", "authors", "venue", "volume", "pages", "abstract")


@dataclass(slots=True)
class Evidence:
    """Why two records are (not) the same work: the rule, the points per field, any veto."""

    rule: str
    score: float
    title_similarity: float | None
    points: dict[str, int | None] = field(default_factory=dict)
    doi: str = ""  # same | version | differ | "" (one or both missing)
    veto: str = ""

    @property
    def merged(self) -> bool:
        if self.rule in ID_RULES:
            return not self.veto
        return not self.veto and self.score >= MERGE_AT

    @property
    def near_miss(self) -> bool:
        """Worth a human look: just under the threshold, or over it but stopped by conflicting
        identifiers or years (a wrong DOI in one database looks like this)."""
        if self.rule in ID_RULES:
            return bool(self.veto)
        if not self.veto:
            return NEAR_MISS_AT <= self.score < MERGE_AT
        return self.score >= MERGE_AT and self.veto.startswith(("different DOI", "different PubMed", "years"))


def similarity(a: TitleForm, b: TitleForm) -> float:
    return float(Indel.normalized_similarity(a.compact, b.compact) * 100.0)


def title_similarity(a: Keys, b: Keys) -> float:
    """Best similarity over the title forms of two records (0 when one has no title)."""
    return max((similarity(x, y) for x in a.forms for y in b.forms), default=0.0)


def contained(a: TitleForm, b: TitleForm) -> bool:
    """One title is the other cut short: without its subtitle, truncated, or with a heading in
    front ("MEDICAL PROGRESS Atypical ..."), the shorter being long enough to mean something.
    The shorter must match the start or the end of the longer at ``CONTAINED_MIN`` similarity
    (typos allowed), or the two main titles (before any subtitle) must be the same."""
    short, long = (a.compact, b.compact) if len(a.compact) <= len(b.compact) else (b.compact, a.compact)
    if short == long:
        return False
    words = a.words if short is a.compact else b.words
    if len(short) >= PREFIX_MIN_CHARS and words >= 4:
        n = len(short)
        if long.startswith(short) or long.endswith(short):
            return True
        if (
            Indel.normalized_similarity(short, long[:n]) >= CONTAINED_MIN
            or Indel.normalized_similarity(short, long[-n:]) >= CONTAINED_MIN
        ):
            return True
    if short[:PREFIX_MIN_CHARS] != long[:PREFIX_MIN_CHARS]:
        return False  # the main titles (>= PREFIX_MIN_CHARS, prefixes of the titles) cannot agree
    return a.main == b.main and len(a.main) >= PREFIX_MIN_CHARS


def any_contained(a: Keys, b: Keys) -> bool:
    return any(contained(x, y) for x in a.forms for y in b.forms)


def title_points(sim: float) -> int:
    return next((p for limit, p in TITLE_POINTS if sim >= limit), 0)


def best_forms(a: Keys, b: Keys, sim: float | None = None) -> tuple[int, float, bool, TitleForm, TitleForm]:
    """The pair of title forms that agree best: (base points, similarity, contained, form a, form b)."""
    best: tuple[int, float, bool, TitleForm, TitleForm] | None = None
    for x in a.forms:
        for y in b.forms:
            s = sim if sim is not None and x is a.forms[0] and y is b.forms[0] else similarity(x, y)
            base, inside = title_points(s), contained(x, y)
            if inside and base < PREFIX_POINTS:
                base = PREFIX_POINTS
            if best is None or (base, s) > best[:2]:
                best = (base, s, inside, x, y)
    if best is None:
        raise ValueError("best_forms() needs two records with titles")
    return best


def _numbers_explained(fa: TitleForm, fb: TitleForm, a: Keys, b: Keys) -> bool:
    """A title cut short may lack numbers of the longer one ("X" / "X... N Engl J Med. 2009;360")
    only when the pages agree: "X" must not join "X: Part 1" and "X: Part 2" into one work."""
    short, long = (fa, fb) if len(fa.compact) <= len(fb.compact) else (fb, fa)
    rest = list(long.numbers)
    for number in short.numbers:
        if number not in rest:
            return False
        rest.remove(number)
    return bool(a.pages and b.pages) and pages_relation(a.pages, b.pages) in ("same", "range")  # type: ignore[arg-type]


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _token_matches(abbrev: str, word: str) -> bool:
    return abbrev == word or (
        len(abbrev) < len(word) and abbrev[0] == word[0] and (word.startswith(abbrev) or _subsequence(abbrev, word))
    )


def _abbreviates(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every word of ``short`` abbreviates a word of ``long``, in order, starting with the first:
    "N Engl J Med" / "New England Journal of Medicine", "J Rehabil Med" / "... (Stiftelsen ...)"."""
    if not _token_matches(short[0], long[0]):
        return False
    j = 1
    for word in short[1:]:
        while j < len(long) and not _token_matches(word, long[j]):
            j += 1
        if j == len(long):
            return False
        j += 1
    return True


def _acronym(acr: str, words: tuple[str, ...]) -> bool:
    """ "amcis" / americas conference information systems, "pnas" / proceedings national academy sciences."""
    if len(acr) < 3 or len(words) < 2 or not acr.isalpha():
        return False

    def walk(i: int, j: int) -> bool:
        if i == len(acr):
            return j >= len(words) - 1
        if j >= len(words):
            return False
        word = words[j]
        return any(
            acr[i : i + k] == word[:k] and walk(i + k, j + 1) for k in range(1, min(len(word), len(acr) - i) + 1)
        )

    return walk(0, 0)


_VENUE_NOISE = frozenset({"proceedings", "proc", "conference", "conf", "annual"})


def venues_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b:
        return True
    a2 = tuple(t for t in a if not t[0].isdigit() and t not in _VENUE_NOISE) or a
    b2 = tuple(t for t in b if not t[0].isdigit() and t not in _VENUE_NOISE) or b
    if a2 == b2:
        return True
    if _abbreviates(a2, b2) or _abbreviates(b2, a2):
        return True
    return (len(a2) == 1 and _acronym(a2[0], b)) or (len(b2) == 1 and _acronym(b2[0], a))


def _short_factor(words: int) -> float:
    for limit, factor in SHORT_TITLE_FACTOR:
        if words <= limit:
            return factor
    return 1.0


def doi_relation(a: Keys, b: Keys) -> str:
    if not a.doi or not b.doi:
        return ""
    if a.doi == b.doi:
        return "same"
    if a.doi_base == b.doi_base:
        return "version"
    return "differ"


def identifier_veto(a: Keys, b: Keys, rule: str) -> str:
    """Why records sharing a DOI or PubMed ID are nevertheless not one work ("" = they are):
    one is an erratum/reply/... and the other not, or the titles contradict the identifier
    (below ``ID_TITLE_MIN`` and neither contains the other, and either below ``ID_TITLE_FLOOR``
    or with different first authors or years more than one apart)."""
    name = "DOI" if rule == "doi" else "PubMed ID"
    if a.kind != b.kind:
        return f"same {name} but one is a {a.kind or b.kind}"
    if not a.forms or not b.forms:
        return ""
    sim = title_similarity(a, b)
    if sim >= ID_TITLE_MIN or any_contained(a, b):
        return ""
    authors_differ = bool(a.authors and b.authors) and not names_agree(a.authors[0], b.authors[0])
    years_apart = a.year is not None and b.year is not None and abs(a.year - b.year) > 1
    if sim < ID_TITLE_FLOOR or authors_differ or years_apart:
        return f"same {name} but the titles differ"
    return ""


def compare_identifier(a: Keys, b: Keys, rule: str) -> Evidence:
    """Records sharing a DOI or PubMed ID (rule 1). The field points are filled in to show the
    evidence, but the decision rests on the identifier and ``identifier_veto`` alone."""
    ev = compare(a, b)
    ev.rule = rule
    ev.veto = identifier_veto(a, b, rule)
    return ev


def compare(a: Keys, b: Keys, sim: float | None = None) -> Evidence:
    """Title-and-evidence comparison of two records (rule 2). ``sim`` is the similarity of
    the primary title forms when already known."""
    pts: dict[str, int | None] = dict.fromkeys(FIELDS)
    ev = Evidence(rule="title", score=0.0, title_similarity=None, points=pts, doi=doi_relation(a, b))
    if not a.forms or not b.forms:
        ev.veto = "a title is missing"
        return ev
    base, best_sim, inside, fa, fb = best_forms(a, b, sim)
    ev.title_similarity = round(best_sim, 1)
    if base == 0:
        ev.veto = "titles differ"
        return ev
    if inside and base == PREFIX_POINTS and title_points(best_sim) < PREFIX_POINTS:
        ev.rule = "title_prefix"
    pts["title"] = round(base * _short_factor(min(fa.words, fb.words)))

    vetoes: list[str] = []
    if a.kind != b.kind:
        vetoes.append(f"one is {a.kind or b.kind}, the other {b.kind if a.kind else a.kind} or a paper")
    if fa.numbers != fb.numbers and not (inside and _numbers_explained(fa, fb, a, b)):
        vetoes.append("the titles carry different numbers")
    if ev.doi == "differ":
        vetoes.append(f"different DOIs ({a.doi}, {b.doi})")
    if a.pmid and b.pmid and a.pmid != b.pmid:
        vetoes.append(f"different PubMed IDs ({a.pmid}, {b.pmid})")

    year_gap: int | None = None
    if a.year is not None and b.year is not None:
        year_gap = abs(a.year - b.year)
        if year_gap == 0:
            pts["year"] = POINTS["year_same"]
        elif year_gap == 1:
            pts["year"] = POINTS["year_adjacent"]
        else:
            pts["year"] = None
            vetoes.append(f"years {a.year} and {b.year} differ by more than one")

    if a.authors and b.authors:
        first = names_agree(a.authors[0], b.authors[0])
        pts["first_author"] = (
            POINTS["first_author_same"],
            POINTS["first_author_similar"],
            POINTS["first_author_differs"],
        )[2 - first]
        if len(a.authors) >= 2 and len(b.authors) >= 2:
            overlap = author_overlap(a.authors, b.authors)
            if overlap >= 0.8:
                pts["authors"] = POINTS["authors_overlap"]
            elif overlap < 0.5:
                pts["authors"] = POINTS["authors_disjoint"]
            else:
                pts["authors"] = 0

    if a.volume and b.volume:
        pts["volume"] = POINTS["volume_same"] if a.volume == b.volume else POINTS["volume_differs"]

    if a.pages and b.pages:
        relation = pages_relation(a.pages, b.pages)
        pts["pages"] = {
            "range": POINTS["pages_range_same"],
            "same": POINTS["pages_same"],
            "differ": POINTS["pages_differ"],
        }.get(relation, 0)

    if a.venues and b.venues:
        if any(venues_compatible(x, y) for x in a.venues for y in b.venues):
            pts["venue"] = POINTS["venue_compatible"]
        elif pts["volume"] == POINTS["volume_same"] and (pts["pages"] or 0) > 0:
            pts["venue"] = 0  # same volume and pages: another name of one journal (translated, renamed)
        elif a.venue_proceedings or b.venue_proceedings:
            pts["venue"] = POINTS["venue_differs_proceedings"]
        else:
            pts["venue"] = POINTS["venue_differs"]

    if a.abstract and b.abstract and Indel.normalized_similarity(a.abstract, b.abstract) >= 0.9:
        pts["abstract"] = POINTS["abstract_same"]

    ev.score = float(sum(p for p in pts.values() if p))
    ev.veto = "; ".join(vetoes)
    return ev


def author_overlap(a: tuple[Name, ...], b: tuple[Name, ...]) -> float:
    """Share of the shorter author list found (same or similar name) in the other."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    keys = {n.key for n in long}
    left = [n for n in short if n.key not in keys]
    found = len(short) - len(left)
    spare = [n for n in long if n.key not in {m.key for m in short}]
    for name in left:
        match = next((m for m in spare if names_agree(name, m)), None)
        if match is not None:
            spare.remove(match)
            found += 1
    return found / len(short)


def pages_relation(a: Pages, b: Pages) -> str:
    """ "range" (the same first and last page), "same" (a first or a last page in common),
    "differ", or "" when the pages say nothing: one starts at page 1 (article-number journals,
    online-first pagination, Excel's "01-Jun"), one is an article number and the other printed
    pages (BMJ "c1804" and "1014"), or the first pages are at most 2 apart over the same length
    (a typo)."""
    if a.starts[0] == b.starts[0] and a.ends[0] and a.ends[0] == b.ends[0] and a.ends[0] > a.starts[0]:
        return "range"
    if set(a.starts) & set(b.starts):
        return "same"
    ends = {e for e in a.ends if e} & {e for e in b.ends if e}
    if ends:
        return "same"
    if 1 in (a.starts[0], b.starts[0]) or a.article_number != b.article_number:
        return ""  # page 1, or an article number ('a1754') beside printed pages ('969-972')
    gap = abs(a.starts[0] - b.starts[0])
    if gap <= 2:
        la = a.ends[0] - a.starts[0] if a.ends[0] else None
        lb = b.ends[0] - b.starts[0] if b.ends[0] else None
        if la is None or lb is None or la == lb:
            return ""
    return "differ"
