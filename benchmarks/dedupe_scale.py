"""Speed and accuracy of `slr dedupe` on seeded synthetic searches of 1k, 10k and 100k records.

The records look like real exports: Zipf-distributed title words and surnames, 1-8 authors,
journals with their abbreviations, volumes, page ranges, DOIs for four in five. One record in
eleven is a duplicate of another (so 10 % of the originals' count) written the way a second
database would write it: ALL CAPS or lower-case title, diacritics added or dropped, one or two
typos, the subtitle cut off, the DOI missing, full given names instead of initials, the journal
abbreviated, pages missing, or (online first) the year one off. Some originals are near-twins
that must stay apart: a "Part 2" of a "Part 1", an erratum, or a reply with the same title.

    .venv/bin/python benchmarks/dedupe_scale.py [--sizes 1000 10000 100000] [--seed 7]

Times are whole processes (`slr ingest` of a generic CSV, then `slr dedupe`).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

SLR = [sys.executable, "-m", "slr"]
FUNCTION_WORDS = ("of", "the", "in", "and", "for", "with", "on", "a", "to", "from", "by", "among", "after", "versus")
STARTS = ("effect", "effects", "impact", "analysis", "role", "assessment", "study", "evaluation", "comparison")
SYLLABLES = tuple(c + v for c in "bcdfghklmnprstvz" for v in "aeiou")
SUFFIXES = ["", "", "tion", "ment", "ical", "ity", "ism", "ology", "ics", "ive", "ous"]
ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "c": "ç", "n": "ñ"}


def _word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))) + rng.choice(SUFFIXES)


class World:
    """Vocabularies shared by all records of one run."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.words = list(dict.fromkeys(_word(rng, 2, 4) for _ in range(max(3000, n // 3))))
        self.surnames = list(dict.fromkeys(_word(rng, 2, 3).capitalize() for _ in range(max(1000, n // 8))))
        self.given = list(dict.fromkeys(_word(rng, 2, 3).capitalize() for _ in range(600)))
        self.journals = []
        for _ in range(max(200, n // 100)):
            words = [_word(rng, 2, 4).capitalize() for _ in range(rng.randint(1, 3))]
            full = "Journal of " + " ".join(words) if rng.random() < 0.6 else " ".join(words) + " Research"
            abbrev = " ".join(w[:4] + "." if len(w) > 5 else w for w in full.replace(" of ", " ").split())
            self.journals.append((full, abbrev.replace("Journal.", "J.")))
        self.word_weights = [1 / (r + 1) ** 0.9 for r in range(len(self.words))]
        self.name_weights = [1 / (r + 1) ** 0.7 for r in range(len(self.surnames))]

    def title(self, rng: random.Random) -> str:
        n = rng.randint(5, 16)
        words = rng.choices(self.words, self.word_weights, k=n)
        for i in range(1, n - 1):
            if rng.random() < 0.25:
                words[i] = rng.choice(FUNCTION_WORDS)
        text = rng.choice(STARTS).capitalize() + " of " + " ".join(words)
        if rng.random() < 0.35:
            text += ": " + " ".join(rng.choices(self.words, self.word_weights, k=rng.randint(2, 6)))
        return text

    def author(self, rng: random.Random) -> tuple[str, str]:
        surname = rng.choices(self.surnames, self.name_weights)[0]
        given = [rng.choice(self.given) for _ in range(rng.randint(1, 2))]
        return surname, " ".join(given)


def original(rng: random.Random, world: World, rid: str) -> dict[str, str]:
    authors = [world.author(rng) for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8]))]
    journal, abbrev = rng.choice(world.journals)
    year = rng.randint(1990, 2024)
    start = rng.randint(1, 3000)
    return {
        "ID": rid,
        "title": world.title(rng),
        "authors": authors,  # type: ignore[dict-item]
        "year": str(year),
        "journal": journal,
        "abbrev": abbrev,
        "volume": str(rng.randint(1, 120)),
        "number": str(rng.randint(1, 12)),
        "pages": f"{start}-{start + rng.randint(5, 25)}",
        "doi": f"10.{rng.randint(1000, 9999)}/{_word(rng, 2, 3)}.{year}.{rng.randint(1, 99999):05d}"
        if rng.random() < 0.8
        else "",
    }


def twin(rng: random.Random, rec: dict[str, str], rid: str) -> dict[str, str]:
    """A different paper that looks like ``rec``: the next part, an erratum, or a reply."""
    new = dict(rec, ID=rid, doi="")
    kind = rng.random()
    if kind < 0.4:
        new["title"] = rec["title"] + ": Part 2"
        rec["title"] = rec["title"] + ": Part 1"
        start = int(rec["pages"].split("-")[0]) + 40
        new["pages"] = f"{start}-{start + 12}"
    elif kind < 0.7:
        new["title"] = "Erratum: " + rec["title"]
        start = int(rec["pages"].split("-")[0]) + 300
        new["pages"] = str(start)
    else:
        new["title"] = "Reply to: " + rec["title"]
        new["authors"] = list(reversed(rec["authors"]))  # type: ignore[assignment]
        start = int(rec["pages"].split("-")[0]) + 200
        new["pages"] = f"{start}-{start + 1}"
    return new


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    op = rng.random()
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op < 0.33:
        return text[:i] + letter + text[i + 1 :]
    if op < 0.66:
        return text[:i] + text[i + 1 :]
    return text[:i] + letter + text[i:]


def duplicate(rng: random.Random, rec: dict[str, str], rid: str) -> dict[str, str]:
    """``rec`` as another database exports it."""
    dup = dict(rec, ID=rid)
    title = rec["title"]
    r = rng.random()
    if r < 0.25:
        title = title.upper()
    elif r < 0.35:
        title = title.lower()
    if rng.random() < 0.3:
        title = "".join(ACCENTED.get(ch, ch) if rng.random() < 0.1 else ch for ch in title)
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        title = _typo(rng, title)
    if ":" in title and rng.random() < 0.3:
        title = title.split(":")[0]
    dup["title"] = title
    if rng.random() < 0.5:
        dup["doi"] = ""
    full_names = rng.random() < 0.5
    dup["authors"] = [(s, g) if full_names else (s, "".join(p[0] + "." for p in g.split())) for s, g in rec["authors"]]  # type: ignore[assignment]
    if rng.random() < 0.4:
        dup["journal"] = rec["abbrev"]
    if rng.random() < 0.2:
        dup["pages"] = ""
    if rng.random() < 0.05:
        dup["year"] = str(int(rec["year"]) + 1)
        dup["volume"] = ""
        dup["pages"] = f"1-{rng.randint(10, 20)}"
    return dup


def generate(n: int, seed: int) -> tuple[list[dict[str, str]], list[set[str]]]:
    rng = random.Random(seed)
    world = World(rng, n)
    n_orig = round(n / 1.1)
    records: list[dict[str, str]] = []
    for k in range(n_orig):
        if records and rng.random() < 0.01:
            records.append(twin(rng, records[-1], f"r{k:07d}"))
        else:
            records.append(original(rng, world, f"r{k:07d}"))
    groups: dict[str, set[str]] = defaultdict(set)
    for k in range(n - n_orig):
        src = rng.choice(records[:n_orig])
        rid = f"d{k:07d}"
        records.append(duplicate(rng, src, rid))
        groups[src["ID"]].update({src["ID"], rid})
    rng.shuffle(records)
    return records, list(groups.values())


def write_csv(records: list[dict[str, str]], path: Path, rng: random.Random) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ID", "title", "author", "year", "journal", "volume", "number", "pages", "doi"])
        for r in records:
            if rng.random() < 0.5:
                authors = " and ".join(f"{s}, {g}" for s, g in r["authors"])  # type: ignore[misc]
            else:
                authors = "; ".join(f"{s} {''.join(p[0] + '.' for p in g.split())}" for s, g in r["authors"])  # type: ignore[misc]
            w.writerow(
                [r["ID"], r["title"], authors, r["year"], r["journal"], r["volume"], r["number"], r["pages"], r["doi"]]
            )


def pairs_of(groups: list[set[str]]) -> set[tuple[str, str]]:
    return {p for g in groups for p in combinations(sorted(g), 2)}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stderr)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'records':>8} {'ingest s':>9} {'dedupe s':>9} {'P':>6} {'R':>6} {'removed':>8} {'true':>6}")
    times: dict[int, float] = {}
    for n in args.sizes:
        records, truth = generate(n, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            write_csv(records, work / "export.csv", random.Random(args.seed))
            t_ingest = timed([*SLR, "ingest", str(work / "export.csv"), "-o", str(work / "records.csv")])
            t_dedupe = timed(
                [
                    *SLR,
                    "dedupe",
                    str(work / "records.csv"),
                    "-o",
                    str(work / "works.csv"),
                    "--clusters",
                    str(work / "clusters.csv"),
                ]
            )
            by_work: dict[str, set[str]] = defaultdict(set)
            with open(work / "clusters.csv", newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    by_work[row["work_id"]].add(row["record_id"])
        found = [g for g in by_work.values() if len(g) > 1]
        fp, tp = pairs_of(found), pairs_of(truth)
        precision = len(fp & tp) / len(fp) if fp else 1.0
        recall = len(fp & tp) / len(tp) if tp else 1.0
        removed = sum(len(g) - 1 for g in found)
        true_removed = sum(len(g) - 1 for g in truth)
        times[n] = t_dedupe
        print(
            f"{n:>8} {t_ingest:>9.2f} {t_dedupe:>9.2f} {precision:>6.3f} {recall:>6.3f} {removed:>8} {true_removed:>6}"
        )
    if 10000 in times and 100000 in times:
        print(f"dedupe growth 10k -> 100k: {times[100000] / times[10000]:.1f}x")


if __name__ == "__main__":
    main()
