"""Shared set-up for the coding tests: the hand-made works/hits/links/segments in
tests/fixtures/coding and the project's codebook."""

from __future__ import annotations

from pathlib import Path

from slr import codebook
from slr.coding import segments, studies
from slr.coding.tables import Coding

REPO = Path(__file__).resolve().parent.parent
DIR = Path(__file__).parent / "fixtures" / "coding"
CODEBOOK = REPO / "config" / "codebook.yaml"


def index(with_links: bool = True) -> studies.StudyIndex:
    works = studies.load_works(DIR / "works.csv")
    included = studies.load_included(DIR / "hits.csv", works)
    links = studies.load_links(DIR / "links.csv", works) if with_links else None
    return studies.StudyIndex(works, included, links)


def book() -> codebook.Codebook:
    return codebook.load(CODEBOOK)


def load(*paths: Path, roots: tuple[str, ...] = (), with_links: bool = True) -> segments.Loaded:
    return segments.load(list(paths), book(), index(with_links), segments.parse_roots(roots))


def coding(*paths: Path) -> Coding:
    idx = index()
    loaded = segments.load(list(paths or [DIR / "segments.csv"]), book(), idx, segments.DEFAULT_ROOTS)
    return Coding(book(), idx.works, idx.included, loaded)
