from __future__ import annotations

from pathlib import Path

import click

from slr import report
from slr.atomic import outputs
from slr.cli import PATH


@click.command("report")
@click.argument("results", type=click.Path(path_type=Path, readable=False, file_okay=False), default="results")
@click.option("-o", "--output", required=True, type=PATH, help="HTML file to write")
@click.option("--title", default="Systematic literature review", show_default=True, help="page title")
def report_cmd(results: Path, output: Path, title: str) -> None:
    """Write one self-contained HTML page from the result files in RESULTS."""
    html = report.build(results, title)
    with outputs() as out:
        out.path(output).write_text(html, encoding="utf-8")
    click.echo(f"report -> {output}", err=True)
