"""The scale benchmark's synthetic review (benchmarks/review_scale.py) is one the pipeline reads: its
exports parse with the right formats and record counts, and its stand-in PDFs carry text. The
benchmark itself (100k records through the workflow) is never part of the test suite."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from pdfminer.high_level import extract_text

from slr.readers import load

REPO = Path(__file__).resolve().parent.parent


def _benchmark():
    spec = importlib.util.spec_from_file_location("review_scale", REPO / "benchmarks" / "review_scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["review_scale"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_synthetic_exports_are_read_with_every_record(tmp_path):
    bench = _benchmark()
    review = bench.make_review(3000, 20, seed=3)
    files = bench.write_exports(review, tmp_path, seed=3)
    assert any(name.startswith("savedrecs(") for name in files["broad"])  # split like batch downloads
    for search, works in (("broad", review.broad), ("refined", review.refined)):
        want = {r.record_id: r.database for w in works for r in w.records}
        got: dict[str, str] = {}
        for name in files[search]:
            loaded = load(tmp_path / "raw" / search / name)
            assert loaded.format == ("scopus_csv" if name.endswith(".csv") else "wos_text")
            got.update((r["record_id"], r["database"]) for r in loaded.records)
        assert got == want
    both = [w for w in review.works if {r.database for r in w.records} == {"scopus", "wos"}]
    assert any(len({r.doi.lower() for r in w.records}) == 2 for w in both)  # a DOI one side lacks


def test_a_stand_in_pdf_names_its_work(tmp_path):
    bench = _benchmark()
    review = bench.make_review(300, 4, seed=5)
    job = bench.pdf_jobs(review, seed=5, extra_pages=1)[0]
    name, data = bench.make_pdf(job)
    (tmp_path / name).write_bytes(data)
    text = extract_text(tmp_path / name)
    assert text.count("\f") >= 3 and " ".join(job.work.title.split()[:4]) in " ".join(text.split())
