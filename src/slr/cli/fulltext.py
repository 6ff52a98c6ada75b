from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from slr.atomic import outputs
from slr.cli import PATH
from slr.fulltext.extract import (
    DEFAULT_TIMEOUT,
    Extraction,
    Extractor,
    cached_text,
    extract_files,
    merge_manifests,
    read_manifest,
    write_manifest,
)
from slr.fulltext.link import (
    LINK_FIELDS,
    UNLINKED_FIELDS,
    link_pdfs,
    load_aliases,
    load_screened,
    load_works,
    pdf_files,
)
from slr.fulltext.search import (
    DEFAULT_PATTERN,
    HIT_FIELDS,
    KWIC_FIELDS,
    SearchOptions,
    read_links,
    search_links,
    text_files,
)
from slr.fulltext.tables import write_table

_PATH = PATH


@click.group("fulltext")
def fulltext_group() -> None:
    """Full text: link PDFs to works, extract their text, search it for a pattern."""


@fulltext_group.command("link")
@click.argument("pdf_dir", type=_PATH)
@click.option("--works", "works_path", required=True, type=_PATH, help="works.csv from slr dedupe")
@click.option("--screened", type=_PATH, help="a *_screened.csv: only its included works are to be retrieved")
@click.option("-o", "--output", required=True, type=_PATH, help="links.csv to write")
@click.option("--unlinked", type=_PATH, help="unlinked.csv to write (PDFs without a work, works without a PDF)")
@click.option(
    "--timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="seconds allowed for reading one PDF's first page (0 = no limit)",
)
@click.option(
    "--text-dir",
    type=_PATH,
    help="texts written by `slr fulltext extract`: a PDF whose text is there is not read again",
)
def link_cmd(
    pdf_dir: Path,
    works_path: Path,
    screened: Path | None,
    output: Path,
    unlinked: Path | None,
    timeout: float,
    text_dir: Path | None,
) -> None:
    """Link the PDFs in PDF_DIR to works: DOI in the file name, DOI on the first page, then title."""
    works = load_works(works_path)
    retrieve = load_screened(screened, works, load_aliases(works_path)) if screened else None
    pdfs = pdf_files(pdf_dir)

    with Extractor(timeout) as extractor:

        def first_page(path: Path) -> tuple[str | None, str | None]:
            text = cached_text(path, text_dir) if text_dir is not None else None
            if text and text.strip():
                return text.split("\f", 1)[0], None
            page = extractor.extract(path, maxpages=1)
            if page.text and page.text.strip():
                return page.text, None
            return None, f"{page.status}: {page.message}" if page.message else page.status

        result = link_pdfs(pdfs, works, retrieve, first_page, pdf_dir)

    with outputs() as out:
        write_table(result.links, LINK_FIELDS, output, out)
        if unlinked is not None:
            write_table(result.unlinked, UNLINKED_FIELDS, unlinked, out, spreadsheet=True)
    how = Counter(link["matched_by"] for link in result.links)
    kinds = Counter(row["kind"] for row in result.unlinked)
    wanted = len(retrieve) if retrieve is not None else len(works)
    click.echo(
        f"{len(pdfs)} PDF(s), {wanted} work(s) to retrieve: {len(result.links)} linked"
        f" ({', '.join(f'{k} {v}' for k, v in sorted(how.items())) or 'none'});"
        f" {', '.join(f'{k} {v}' for k, v in sorted(kinds.items())) or 'nothing unlinked'} -> {output}",
        err=True,
    )
    if unlinked is None:
        for row in result.unlinked:
            click.echo(f"{row['kind']}: {row['file'] or row['work_id']}: {row['note']}", err=True)


