"""``slr screening ...``: sheets, apply, kappa, keywords, availability, export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from slr.atomic import outputs
from slr.cli import PATH
from slr.decisions import BadValue, WorkIndex, load, one_of, parse_flag
from slr.errors import InputError, InputErrors, UsageError
from slr.results import read_table, read_works
from slr.screening import agreement as agreement_mod
from slr.screening import export as export_mod
from slr.screening import keywords as keywords_mod
from slr.screening.availability import AVAILABILITY_COLUMNS, RETRIEVED, availability_rows
from slr.screening.decide import count, decide, load_stage_codes, screened_columns
from slr.screening.rule import parse_rule
from slr.screening.sample import in_search, stage_set
from slr.screening.sheet import sheet_rows, write_sheet
from slr.spreadsheet import Column, write_csv, write_xlsx

PathType = PATH


def _names(value: str | None, option: str) -> list[str]:
    names = [v.strip() for v in (value or "").split(",") if v.strip()]
    if not names:
        raise UsageError(f"{option} needs at least one name (comma-separated)")
    bad = [n for n in names if not n.isidentifier()]
    if bad:
        raise UsageError(f"{option}: {', '.join(bad)} is not a valid criterion name (letters, digits, _)")
    return names


def _stage_options(f: Callable[..., None]) -> Callable[..., None]:
    f = click.option("--seed", type=int, help="seed of the sample (with --sample)")(f)
    f = click.option(
        "--sample",
        type=int,
        help="screen a reproducible random sample of this many works (frozen to the coded works once codes exist)",
    )(f)
    f = click.option("--search", help="screen only the works this search found (e.g. refined)")(f)
    f = click.option("--criteria", required=True, help="criterion columns, comma-separated")(f)
    return f


def _label(search: str | None, sample: int | None) -> str:
    where = f"the {search} search" if search else "the works file"
    return f"the sample of {where}" if sample else where


@click.group("screening")
def screening_cmd() -> None:
    """Screening sheets and decisions (data/coded/ is read, never written)."""


@screening_cmd.command("sheet")
@click.argument("works_csv", type=PathType)
@click.option("-o", "--output", required=True, type=PathType, help="XLSX sheet to write")
@click.option("--csv", "csv_path", type=PathType, help="CSV copy (default: the XLSX path with .csv)")
@click.option("--codes", multiple=True, type=PathType, help="code file(s) whose decisions are pre-filled")
@click.option("--second-coder", multiple=True, type=PathType, help="second coder's code file(s)")
@click.option("--reconciled", multiple=True, type=PathType, help="reconciled code file(s)")
@_stage_options
def sheet_cmd(
    works_csv: Path,
    output: Path,
    csv_path: Path | None,
    codes: Sequence[Path],
    second_coder: Sequence[Path],
    reconciled: Sequence[Path],
    criteria: str,
    search: str | None,
    sample: int | None,
    seed: int | None,
) -> None:
    """Write a sheet (XLSX + CSV, formula-safe) to screen WORKS_CSV in a spreadsheet."""
    names = _names(criteria, "--criteria")
    works = read_works(works_csv)
    index = WorkIndex(works)
    stage_codes = load_stage_codes(index, names, codes, second_coder, reconciled)
    problems = [p for c in stage_codes.all() for p in c.problems]
    if problems:
        raise InputErrors(problems)
    chosen = stage_set(works, search=search, sample=sample, seed=seed, coded_ids=stage_codes.coded_ids())
    rows = sheet_rows({w["work_id"]: w for w in works}, chosen.work_ids, names, stage_codes)
    csv_out = csv_path or output.with_suffix(".csv")
    with outputs() as out:
        n = write_sheet(out.path(output), out.path(csv_out), rows, names, title=output.stem)
    coded = sum(1 for r in rows if any(r.get(c) is not None for c in names))
    click.echo(f"{n} works ({chosen.how}), {coded} with decisions pre-filled -> {output}, {csv_out}", err=True)


@screening_cmd.command("apply")
@click.argument("works_csv", type=PathType)
@click.argument("codes", nargs=-1, type=PathType)
@click.option("-o", "--output", required=True, type=PathType, help="screened CSV to write")
@click.option("--rule", "rule_text", required=True, help="inclusion rule, e.g. 'a and b and not c'")
@click.option("--rule-key", default="include_if", show_default=True, help="config key named in rule errors")
@click.option("--second-coder", multiple=True, type=PathType, help="second coder's code file(s)")
@click.option("--reconciled", multiple=True, type=PathType, help="reconciled code file(s): they decide")
@_stage_options
def apply_cmd(
    works_csv: Path,
    codes: Sequence[Path],
    output: Path,
    rule_text: str,
    rule_key: str,
    second_coder: Sequence[Path],
    reconciled: Sequence[Path],
    criteria: str,
    search: str | None,
    sample: int | None,
    seed: int | None,
) -> None:
    """Re-attach the decisions in CODES to WORKS_CSV and apply the inclusion rule.

    Every work of the stage gets included, excluded (reason: the failed criteria) or
    to_screen. A decision matching no work, conflicting decisions and invalid values
    stop the run, each listed on its own line (exit 2)."""
    names = _names(criteria, "--criteria")
    rule = parse_rule(rule_text, names, where="--rule", key=rule_key)
    works = read_works(works_csv)
    index = WorkIndex(works)
    stage_codes = load_stage_codes(index, names, codes, second_coder, reconciled)
    chosen = stage_set(works, search=search, sample=sample, seed=seed, coded_ids=stage_codes.coded_ids())
    decisions, problems = decide(chosen.work_ids, stage_codes, names, rule, stage_label=_label(search, sample))
    if problems:
        raise InputErrors(problems)
    with outputs() as out:
        write_csv(out.path(output), screened_columns(names), [d.row(names) for d in decisions])
    totals = count(decisions)
    click.echo(
        f"{len(decisions)} works ({chosen.how}): {totals['included']} included, {totals['excluded']} excluded, "
        f"{totals['to_screen']} to screen -> {output}",
        err=True,
    )


@screening_cmd.command("kappa")
@click.argument("works_csv", type=PathType)
@click.option("--coder-a", "coder_a", multiple=True, required=True, type=PathType, help="first coder's file(s)")
@click.option("--coder-b", "coder_b", multiple=True, required=True, type=PathType, help="second coder's file(s)")
@click.option("--criteria", required=True, help="criterion columns, comma-separated")
@click.option("-o", "--output", required=True, type=PathType, help="agreement CSV (Cohen's kappa per criterion)")
@click.option(
    "--conflicts",
    "conflicts_path",
    required=True,
    type=PathType,
    help="conflicts sheet (XLSX; a CSV copy is written beside it)",
)
@click.option("--reconciled", multiple=True, type=PathType, help="reconciled code file(s), shown beside conflicts")
def kappa_cmd(
    works_csv: Path,
    coder_a: Sequence[Path],
    coder_b: Sequence[Path],
    criteria: str,
    output: Path,
    conflicts_path: Path,
    reconciled: Sequence[Path],
) -> None:
    """Agreement of two coders (Cohen's kappa per criterion) and a sheet of their conflicts."""
    names = _names(criteria, "--criteria")
    works = read_works(works_csv)
    index = WorkIndex(works)
    parsers = {c: parse_flag for c in names}
    a, b = load(index, coder_a, parsers), load(index, coder_b, parsers)
    rec = load(index, reconciled, parsers) if reconciled else None
    problems = [*a.problems, *b.problems, *(rec.problems if rec else [])]
    if problems:
        raise InputErrors(problems)
    stats = agreement_mod.agreement(a, b, names)
    rows = agreement_mod.conflicts(a, b, names, {w["work_id"]: w for w in works}, rec)
    cols = [Column(c, 60 if c == "title" else 18, wrap=c == "title") for c in agreement_mod.CONFLICT_COLUMNS]
    with outputs() as out:
        write_csv(out.path(output), agreement_mod.AGREEMENT_COLUMNS, [s.row() for s in stats])
        write_xlsx(out.path(conflicts_path), cols, rows, sheet_title="conflicts")
        write_csv(out.path(conflicts_path.with_suffix(".csv")), agreement_mod.CONFLICT_COLUMNS, rows, bom=True)
    for s in stats:
        kappa = "undefined" if s.kappa is None else f"{s.kappa:.3f}"
        click.echo(f"{s.criterion}: kappa {kappa} over {s.n} works ({s.n - s.agree} disagreements)", err=True)
    click.echo(f"{len(rows)} conflicts -> {conflicts_path}", err=True)


@screening_cmd.command("keywords")
@click.argument("works_csv", type=PathType)
@click.argument("pilot_screened", type=PathType)
@click.option("-o", "--output", required=True, type=PathType, help="keyword table (CSV)")
@click.option("--search", help="the pilot's search: its other works give the prior")
@click.option("--top", default=40, show_default=True, help="terms per side (0 = all)")
@click.option("--min-docs", default=2, show_default=True, help="a term must occur in this many pilot works")
@click.option("--prior-weight", type=float, help="weight of the prior in tokens (default: the pilot's size)")
def keywords_cmd(
    works_csv: Path,
    pilot_screened: Path,
    output: Path,
    search: str | None,
    top: int,
    min_docs: int,
    prior_weight: float | None,
) -> None:
    """Terms that separate the relevant pilot works from the irrelevant ones (log-odds, Dirichlet prior)."""
    works = {w["work_id"]: w for w in read_works(works_csv)}
    table = read_table(pilot_screened, ("work_id", "decision"), what="screened file", made_by="`slr screening apply`")
    relevant, irrelevant = [], []
    pilot_ids = set()
    for row, line in zip(table.rows, table.lines, strict=True):
        wid = row.get("work_id")
        if wid not in works:
            raise InputError(
                table.path,
                f"work {wid} is not in {works_csv}",
                "apply the pilot codes again with the same works file",
                line=line,
            )
        pilot_ids.add(wid)
        if row.get("decision") == "included":
            relevant.append(keywords_mod.work_text(works[wid]))
        elif row.get("decision") == "excluded":
            irrelevant.append(keywords_mod.work_text(works[wid]))
    if not relevant or not irrelevant:
        # Not an error: the pilot is simply not coded far enough yet; the table stays empty.
        click.echo(
            f"note: the pilot has {len(relevant)} relevant and {len(irrelevant)} irrelevant coded works; "
            "both groups are needed to rank terms",
            err=True,
        )
    background = [keywords_mod.work_text(w) for w in in_search(works.values(), search) if w["work_id"] not in pilot_ids]
    scored = keywords_mod.log_odds(relevant, irrelevant, background, prior_weight=prior_weight, min_docs=min_docs)
    chosen = keywords_mod.top_terms(scored, top)
    with outputs() as out:
        write_csv(out.path(output), keywords_mod.KEYWORD_COLUMNS, [t.row() for t in chosen])
    click.echo(
        f"{len(chosen)} terms from {len(relevant)} relevant and {len(irrelevant)} irrelevant pilot works -> {output}",
        err=True,
    )


@screening_cmd.command("availability")
@click.argument("works_csv", type=PathType)
@click.argument("screened", type=PathType)
@click.argument("codes", nargs=-1, type=PathType)
@click.option("--reasons", required=True, help="allowed reasons for not retrieving, comma-separated")
@click.option("-o", "--output", required=True, type=PathType, help="availability CSV to write")
def availability_cmd(works_csv: Path, screened: Path, codes: Sequence[Path], reasons: str, output: Path) -> None:
    """Full-text availability of the screened-in works (``availability`` = retrieved or a reason)."""
    allowed = [RETRIEVED, *_names(reasons, "--reasons")]
    index = WorkIndex(read_works(works_csv))
    table = read_table(screened, ("work_id", "decision"), what="screened file", made_by="`slr screening apply`")
    wanted = [r["work_id"] for r in table.rows if r.get("decision") == "included"]
    coded = load(index, codes, {"availability": one_of(allowed)}, need_all_columns=True)
    coded.raise_problems()
    rows = availability_rows(wanted, coded)
    with outputs() as out:
        write_csv(out.path(output), AVAILABILITY_COLUMNS, rows)
    tally: dict[str, int] = {}
    for r in rows:
        tally[r["decision"]] = tally.get(r["decision"], 0) + 1
    click.echo(", ".join(f"{v} {k}" for k, v in tally.items()) + f" -> {output}", err=True)


def _same(cell: object, value: str) -> bool:
    """``--where`` equality: case-insensitive, and yes/true/1 (no/false/0) count as one value."""
    text = str(cell or "").strip().lower()
    if text == value.strip().lower():
        return True
    try:
        a, b = parse_flag(text), parse_flag(value)
    except BadValue:
        return False
    return a is not None and a == b


@screening_cmd.command("export")
@click.argument("works_csv", type=PathType)
@click.option("--search", help="the works this search found")
@click.option("--set", "set_path", type=PathType, help="a CSV with a work_id column naming the works")
@click.option("--where", "where", help="keep rows of --set whose COLUMN has VALUE (COLUMN=VALUE)")
@click.option("--ris", type=PathType, help="RIS file to write")
@click.option("--bib", type=PathType, help="BibTeX file to write")
@click.option("--qda", type=PathType, help="study list for a QDA tool (CSV)")
@click.option("--links", type=PathType, help="results/fulltext/links.csv, to name each study's PDF in --qda")
def export_cmd(
    works_csv: Path,
    search: str | None,
    set_path: Path | None,
    where: str | None,
    ris: Path | None,
    bib: Path | None,
    qda: Path | None,
    links: Path | None,
) -> None:
    """Export a stage's works as RIS / BibTeX (Zotero) and as a QDA import list."""
    if not (ris or bib or qda):
        raise UsageError("name at least one output: --ris, --bib or --qda")
    works = read_works(works_csv)
    chosen = in_search(works, search)
    if set_path is not None:
        table = read_table(set_path, ("work_id",), what="work list")
        keep: set[str] = set()
        column = value = None
        if where:
            column, sep, value = where.partition("=")
            if not sep or column not in table.columns:
                raise UsageError(f"--where {where!r}: write COLUMN=VALUE with a column of {set_path}")
        for row in table.rows:
            if column is None or _same(row.get(column), value or ""):
                keep.add(row["work_id"])
        known = {w["work_id"] for w in works}
        unknown = sorted(keep - known)
        if unknown:
            raise InputError(
                set_path,
                f"{len(unknown)} work_id(s) not in {works_csv}, e.g. {unknown[0]}",
                "write the list again from the same works file",
            )
        chosen = [w for w in chosen if w["work_id"] in keep]
    files: dict[str, list[str]] = {}
    if links is not None:
        for row in read_table(links, ("work_id", "file"), what="links file", made_by="`slr fulltext link`").rows:
            if row.get("work_id") and row.get("file"):
                files.setdefault(row["work_id"], []).append(row["file"])
    with outputs() as out:
        if ris:
            out.path(ris).write_text(export_mod.ris(chosen), encoding="utf-8")
        if bib:
            out.path(bib).write_text(export_mod.bibtex(chosen), encoding="utf-8")
        if qda:
            write_csv(out.path(qda), export_mod.QDA_COLUMNS, export_mod.qda_rows(chosen, files))
    click.echo(f"{len(chosen)} works -> {', '.join(str(p) for p in (ris, bib, qda) if p)}", err=True)
