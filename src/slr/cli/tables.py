from __future__ import annotations

from pathlib import Path

import click

from slr import codebook
from slr.atomic import outputs
from slr.cli import PATH
from slr.coding import build, compare, render, segments, studies
from slr.coding.tables import Coding
from slr.errors import CheckFailed, UsageError

DEFAULT_CODEBOOK = Path("config/codebook.yaml")


@click.group("tables")
def tables_group() -> None:
    """Tables 1, 2, A1, the study x code matrix and Appendix C from coded segments; comparison
    with a published version."""


@tables_group.command("build")
@click.argument("segment_files", metavar="[SEGMENTS]...", nargs=-1, type=PATH)
@click.option(
    "--codebook",
    "codebook_path",
    type=PATH,
    default=DEFAULT_CODEBOOK,
    show_default=True,
    help="taxonomy and actor types",
)
@click.option(
    "--works",
    "works_path",
    required=True,
    type=PATH,
    help="works.csv from `slr dedupe` (bibliographic data, aliases)",
)
@click.option(
    "--included",
    "included_path",
    required=True,
    type=PATH,
    help="hits.csv from `slr fulltext search` (the included set)",
)
@click.option(
    "--links",
    "links_path",
    type=PATH,
    help="links.csv from `slr fulltext link` (MAXQDA document name = PDF name)",
)
@click.option(
    "--maxqda-root",
    "roots",
    multiple=True,
    metavar="ROOT=KIND",
    help="map a MAXQDA top-level code to activity, actor or ignore (repeatable; "
    "defaults: Activities=activity, Anchors/Actors=actor)",
)
@click.option("--out-dir", required=True, type=PATH, help="folder for the tables")
def build_cmd(
    segment_files: tuple[Path, ...],
    codebook_path: Path,
    works_path: Path,
    included_path: Path,
    links_path: Path | None,
    roots: tuple[str, ...],
    out_dir: Path,
) -> None:
    """Read coded segments (our CSV/XLSX or MAXQDA exports) and write every table under OUT_DIR.

    With no SEGMENTS (nothing coded yet) the tables are empty and every included study is listed
    as uncoded, so that a review in progress still runs end to end."""
    try:
        root_map = segments.parse_roots(roots)
    except ValueError as exc:
        raise UsageError(f"--maxqda-root {exc}") from None
    book = codebook.load(codebook_path)
    works = studies.load_works(works_path)
    included = studies.load_included(included_path, works)
    links = studies.load_links(links_path, works) if links_path else None
    index = studies.StudyIndex(works, included, links)
    loaded = segments.load(segment_files, book, index, root_map)
    coding = Coding(book, works, included, loaded)
    files = build.outputs(coding, index.included_labels)
    with outputs() as out:
        for name, content in files.items():
            target = out.path(out_dir / name)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
    for path, layout, n in loaded.files:
        click.echo(f"{path}: {n} segments ({layout})", err=True)
    uncoded = len(included.work_ids) - len(coding.study_codes)
    click.echo(
        f"{len(loaded.segments)} segments, {len(coding.study_codes)} of {len(included.work_ids)} included studies "
        f"coded ({uncoded} not coded) -> {out_dir}/ ({len(files)} files)",
        err=True,
    )


@tables_group.command("compare")
@click.argument("results", type=PATH)
@click.argument("published", type=PATH)
@click.option(
    "--accept",
    "accept_path",
    type=PATH,
    help="YAML listing the published anomalies to accept (by difference id)",
)
@click.option(
    "--codebook",
    "codebook_path",
    type=PATH,
    help=f"to match wordings through aliases [default: {DEFAULT_CODEBOOK} when it exists]",
)
@click.option("--strict", is_flag=True, help="exit 1 when a difference is not accepted")
@click.option("-o", "--output", type=PATH, help="write the differences as CSV")
def compare_cmd(
    results: Path,
    published: Path,
    accept_path: Path | None,
    codebook_path: Path | None,
    strict: bool,
    output: Path | None,
) -> None:
    """Compare the tables in RESULTS (from `slr tables build`) with PUBLISHED (YAML), whatever the row order."""
    if codebook_path is None and DEFAULT_CODEBOOK.is_file():
        codebook_path = DEFAULT_CODEBOOK
    book = codebook.load(codebook_path) if codebook_path else None
    pub_doc = compare.load_yaml(published, "published tables", "config/published.yaml")
    pub = compare.parse_published(pub_doc.data, published, pub_doc)
    accepted = []
    if accept_path:
        accept_doc = compare.load_yaml(accept_path, "accepted anomalies", "config/accepted_anomalies.yaml")
        accepted = compare.parse_accept(accept_doc.data, accept_path, accept_doc)
    comp = compare.load_computed(results)
    diffs = compare.apply_accepted(compare.compare(comp, pub, book), accepted)
    if output:
        with outputs() as out:
            out.path(output).write_text(render.to_csv(compare.COLUMNS, compare.rows(diffs)), encoding="utf-8")
    for d in diffs:
        status = "accepted " if d.accepted else "DIFFERENT"
        click.echo(f"{status} {d.id}: {d.detail}")
    open_ = [d for d in diffs if not d.accepted]
    click.echo(f"{len(diffs)} difference(s): {len(diffs) - len(open_)} accepted, {len(open_)} not accepted", err=True)
    if strict and open_:
        shown = ", ".join(d.id for d in open_[:10]) + (" ..." if len(open_) > 10 else "")
        raise CheckFailed(f"{len(open_)} difference(s) not accepted: {shown}")
