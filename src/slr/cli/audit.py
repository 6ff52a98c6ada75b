"""``slr audit`` and ``slr trace``: interactive commands that read the config and results/."""

from __future__ import annotations

from pathlib import Path

import click

from slr.atomic import outputs
from slr.cli import PATH

# slr.audit pulls in jsonschema and every stage's readers: imported when a command runs,
# so that other commands start fast.
CODED_DEFAULT = "tables/appendixC.csv"

PathType = PATH


@click.command("audit")
@click.option("--strict", is_flag=True, help="exit with status 1 on any mismatch")
@click.option("--config", "config_path", default="config/config.yaml", show_default=True, type=PathType)
@click.option("--results", default="results", show_default=True, type=PathType, help="the results folder")
@click.option(
    "--coded",
    type=PathType,
    help=f"coded studies CSV (work_id column) [default: RESULTS/{CODED_DEFAULT}]",
)
@click.option("-o", "--output", type=PathType, help="also write the report to this file")
def audit_cmd(strict: bool, config_path: Path, results: Path, coded: Path | None, output: Path | None) -> None:
    """The funnel next to the published counts, what explains each exclusion, and every check."""
    from slr import audit as audit_mod

    ctx = audit_mod.Context(config_path, results, {"coded": coded} if coded else None)
    sections = audit_mod.run(ctx)
    text = audit_mod.render(sections)
    if output is not None:
        with outputs() as out:
            out.path(output).write_text(text, encoding="utf-8")
    click.echo(text, nl=False)
    if strict:
        audit_mod.check(sections)


@click.command("trace")
@click.argument("query")
@click.option("--config", "config_path", default="config/config.yaml", show_default=True, type=PathType)
@click.option("--results", default="results", show_default=True, type=PathType, help="the results folder")
def trace_cmd(query: str, config_path: Path, results: Path) -> None:
    """Show one work's path: records, merges, decisions, funnel, full text, hits, codes.

    QUERY is a work_id or alias, a DOI, a Scopus EID / WoS UT, or words of the title."""
    from slr import audit as audit_mod
    from slr import trace as trace_mod

    ctx = audit_mod.Context(config_path, results)
    click.echo(trace_mod.trace(ctx, query), nl=False)
