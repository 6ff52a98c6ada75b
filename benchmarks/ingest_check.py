"""Read every export file of the shared data folder and compare with its documented record count.

    .venv/bin/python benchmarks/ingest_check.py ../shared/data

The files and their counts come from the folder's SOURCES.md (every row whose
format is a Scopus/WoS/CSV/RIS/BibTeX export; PDFs and JSON are skipped). Two
kinds of file are expected to be refused: the deliberately malformed WoS file
(``badFile.isi``) and the duplicate-id lists of the deduplication benchmarks
(``merged_record_ids.csv``: one column of ids, no references). The script
prints detected format and count next to the documented count, then the
cross-database check on the pyBibX Scopus and WoS BibTeX exports of one
search: for every DOI both hold, the years must lie within one and the
normalised titles must be at least 90 % similar. Exit status 1 on any mismatch.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rapidfuzz import fuzz

from slr import readers
from slr.errors import InputError
from slr.records import Record, fold

EXPORT_FORMATS = re.compile(r"^(Scopus CSV|CSV|RIS|BibTeX|WoS )")
EXPECTED_REFUSALS = {"badFile.isi": "malformed on purpose", "merged_record_ids.csv": "a list of ids, not an export"}


def documented(data: Path) -> list[tuple[str, str, int]]:
    """(file, format, records) for every export row of SOURCES.md."""
    rows: list[tuple[str, str, int]] = []
    for line in (data / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7 or "/" not in cells[0] or cells[0].startswith("file"):
            continue
        name, fmt, count = cells[0], cells[4], cells[5]
        if EXPORT_FORMATS.match(fmt) and count.isdigit():
            rows.append((name, fmt, int(count)))
    return rows


def check_files(data: Path) -> bool:
    ok = True
    print(f"{'file':<66} {'detected':<12} {'read':>5} {'listed':>6}  result")
    for name, _fmt, listed in documented(data):
        path = data / name
        expected_refusal = EXPECTED_REFUSALS.get(path.name)
        try:
            loaded = readers.load(path)
        except InputError as exc:
            verdict = f"refused as expected ({expected_refusal})" if expected_refusal else "REFUSED"
            ok = ok and expected_refusal is not None
            print(f"{name:<66} {'-':<12} {'-':>5} {listed:>6}  {verdict}")
            print(f"    error: {exc.message()[:200]}")
            continue
        n = len(loaded.records)
        if expected_refusal:
            verdict = "READ BUT SHOULD BE REFUSED"
            ok = False
        elif n == listed:
            verdict = "ok"
        else:
            verdict = "COUNT MISMATCH"
            ok = False
        print(f"{name:<66} {loaded.format:<12} {n:>5} {listed:>6}  {verdict}")
    return ok


def by_doi(records: list[Record]) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for rec in records:
        if rec["doi"] and rec["doi"] not in out:
            out[rec["doi"]] = rec
    return out


def check_cross_database(data: Path) -> bool:
    scopus = by_doi(readers.load(data / "Valdecy__pyBibX" / "scopus.bib").records)
    wos = by_doi(readers.load(data / "Valdecy__pyBibX" / "wos.bib").records)
    shared = sorted(set(scopus) & set(wos))
    year_bad = [
        d
        for d in shared
        if scopus[d]["year"] is None or wos[d]["year"] is None or abs(scopus[d]["year"] - wos[d]["year"]) > 1
    ]
    sims = {d: fuzz.ratio(fold(scopus[d]["title"]), fold(wos[d]["title"])) for d in shared}
    title_bad = [d for d in shared if sims[d] < 90]
    exact_year = sum(1 for d in shared if d not in year_bad and scopus[d]["year"] == wos[d]["year"])
    print()
    print("cross-database check, Valdecy__pyBibX scopus.bib vs wos.bib:")
    print(f"  DOIs: scopus {len(scopus)}, wos {len(wos)}, shared {len(shared)}")
    print(f"  year within one: {len(shared) - len(year_bad)}/{len(shared)} (same year: {exact_year})")
    print(
        f"  normalised title similarity >= 90: {len(shared) - len(title_bad)}/{len(shared)} "
        f"(lowest {min(sims.values()):.1f}, mean {sum(sims.values()) / len(sims):.1f})"
    )
    for d in year_bad:
        print(f"  YEAR MISMATCH {d}: scopus {scopus[d]['year']}, wos {wos[d]['year']}")
    for d in title_bad:
        print(f"  TITLE MISMATCH {d} ({sims[d]:.1f}): {scopus[d]['title']!r} vs {wos[d]['title']!r}")
    return not year_bad and not title_bad


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "SOURCES.md").is_file():
        print("usage: ingest_check.py DATA_DIR  (the folder holding SOURCES.md, e.g. ../shared/data)", file=sys.stderr)
        return 2
    data = Path(argv[0])
    files_ok = check_files(data)
    cross_ok = check_cross_database(data)
    print()
    print("all files and the cross-database check agree" if files_ok and cross_ok else "MISMATCHES: see above")
    return 0 if files_ok and cross_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
