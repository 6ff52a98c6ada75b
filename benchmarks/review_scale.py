"""The whole workflow on a seeded synthetic review of 100k records and 2,000 PDFs: time and memory.

    .venv/bin/python benchmarks/review_scale.py [--records 100000] [--pdfs 2000] [--cores 2]
        [--seed 11] [--dir DIR] [--keep] [--bare-sample 200]

Builds, in a temporary folder (or DIR; never in the repository), a review the way a researcher
would hold it: Scopus CSV and Web of Science plain-text exports of a broad search and of a
refined search (a subset of the broad one), split into files as the databases hand them out
(Scopus 20,000 records per CSV, WoS 1,000 per file); works found by both databases with the
usual differences (a DOI only one side gives, upper-case DOIs and ALL-CAPS titles from WoS,
journal names in capitals, a missing end page, Scopus holding an article twice); code files
that name works by DOI, or title and year where there is no DOI (a pilot sample, abstract
screening of most refined works, full-text availability), coded segments for the studies whose
full text mentions anchoring, and stand-in PDFs of the retrieved works (the reproduction data's
writer, ``scripts/reprodata/pdfs.py``; two pages, ``--extra-pages`` adds more), named by DOI, with
the DOI on the first page, as author_year_title, or with a name that says nothing (only the title
on the first page tells the work). ``--records`` counts the broad search's records (the refined
search's exports repeat a subset of them). The titles of one review end alike ("... in
eco-industrial parks"), as a topic's titles do, which deduplication has to cope with.

Then it runs the real workflow (a copy of Snakefile, workflow/ and config/ with a config that
points at the synthetic data) in three timed steps: (1) ingest, dedupe and screening; (2) PDF
extraction; (3) everything else (links, search, tables, cases, funnel, PRISMA, audit, report).
Printed: wall time and peak memory of each step (the largest single process, and the sum of all
processes running at once, sampled every 0.1 s), the time of each rule from Snakemake's
``benchmark:`` files, the funnel against the generator's truth, deduplication precision and
recall, and extraction pages/s against bare pdfminer.six (one process, on a sample of the same
PDFs) times the number of cores.

A DIR given with --dir keeps its generated data; a second run with the same options reuses it
(results, logs and .snakemake are always removed first, so every run starts cold).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate, combinations
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from reprodata import vocab  # noqa: E402
from reprodata.exports import scopus_csv, search_yaml, wos_text  # noqa: E402
from reprodata.pdfs import Block, StandIn, _compose, _wrap, render  # noqa: E402
from reprodata.plan import Record, Work, ascii_fold, short_title  # noqa: E402

from slr.codebook import load as load_codebook  # noqa: E402
from slr.records import fold  # noqa: E402

# Shares of the synthetic review (design choices, in the spirit of the reproduction data).
DB_SHARES = (("both", 0.55), ("scopus", 0.30), ("wos", 0.15))
DOI_SHARE = 0.8  # works with a DOI
DOI_DROP_WOS = 0.22  # a work in both databases whose WoS record lacks the DOI
DOI_DROP_SCOPUS = 0.08
DOI_UPPER_WOS = 0.15  # WoS shows the DOI in capitals
WOS_CAPS = 0.05  # WoS title in capitals
WOS_TITLE_CASE = 0.05  # WoS Title Case where Scopus has sentence case
WOS_NO_END_PAGE = 0.05
SCOPUS_TWICE = 0.002  # Scopus holds the article twice (two EIDs, one DOI)
REFINED_SHARE = 0.7  # works of the broad search the refined search finds too
CODED_SHARE = 0.92  # refined works with an abstract-screening decision
INCLUDED_SHARE = 0.08  # coded works screened in (raised when --pdfs needs more)
RETRIEVED_SHARE = 0.8
AVAILABILITY_CODED = 0.98
ANCHOR_SHARE = 0.2  # retrieved works whose full text mentions anchor*
SEGMENT_CODED = 0.9  # anchor works with coded segments
SCOPUS_FILE = 20000  # records per Scopus CSV export
WOS_FILE = 1000  # records per WoS plain-text export
PATTERNS = (("once", 30), ("twice", 25), ("many", 25), ("hyphen_only", 6), ("hyphen_plus", 7), ("refs_only", 7))

FUNCTION_WORDS = ("of", "the", "in", "and", "for", "with", "on", "a", "to", "from", "by", "among", "after")
STARTS = ("Effects", "Impact", "Analysis", "Role", "Assessment", "Study", "Evaluation", "Comparison", "Governance")
SYLLABLES = tuple(c + v for c in "bcdfghklmnprstvz" for v in "aeiou")  # never "anchor": no "nch"
SUFFIXES = ("", "", "tion", "ment", "ical", "ity", "ism", "ology", "ics", "ive", "ous")


# ------------------------------------------------------------------ the synthetic review


class Words:
    """Zipf-distributed invented words and names, shared by every work of one review."""

    def __init__(self, rng: random.Random, n_works: int) -> None:
        def word(low: int, high: int) -> str:
            return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))) + rng.choice(SUFFIXES)

        self.words = list(dict.fromkeys(word(2, 4) for _ in range(max(3000, n_works // 2))))
        self.surnames = list(dict.fromkeys(word(2, 3).capitalize() for _ in range(max(1000, n_works // 6))))
        self.given = list(dict.fromkeys(word(2, 3).capitalize() for _ in range(600)))
        self.journals = []
        for _ in range(max(200, n_works // 100)):
            parts = " ".join(word(2, 4).capitalize() for _ in range(rng.randint(1, 3)))
            self.journals.append(f"Journal of {parts}" if rng.random() < 0.6 else f"{parts} Research")
        self._words_cum = list(accumulate(1 / (r + 1) ** 0.9 for r in range(len(self.words))))
        self._names_cum = list(accumulate(1 / (r + 1) ** 0.7 for r in range(len(self.surnames))))

    def title(self, rng: random.Random) -> str:
        n = rng.randint(4, 12)
        words = rng.choices(self.words, cum_weights=self._words_cum, k=n)
        for i in range(1, n - 1):
            if rng.random() < 0.25:
                words[i] = rng.choice(FUNCTION_WORDS)
        text = f"{rng.choice(STARTS)} of {' '.join(words)} in {rng.choice(vocab.IS_OBJECTS)}"
        if rng.random() < 0.35:
            text += ": " + " ".join(rng.choices(self.words, cum_weights=self._words_cum, k=rng.randint(2, 5)))
        return text

    def authors(self, rng: random.Random) -> list[tuple[str, str]]:
        count = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8))
        names = rng.choices(self.surnames, cum_weights=self._names_cum, k=count)
        return [(s, " ".join(rng.choice(self.given) for _ in range(rng.randint(1, 2)))) for s in names]


@dataclass
class Review:
    """Every work with its records and every decision about it: the ground truth of one run."""

    works: list[Work]
    broad: list[Work]
    refined: list[Work]
    pilot: list[Work]
    screening: dict[str, dict[str, str]]  # work key -> criterion -> yes/no/'' (coded works only)
    included: list[Work]
    availability: dict[str, str]  # work key -> retrieved / reason (coded ones)
    retrieved: list[Work]
    patterns: dict[str, str]  # retrieved work key -> anchor mention pattern ("none": no mention)
    segments: dict[str, list[str]] = field(default_factory=dict)  # work key -> codebook paths

    def expected(self) -> dict[str, int]:
        not_retrieved = sum(1 for v in self.availability.values() if v != "retrieved")
        anchor = sum(1 for p in self.patterns.values() if p != "none")
        return {
            "broad_unique": len(self.broad),
            "pilot_sample": len(self.pilot),
            "refined_unique": len(self.refined),
            "screened_included": len(self.included),
            "fulltext_not_retrieved": not_retrieved,
            "fulltext_retrieved": len(self.retrieved),
            "fulltext_unreadable": 0,
            "anchor_included": anchor,
            "coded": len(self.segments),
        }

    def record_to_work(self) -> dict[str, str]:
        return {r.record_id: w.key for w in self.works for r in w.records}


def _year(rng: random.Random) -> int:
    # Publications grow about 8 % a year: more recent years are likelier.
    return 1990 + int(math.log(1 + rng.random() * (1.08**35 - 1)) / math.log(1.08))


def _pages(rng: random.Random) -> str:
    start = rng.randint(1, 2500)
    return f"{start}-{start + rng.randint(4, 24)}"


def _doi(rng: random.Random, year: int, key: str) -> str:
    prefix = rng.choice(("10.1016/j", "10.1007/s", "10.1111/j", "10.1080/", "10.3390/su"))
    return f"{prefix}.{year}.{int(hashlib.sha1(key.encode()).hexdigest()[:10], 16) % 10**8:08d}"


def _abstract(rng: random.Random) -> str:
    v = vocab
    parts = [
        v.GENERATED_MARK,
        v.fill(rng.choice(v.NEUTRAL_OPENERS), rng),
        v.fill(rng.choice(v.PLAIN_SENTENCES + v.GOV_SENTENCES), rng),
        rng.choice(v.EMPIRICAL_SENTENCES + v.CONCEPTUAL_SENTENCES),
        rng.choice(v.QUANT_SENTENCES + v.QUAL_SENTENCES),
    ]
    return " ".join(parts)


def _title_case(title: str) -> str:
    return " ".join(w if w in FUNCTION_WORDS else w[:1].upper() + w[1:] for w in title.split(" "))


def make_review(n_records: int, n_pdfs: int, seed: int) -> Review:
    """The works (about ``n_records`` / 1.55 of them, so that the broad search has ``n_records``
    records) and all decisions. Folded titles are unique, so title + year names one work."""
    rng = random.Random(seed)
    per_work = sum(share * (2 if kind == "both" else 1) for kind, share in DB_SHARES) + SCOPUS_TWICE
    n_works = max(20, round(n_records / per_work))
    words = Words(rng, n_works)
    works: list[Work] = []
    seen_titles: set[str] = set()
    used_ids: set[str] = set()

    def unique_id(make: str) -> str:
        while True:
            rid = make.format(rng.randrange(10**11), rng.randrange(10**15))
            if rid not in used_ids:
                used_ids.add(rid)
                return rid

    for i in range(n_works):
        key = f"w{i:07d}"
        title = words.title(rng)
        while fold(title) in seen_titles:
            title = words.title(rng)
        seen_titles.add(fold(title))
        year = _year(rng)
        doi = _doi(rng, year, f"{seed}:{key}") if rng.random() < DOI_SHARE else ""
        w = Work(
            key=key,
            provenance="synthetic",
            title=title,
            authors=words.authors(rng),
            year=year,
            journal=rng.choice(words.journals),
            volume=str(rng.randint(1, 160)),
            issue=str(rng.randint(1, 12)) if rng.random() < 0.8 else "",
            pages=_pages(rng),
            doi=doi,
            language="English",
            abstract=_abstract(rng),
        )
        w.author_keywords = rng.sample(vocab.KEYWORDS_IS, 2) + rng.sample(vocab.KEYWORDS_TECH, 1)
        w.index_keywords = sorted(set(rng.sample(vocab.KEYWORDS_IS, 2) + rng.sample(vocab.KEYWORDS_TECH, 2)))
        roll, kind = rng.random(), "both"
        for name, share in DB_SHARES:
            if roll < share:
                kind = name
                break
            roll -= share
        start, _, end = w.pages.partition("-")
        if kind in ("both", "scopus"):
            sdoi = doi if not (kind == "both" and rng.random() < DOI_DROP_SCOPUS) else ""
            w.records.append(
                Record(unique_id("2-s2.0-84{0:011d}"), "scopus", key, title, year, sdoi, w.journal, (start, end))
            )
            if doi and rng.random() < SCOPUS_TWICE / DB_SHARES[0][1]:
                w.records.append(
                    Record(
                        unique_id("2-s2.0-85{0:011d}"),
                        "scopus",
                        key,
                        title,
                        year,
                        doi,
                        w.journal,
                        (start, end),
                        note="Scopus holds it twice",
                    )
                )
        if kind in ("both", "wos"):
            wdoi = "" if (kind == "both" and doi and rng.random() < DOI_DROP_WOS) else doi
            if wdoi and rng.random() < DOI_UPPER_WOS:
                wdoi = wdoi.upper()
            r = rng.random()
            wtitle = title.upper() if r < WOS_CAPS else _title_case(title) if r < WOS_CAPS + WOS_TITLE_CASE else title
            wpages = (start, "") if rng.random() < WOS_NO_END_PAGE else (start, end)
            w.records.append(
                Record(unique_id("WOS:{1:015d}"), "wos", key, wtitle, year, wdoi, w.journal.upper(), wpages)
            )
        if kind == "both" and not any(rec.doi for rec in w.records):
            w.doi = ""  # no record shows it: the work has none the pipeline could see
        works.append(w)

    refined = [w for w in works if rng.random() < REFINED_SHARE]
    for w in refined:
        w.refined = True
    pilot_size = max(50, round(len(works) * 0.005))
    pilot = rng.sample(works, min(pilot_size, len(works)))
    coded = [w for w in refined if rng.random() < CODED_SHARE]
    n_included = max(round(len(coded) * INCLUDED_SHARE), math.ceil(n_pdfs / RETRIEVED_SHARE))
    n_included = min(n_included, len(coded))
    included = set(w.key for w in rng.sample(coded, n_included))
    screening: dict[str, dict[str, str]] = {}
    for w in coded:
        if w.key in included:
            screening[w.key] = {"relevant_to_is": "yes", "empirical": "yes", "quantitative_assessment": "no"}
            continue
        why = rng.random()
        codes = {c: rng.choice(("yes", "no")) for c in ("relevant_to_is", "empirical", "quantitative_assessment")}
        if why < 0.6:
            codes["relevant_to_is"] = "no"
            if rng.random() < 0.1:  # the first failed criterion decides; the rest left blank
                codes["empirical"] = codes["quantitative_assessment"] = ""
        elif why < 0.85:
            codes.update(relevant_to_is="yes", empirical="no")
        else:
            codes.update(relevant_to_is="yes", empirical="yes", quantitative_assessment="yes")
        screening[w.key] = codes
    included_works = [w for w in coded if w.key in included]
    availability: dict[str, str] = {}
    retrieved: list[Work] = []
    n_retrieved = min(n_pdfs, round(len(included_works) * RETRIEVED_SHARE))
    order = rng.sample(included_works, len(included_works))
    for i, w in enumerate(order):
        if i < n_retrieved:
            availability[w.key] = "retrieved"
            retrieved.append(w)
        elif rng.random() < AVAILABILITY_CODED:
            availability[w.key] = rng.choice(("restricted_access", "restricted_access", "language"))
    flat = [p for p, n in PATTERNS for _ in range(n)]
    patterns = {w.key: rng.choice(flat) if rng.random() < ANCHOR_SHARE else "none" for w in retrieved}
    return Review(works, works, refined, pilot, screening, included_works, availability, retrieved, patterns)


def add_segments(review: Review, codebook_path: Path, seed: int) -> None:
    """Codebook codes for most anchor-mentioning studies (one to five activities, one to two actors)."""
    book = load_codebook(codebook_path)
    rng = random.Random(f"{seed}:segments")
    activities = [a.code for a in book.activities]
    actors = [a.code for a in book.actors]
    for w in review.retrieved:
        if review.patterns[w.key] != "none" and rng.random() < SEGMENT_CODED:
            picked = rng.sample(activities, rng.randint(1, 5)) + rng.sample(actors, rng.randint(1, 2))
            review.segments[w.key] = picked


# ------------------------------------------------------------------ writing it out


def _batches(items: Sequence[tuple[Work, Record]], size: int) -> list[list[tuple[Work, Record]]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def _export_name(stem: str, suffix: str, index: int) -> str:
    return f"{stem}{suffix}" if index == 0 else f"{stem}({index}){suffix}"


def write_exports(review: Review, data: Path, seed: int) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for search, works in (("broad", review.broad), ("refined", review.refined)):
        folder = data / "raw" / search
        folder.mkdir(parents=True, exist_ok=True)
        exports = []
        for database, stem, suffix, size in (
            ("scopus", "scopus", ".csv", SCOPUS_FILE),
            ("wos", "savedrecs", ".txt", WOS_FILE),
        ):
            items = [(w, r) for w in works for r in w.records if r.database == database]
            items.sort(key=lambda wr: (-wr[1].year, wr[1].title.casefold(), wr[1].record_id))  # newest first
            for i, batch in enumerate(_batches(items, size)):
                name = _export_name(stem, suffix, i)
                write = scopus_csv if database == "scopus" else wos_text
                (folder / name).write_bytes(write(seed, batch))
                limits = {"document_types": "[Article]"}
                query = "TS=(synthetic search)" if database == "wos" else 'TITLE-ABS-KEY("synthetic search")'
                exports.append(
                    {
                        "file": name,
                        "database": database,
                        "query": query,
                        "date": "2024-01-15",
                        "limits": limits,
                        "reported_hits": len(batch),
                    }
                )
        (folder / "search.yaml").write_text(search_yaml(search, f"synthetic {search} search", exports))
        files[search] = [str(e["file"]) for e in exports]
    return files


def _ident(w: Work, rng: random.Random) -> dict[str, str]:
    """How a code sheet names a work: its DOI as people paste it, else title and year."""
    if w.doi:
        doi = w.doi
        roll = rng.random()
        if roll < 0.1:
            doi = "https://doi.org/" + doi
        elif roll < 0.2:
            doi = doi.upper()
        return {"doi": doi, "title": "", "year": ""}
    title = w.title.upper() if rng.random() < 0.1 else w.title
    return {"doi": "", "title": title, "year": str(w.year)}


def _write_rows(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)


def write_codes(review: Review, data: Path, seed: int) -> None:
    rng = random.Random(f"{seed}:codes")
    coded = data / "coded"
    rows = []
    for w in review.pilot:
        rows.append(
            {
                **_ident(w, rng),
                "governance_relevant": rng.choice(("yes", "no")),
                "empirical": rng.choice(("yes", "no")),
                "coder": "A",
            }
        )
    _write_rows(coded / "pilot.csv", ["doi", "title", "year", "governance_relevant", "empirical", "coder"], rows)
    criteria = ["relevant_to_is", "empirical", "quantitative_assessment"]
    by_key = {w.key: w for w in review.works}
    rows = [{**_ident(by_key[k], rng), **codes, "coder": "A"} for k, codes in review.screening.items()]
    rng.shuffle(rows)
    _write_rows(coded / "abstract_screening.csv", ["doi", "title", "year", *criteria, "coder"], rows)
    rows = [{**_ident(by_key[k], rng), "availability": v} for k, v in review.availability.items()]
    _write_rows(coded / "fulltext.csv", ["doi", "title", "year", "availability"], rows)
    rows = []
    for key, codes in review.segments.items():
        ident = _ident(by_key[key], rng)
        for code in codes:
            rows.append(
                {"study": "", **ident, "code": code, "segment": "Synthetic segment.", "page": "1", "coder": "A"}
            )
    _write_rows(coded / "segments.csv", ["study", "doi", "title", "year", "code", "segment", "page", "coder"], rows)


@dataclass
class PdfJob:
    work: Work
    name: str
    scheme: str
    pattern: str
    refs: list[Work]
    anchor_ref: Work
    seed: int
    extra_pages: int


def pdf_jobs(review: Review, seed: int, extra_pages: int) -> list[PdfJob]:
    rng = random.Random(f"{seed}:pdfs")
    anchor_ref = Work(
        "anchor-ref",
        "synthetic",
        "Anchor tenants and the growth of eco-industrial parks",
        [("Ostrander", "Kai")],
        2004,
        "Journal of Cleaner Production",
        "12",
        "3",
        "211-224",
        "",
        "English",
    )
    citable = rng.sample(review.works, min(500, len(review.works)))
    jobs: list[PdfJob] = []
    names: set[str] = set()
    for i, w in enumerate(review.retrieved):
        doi = w.doi if re.fullmatch(r"10\.\d{4,9}/[A-Za-z0-9.;()\-]+", w.doi or "") else ""
        if doi:
            scheme = rng.choices(("doi_in_name", "doi_on_page", "title", "title_on_page"), (35, 30, 25, 10))[0]
        else:
            scheme = rng.choices(("title", "title_on_page"), (70, 30))[0]
        if scheme == "doi_in_name":
            name = doi.replace("/", "_") + ".pdf"
        elif scheme == "doi_on_page":
            name = f"download_{i:05d}.pdf"
        elif scheme == "title_on_page":  # a name that says nothing, and no DOI on the page
            name, scheme = f"article_{i:05d}.pdf", "title"
        else:
            name = f"{ascii_fold(w.authors[0][0])}_{w.year}_{short_title(w.title)}.pdf"
        base, n = name[:-4], 2
        while name.lower() in names:
            name, n = f"{base}-{n}.pdf", n + 1
        names.add(name.lower())
        refs = [x for x in rng.sample(citable, 6) if x.key != w.key][:5]
        jobs.append(PdfJob(w, name, scheme, review.patterns[w.key], refs, anchor_ref, seed, extra_pages))
    return jobs


def make_pdf(job: PdfJob) -> tuple[str, bytes]:
    """A stand-in of the reproduction data, with ``extra_pages`` more pages of generated text."""
    r = random.Random(f"{job.seed}:standin:{job.work.key}")
    standin: StandIn = _compose(job.work, job.name, job.scheme, job.pattern, job.refs, job.anchor_ref, r)
    for _ in range(job.extra_pages):
        sentences = [vocab.fill(s, r) for s in r.sample(vocab.BODY_SENTENCES, 12)]
        blocks = [Block(["Appendix (generated)"], bold=True, gap=2)]
        blocks += [Block(_wrap(" ".join(sentences[k : k + 4])), gap=10) for k in range(0, 12, 4)]
        standin.pages.insert(-1, blocks)
    return job.name, render(standin)


def write_pdfs(jobs: list[PdfJob], folder: Path, cores: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=cores) as pool:
        for name, data in pool.map(make_pdf, jobs, chunksize=16):
            (folder / name).write_bytes(data)


def write_config(review: Review, root: Path, n_records: int) -> None:
    repo_config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    config = {
        "title": f"Synthetic review of {n_records} records (benchmarks/review_scale.py)",
        "searches": {"broad": {"dir": "data/raw/broad"}, "refined": {"dir": "data/raw/refined", "subset_of": "broad"}},
        "screening": {
            "pilot": {
                "search": "broad",
                "size": len(review.pilot),
                "seed": 7,
                "criteria": ["governance_relevant", "empirical"],
                "relevant_if": "governance_relevant and empirical",
                "codes": ["data/coded/pilot.csv"],
            },
            "abstract": {
                "search": "refined",
                "criteria": ["relevant_to_is", "empirical", "quantitative_assessment"],
                "include_if": "relevant_to_is and empirical and not quantitative_assessment",
                "codes": ["data/coded/abstract_screening.csv"],
                "second_coder": [],
                "reconciled": [],
            },
        },
        "availability": {"codes": "data/coded/fulltext.csv", "reasons": ["restricted_access", "language"]},
        "expected": review.expected(),
        "coding": {**repo_config["coding"], "segments": ["data/coded/segments.csv"], "strict": False},
        "cases": {"dir": "data/cases", "codebook": "config/codebook.yaml"},
        # The repository's full-text settings (batch size, time limit), with the synthetic PDFs.
        "fulltext": {**repo_config["fulltext"], "pdf_dir": "data/fulltext"},
        "dedupe": {"overrides": "data/coded/dedup_overrides.csv"},
    }
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def copy_workflow(root: Path) -> None:
    """The repository's Snakefile, rules, schemas, profiles and configuration files (not its data)."""
    shutil.copy2(REPO / "Snakefile", root / "Snakefile")
    shutil.copytree(REPO / "workflow", root / "workflow", dirs_exist_ok=True)
    if (REPO / "profiles").is_dir():  # the settings Snakemake reads on every run
        shutil.copytree(REPO / "profiles", root / "profiles", dirs_exist_ok=True)
    shutil.copytree(REPO / "config", root / "config", dirs_exist_ok=True)
    shutil.copytree(REPO / "data" / "cases", root / "data" / "cases", dirs_exist_ok=True)


