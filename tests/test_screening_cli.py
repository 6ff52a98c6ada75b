"""`slr screening sheet|apply|kappa|keywords|availability|export` on the hand-made review."""

from __future__ import annotations

import codecs
import csv
import math

import bibtexparser
import rispy
from openpyxl import load_workbook
from review_fixture import ABSTRACT_ARGS, PILOT_ARGS, RULE, apply_screening, build, run_ok, write_csv


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_apply_decides_every_work_of_the_search(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    rows = {r["work_id"]: r for r in read(root / "results/screening/abstract_screened.csv")}
    assert list(read(root / "results/screening/abstract_screened.csv")[0]) == [
        "work_id",
        "decision",
        "reason",
        "relevant_to_is",
        "empirical",
        "quantitative_assessment",
        "code_file",
        "code_row",
    ]
    assert set(rows) == {"Wa01", "Wa02", "Wa03", "Wa04", "Wa05", "Wa08"}  # the refined search
    assert {w for w, r in rows.items() if r["decision"] == "included"} == {"Wa01", "Wa02", "Wa08"}
    assert rows["Wa03"]["reason"] == "quantitative_assessment"
    assert rows["Wa04"]["reason"] == "not empirical"
    assert rows["Wa05"]["reason"] == "not relevant_to_is"
    assert rows["Wa02"]["quantitative_assessment"] == "no"  # "FALSE" read as no
    assert rows["Wa04"]["code_file"] == "data/coded/abstract_screening.csv" and rows["Wa04"]["code_row"] == "5"


def test_apply_lists_every_bad_decision_and_writes_nothing(slr, tmp_path):
    root = build(tmp_path)
    bad = write_csv(
        root / "data/coded/more.csv",
        ["work_id", "relevant_to_is", "empirical"],
        [("Wa01", "no", "yes"), ("Wghost", "yes", "yes"), ("Wa02", "perhaps", "")],
    )
    out = root / "results/screening/abstract_screened.csv"
    result = slr(
        "screening",
        "apply",
        "results/works.csv",
        "data/coded/abstract_screening.csv",
        bad,
        *ABSTRACT_ARGS,
        "--rule",
        RULE,
        "-o",
        out,
        cwd=root,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines), lines
    assert any(f"{bad}:2:" in line and "conflicting" in line for line in lines)
    assert any(f"{bad}:3:" in line and "matches no work" in line for line in lines)
    assert any(f"{bad}:4:" in line and "'relevant_to_is' holds 'perhaps'" in line for line in lines)
    assert not out.exists() and "Traceback" not in result.stderr


def test_decision_for_a_work_outside_the_stage_is_an_error(slr, tmp_path):
    root = build(tmp_path)
    extra = write_csv(root / "data/coded/extra.csv", ["work_id", "relevant_to_is"], [("Wa07", "yes")])
    result = slr(
        "screening", "apply", "results/works.csv", extra, *ABSTRACT_ARGS, "--rule", RULE, "-o", "x.csv", cwd=root
    )
    assert result.returncode == 2 and "Wa07, which is not in the refined search" in result.stderr


def test_bad_rule_is_a_one_line_error(slr, tmp_path):
    root = build(tmp_path)
    result = slr(
        "screening",
        "apply",
        "results/works.csv",
        *ABSTRACT_ARGS,
        "--rule",
        "empirical and os.system",
        "--rule-key",
        "screening.abstract.include_if",
        "-o",
        "x.csv",
        cwd=root,
    )
    assert result.returncode == 2 and "screening.abstract.include_if" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_sheet_prefilled_formula_safe_with_validation(slr, tmp_path):
    root = build(tmp_path)
    partial = write_csv(
        root / "data/coded/partial.csv",
        ["work_id", "relevant_to_is", "empirical", "notes"],
        [("Wa08", "yes", "", "=cmd|' /C calc'!A0")],
    )
    run_ok(
        slr,
        root,
        "screening",
        "sheet",
        "results/works.csv",
        "--codes",
        partial,
        *ABSTRACT_ARGS,
        "-o",
        "results/screening/abstract.xlsx",
    )
    ws = load_workbook(root / "results/screening/abstract.xlsx").active
    header = [c.value for c in ws[1]]
    assert header == [
        "work_id",
        "doi",
        "title",
        "authors",
        "year",
        "journal",
        "abstract",
        "relevant_to_is",
        "empirical",
        "quantitative_assessment",
        "notes",
        "record_ids",
    ]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Wa01", "Wa02", "Wa03", "Wa04", "Wa05", "Wa08"}
    assert rows["Wa08"]["relevant_to_is"] == "yes" and rows["Wa08"]["empirical"] is None
    title_cell = next(c for c in ws["C"] if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert title_cell.data_type == "s" and title_cell.value.startswith("'=HYPERLINK")
    notes_cell = next(c for c in ws["K"] if c.value and "calc" in str(c.value))
    assert notes_cell.value.startswith("'=cmd") and notes_cell.data_type == "s"
    validations = ws.data_validations.dataValidation
    assert {str(dv.sqref) for dv in validations} == {"H2:H7", "I2:I7", "J2:J7"}
    assert {dv.formula1 for dv in validations} == {'"yes,no"'}
    assert (root / "results/screening/abstract.csv").read_bytes().startswith(codecs.BOM_UTF8)  # for Excel
    csv_rows = {r["work_id"]: r for r in read(root / "results/screening/abstract.csv")}
    assert csv_rows["Wa08"]["title"].startswith("'=HYPERLINK") and csv_rows["Wa08"]["notes"].startswith("'=cmd")
    # The filled-in sheet saved under data/coded/ is read back as a code file (apostrophes undone).
    result = slr(
        "screening",
        "apply",
        "results/works.csv",
        "results/screening/abstract.xlsx",
        *ABSTRACT_ARGS,
        "--rule",
        RULE,
        "-o",
        "s.csv",
        cwd=root,
    )
    assert result.returncode == 0, result.stderr


def test_pilot_sample_is_reproducible_then_frozen_by_codes(slr, tmp_path):
    root = build(tmp_path)
    (root / "data/coded/pilot.csv").unlink()
    run_ok(slr, root, "screening", "sheet", "results/works.csv", *PILOT_ARGS, "-o", "p1.xlsx")
    run_ok(slr, root, "screening", "sheet", "results/works.csv", *PILOT_ARGS, "-o", "p2.xlsx")
    first = [r["work_id"] for r in read(root / "p1.csv")]
    assert len(first) == 3 and first == [r["work_id"] for r in read(root / "p2.csv")]
    assert all(w in {"Wa01", "Wa02", "Wa03", "Wa04", "Wa05", "Wa06", "Wa07", "Wa08"} for w in first)
    other_seed = run_ok(slr, root, "screening", "sheet", "results/works.csv", *PILOT_ARGS[:-1], "8", "-o", "p3.xlsx")
    assert other_seed.returncode == 0

    # Codes exist: the sample is the coded works, whatever the seed and however many works come later.
    write_csv(
        root / "data/coded/pilot.csv",
        ["work_id", "governance_relevant", "empirical"],
        [("Wa06", "yes", "yes"), ("Wa07", "no", ""), ("Wa03", "", "")],
    )
    run_ok(
        slr,
        root,
        "screening",
        "sheet",
        "results/works.csv",
        "--codes",
        "data/coded/pilot.csv",
        *PILOT_ARGS[:-1],
        "99",
        "-o",
        "frozen.xlsx",
    )
    assert sorted(r["work_id"] for r in read(root / "frozen.csv")) == ["Wa03", "Wa06", "Wa07"]
    result = run_ok(
        slr,
        root,
        "screening",
        "apply",
        "results/works.csv",
        "data/coded/pilot.csv",
        *PILOT_ARGS,
        "--rule",
        "governance_relevant and empirical",
        "-o",
        "pilot_screened.csv",
    )
    assert "sample frozen by codes" in result.stderr
    decisions = {r["work_id"]: r["decision"] for r in read(root / "pilot_screened.csv")}
    assert decisions == {"Wa06": "included", "Wa07": "excluded", "Wa03": "to_screen"}


def _coder_file(root, name, values):
    return write_csv(root / "data/coded" / name, ["work_id", "empirical"], list(values.items()))


def test_kappa_against_a_hand_computed_value_and_conflicts_sheet(slr, tmp_path):
    root = build(tmp_path)
    # 6 works both coded: both yes 2 (Wa01, Wa02), a yes/b no 1 (Wa03), a no/b yes 1 (Wa04), both no 2 (Wa05, Wa06)
    # po = 4/6; p(a yes) = 3/6, p(b yes) = 3/6; pe = .25 + .25 = .5; kappa = (4/6 - .5) / .5 = 1/3.
    a = _coder_file(
        root,
        "a.csv",
        {"Wa01": "yes", "Wa02": "yes", "Wa03": "yes", "Wa04": "no", "Wa05": "no", "Wa06": "no", "Wa07": "yes"},
    )
    b = _coder_file(root, "b.csv", {"Wa01": "y", "Wa02": "y", "Wa03": "n", "Wa04": "y", "Wa05": "n", "Wa06": "n"})
    rec = _coder_file(root, "rec.csv", {"Wa03": "no"})
    run_ok(
        slr,
        root,
        "screening",
        "kappa",
        "results/works.csv",
        "--coder-a",
        a,
        "--coder-b",
        b,
        "--criteria",
        "empirical",
        "--reconciled",
        rec,
        "-o",
        "kappa.csv",
        "--conflicts",
        "conflicts.xlsx",
    )
    (row,) = read(root / "kappa.csv")
    assert int(row["works_coded_by_both"]) == 6 and int(row["disagreements"]) == 2
    assert math.isclose(float(row["kappa"]), 1 / 3, abs_tol=1e-4)
    conflicts = read(root / "conflicts.csv")
    assert [(c["work_id"], c["coder_a"], c["coder_b"], c["reconciled"]) for c in conflicts] == [
        ("Wa03", "yes", "no", "no"),
        ("Wa04", "no", "yes", ""),
    ]
    assert load_workbook(root / "conflicts.xlsx").active.max_row == 3

    # apply with two coders: the unresolved disagreement (Wa04) stops the run; reconciling it lets it pass.
    args = [
        "screening",
        "apply",
        "results/works.csv",
        a,
        "--second-coder",
        b,
        "--reconciled",
        rec,
        "--criteria",
        "empirical",
        "--rule",
        "empirical",
        "-o",
        "two.csv",
    ]
    result = slr(*args, cwd=root)
    assert result.returncode == 2 and "coders disagree on empirical for work Wa04" in result.stderr
    write_csv(rec, ["work_id", "empirical"], [("Wa03", "no"), ("Wa04", "yes")])
    run_ok(slr, root, *args)
    decisions = {r["work_id"]: r["decision"] for r in read(root / "two.csv")}
    assert decisions["Wa03"] == "excluded" and decisions["Wa04"] == "included" and decisions["Wa07"] == "included"


def test_keywords_favour_the_relevant_abstracts(slr, tmp_path):
    root = build(tmp_path)
    write_csv(
        root / "pilot_screened.csv",
        ["work_id", "decision", "reason"],
        [
            ("Wa01", "included", ""),
            ("Wa02", "included", ""),
            ("Wa06", "included", ""),
            ("Wa03", "excluded", "x"),
            ("Wa05", "excluded", "x"),
            ("Wa07", "excluded", "x"),
        ],
    )
    run_ok(
        slr,
        root,
        "screening",
        "keywords",
        "results/works.csv",
        "pilot_screened.csv",
        "--search",
        "broad",
        "-o",
        "keywords.csv",
        "--top",
        "0",
    )
    rows = read(root / "keywords.csv")
    terms = {r["term"]: r for r in rows}
    # "case study" / "governance" occur only in relevant abstracts, "model" only in irrelevant ones.
    assert terms["case"]["favours"] == "relevant" and float(terms["case"]["z"]) > 0
    assert terms["model"]["favours"] == "irrelevant" and float(terms["model"]["z"]) < 0
    assert float(rows[0]["z"]) >= float(rows[-1]["z"])


def test_availability_and_exports(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    avail = {r["work_id"]: r for r in read(root / "results/screening/availability.csv")}
    assert {w: (r["decision"], r["reason"]) for w, r in avail.items()} == {
        "Wa01": ("retrieved", ""),
        "Wa02": ("retrieved", ""),
        "Wa08": ("not_retrieved", "restricted_access"),
    }
    run_ok(
        slr,
        root,
        "screening",
        "export",
        "results/works.csv",
        "--set",
        "results/screening/abstract_screened.csv",
        "--where",
        "decision=included",
        "--ris",
        "inc.ris",
        "--bib",
        "inc.bib",
        "--qda",
        "qda.csv",
        "--links",
        "results/fulltext/links.csv",
    )
    entries = rispy.loads((root / "inc.ris").read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in entries) == ["Wa01", "Wa02", "Wa08"]
    wa01 = next(e for e in entries if e["id"] == "Wa01")
    assert wa01["authors"] == ["Lowe, E.", "Chertow, M."] and wa01["doi"] == "10.1000/a" and wa01["year"] == "2010"
    library = bibtexparser.parse_string((root / "inc.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks and len(library.entries) == 3
    titles = {e.key: e["title"] for e in library.entries}
    assert "lowe2010anchor" in titles and "veleva2011hyperlink" in titles
    assert titles["veleva2011hyperlink"].startswith("=HYPERLINK")  # a reference manager is not a spreadsheet
    qda = {r["work_id"]: r for r in read(root / "qda.csv")}
    assert qda["Wa01"]["citation"] == "Lowe and Chertow 2010" and qda["Wa01"]["document_name"] == "a"
    assert qda["Wa08"]["file"] == ""
    # --where compares yes/true/1 alike: hits.csv may write its flag either way.
    run_ok(
        slr,
        root,
        "screening",
        "export",
        "results/works.csv",
        "--set",
        "results/fulltext/hits.csv",
        "--where",
        "included=yes",
        "--qda",
        "anchor.csv",
        "--links",
        "results/fulltext/links.csv",
    )
    assert [r["work_id"] for r in read(root / "anchor.csv")] == ["Wa01"]
    run_ok(slr, root, "screening", "export", "results/works.csv", "--search", "broad", "--ris", "broad.ris")
    assert len(rispy.loads((root / "broad.ris").read_text(encoding="utf-8"))) == 8


def test_availability_invalid_reason(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    write_csv(root / "data/coded/fulltext.csv", ["work_id", "availability"], [("Wa01", "paywalled")])
    result = slr(
        "screening",
        "availability",
        "results/works.csv",
        "results/screening/abstract_screened.csv",
        "data/coded/fulltext.csv",
        "--reasons",
        "restricted_access,language",
        "-o",
        "a.csv",
        cwd=root,
    )
    assert result.returncode == 2
    assert "data/coded/fulltext.csv:2: column 'availability' holds 'paywalled'" in result.stderr


def test_new_exports_keep_every_decision_and_list_new_works_to_screen(slr, tmp_path):
    from review_fixture import work_rows, write_works

    root = build(tmp_path)
    rows = work_rows()
    # A bridging record merged Wa01 with another work: the merged work has a new id, Wa01 is an alias.
    rows[0] = {**rows[0], "work_id": "Wc01", "aliases": "Wa01; Wold01", "members": "2-s2.0-001; WOS:001; WOS:010"}
    rows.append(
        {
            **rows[1],
            "work_id": "Wa09",
            "title": "A new paper on anchoring",
            "doi": "10.1000/new",
            "members": "2-s2.0-009",
            "aliases": None,
        }
    )
    rows.reverse()
    write_works(root / "results/works.csv", rows)
    result = run_ok(
        slr,
        root,
        "screening",
        "apply",
        "results/works.csv",
        "data/coded/abstract_screening.csv",
        *ABSTRACT_ARGS,
        "--rule",
        RULE,
        "-o",
        "s.csv",
    )
    decided = {r["work_id"]: r for r in read(root / "s.csv")}
    assert decided["Wc01"]["decision"] == "included" and decided["Wc01"]["code_row"] == "2"
    assert decided["Wa09"]["decision"] == "to_screen"
    coded = [w for w, r in decided.items() if r["code_file"]]
    assert len(coded) == 6  # all six coded decisions still attached: 0 lost
    assert "3 included, 3 excluded, 1 to screen" in result.stderr


def test_keywords_before_the_pilot_is_coded_write_an_empty_table(slr, tmp_path):
    root = build(tmp_path)
    write_csv(root / "p.csv", ["work_id", "decision", "reason"], [("Wa01", "to_screen", "not coded: empirical")])
    result = run_ok(slr, root, "screening", "keywords", "results/works.csv", "p.csv", "-o", "k.csv")
    assert "both groups are needed" in result.stderr and read(root / "k.csv") == []
