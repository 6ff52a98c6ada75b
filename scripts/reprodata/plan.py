"""The reconstruction plan: which works exist, where each one was found, and every decision about it.

Pure and seeded: ``make_plan(seed, facts, appendix, published)`` returns the same plan for the same
inputs. The plan is the ground truth the tests and the end-to-end checks compare the pipeline with
(``Plan.record_to_work``, ``Plan.broad_works``, ...). Nothing here writes files.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from slr.records import fold

from . import vocab
from .bibfacts import ANCHOR, BROAD_TERMS, REFINED_TERMS, parse_authors_cell

YES, NO = "yes", "no"

# Design choices that the paper does not fix (documented in data/README.md).
DB_SHARES = (("both", 0.55), ("scopus", 0.30), ("wos", 0.15))
REAL_UNKNOWN_REFINED = 0.5  # a real record without abstract whose title has no governance term
SYN_DOI_SHARE = 0.7
DOI_DROP_WOS = 0.22  # a work in both databases whose WoS record lacks the DOI
DOI_DROP_SCOPUS = 0.08
DOI_DROP_SINGLE = 0.06
WOS_CAPS_OLD = 0.9  # WoS records before 1998 with an ALL-CAPS title
WOS_CAPS_SHARE = 0.04  # later WoS records with an ALL-CAPS title
WOS_NO_END_PAGE = 0.05
YEAR_SHIFTED = 4  # works whose WoS record gives the print year (one later) while Scopus gives online year
SCOPUS_TWICE = 3  # articles Scopus holds twice (two EIDs, same DOI)
LANGUAGE_EXCLUDED = 12  # included works whose full text is not in English
WOS_BATCH = 500  # Web of Science exports at most 500 full records per file


def rng_for(seed: int, *labels: object) -> random.Random:
    return random.Random(":".join([str(seed), *map(str, labels)]))


def digits(seed: int, *labels: object, n: int) -> str:
    h = hashlib.sha256(":".join([str(seed), *map(str, labels)]).encode("utf-8")).hexdigest()
    return str(int(h, 16))[-n:].rjust(n, "0")


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass
class Record:
    record_id: str
    database: str  # scopus | wos
    work_key: str
    title: str
    year: int
    doi: str
    journal: str
    pages: tuple[str, str]  # start, end ('' when missing)
    note: str = ""


@dataclass
class Work:
    key: str
    provenance: str  # real_record | reconstructed | synthetic
    title: str
    authors: list[tuple[str, str]]
    year: int
    journal: str
    volume: str
    issue: str
    pages: str
    doi: str
    language: str
    appendix_c: str = ""
    flags: dict[str, str] = field(default_factory=dict)
    refined: bool = False
    anchor: bool = False  # full text mentions anchor (anchor-included)
    coded: bool = False  # one of the Appendix C studies (minus Rescher)
    screen: dict[str, str] = field(default_factory=dict)  # abstract-screening codes (refined works)
    empirical: bool = False
    relevant: bool = True
    quantitative: bool = False
    availability: str = ""  # retrieved | restricted_access | language ('' = not screened in)
    pilot: dict[str, str] | None = None
    databases: tuple[str, ...] = ()
    records: list[Record] = field(default_factory=list)
    abstract: str = ""
    setting: tuple[str, str] | None = None  # (place, industry) of a synthetic work's title
    author_keywords: list[str] = field(default_factory=list)
    index_keywords: list[str] = field(default_factory=list)

    @property
    def included(self) -> bool:
        s = self.screen
        return bool(s) and s["relevant_to_is"] == YES and s["empirical"] == YES and s["quantitative_assessment"] == NO

    @property
    def visible_doi(self) -> str:
        """The DOI the pipeline can see (some record carries it), else ''."""
        return next((r.doi for r in self.records if r.doi), "")

    @property
    def record_ids(self) -> list[str]:
        return sorted(r.record_id for r in self.records)


@dataclass
class Plan:
    seed: int
    works: list[Work]
    targets: dict[str, int]

    def by_key(self) -> dict[str, Work]:
        return {w.key: w for w in self.works}

    @property
    def broad_works(self) -> list[Work]:
        return self.works

    @property
    def refined_works(self) -> list[Work]:
        return [w for w in self.works if w.refined]

    @property
    def included_works(self) -> list[Work]:
        return [w for w in self.works if w.included]

    @property
    def retrieved_works(self) -> list[Work]:
        return [w for w in self.works if w.availability == "retrieved"]

    @property
    def anchor_works(self) -> list[Work]:
        return [w for w in self.works if w.anchor]

    @property
    def coded_works(self) -> list[Work]:
        return [w for w in self.works if w.coded]

    def record_to_work(self) -> dict[str, str]:
        """Ground truth for deduplication: every record id -> the key of its work."""
        return {r.record_id: w.key for w in self.works for r in w.records}

    def cross_db_pairs(self) -> list[tuple[Record, Record]]:
        """One (Scopus, WoS) pair per work found in both databases (first record of each)."""
        pairs = []
        for w in self.works:
            sc = [r for r in w.records if r.database == "scopus"]
            ws = [r for r in w.records if r.database == "wos"]
            if sc and ws:
                pairs.append((sc[0], ws[0]))
        return pairs


# ------------------------------------------------------------------ building the works


def _work_from_fact(row: dict[str, str]) -> Work:
    return Work(
        key=row["key"],
        provenance=row["provenance"],
        title=row["title"],
        authors=parse_authors_cell(row["authors"]),
        year=int(row["year"]),
        journal=row["journal"],
        volume=row["volume"],
        issue=row["issue"],
        pages=row["pages"],
        doi=row["doi"],
        language=row["language"] or "English",
        appendix_c=row["appendix_c"],
        flags={k: row[k] for k in row if k.startswith("flag_")},
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _synthetic_title(rng: random.Random, governance: bool) -> tuple[str, str, str]:
    v = vocab
    obj, place = rng.choice(v.IS_OBJECTS), rng.choice(v.PLACES)
    ind, ind2 = rng.sample(v.INDUSTRIES, 2)
    if governance:
        forms = [
            f"{rng.choice(v.GOV_NOUNS)} of {obj} in {place}: {rng.choice(v.FRAMES)}",
            f"{rng.choice(v.GOV_GERUNDS)} {obj} in {place}",
            f"The role of {rng.choice(v.ACTORS)} in {obj}: {rng.choice(v.FRAMES)}",
            f"{rng.choice(v.GOV_NOUNS)} and {obj} around the {ind} industry of {place}",
            f"How {rng.choice(v.ACTORS)} shape {obj} in {place}",
            f"{_capitalise(obj)} in {place}: {rng.choice(v.GOV_NOUNS).lower()} and {rng.choice(v.FRAMES)}",
        ]
    else:
        forms = [
            f"{rng.choice(v.TECH_TOPICS)} in {obj} at {place}: {rng.choice(v.TECH_FRAMES)}",
            f"{rng.choice(v.TECH_TOPICS)} between {ind} and {ind2} plants in {place}",
            f"Reusing {rng.choice(v.BYPRODUCTS)} from the {ind} industry in {place}",
            f"{rng.choice(v.TECH_TOPICS)} around a {ind} complex in {place}",
            f"{_capitalise(obj)} in {place}: {rng.choice(v.TECH_FRAMES)}",
        ]
    return rng.choice(forms), place, ind


def _synthetic_authors(rng: random.Random) -> list[tuple[str, str]]:
    n = rng.choices([1, 2, 3, 4, 5], weights=[15, 30, 30, 15, 10])[0]
    surnames = rng.sample(vocab.SURNAMES, n)
    return [(s, rng.choice(vocab.GIVEN) + ("" if rng.random() < 0.6 else f" {rng.choice('ABCDEHJKLMPRST')}."))
            for s in surnames]  # fmt: skip


def _synthetic_year(rng: random.Random) -> int:
    years = list(range(1995, 2016))
    weights = [1 + (y - 1995) ** 1.6 for y in years]
    return rng.choices(years, weights=weights)[0]


def _make_synthetic(seed: int, index: int, governance: bool, taken: list[str]) -> Work:
    rng = rng_for(seed, "synthetic", index)
    for _attempt in range(200):
        title, place, industry = _synthetic_title(rng, governance)
        folded = fold(title)
        if REFINED_TERMS.search(title) and not governance:
            continue
        hit = process.extractOne(folded, taken, scorer=fuzz.token_sort_ratio, score_cutoff=80)
        if hit is None:
            break
    else:  # pragma: no cover - the vocabulary is large enough
        raise RuntimeError("could not draw a distinct synthetic title")
    taken.append(folded)
    year = _synthetic_year(rng)
    volume = str(max(1, year - rng.choice([1970, 1985, 1990, 1995, 2000])))
    start = rng.randint(1, 1800)
    doi = ""
    if rng.random() < SYN_DOI_SHARE:
        doi = f"10.99999/slr-repro.{year}.{index:04d}"
    return Work(
        key=f"syn:{index:04d}",
        provenance="synthetic",
        title=title,
        authors=_synthetic_authors(rng),
        year=year,
        journal=rng.choice(vocab.JOURNALS),
        volume=volume,
        issue=str(rng.randint(1, 12)) if rng.random() < 0.8 else "",
        pages=f"{start}-{start + rng.randint(6, 20)}",
        doi=doi,
        language="English",
        setting=(place, industry),
    )


def _pick(rng: random.Random, items: list[Work], n: int) -> list[Work]:
    items = sorted(items, key=lambda w: w.key)
    if n > len(items):
        raise ValueError(f"need {n} works but only {len(items)} qualify")
    return rng.sample(items, n)


def make_plan(seed: int, facts: list[dict[str, str]], appendix: list[dict[str, str]], published: dict) -> Plan:
    funnel = published["funnel"]
    targets = {
        "broad": int(funnel["broad_search_merged_deduplicated"]),
        "pilot": int(funnel["pilot_abstracts_coded"]),
        "refined": int(funnel["refined_search_merged_deduplicated"]),
        "included": int(funnel["abstract_screening_included"]),
        "not_retrieved": int(funnel["fulltext_unavailable"]),
        "retrieved": int(funnel["fulltext_retrieved"]),
        "anchor": int(funnel["anchor_mention_included"]),
        "coded": int(funnel["coded_reproducible"]),
    }
    real = [_work_from_fact(r) for r in facts if r["in_scope"] == YES]
    real.sort(key=lambda w: w.key)
    by_key = {w.key: w for w in real}
    coded_keys = [a["key"] for a in appendix if a["key"]]
    for k in coded_keys:
        by_key[k].coded = True
        by_key[k].anchor = True
    if len(coded_keys) != targets["coded"]:
        raise ValueError(f"{len(coded_keys)} Appendix C studies have a record; the paper implies {targets['coded']}")
    # The other anchor-included works: real records whose abstract, title or keywords mention anchoring.
    extra = [w for w in real if not w.coded and w.flags.get("flag_anchor") == YES and w.authors]
    need = targets["anchor"] - len(coded_keys)
    for w in _pick(rng_for(seed, "anchor-extra"), extra, need):
        w.anchor = True

    # ---------------------------------------------------------------- synthetic works and refined set
    n_syn = targets["broad"] - len(real)
    if n_syn < 0:
        raise ValueError("more real records than broad works")
    rng = rng_for(seed, "refined")
    for w in real:
        f = w.flags.get("flag_refined_terms", "")
        w.refined = w.anchor or f == YES or (f == "" and rng.random() < REAL_UNKNOWN_REFINED)
    n_syn_ref = targets["refined"] - sum(w.refined for w in real)
    if not 0 <= n_syn_ref <= n_syn:
        raise ValueError(f"cannot reach the refined count with {n_syn} synthetic works ({n_syn_ref} needed)")
    taken = [fold(w.title) for w in real]
    synthetic = [_make_synthetic(seed, i + 1, i < n_syn_ref, taken) for i in range(n_syn)]
    for i, w in enumerate(synthetic):
        w.refined = i < n_syn_ref
    works = real + synthetic

    # ---------------------------------------------------------------- abstract screening (refined works)
    rng = rng_for(seed, "screening")
    refined = [w for w in works if w.refined]
    chosen: list[Work] = [w for w in refined if w.anchor]
    candidates = []
    for w in refined:
        if w.anchor or w.provenance == "synthetic" or w.flags.get("flag_anchor") == YES:
            continue
        emp, quant = w.flags.get("flag_empirical", ""), w.flags.get("flag_quantitative", "")
        p = 0.0
        if emp == YES and quant != YES:
            p = 0.85
        elif emp == "" and quant != YES:
            p = 0.4
        if rng.random() < p:
            candidates.append(w)
    room = targets["included"] - len(chosen)
    if len(candidates) > room:
        candidates = _pick(rng, candidates, room)
    chosen += candidates
    syn_ref = [w for w in refined if w.provenance == "synthetic"]
    chosen += _pick(rng, syn_ref, targets["included"] - len(chosen))
    chosen_keys = {w.key for w in chosen}
    for w in refined:
        w.screen = _screen_codes(w, w.key in chosen_keys, rng_for(seed, "codes", w.key))
        w.relevant = w.screen["relevant_to_is"] == YES
        w.empirical = w.screen["empirical"] == YES
        w.quantitative = w.screen["quantitative_assessment"] == YES
    for w in works:
        if not w.refined:
            r = rng_for(seed, "broad-attrs", w.key)
            w.empirical = w.flags.get("flag_empirical") == YES or (not w.flags and r.random() < 0.5)
            w.quantitative = w.flags.get("flag_quantitative") == YES or (not w.flags and r.random() < 0.4)
            w.relevant = r.random() < 0.8

    # ---------------------------------------------------------------- full-text availability
    rng = rng_for(seed, "fulltext")
    included = [w for w in works if w.included]
    non_anchor = [w for w in included if not w.anchor]
    foreign = [w for w in non_anchor if w.language != "English"]
    syn_inc = [w for w in non_anchor if w.provenance == "synthetic" and w.language == "English"]
    for w in _pick(rng, syn_inc, max(0, LANGUAGE_EXCLUDED - len(foreign))):
        w.language = rng.choice(vocab.LANGUAGES)
    for w in included:
        w.availability = "retrieved"
        if w.language != "English":
            w.availability = "language"
    n_lang = sum(w.availability == "language" for w in included)
    open_ = [w for w in non_anchor if w.availability == "retrieved"]
    for w in _pick(rng, open_, targets["not_retrieved"] - n_lang):
        w.availability = "restricted_access"
    # Some works that were not screened in are not in English either (as in real exports).
    for w in works:
        if w.provenance == "synthetic" and not w.included and rng_for(seed, "lang", w.key).random() < 0.04:
            w.language = rng_for(seed, "lang2", w.key).choice(vocab.LANGUAGES)

    # ---------------------------------------------------------------- pilot sample (broad works)
    rng = rng_for(seed, "pilot")
    for w in _pick(rng, works, targets["pilot"]):
        r = rng_for(seed, "pilot-codes", w.key)
        gov = r.random() < (0.75 if w.refined else 0.1)
        w.pilot = {"governance_relevant": YES if gov else NO, "empirical": YES if w.empirical else NO}

    # ---------------------------------------------------------------- databases and records
    _place_records(seed, works)
    for w in works:
        _write_abstract(seed, w)
    plan = Plan(seed, works, targets)
    check_plan(plan)
    return plan


def _screen_codes(w: Work, include: bool, rng: random.Random) -> dict[str, str]:
    if include:
        return {"relevant_to_is": YES, "empirical": YES, "quantitative_assessment": NO}
    flags = w.flags
    if w.provenance == "synthetic" or not flags:
        reason = rng.choices(["relevant", "empirical", "quantitative"], weights=[20, 45, 35])[0]
        codes = {
            "relevant_to_is": YES,
            "empirical": YES if rng.random() < 0.6 else NO,
            "quantitative_assessment": YES if rng.random() < 0.3 else NO,
        }
    else:
        codes = {
            "relevant_to_is": NO if flags.get("flag_broad_terms") == NO and rng.random() < 0.4 else YES,
            "empirical": YES if flags.get("flag_empirical") == YES else NO,
            "quantitative_assessment": YES if flags.get("flag_quantitative") == YES else NO,
        }
        reason = rng.choices(["relevant", "empirical", "quantitative"], weights=[15, 50, 35])[0]
    if codes == {"relevant_to_is": YES, "empirical": YES, "quantitative_assessment": NO}:
        if reason == "relevant":
            codes["relevant_to_is"] = NO
        elif reason == "empirical":
            codes["empirical"] = NO
        else:
            codes["quantitative_assessment"] = YES
    return codes


def _make_eid(seed: int, key: str, year: int, n: int) -> str:
    if year < 2005:
        body = "00" + digits(seed, "eid", key, n, n=8)
    elif year < 2009:
        body = "3" + digits(seed, "eid", key, n, n=10)
    else:
        body = "84" + digits(seed, "eid", key, n, n=9)
    return f"2-s2.0-{body}"


def _make_ut(seed: int, key: str) -> str:
    return f"WOS:000{digits(seed, 'ut', key, n=6)}{digits(seed, 'ut2', key, n=6)}"


def scopus_title(title: str) -> str:
    """Scopus shows titles as published; the bibliography holds a few in WoS capitals."""
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.7 * len(letters):
        return title
    text = title.lower()
    return re.sub(r"(^|[:?.]\s+)(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def _split_pages(pages: str) -> tuple[str, str]:
    if "-" in pages:
        a, _, b = pages.partition("-")
        return a.strip(), b.strip()
    return pages.strip(), ""


def _place_records(seed: int, works: list[Work]) -> None:
    rng = rng_for(seed, "databases")
    names = [n for n, _ in DB_SHARES]
    weights = [p for _, p in DB_SHARES]
    for w in works:
        r = rng_for(seed, "db", w.key)
        choice = r.choices(names, weights=weights)[0]
        w.databases = ("scopus", "wos") if choice == "both" else (choice,)
    # The later (print) year must stay inside the searches' limits (no 2016 records).
    both_doi = [w for w in works if len(w.databases) == 2 and w.doi and not w.coded and 2005 <= w.year <= 2014]
    shifted = {w.key for w in _pick(rng, both_doi, YEAR_SHIFTED)}
    twice_pool = [w for w in works if "scopus" in w.databases and w.doi and w.provenance == "real_record"
                  and w.year >= 2008 and not w.anchor and w.key not in shifted]  # fmt: skip
    twice = {w.key for w in _pick(rng, twice_pool, SCOPUS_TWICE)}
    seen: set[str] = set()
    for w in works:
        r = rng_for(seed, "records", w.key)
        pages = _split_pages(w.pages)
        sc_doi = wos_doi = w.doi
        if w.doi:
            if len(w.databases) == 2 and w.key not in shifted:
                x = r.random()
                if x < DOI_DROP_WOS:
                    wos_doi = ""
                elif x < DOI_DROP_WOS + DOI_DROP_SCOPUS:
                    sc_doi = ""
            elif len(w.databases) == 1 and w.key not in twice and r.random() < DOI_DROP_SINGLE:
                sc_doi = wos_doi = ""
        w.records = []
        if "scopus" in w.databases:
            w.records.append(
                Record(
                    _make_eid(seed, w.key, w.year, 0),
                    "scopus",
                    w.key,
                    scopus_title(w.title),
                    w.year,
                    sc_doi,
                    w.journal,
                    pages,
                )
            )
            if w.key in twice:
                w.records.append(
                    Record(
                        _make_eid(seed, w.key, w.year, 1),
                        "scopus",
                        w.key,
                        scopus_title(w.title),
                        w.year,
                        w.doi,
                        w.journal,
                        ("", ""),
                        note="a second Scopus record of the same article (no volume, issue or pages)",
                    )
                )
        if "wos" in w.databases:
            title = w.title
            if r.random() < (WOS_CAPS_OLD if w.year < 1998 else WOS_CAPS_SHARE):
                title = title.upper()
            title = title.replace("\u2013", "-").replace("\u2014", "-")
            wos_pages = pages
            if pages[1] and r.random() < WOS_NO_END_PAGE:
                wos_pages = (pages[0], "")
            year = w.year + 1 if w.key in shifted else w.year
            note = "WoS gives the print year, Scopus the year of online publication" if w.key in shifted else ""
            w.records.append(Record(_make_ut(seed, w.key), "wos", w.key, title, year, wos_doi, w.journal.upper(),
                                    wos_pages, note=note))  # fmt: skip
        for rec in w.records:
            if rec.record_id in seen:
                raise ValueError(f"generated id {rec.record_id} twice")
            seen.add(rec.record_id)


def _write_abstract(seed: int, w: Work) -> None:
    """Generated abstract and keywords that agree with the work's codes and its search membership."""
    rng = rng_for(seed, "abstract", w.key)
    v = vocab
    place, ind = w.setting if w.setting else (None, None)
    opener = rng.choice(v.OPENERS if w.setting else v.NEUTRAL_OPENERS)
    parts = [v.GENERATED_MARK, v.fill(opener, rng, place, ind)]
    if not w.relevant:
        parts.append(rng.choice(v.OFFTOPIC_SENTENCES))
    if w.refined:
        parts.append(v.fill(rng.choice(v.GOV_SENTENCES), rng, place, ind))
    else:
        parts.append(v.fill(rng.choice(v.PLAIN_SENTENCES), rng, place, ind))
    parts.append(rng.choice(v.EMPIRICAL_SENTENCES if w.empirical else v.CONCEPTUAL_SENTENCES))
    parts.append(rng.choice(v.QUANT_SENTENCES if w.quantitative else v.QUAL_SENTENCES))
    w.abstract = " ".join(parts)
    kws = rng.sample(v.KEYWORDS_IS, 2)
    if w.refined:
        kws += rng.sample(v.KEYWORDS_GOV, 1)
    kws.append(rng.choice(v.KEYWORDS_EMP if w.empirical else v.KEYWORDS_TECH))
    if w.quantitative:
        kws.append(rng.choice(v.KEYWORDS_QUANT))
    w.author_keywords = kws
    idx = rng.sample(v.KEYWORDS_IS, 2) + rng.sample(v.KEYWORDS_TECH, 2)
    w.index_keywords = sorted(set(idx))


