"""Every output file of ``slr tables build``, as name -> content (text or XLSX bytes).

Kept apart from the CLI so the whole set can be checked in tests and written all-or-nothing.
"""

from __future__ import annotations

import io

from slr.spreadsheet import neutralise

from . import bibliography, render
from . import tables as t
from .tables import Coding

Files = dict[str, str | bytes]


def _table(files: Files, name: str, rows: list[t.Row], columns: list[str], caption: str, spec=None) -> None:
    values = [[r[c] for c in columns] for r in rows]
    for fmt, text in render.render_all(columns, values, caption, spec).items():
        files[f"{name}.{fmt}"] = text


def _xlsx(sheets: dict[str, tuple[list[str], list[list[object]]]]) -> bytes:
    """A workbook with one sheet per table; text that looks like a formula stays text."""
    import openpyxl

    book = openpyxl.Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title)
        table: list[list[object]] = [list(header), *rows]
        for r, values in enumerate(table, start=1):
            for col, value in enumerate(values, start=1):
                if isinstance(value, str):
                    cell = sheet.cell(row=r, column=col, value=neutralise(value))
                    cell.data_type = "s"  # text, never a formula
                else:
                    sheet.cell(row=r, column=col, value=value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def outputs(c: Coding, included_labels: dict[str, str]) -> Files:
    """All tables; ``included_labels`` are the citations over the included set (for the audit)."""
    files: Files = {}
    n = len(c.study_codes)
    _table(
        files,
        "table1",
        t.table1(c),
        ["sector", "actor_type", "studies"],
        f"Table 1. Organisation types named as anchors: number of studies (of {n} coded)",
    )
    _table(
        files,
        "table2",
        t.table2(c),
        ["type", "category", "activity", "studies"],
        "Table 2. Anchoring activities: studies per type, category and activity "
        "(empty activity: the category's total; empty category: the type's total)",
    )
    _table(
        files,
        "tableA1",
        t.table_a1(c),
        ["activity", "type", "references"],
        "Table A1. Anchoring activities and the studies in which they are observed (P physical, I institutional)",
        ["p{5cm}", "c", "p{10cm}"],
    )
    _table(
        files,
        "uncoded",
        t.uncoded(c, included_labels),
        ["work_id", "citation", "title", "file"],
        "Included studies with no coded segment",
    )
    header, rows = t.matrix(c)
    files["matrix.csv"] = render.to_csv(header, rows)
    co_header, co_rows = t.cooccurrence(c)
    files["cooccurrence.csv"] = render.to_csv(co_header, co_rows)
    files["matrix.xlsx"] = _xlsx({"matrix": (header, rows), "cooccurrence": (co_header, co_rows)})

    coded = [c.works[w] for w in c.coded()]
    bib = bibliography.appendix_c(coded, c.keys)
    files["appendixC.bib"] = bibliography.to_bibtex(coded, c.keys)
    for suffix, text in bibliography.page(
        bibliography.formatted(bib), "Appendix C. Studies assigned at least one code"
    ).items():
        files[f"appendixC.{suffix}"] = text
    app_cols = [
        "citation",
        "bibtex_key",
        "work_id",
        "authors",
        "year",
        "title",
        "journal",
        "volume",
        "issue",
        "pages",
        "doi",
    ]
    app_rows = [
        [
            c.labels[w.work_id],
            c.keys[w.work_id],
            w.work_id,
            "; ".join(w.authors),
            w.year,
            w.title,
            w.journal,
            w.volume,
            w.issue,
            w.pages,
            w.doi,
        ]
        for w in coded
    ]
    files["appendixC.csv"] = render.to_csv(app_cols, app_rows)

    for name, rows_, columns in (
        ("row_studies", t.row_studies(c), ["table", "row", "studies", "work_ids", "references"]),
        ("coding_summary", t.summary(c), ["measure", "value"]),
        (
            "segments_resolved",
            t.resolved_segments(c),
            [
                "work_id",
                "citation",
                "code",
                "segment",
                "page",
                "coder",
                "provenance",
                "study",
                "source_file",
                "source_line",
            ],
        ),
    ):
        files[f"{name}.csv"] = render.to_csv(columns, [[r[k] for k in columns] for r in rows_])
    return files
