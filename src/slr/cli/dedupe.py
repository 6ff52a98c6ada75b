from __future__ import annotations

import gc
import os
from pathlib import Path

import click

from slr.atomic import outputs
from slr.cli import PATH
from slr.dedupe import deduplicate, load_overrides, load_records, write_clusters, write_pairs, write_works


@click.command("dedupe")
@click.argument("records", nargs=-1, required=True, type=PATH)
@click.option("-o", "--output", required=True, type=PATH, help="works CSV to write")
@click.option("--clusters", required=True, type=PATH, help="record_id,work_id CSV to write")
@click.option("--pairs", type=PATH, help="merged, near-miss and overridden pairs to write")
@click.option(
    "--overrides",
    type=PATH,
    help="manual decisions: record_id_a,record_id_b,decision(same|different),note",
)
def dedupe_cmd(
    records: tuple[Path, ...], output: Path, clusters: Path, pairs: Path | None, overrides: Path | None
) -> None:
    """Merge the records of all exports of all searches into works (one row per publication)."""
    # Hundreds of thousands of small objects stay alive to the end and form no reference
    # cycles: the cyclic garbage collector would only re-scan them over and over (it takes
    # about 40 % of the run at 100k records). The process ends with the command.
    gc.disable()
    recs, searches = load_records(records)
    decided = load_overrides(overrides) if overrides else []
    workers = min(2, os.cpu_count() or 1)
    result = deduplicate(recs, searches, decided, workers=workers)
    with outputs() as out:
        write_works(result.works, out.path(output))
        write_clusters(result.clusters, out.path(clusters))
        if pairs:
            write_pairs(result.pairs, out.path(pairs))
    s = result.stats
    rules = ", ".join(f"{k.removeprefix('merged_by_')} {v}" for k, v in sorted(s.items()) if k.startswith("merged_by_"))
    click.echo(
        f"{s['records']} records from {len(records)} file(s) -> {s['works']} works -> {output}; "
        f"merged pairs {s['merged_pairs']} ({rules or 'none'}), near misses {s['near_misses']}, "
        f"overrides {s['overrides']}",
        err=True,
    )
