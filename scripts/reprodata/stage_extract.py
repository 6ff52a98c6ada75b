"""Stage 1: write data/sources/ from the bibliography and the paper (facts only)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .bibfacts import APPENDIX_C_COLUMNS, FACT_COLUMNS, extract
from .csvio import write_csv


def run_extract(bib: Path, paper: Path, published: Path, out: Path) -> None:
    labels = yaml.safe_load(published.read_text(encoding="utf-8"))["appendix_c_included_studies"]
    rows, appendix = extract(bib, paper.read_text(encoding="utf-8"), labels)
    write_csv(out / "bibliography_facts.csv", FACT_COLUMNS, rows)
    write_csv(out / "appendix_c.csv", APPENDIX_C_COLUMNS, appendix)
    in_scope = sum(1 for r in rows if r["in_scope"] == "yes")
    print(f"{len(rows)} rows ({in_scope} in scope) -> {out / 'bibliography_facts.csv'}")
    print(f"{len(appendix)} Appendix C studies -> {out / 'appendix_c.csv'}")