@fulltext_group.command("extract")
@click.argument("pdfs", nargs=-1, type=_PATH)
@click.option("-o", "--output", required=True, type=_PATH, help="manifest.csv to write")
@click.option("--text-dir", required=True, type=_PATH, help="folder for the <pdf stem>.txt texts (also the cache)")
@click.option(
    "--timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="seconds allowed per PDF (0 = no limit); a PDF that takes longer gets status timeout",
)
def extract_cmd(pdfs: tuple[Path, ...], output: Path, text_dir: Path, timeout: float) -> None:
    """Extract the text of each PDF once (pdfminer.six) and record its status in a manifest."""

    def progress(number: int, total: int, result: Extraction, seconds: float, cached: bool) -> None:
        pages = f"{result.pages} p, " if result.pages is not None else ""
        source = "cached" if cached else f"{seconds:.1f} s"
        click.echo(f"[{number}/{total}] {result.file}: {result.status} ({pages}{source})", err=True)

    results = extract_files(list(pdfs), text_dir, timeout=timeout, progress=progress)
    write_manifest(results, output)
    counts = Counter(r.status for r in results)
    click.echo(
        f"{len(results)} PDF(s): {', '.join(f'{k} {v}' for k, v in sorted(counts.items())) or 'none'} -> {output}",
        err=True,
    )


@fulltext_group.command("merge")
@click.argument("manifests", nargs=-1, type=_PATH)
@click.option("-o", "--output", required=True, type=_PATH, help="the merged manifest.csv")
def merge_cmd(manifests: tuple[Path, ...], output: Path) -> None:
    """Merge per-batch manifests into one (a PDF in two batches is an error)."""
    rows = merge_manifests(list(manifests))
    write_manifest(rows, output)
    click.echo(f"{len(rows)} PDF(s) from {len(manifests)} manifest(s) -> {output}", err=True)


@fulltext_group.command("search")
@click.argument("texts", nargs=-1, required=True, type=_PATH)
@click.option(
    "--pattern",
    default=DEFAULT_PATTERN,
    show_default=True,
    help="regular expression, case-insensitive, matched anywhere in a word",
)
@click.option("-o", "--output", required=True, type=_PATH, help="hits.csv to write")
@click.option("--kwic", required=True, type=_PATH, help="kwic.csv to write (one row per mention)")
@click.option("--links", "links_path", required=True, type=_PATH, help="links.csv from slr fulltext link")
@click.option("--manifest", "manifest_path", required=True, type=_PATH, help="manifest.csv from slr fulltext extract")
@click.option("--exclude-references", is_flag=True, help="leave out the text after the last References heading")
@click.option("--min-mentions", type=int, default=1, show_default=True, help="mentions a work needs to be included")
@click.option("--word-start", is_flag=True, help="the pattern must begin a word (stricter)")
def search_cmd(
    texts: tuple[Path, ...],
    pattern: str,
    output: Path,
    kwic: Path,
    links_path: Path,
    manifest_path: Path,
    exclude_references: bool,
    min_mentions: int,
    word_start: bool,
) -> None:
    """Count pattern mentions per linked work in TEXTS (text files or folders of them)."""
    options = SearchOptions(pattern, word_start=word_start, include_references=not exclude_references)
    result = search_links(
        read_links(links_path),
        read_manifest(manifest_path),
        text_files(texts),
        options,
        min_mentions,
        links_path=links_path,
        manifest_path=manifest_path,
    )
    with outputs() as out:
        write_table(result.hits, HIT_FIELDS, output, out)
        write_table(result.kwic, KWIC_FIELDS, kwic, out, spreadsheet=True)
    included = sum(1 for h in result.hits if h["included"] == "yes")
    without = sum(1 for h in result.hits if h["included"] == "no")
    pending = Counter(h["status"] for h in result.hits if h["included"] is None)
    pending_text = ", ".join(f"{k} {v}" for k, v in sorted(pending.items()))
    click.echo(
        f"{len(result.hits)} linked PDF(s): {included} with >= {min_mentions} mention(s), {without} without,"
        f" {sum(pending.values())} pending{f' ({pending_text})' if pending_text else ''}; {len(result.kwic)}"
        f" mention(s) -> {output}, {kwic}",
        err=True,
    )
    if result.no_reference_heading:
        click.echo(
            f"no reference-list heading found (searched whole): {', '.join(result.no_reference_heading)}", err=True
        )
