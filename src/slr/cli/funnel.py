"""``slr funnel`` and ``slr prisma``: counts from the result files, and the diagram."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from slr import funnel as funnel_mod
from slr import prisma as prisma_mod
from slr.atomic import outputs
from slr.cli import PATH
from slr.errors import UsageError

PathType = PATH


def pairs(values: Sequence[str], option: str, *, integer: bool = False) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} {item!r}: write KEY=VALUE")
        if integer:
            try:
                out[key.strip()] = int(value)
            except ValueError:
                raise UsageError(f"{option} {item!r}: the value must be a whole number") from None
        else:
            out[key.strip()] = value
    return out


@click.command("funnel")
@click.option("--searches", required=True, help="the searches, comma-separated, in config order")
@click.option("--records-dir", type=PathType, help="folder with <search>/<export>.csv records (results/records)")
@click.option(
    "--records",
    "records_files",
    multiple=True,
    type=PathType,
    help="a records file <dir>/<search>/<export>.csv of a current export (repeat); when given, only these "
    "count, not every file in --records-dir",
)
@click.option("--works", type=PathType, help="results/works.csv")
@click.option("--pilot-search", help="the search the pilot sample is drawn from")
@click.option("--pilot", type=PathType, help="results/screening/pilot_screened.csv")
@click.option("--screened", type=PathType, help="results/screening/abstract_screened.csv")
@click.option("--availability", type=PathType, help="results/screening/availability.csv")
@click.option("--links", type=PathType, help="results/fulltext/links.csv")
@click.option("--manifest", type=PathType, help="results/fulltext/manifest.csv")
@click.option("--hits", type=PathType, help="results/fulltext/hits.csv")
@click.option("--coded", type=PathType, help="CSV with a work_id column, one row per coded study")
@click.option("--expected", multiple=True, help="STAGE=COUNT, the published count to compare with (repeat)")
@click.option("-o", "--output", required=True, type=PathType, help="funnel CSV (stage,count,expected)")
@click.option("--reasons", "reasons_path", required=True, type=PathType, help="reasons CSV (stage,reason,count)")
@click.option(
    "--history",
    type=PathType,
    help="folder that keeps this funnel and the previous run's (results/funnel_history), for "
    "`slr audit`'s changes since the last run",
)
def funnel_cmd(
    searches: str,
    records_dir: Path | None,
    records_files: Sequence[Path],
    works: Path | None,
    pilot_search: str | None,
    pilot: Path | None,
    screened: Path | None,
    availability: Path | None,
    links: Path | None,
    manifest: Path | None,
    hits: Path | None,
    coded: Path | None,
    expected: Sequence[str],
    output: Path,
    reasons_path: Path,
    history: Path | None,
) -> None:
    """Count every funnel stage from the result files; a missing file makes its stage pending."""
    names = [s.strip() for s in searches.split(",") if s.strip()]
    if not names:
        raise UsageError("--searches needs at least one search name")
    records: dict[str, list[Path]] | None = None
    if records_files:
        records = {name: [] for name in names}
        for path in records_files:
            if path.parent.name not in records:
                raise UsageError(
                    f"--records {path}: the folder {path.parent.name!r} is not one of the searches "
                    f"({', '.join(names)}); records files live in <dir>/<search>/"
                )
            records[path.parent.name].append(path)
    inputs = funnel_mod.FunnelInputs(
        searches=names,
        records_dir=records_dir,
        records=records,
        works=works,
        pilot_search=pilot_search,
        pilot=pilot,
        screened=screened,
        availability=availability,
        links=links,
        manifest=manifest,
        hits=hits,
        coded=coded,
        expected={k: int(v) for k, v in pairs(expected, "--expected", integer=True).items()},  # type: ignore[call-overload]
    )
    work_rows = funnel_mod.load_works(inputs)
    stages = funnel_mod.compute(inputs, work_rows)
    with outputs() as out:
        funnel_mod.write(stages, out.path(output), out.path(reasons_path))
    if history is not None:
        from slr import funnel_history

        kept = funnel_history.record(history, funnel_history.snapshot(stages, work_rows))
        click.echo(f"funnel kept in {kept} (for the changes since the last run)", err=True)
    for s in stages:
        shown = funnel_mod.PENDING if s.count is None else str(s.count)
        exp = "" if s.expected is None else f" (expected {s.expected})"
        click.echo(f"{s.name}: {shown}{exp}", err=True)


@click.command("prisma")
@click.argument("funnel_csv", type=PathType)
@click.argument("reasons_csv", type=PathType)
@click.option("-o", "--output", required=True, type=PathType, help="SVG to write")
@click.option("--png", type=PathType, help="PNG to write as well")
@click.option("--identification", required=True, help="the search the review's identification reports (refined)")
@click.option("--development", help="a search shown as search development (broad), with the pilot")
@click.option("--label", "labels", multiple=True, help="KEY=TEXT, wording for a criterion or reason (repeat)")
def prisma_cmd(
    funnel_csv: Path,
    reasons_csv: Path,
    output: Path,
    png: Path | None,
    identification: str,
    development: str | None,
    labels: Sequence[str],
) -> None:
    """Draw the PRISMA 2020 flow diagram from funnel.csv and funnel_reasons.csv."""
    stages = funnel_mod.read(funnel_csv, reasons_csv)
    with outputs() as out:
        prisma_mod.draw(
            stages,
            out.path(output),
            out.path(png) if png else None,
            identification=identification,
            development=development,
            labels={k: str(v) for k, v in pairs(labels, "--label").items()},
        )
    click.echo(f"PRISMA diagram -> {output}" + (f", {png}" if png else ""), err=True)
