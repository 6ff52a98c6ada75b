"""Reading speed of the export readers, in records per second per format (one process, one core).

    .venv/bin/python benchmarks/ingest.py ../shared/data/*/*.{csv,txt,ris,bib,isi,scopus}

For each file the bytes are read once; then decoding, format detection and
parsing into normalised records (``textio.decode_bytes`` + ``readers.loads``,
everything ``slr ingest`` does but the disk read and the CSV write) is timed,
repeated until at least ``--seconds`` have passed, and the fastest round is
kept. Files that are refused (bad input) are listed and skipped. The per-format
figure is total records / total time of the files of that format.
Targets: >= 10,000 records/s for CSV, RIS and WoS text, >= 2,000 for BibTeX.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from slr import readers
from slr.errors import InputError
from slr.textio import decode_bytes

TARGETS = {"bibtex": 2_000}
DEFAULT_TARGET = 10_000


def time_file(data: bytes, path: Path, seconds: float) -> tuple[str, int, float]:
    """(format, records, best seconds per read)."""
    best = float("inf")
    spent = 0.0
    fmt, n = "", 0
    rounds = 0
    while spent < seconds or rounds < 3:
        t0 = time.perf_counter()
        decoded = decode_bytes(data, path)
        loaded = readers.loads(decoded.text, path, decoded.encoding)
        dt = time.perf_counter() - t0
        best = min(best, dt)
        spent += dt
        rounds += 1
        fmt, n = loaded.format, len(loaded.records)
    return fmt, n, best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--seconds", type=float, default=0.5, help="minimum time spent on each file")
    args = parser.parse_args(argv)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # records, seconds, bytes
    print(f"{'file':<70} {'format':<12} {'records':>7} {'ms':>8} {'records/s':>10} {'MB/s':>6}")
    for path in args.paths:
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            fmt, n, best = time_file(data, path, args.seconds)
        except InputError as exc:
            print(f"{path!s:<70} refused: {exc.message()[:80]}")
            continue
        totals[fmt][0] += n
        totals[fmt][1] += best
        totals[fmt][2] += len(data)
        print(f"{path!s:<70} {fmt:<12} {n:>7} {best * 1000:>8.2f} {n / best:>10,.0f} {len(data) / best / 1e6:>6.1f}")
    print()
    print(f"{'format':<12} {'records':>8} {'records/s':>10} {'MB/s':>6} {'target':>8}")
    all_met = True
    for fmt, (n, seconds, size) in sorted(totals.items()):
        target = TARGETS.get(fmt, DEFAULT_TARGET)
        rate = n / seconds
        met = rate >= target
        all_met = all_met and met
        verdict = "ok" if met else "BELOW"
        print(f"{fmt:<12} {n:>8.0f} {rate:>10,.0f} {size / seconds / 1e6:>6.1f} {target:>8,} {verdict}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