def build(root: Path, n_records: int, n_pdfs: int, seed: int, cores: int, extra_pages: int) -> Review:
    """Write the synthetic review under ``root`` (or reuse it when built with the same options)."""
    stamp = root / ".review_scale.json"
    options = {"records": n_records, "pdfs": n_pdfs, "seed": seed, "extra_pages": extra_pages, "version": 2}
    start = time.perf_counter()
    review = make_review(n_records, n_pdfs, seed)
    add_segments(review, REPO / "config" / "codebook.yaml", seed)
    copy_workflow(root)
    write_config(review, root, n_records)
    if stamp.is_file() and json.loads(stamp.read_text()) == options:
        print(f"reusing the synthetic data in {root}")
        return review
    for sub in ("raw", "coded", "fulltext"):
        shutil.rmtree(root / "data" / sub, ignore_errors=True)
    files = write_exports(review, root / "data", seed)
    write_codes(review, root / "data", seed)
    t_meta = time.perf_counter() - start
    write_pdfs(pdf_jobs(review, seed, extra_pages), root / "data" / "fulltext", cores)
    stamp.write_text(json.dumps(options))
    n_files = sum(len(v) for v in files.values())
    print(
        f"generated in {time.perf_counter() - start:.0f} s ({t_meta:.0f} s exports and codes, {n_files} export files)"
    )
    return review


