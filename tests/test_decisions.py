"""Re-attaching coded decisions to works (slr.decisions)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from review_fixture import work_rows, write_csv, write_works

from slr.decisions import WorkIndex, attach, load, one_of, parse_flag, read_codes
from slr.errors import InputError, InputErrors
from slr.results import read_works

CRITERIA = ["relevant_to_is", "empirical"]
PARSERS = {c: parse_flag for c in CRITERIA}


@pytest.fixture
def works(tmp_path):
    return read_works(write_works(tmp_path / "works.csv"))


def codes(tmp_path, name, header, rows):
    return write_csv(tmp_path / name, header, rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("y", True),
        ("1", True),
        ("True", True),
        (" no ", False),
        ("N", False),
        ("0", False),
        ("false", False),
        ("", None),
        (None, None),
        (True, True),
        (0, False),
        (1.0, True),
    ],
)
def test_flag_values(value, expected):
    assert parse_flag(value) is expected


def test_matching_order_and_kinds(tmp_path, works):
    path = codes(
        tmp_path,
        "c.csv",
        ["work_id", "doi", "record_ids", "title", "year", "relevant_to_is"],
        [
            ("Wa02", "", "", "", "", "yes"),  # work_id
            ("Wold01", "", "", "", "", "yes"),  # an alias of Wa01
            ("Wgone", "https://doi.org/10.1000/D", "", "", "", "no"),  # stale id -> DOI (any form)
            ("", "", "WOS:003", "", "", "yes"),  # accession number
            ("", "", "", "RECYCLING NETWORKS IN CHINA.", "2014", "no"),  # folded title + year
        ],
    )
    attached = attach(works, read_codes(path).rows)
    got = {wid: [(r.matched_by, r.source.row) for r in rows] for wid, rows in attached.by_work.items()}
    assert got == {
        "Wa02": [("work_id", 2)],
        "Wa01": [("work_id", 3)],
        "Wa04": [("doi", 4)],
        "Wa03": [("record_ids", 5)],
        "Wa05": [("title_year", 6)],
    }
    assert not attached.orphans and not attached.problems()


def test_title_needs_the_same_year(tmp_path, works):
    path = codes(tmp_path, "c.csv", ["title", "year", "empirical"], [("Recycling networks in China", 2013, "yes")])
    attached = attach(works, read_codes(path).rows)
    assert attached.orphans and not attached.by_work


def test_reattached_after_reexport_merge_and_reorder(tmp_path, works):
    """Codes written against an old works file still attach after re-export: the work_id
    changed (old id now an alias), a DOI appeared, rows were reordered."""
    path = codes(
        tmp_path,
        "c.csv",
        ["work_id", "doi", "title", "year", "relevant_to_is", "empirical"],
        [
            ("Wx03", "", "Life cycle assessment of by-product exchange", 2012, "yes", "no"),
            ("Wold05", "", "Recycling networks in China", 2014, "no", ""),
            ("Wold01", "", "Anchor tenants in eco-industrial parks", 2010, "yes", "yes"),
        ],
    )
    before = load(works, [path], PARSERS)
    assert before.problems == []
    assert [r.matched_by for r in before.rows["Wa05"]] == ["title_year"]

    # Re-export: Wa05 is now known under a new id with the old one as alias; Wa03 gained a DOI;
    # the works file lists the works in another order.
    rows = work_rows()
    for r in rows:
        if r["work_id"] == "Wa05":
            r["work_id"], r["aliases"] = "Wb05", "Wold05"
        if r["work_id"] == "Wa03":
            r["doi"] = "10.1000/c"
    rows.reverse()
    after_works = read_works(write_works(tmp_path / "works2.csv", rows))
    coded = load(after_works, [path], PARSERS)
    assert coded.problems == []
    assert coded.get("Wb05", "relevant_to_is") is False
    assert [r.matched_by for r in coded.rows["Wb05"]] == ["work_id"]  # through the alias
    assert coded.get("Wa03", "empirical") is False  # by title + year (no id, its DOI not in the sheet)
    assert coded.get("Wa01", "empirical") is True

    # The DOI newly present in the code file is used when the work_id is unknown.
    path2 = codes(tmp_path, "d.csv", ["work_id", "doi", "empirical"], [("Wzzz", "10.1000/c", "yes")])
    assert load(after_works, [path2], PARSERS).get("Wa03", "empirical") is True


def test_orphans_and_conflicts_are_all_listed(tmp_path, works):
    a = codes(
        tmp_path,
        "a.csv",
        ["work_id", "relevant_to_is", "empirical"],
        [("Wa01", "yes", "yes"), ("Wnope", "yes", ""), ("Wa02", "no", ""), ("Wa01", "yes", "yes")],
    )
    b = codes(
        tmp_path, "b.csv", ["doi", "relevant_to_is", "empirical"], [("10.1000/a", "no", ""), ("10.9999/zzz", "", "")]
    )
    coded = load(works, [a, b], PARSERS)
    messages = [p.message() for p in coded.problems]
    assert len(messages) == 3, messages
    assert any(m.startswith(f"{a}:3:") and "matches no work" in m for m in messages)
    assert any(m.startswith(f"{b}:3:") and "matches no work" in m for m in messages)
    conflict = next(m for m in messages if "conflicting" in m)
    assert conflict.startswith(f"{b}:2:") and "Wa01" in conflict and f"{a}:2" in conflict
    with pytest.raises(InputErrors) as exc:
        coded.raise_problems()
    text = exc.value.message()
    assert text.count("\nerror: ") == 2 and all("\n" not in m for m in messages)


def test_conflict_within_one_file_names_both_rows(tmp_path, works):
    a = codes(tmp_path, "a.csv", ["work_id", "empirical"], [("Wa01", "yes"), ("Wa02", "no"), ("Wold01", "no")])
    (problem,) = load(works, [a], PARSERS).problems
    assert problem.line == 4 and "row 2" in problem.message() and "empirical is no here but yes" in problem.message()


def test_invalid_value_names_file_row_column_value(tmp_path, works):
    a = codes(
        tmp_path, "a.csv", ["work_id", "relevant_to_is", "empirical"], [("Wa01", "yes", "yes"), ("Wa02", "maybe", "")]
    )
    (problem,) = load(works, [a], PARSERS).problems
    message = problem.message()
    assert message.startswith(f"{a}:3: column 'relevant_to_is' holds 'maybe'")
    assert "yes or no" in message


def test_code_file_without_identifier_or_criteria(tmp_path, works):
    a = codes(tmp_path, "a.csv", ["name", "empirical"], [("x", "yes")])
    with pytest.raises(InputError, match="no column identifies the work"):
        load(works, [a], PARSERS)
    b = codes(tmp_path, "b.csv", ["work_id", "other"], [("Wa01", "yes")])
    with pytest.raises(InputError, match="missing column"):
        load(works, [b], PARSERS)


def test_xlsx_code_file_with_typed_cells(tmp_path, works):
    wb = Workbook()
    ws = wb.active
    ws.append(["Work ID", "DOI", "relevant_to_is", "empirical", "Notes"])
    ws.append(["Wa01", None, True, 1, "clear case"])
    ws.append([None, None, None, None, None])  # spreadsheets leave empty rows
    ws.append([None, "10.1000/b", False, 0, None])
    path = tmp_path / "codes.xlsx"
    wb.save(path)
    coded = load(works, [path], PARSERS)
    assert coded.problems == []
    assert coded.get("Wa01", "empirical") is True and coded.get("Wa02", "relevant_to_is") is False
    assert coded.sources("Wa02")[0].row == 4 and coded.notes("Wa01") == "clear case"


def test_one_of_parser_for_availability(tmp_path, works):
    a = codes(
        tmp_path,
        "f.csv",
        ["work_id", "availability"],
        [("Wa01", "Retrieved"), ("Wa02", "restricted access"), ("Wa03", "lost")],
    )
    coded = load(works, [a], {"availability": one_of(["retrieved", "restricted_access", "language"])})
    assert coded.get("Wa01", "availability") == "retrieved"
    assert coded.get("Wa02", "availability") == "restricted_access"
    (problem,) = coded.problems
    assert problem.line == 4 and "'lost'" in problem.message() and "restricted_access" in problem.message()


def test_ambiguous_title_is_reported(tmp_path):
    rows = work_rows()
    rows.append({**rows[1], "work_id": "Wdup", "doi": "10.1000/other", "members": "2-s2.0-999"})
    index = WorkIndex(read_works(write_works(tmp_path / "w.csv", rows)))
    a = codes(tmp_path, "a.csv", ["title", "year", "empirical"], [("Industrial symbiosis in Kalundborg", 2004, "y")])
    attached = attach(index, read_codes(a).rows)
    assert attached.ambiguous and "several works" in attached.problems()[0].message()


def test_resolve_any_identifier(works):
    index = WorkIndex(works)
    assert index.resolve("Wold01") == {"Wa01"}
    assert index.resolve("doi:10.1000/B") == {"Wa02"}
    assert index.resolve("WOS:004") == {"Wa04"}
    assert index.resolve("nothing") == set()
