"""A small review in a temporary folder, run with the project's real workflow, and the things a
researcher does to it between runs: fill the screening sheets, code availability and segments,
drop in a new export, re-export a file in another format.

The review (tests/fixtures/living/, see its README) is a cut-out of the shipped reproduction data:
24 works in a Scopus CSV and a WoS plain-text export per search; the researcher's decisions are
the reproduction's own code files for those works (``researcher/``).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "living"

CONFIG = {
    "title": "A small living review",
    "searches": {"broad": {"dir": "data/raw/broad"}, "refined": {"dir": "data/raw/refined", "subset_of": "broad"}},
    "screening": {
        "pilot": {
            "search": "broad",
            "size": 3,
            "seed": 266,  # draws the three works the reproduction's pilot coded (researcher/pilot.csv)
            "criteria": ["governance_relevant", "empirical"],
            "relevant_if": "governance_relevant and empirical",
            "codes": ["data/coded/pilot.csv"],
        },
        "abstract": {
            "search": "refined",
            "criteria": ["relevant_to_is", "empirical", "quantitative_assessment"],
            "include_if": "relevant_to_is and empirical and not quantitative_assessment",
            "codes": ["data/coded/abstract_screening.csv"],
        },
        "labels": {"relevant_to_is": "relevant to industrial symbiosis"},
    },
    "availability": {"codes": "data/coded/fulltext.csv", "reasons": ["restricted_access", "language"]},
    "coding": {
        "segments": ["data/coded/segments.csv"],
        "codebook": "config/codebook.yaml",
        "published": "config/published.yaml",
        "accept": "config/accepted_anomalies.yaml",
        "strict": False,
    },
    "cases": {"dir": "data/cases", "codebook": "config/codebook.yaml"},
    "fulltext": {
        "pdf_dir": "data/fulltext",
        "pattern": "anchor",
        "match": "anywhere",
        "include_references": True,
        "min_mentions": 1,
        "timeout": 60,
        "batch_size": 4,
    },
}


def make_review(root: Path) -> Path:
    """The project's workflow and the small review's inputs in ``root`` (nothing coded yet)."""
    shutil.copy(REPO / "Snakefile", root / "Snakefile")
    shutil.copytree(REPO / "workflow", root / "workflow")
    if (REPO / "profiles").is_dir():
        shutil.copytree(REPO / "profiles", root / "profiles")
    (root / "config").mkdir()
    for name in ("codebook.yaml", "published.yaml", "accepted_anomalies.yaml"):
        shutil.copy(REPO / "config" / name, root / "config" / name)
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    data = root / "data"
    shutil.copytree(FIXTURE / "raw", data / "raw")
    shutil.copytree(FIXTURE / "fulltext", data / "fulltext")
    shutil.copytree(REPO / "data" / "cases", data / "cases")
    (data / "coded").mkdir()
    return root


def snakemake(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The workflow as a user runs it: ``snakemake --cores 2`` in the review's folder."""
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(bindir / "snakemake"), "--cores", "2", *args], cwd=root, env=env, capture_output=True, text=True
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def record_ids(value: str | None) -> set[str]:
    return {v.strip() for v in (value or "").split(";") if v.strip()}


def fill_sheet(sheet: Path, truth: Path, criteria: list[str], out: Path) -> int:
    """Fill the sheet the pipeline wrote with the researcher's decisions and save it as a code file.

    Each sheet row is the work whose records the researcher's own notes (``truth``) name; rows the
    notes do not cover stay blank. Returns the number of rows coded."""
    notes = read_csv(truth)
    rows = read_csv(sheet)
    coded = 0
    for row in rows:
        found = [n for n in notes if record_ids(n["record_ids"]) & record_ids(row["record_ids"])]
        if found:
            for criterion in criteria:
                row[criterion] = found[0][criterion]
            coded += 1
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        columns = next(csv.reader(fh))
    write_csv(out, columns, rows)
    return coded


def copy_notes(truth: Path, out: Path, known_records: set[str]) -> int:
    """The researcher's notes for the works in the review (by their records) as a code file."""
    rows = [n for n in read_csv(truth) if record_ids(n["record_ids"]) & known_records]
    write_csv(out, list(read_csv(truth)[0]), rows)
    return len(rows)


def _scopus_author(name: str) -> str:
    """'Geng Y.' -> 'Geng, Y.'; 'van Berkel R.' -> 'van Berkel, R.'."""
    surname, _, initials = name.strip().rpartition(" ")
    return f"{surname}, {initials}" if surname else initials


def scopus_csv_to_ris(csv_path: Path, ris_path: Path) -> int:
    """Re-export a Scopus CSV as the RIS file Scopus gives for the same records (one ``TAG  - value``
    line per field, ``UR`` with the EID, ``DB  - Scopus``). Returns the number of records."""
    out: list[str] = []
    rows = read_csv(csv_path)
    for r in rows:
        out.append("TY  - JOUR")
        for author in r["Authors"].split(","):
            if author.strip() and not author.strip().startswith("["):
                out.append(f"AU  - {_scopus_author(author)}")
        pairs = [
            ("TI", r["Title"]),
            ("PY", r["Year"]),
            ("T2", r["Source title"]),
            ("VL", r["Volume"]),
            ("IS", r["Issue"]),
            ("SP", r["Page start"]),
            ("EP", r["Page end"]),
            ("DO", r["DOI"]),
            ("UR", r["Link"]),
            ("AB", r["Abstract"]),
        ]
        out.extend(f"{tag}  - {value}" for tag, value in pairs if value)
        for column in ("Author Keywords", "Index Keywords"):
            out.extend(f"KW  - {k.strip()}" for k in r[column].split(";") if k.strip())
        out.extend(
            f"{tag}  - {value}"
            for tag, value in (("LA", r["Language of Original Document"]), ("M3", r["Document Type"]))
            if value
        )
        out += ["DB  - Scopus", "N1  - Export Date: 2 February 2017", "ER  - ", ""]
    ris_path.write_text("\n".join(out), encoding="utf-8")
    return len(rows)