# ------------------------------------------------------------------ running and measuring


def _tree_rss(root_pid: int) -> int:
    """Resident memory (bytes) of ``root_pid`` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    members, frontier = {root_pid}, [root_pid]
    children: dict[int, list[int]] = defaultdict(list)
    for pid, ppid in parents.items():
        children[ppid].append(pid)
    while frontier:
        pid = frontier.pop()
        for child in children.get(pid, ()):
            if child not in members:
                members.add(child)
                frontier.append(child)
    total = 0
    page = os.sysconf("SC_PAGE_SIZE")
    for pid in members:
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
        except OSError:
            continue
    return total


@dataclass
class Step:
    name: str
    wall: float
    peak_tree: int  # bytes, sampled
    peak_process: int  # bytes, the largest single process
    cpu: float  # CPU seconds of every process of the step
    load: float  # load average (1 min) when the step started: other work on the machine


def run_step(name: str, root: Path, cores: int, targets: list[str]) -> Step:
    cmd = [str(Path(sys.executable).parent / "snakemake"), "--cores", str(cores), *targets]
    log = root / f"snakemake_{name}.log"
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    load = os.getloadavg()[0]
    start = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=root, stdout=fh, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu
    if code != 0:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        sys.exit(f"step {name} failed (exit {code}); the end of {log}:\n" + "\n".join(tail))
    # ru_maxrss of children is the largest one so far (KiB); a step that stays below an earlier
    # step's largest process shows 0 here and its own figure in the per-rule table.
    return Step(name, wall, peak[0], after * 1024 if after > before else 0, cpu, load)


def rule_times(root: Path) -> dict[str, tuple[int, float, float]]:
    """rule -> (jobs, seconds summed over jobs, largest max_rss in MB) from the benchmark files."""
    out: dict[str, list[float]] = {}
    for path in sorted((root / "logs" / "benchmarks").rglob("*.tsv")):
        rule = path.relative_to(root / "logs" / "benchmarks").parts[0]
        with open(path, newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        if not rows:
            continue
        row = rows[-1]
        rss = float(row["max_rss"]) if row.get("max_rss") not in (None, "", "NA", "-") else 0.0
        entry = out.setdefault(rule, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += float(row["s"])
        entry[2] = max(entry[2], rss)
    return {k: (int(v[0]), v[1], v[2]) for k, v in out.items()}


def funnel_check(root: Path, expected: dict[str, int]) -> list[tuple[str, str, str]]:
    with open(root / "results" / "funnel.csv", newline="", encoding="utf-8") as fh:
        counts = {row["stage"]: row["count"] for row in csv.DictReader(fh)}
    return [(stage, counts.get(stage, "-"), str(n)) for stage, n in expected.items()]


def dedupe_accuracy(root: Path, truth: dict[str, str]) -> tuple[float, float, int, int]:
    by_work: dict[str, set[str]] = defaultdict(set)
    with open(root / "results" / "clusters.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_work[row["work_id"]].add(row["record_id"])
    true_groups: dict[str, set[str]] = defaultdict(set)
    for rid, key in truth.items():
        true_groups[key].add(rid)

    def pairs(groups: Iterable[set[str]]) -> set[tuple[str, str]]:
        return {p for g in groups if len(g) > 1 for p in combinations(sorted(g), 2)}

    found, real = pairs(by_work.values()), pairs(true_groups.values())
    precision = len(found & real) / len(found) if found else 1.0
    recall = len(found & real) / len(real) if real else 1.0
    return precision, recall, len(by_work), len(true_groups)


def bare_pdfminer(paths: list[Path]) -> tuple[float, int]:
    """Seconds and pages for bare pdfminer.six ``extract_text`` in this one process."""
    from pdfminer.high_level import extract_pages, extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = 0
    start = time.perf_counter()
    for path in paths:
        extract_text(path)
    elapsed = time.perf_counter() - start
    for path in paths:
        pages += sum(1 for _ in extract_pages(path))
    return elapsed, pages


def manifest_pages(root: Path) -> tuple[int, Counter[str]]:
    pages, status = 0, Counter()
    with open(root / "results" / "fulltext" / "manifest.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pages += int(row["pages"] or 0)
            status[row["status"]] += 1
    return pages, status


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000, help="records of the broad search")
    parser.add_argument("--pdfs", type=int, default=2000, help="PDFs of retrieved works")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--dir", type=Path, help="build here (kept) instead of in a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--extra-pages", type=int, default=0, help="pages of generated text added to each stand-in")
    parser.add_argument("--bare-sample", type=int, default=200, help="PDFs timed with bare pdfminer (0: all)")
    args = parser.parse_args(argv)

    if args.dir is not None:
        root = args.dir.resolve()
        if root == REPO or REPO in root.parents:
            parser.error("build outside the repository (the synthetic review is never committed)")
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="review_scale_"))
    try:
        return _run(root, args)
    finally:
        if args.dir is None and not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept: {root}")


def _run(root: Path, args: argparse.Namespace) -> int:
    review = build(root, args.records, args.pdfs, args.seed, args.cores, args.extra_pages)
    for sub in ("results", "logs", ".snakemake"):
        shutil.rmtree(root / sub, ignore_errors=True)
    broad_records = sum(len(w.records) for w in review.broad)
    refined_records = sum(len(w.records) for w in review.refined)
    print(
        f"review: {broad_records:,} broad records ({len(review.broad):,} works), {refined_records:,} refined records"
        f" ({len(review.refined):,} works), {len(review.screening):,} screening decisions,"
        f" {len(review.included):,} screened in, {len(review.retrieved):,} PDFs; {args.cores} cores"
    )
    screening = [
        "results/works.csv",
        "results/screening/pilot.xlsx",
        "results/screening/pilot_screened.csv",
        "results/screening/pilot_keywords.csv",
        "results/screening/abstract.xlsx",
        "results/screening/abstract_screened.csv",
        "results/screening/availability.csv",
        *(f"results/exports/{name}.ris" for name in ("broad", "refined", "pilot", "abstract")),
    ]
    steps = [
        run_step("1_ingest_dedupe_screening", root, args.cores, screening),
        run_step("2_extraction", root, args.cores, ["results/fulltext/manifest.csv"]),
        run_step("3_rest", root, args.cores, []),
    ]
    print(f"\n{'step':<28} {'wall s':>8} {'CPU s':>7} {'peak, all processes':>20} {'largest process':>16} {'load':>5}")
    for s in steps:
        largest = _mb(s.peak_process) if s.peak_process else "(smaller)"
        print(f"{s.name:<28} {s.wall:>8.1f} {s.cpu:>7.1f} {_mb(s.peak_tree):>20} {largest:>16} {s.load:>5.1f}")
    total_cpu = sum(s.cpu for s in steps)
    print(
        f"{'total':<28} {sum(s.wall for s in steps):>8.1f} {total_cpu:>7.1f} {_mb(max(s.peak_tree for s in steps)):>20}"
    )
    print("(load: the 1-minute load average as the step began; above 0 means other work shared the cores)")

    times = rule_times(root)
    print(f"\n{'rule':<24} {'jobs':>5} {'s (sum)':>9} {'max RSS MB':>11}")
    for rule, (jobs, seconds, rss) in sorted(times.items(), key=lambda kv: -kv[1][1]):
        print(f"{rule:<24} {jobs:>5} {seconds:>9.1f} {rss:>11.0f}")

    print(f"\n{'funnel stage':<26} {'computed':>9} {'truth':>9}")
    wrong = 0
    for stage, got, want in funnel_check(root, review.expected()):
        wrong += got != want
        print(f"{stage:<26} {got:>9} {want:>9}{'' if got == want else '  <- differs'}")
    precision, recall, n_found, n_true = dedupe_accuracy(root, review.record_to_work())
    print(f"\ndedupe: precision {precision:.4f}, recall {recall:.4f}; {n_found:,} works found, {n_true:,} true")

    pages, status = manifest_pages(root)
    extraction = steps[1].wall
    pdfs = sorted((root / "data" / "fulltext").glob("*.pdf"))
    sample = pdfs if args.bare_sample <= 0 else random.Random(args.seed).sample(pdfs, min(args.bare_sample, len(pdfs)))
    bare_s, bare_pages = bare_pdfminer(sample)
    bare_rate = bare_pages / bare_s if bare_s else 0.0
    rate = pages / extraction if extraction else 0.0
    print(
        f"\nextraction: {len(pdfs):,} PDFs, {pages:,} pages in {extraction:.1f} s = {rate:.1f} pages/s"
        f" ({dict(status)}); bare pdfminer, one process, {len(sample)} PDFs: {bare_rate:.1f} pages/s;"
        f" x {args.cores} cores = {bare_rate * args.cores:.1f} pages/s; workflow at"
        f" {rate / (bare_rate * args.cores) if bare_rate else 0:.0%} of that"
    )
    return 1 if wrong or precision < 0.99 or recall < 0.99 else 0


if __name__ == "__main__":
    sys.exit(main())