# ------------------------------------------------------------------ checks


def check_plan(plan: Plan) -> None:
    """The plan reaches the published counts by construction; fail loudly otherwise."""
    t = plan.targets
    works = plan.works
    counts = {
        "broad": len(works),
        "pilot": sum(w.pilot is not None for w in works),
        "refined": len(plan.refined_works),
        "included": len(plan.included_works),
        "retrieved": len(plan.retrieved_works),
        "not_retrieved": sum(w.availability in ("restricted_access", "language") for w in works),
        "anchor": len(plan.anchor_works),
        "coded": len(plan.coded_works),
    }
    for name, n in counts.items():
        if n != t[name]:
            raise AssertionError(f"plan has {n} {name} works, not {t[name]}")
    for w in plan.anchor_works:
        if not (w.refined and w.included and w.availability == "retrieved"):
            raise AssertionError(f"anchor work {w.key} is not retrieved")
    for w in works:
        text = " ".join([w.title, w.abstract, *w.author_keywords, *w.index_keywords])
        if not BROAD_TERMS.search(text):
            raise AssertionError(f"{w.key}: no broad search term in title, abstract or keywords")
        if w.refined != bool(REFINED_TERMS.search(text)):
            raise AssertionError(f"{w.key}: refined={w.refined} but the governance terms say otherwise")
        if not w.anchor and w.availability == "retrieved":
            names = " ".join(f"{s} {g}" for s, g in w.authors)
            if ANCHOR.search(" ".join([w.title, names, w.journal])):
                raise AssertionError(f"{w.key}: retrieved without anchor mention but its metadata says anchor")
    pairs = plan.cross_db_pairs()
    lacking = sum(1 for a, b in pairs if not a.doi or not b.doi)
    if lacking * 3 < len(pairs):
        raise AssertionError(f"only {lacking} of {len(pairs)} cross-database pairs lack a DOI on one side")


def short_title(title: str, words: int = 6) -> str:
    tokens = re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", ascii_fold(title))
    return "_".join(tokens[:words])
