from __future__ import annotations

from pathlib import Path

import click

from slr.atomic import outputs
from slr.cli import PATH
from slr.ingest import ingest
from slr.records import write_records


@click.command("ingest")
@click.argument("files", nargs=-1, required=True, type=PATH)
@click.option("-o", "--output", required=True, type=PATH, help="records CSV to write")
@click.option("--search", help="name of the search these exports belong to (e.g. broad, refined)")
def ingest_cmd(files: tuple[Path, ...], output: Path, search: str | None) -> None:
    """Read Scopus / Web of Science / BibTeX / RIS / CSV exports into one records table."""
    records, summaries = ingest(files, search=search)
    for s in summaries:
        click.echo(s.line(), err=True)
    with outputs() as out:
        n = write_records(records, out.path(output))
    click.echo(f"{n} records from {len(summaries)} file(s) -> {output}", err=True)
