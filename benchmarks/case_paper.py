"""Classify the paper's own Section 5 paragraphs (one per Qijiang activity) and report accuracy.

Usage: python benchmarks/case_paper.py PAPER_TXT [--case data/cases/qijiang] [--codebook config/codebook.yaml]
       [--segments SEGMENTS.csv] [--show-text]

PAPER_TXT is the text of Sun et al. (2017) (e.g. ../shared/reference/sun-2017-anchoring-paper.txt); it is
read at run time and never copied into the repository. Section 5 is cut into its ten activity
sub-sections (the numbered "(1) ..." headings, in order, are a1..a10); tables inside a sub-section
are dropped. Each sub-section's heading is the activity label and its paragraphs the description;
the gold labels come from the case folder (Table 5).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from slr.case.classify import Classifier
from slr.case.data import load_activities
from slr.case.evaluate import evaluate, report
from slr.case.segments import load_segments
from slr.codebook import load as load_codebook

_HEADING = re.compile(r"^#+\s*\*{0,2}\s*\((\d+)\)\s*(.+?)\s*\*{0,2}\s*$")


def section5_activities(text: str) -> list[tuple[str, str]]:
    """(heading, paragraphs) of each numbered sub-section of Section 5, in order."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if re.match(r"^#+\s*5\.\s", ln))
    end = next(i for i, ln in enumerate(lines) if i > start and re.match(r"^#+\s*6\.\s", ln))
    out: list[tuple[str, list[str]]] = []
    for ln in lines[start:end]:
        m = _HEADING.match(ln.strip())
        if m:
            out.append((m.group(2).strip("* "), []))
            continue
        if ln.lstrip().startswith("#"):
            if out and re.match(r"^#+\s*5\.\d", ln.strip()):
                out[-1][1].append("\f")  # a phase heading closes the running sub-section
            continue
        if not out or (out[-1][1] and out[-1][1][-1] == "\f"):
            continue
        stripped = ln.strip()
        if not stripped or "\t" in ln or stripped.startswith(("**Table", "<sup>", "|")):
            continue
        out[-1][1].append(stripped)
    return [(h, " ".join(p for p in ps if p != "\f")) for h, ps in out]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paper", type=Path)
    ap.add_argument("--case", type=Path, default=Path("data/cases/qijiang"))
    ap.add_argument("--codebook", type=Path, default=Path("config/codebook.yaml"))
    ap.add_argument("--segments", type=Path)
    ap.add_argument("--show-text", action="store_true", help="print the text classified for each activity")
    args = ap.parse_args(argv)
    sections = section5_activities(args.paper.read_text(encoding="utf-8"))
    gold = load_activities(args.case / "activities.csv")
    if len(sections) != len(gold):
        print(
            f"found {len(sections)} sub-sections in Section 5 but the case has {len(gold)} activities", file=sys.stderr
        )
        return 1
    book = load_codebook(args.codebook)
    segs = load_segments(args.segments, book).segments if args.segments else []
    clf = Classifier(book, segs)
    rows = []
    for (heading, body), act in zip(sections, gold, strict=True):
        if args.show_text:
            print(f"--- {act.id}: {heading}\n{body}\n")
        rows.append((act, clf.classify(f"{heading}. {body}")))
    for act, d in rows:
        print(
            f"{act.id:4} {d.anchoring:13} {d.category or '(abstain)':34} gold {act.gold_anchoring:13} "
            f"{act.gold_category or '(abstain)'}"
        )
        print(f"     {d.evidence}")
    print(report(evaluate([a for a, _ in rows], [d for _, d in rows]), title="Qijiang, the paper's Section 5"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
