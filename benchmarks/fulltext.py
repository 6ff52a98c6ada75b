"""Extraction speed: the project's extraction against bare pdfminer.six ``extract_text``.

    .venv/bin/python benchmarks/fulltext.py ../shared/data [--repeat 3]

Every PDF under PDF_DIR that bare pdfminer can read is extracted both ways; the project's way is
the pipeline's (one batch: hashing, a child process with a time limit, normalisation, status,
text and cache files written). Each way runs --repeat times, interleaved, and the fastest run
counts, so that other load on the machine disturbs the comparison as little as possible.
Prints pages/s for both and the ratio (target: the project within 1.2x of bare pdfminer), by
wall-clock time and by CPU time (the project's includes its child process), the latter being
the steadier figure on a busy machine.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from slr.fulltext.extract import extract_files


def cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bare(paths: list[Path]) -> tuple[float, float]:
    wall, used = time.perf_counter(), cpu()
    for path in paths:
        extract_text(path)
    return time.perf_counter() - wall, cpu() - used


def project(paths: list[Path]) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as texts:
        wall, used = time.perf_counter(), cpu()
        results = extract_files(paths, Path(texts), timeout=600)  # returns after its child has exited
        wall, used = time.perf_counter() - wall, cpu() - used
    return wall, used, sum(r.pages or 0 for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    readable = []
    for path in sorted(args.pdf_dir.rglob("*.pdf")):
        try:
            extract_text(path, maxpages=1)
        except (PDFPasswordIncorrect, PDFSyntaxError):
            print(f"skipped (bare pdfminer cannot read it): {path}", file=sys.stderr)
            continue
        readable.append(path)
    if not readable:
        print(f"no readable PDFs under {args.pdf_dir}", file=sys.stderr)
        return 2

    bare_runs, project_runs, pages = [], [], 0
    for round_ in range(1, args.repeat + 1):
        bare_runs.append(bare(readable))
        *run, pages = project(readable)
        project_runs.append(tuple(run))
        print(
            f"round {round_}: bare {bare_runs[-1][0]:.2f} s wall / {bare_runs[-1][1]:.2f} s CPU, "
            f"project {run[0]:.2f} s wall / {run[1]:.2f} s CPU",
            file=sys.stderr,
        )

    print(f"{len(readable)} PDFs, {pages} pages, best of {args.repeat} runs")
    for i, clock in enumerate(("wall-clock", "CPU")):
        best_bare = min(r[i] for r in bare_runs)
        best_project = min(r[i] for r in project_runs)
        print(
            f"{clock:10}: bare pdfminer {pages / best_bare:6.1f} pages/s ({best_bare:.2f} s), "
            f"project {pages / best_project:6.1f} pages/s ({best_project:.2f} s), "
            f"project/bare {best_project / best_bare:.2f}x (target <= 1.2x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
