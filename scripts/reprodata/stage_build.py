"""Stage 2: every generated file under data/ from the committed inputs only.

Inputs: data/sources/{bibliography_facts,appendix_c}.csv, config/published.yaml,
config/codebook.yaml. Outputs (relative to the data folder): raw/<search>/ exports with their
search.yaml, raw/provenance.csv, coded/*.csv, fulltext/*.pdf. ``generate`` returns them as
{relative path: bytes}; ``run_build`` writes them and removes stale generated files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from slr import codebook as codebook_mod

from . import vocab
from .coded import (
    FULLTEXT_COLUMNS,
    OVERRIDE_COLUMNS,
    PILOT_COLUMNS,
    SCREEN_COLUMNS,
    SEGMENT_COLUMNS,
    check_segments,
    fulltext_rows,
    pilot_rows,
    screening_rows,
    segment_rows,
)
from .csvio import csv_text, read_csv
from .exports import SEARCH_DATES, expand_query, export_items, scopus_csv, search_yaml, wos_text
from .pdfs import build_standins, render
from .plan import WOS_BATCH, Plan, make_plan

GENERATED_DIRS = ("raw", "coded", "fulltext")
PROVENANCE_COLUMNS = ["record_id", "database", "search", "file", "work_key", "provenance", "note"]


def load_inputs(sources: Path, config: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], dict, Path]:
    facts = read_csv(sources / "bibliography_facts.csv")
    appendix = read_csv(sources / "appendix_c.csv")
    published = yaml.safe_load((config / "published.yaml").read_text(encoding="utf-8"))
    return facts, appendix, published, config / "codebook.yaml"


def plan_from(seed: int, sources: Path, config: Path) -> Plan:
    """The ground truth (no files written): works, records, decisions."""
    vocab.check_vocabulary()
    facts, appendix, published, _ = load_inputs(sources, config)
    return make_plan(seed, facts, appendix, published)


def _limits(search: str, database: str) -> dict[str, str]:
    if search == "refined" and database == "wos":
        return {"document_types": "[Article]", "max_year": "2015"}
    return {"document_types": "[Article]", "exclude_years": "[2016]"}


def generate(seed: int, sources: Path, config: Path, with_pdfs: bool = True) -> dict[str, bytes]:
    vocab.check_vocabulary()
    facts, appendix, published, codebook_path = load_inputs(sources, config)
    plan = make_plan(seed, facts, appendix, published)
    book = codebook_mod.load(codebook_path)
    files: dict[str, bytes] = {}
    prov_rows: list[dict[str, str]] = []
    strings = published["search_strings"]
    descriptions = {
        "broad": "first search strings (Appendix A of Sun et al. 2017)",
        "refined": "second search strings with the governance terms (Appendix A of Sun et al. 2017)",
    }
    by_key = plan.by_key()
    for search in ("broad", "refined"):
        exports: list[dict[str, object]] = []
        for database in ("scopus", "wos"):
            items = export_items(plan, database, refined_only=search == "refined")
            if database == "scopus":
                batches = [("scopus.csv", items)]
            else:
                batches = [
                    ("savedrecs.txt" if i == 0 else f"savedrecs({i // WOS_BATCH}).txt", items[i : i + WOS_BATCH])
                    for i in range(0, len(items), WOS_BATCH)
                ]
            query = expand_query(strings[search][database], strings["broad"][database], database)
            for name, batch in batches:
                data = scopus_csv(seed, batch) if database == "scopus" else wos_text(seed, batch)
                files[f"raw/{search}/{name}"] = data
                exports.append(
                    {
                        "file": name,
                        "database": database,
                        "query": query,
                        "date": SEARCH_DATES[search],
                        "limits": _limits(search, database),
                        "reported_hits": len(batch),
                    }
                )
                for w, rec in batch:
                    prov_rows.append(
                        {
                            "record_id": rec.record_id,
                            "database": database,
                            "search": search,
                            "file": f"{search}/{name}",
                            "work_key": w.key,
                            "provenance": by_key[w.key].provenance,
                            "note": rec.note,
                        }
                    )
        text = search_yaml(search, descriptions[search], exports)
        yaml.safe_load(text)  # must parse
        files[f"raw/{search}/search.yaml"] = text.encode("utf-8")
    prov_rows.sort(key=lambda r: (r["search"], r["file"], r["record_id"]))
    files["raw/provenance.csv"] = csv_text(PROVENANCE_COLUMNS, prov_rows).encode("utf-8")

    segments = segment_rows(plan, published, book, seed)
    check_segments(segments, published, book)
    files["coded/pilot.csv"] = csv_text(PILOT_COLUMNS, pilot_rows(plan)).encode("utf-8")
    files["coded/abstract_screening.csv"] = csv_text(SCREEN_COLUMNS, screening_rows(plan)).encode("utf-8")
    files["coded/fulltext.csv"] = csv_text(FULLTEXT_COLUMNS, fulltext_rows(plan)).encode("utf-8")
    files["coded/segments.csv"] = csv_text(SEGMENT_COLUMNS, segments).encode("utf-8")
    files["coded/dedup_overrides.csv"] = csv_text(OVERRIDE_COLUMNS, []).encode("utf-8")

    if with_pdfs:
        for standin in build_standins(plan):
            files[f"fulltext/{standin.file_name}"] = render(standin)
    return files


def run_build(seed: int, sources: Path, config: Path, out: Path) -> None:
    files = generate(seed, sources, config)
    for sub in GENERATED_DIRS:
        target = out / sub
        if target.exists():
            shutil.rmtree(target)
    for rel, data in sorted(files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    size = sum(len(d) for d in files.values())
    print(f"{len(files)} files, {size / 1e6:.1f} MB -> {out}")
