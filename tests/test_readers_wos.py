"""Web of Science plain text and tab-delimited readers."""

from __future__ import annotations

import pytest

from slr import readers
from slr.errors import InputError
from slr.readers import wos_text

SCHEMA = ("record_id", "database", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi")
SCHEMA += ("abstract", "keywords", "doc_type", "language")


@pytest.fixture
def wos(fixtures):
    return fixtures / "wos"


def test_same_records_in_plain_text_and_both_tab_delimited_encodings(wos):
    plain = readers.load(wos / "wosfile_plain.txt")
    tab8 = readers.load(wos / "wosfile_tab_utf8.txt")
    tab16 = readers.load(wos / "wosfile_tab_utf16.txt")
    assert (plain.format, tab8.format, tab16.format) == ("wos_text", "wos_tab", "wos_tab")
    assert (plain.encoding, tab8.encoding, tab16.encoding) == ("utf-8-sig", "utf-8-sig", "utf-16")
    assert len(plain.records) == len(tab8.records) == len(tab16.records) == 9
    for a, b, c in zip(plain.records, tab8.records, tab16.records, strict=True):
        for field in SCHEMA:
            assert a[field] == b[field] == c[field], (a["record_id"], field)
        # the two tab-delimited files are the same export in two encodings: all of it agrees
        assert b["extra"] == c["extra"]
        # the plain text keeps a final '.' on each address (C1) that the tab form drops,
        # and wraps long values at a space that the tab form may double; nothing else differs
        assert set(a["extra"]) == set(b["extra"])
        for tag, value in a["extra"].items():
            other = b["extra"][tag]
            if tag == "C1":
                value, other = value.replace(".", ""), other.replace(".", "")
            assert " ".join(value.split()) == " ".join(other.split()), (a["record_id"], tag)


def test_first_wosfile_record_read_as_exported(wos):
    rec = readers.load(wos / "wosfile_plain.txt").records[0]
    assert rec["record_id"] == "WOS:000220015600001"
    assert rec["database"] == "wos"
    assert rec["source_line"] == 3
    assert rec["authors"] == ["Owen-Smith, J.", "Powell, W.W."]
    assert rec["title"] == (
        "Knowledge networks as channels and conduits: The effects of spillovers in the Boston biotechnology community"
    )
    assert rec["journal"] == "ORGANIZATION SCIENCE"
    assert (rec["year"], rec["volume"], rec["issue"], rec["pages"]) == (2004, "15", "1", "5-21")
    assert rec["doi"] == "10.1287/orsc.1030.0054"
    assert rec["keywords"].startswith("knowledge networks; economic geography; spillovers; biotechnology; patenting; ")
    assert rec["keywords"].endswith("; FIRMS; EMBEDDEDNESS")
    assert (rec["doc_type"], rec["language"]) == ("Article", "English")
    assert rec["extra"]["AF"] == "Owen-Smith, J; Powell, WW"
    assert rec["extra"]["RI"] == "Powell, Walter/B-5991-2008; Owen-Smith, Jason/B-3665-2012"
    assert rec["extra"]["CR"].startswith("Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105; Almeida P")
    # combined fields stay under their own tags too
    assert rec["extra"]["BP"] == "5" and rec["extra"]["EP"] == "21" and "DE" in rec["extra"]


def test_proceedings_record_without_doi_or_volume(wos):
    rec = next(r for r in readers.load(wos / "wosfile_plain.txt").records if r["record_id"] == "WOS:000237211000029")
    assert rec["doc_type"] == "Proceedings Paper"
    assert rec["doi"] is None and rec["volume"] is None
    assert rec["pages"] == "223-+"
    assert rec["extra"]["SE"] and rec["extra"]["BE"]


def test_clarivate_header_and_early_access(wos):
    first, second = readers.load(wos / "clarivate_invented.txt").records
    assert first["record_id"] == "WOS:000900000000001"
    assert first["authors"] == ["Ferrão, P.", "Lin, C.Y."]
    assert first["title"] == (
        "Anchor tenants and the coordination of by-product exchanges in an invented eco-industrial park"
    )
    assert first["keywords"] == (
        "anchor tenant; industrial symbiosis; coordination; eco-industrial park; NETWORKS; KALUNDBORG"
    )
    assert first["extra"]["C1"] == (
        "[Ferrão, Paulo] Invented Univ, Dept Environm, Lisbon, Portugal.; "
        "[Lin, Chia-Yu] Invented Inst Technol, Taipei, Taiwan."
    )
    assert first["extra"]["C3"] == "Invented University; Invented Institute of Technology"
    assert first["extra"]["AR"] == "549" and first["pages"] is None
    assert second["year"] == 2026 and second["extra"]["EA"] == "FEB 2026"
    assert second["source_line"] == 51


def test_tag_glued_to_its_value_is_read(wos):
    (rec,) = readers.load(wos / "glued_tag_invented.txt").records
    assert rec["authors"] == ["Novak, P.", "Ferrão, P."]


def test_damaged_file_without_ef_is_refused_at_its_last_line(wos):
    with pytest.raises(InputError) as err:
        readers.load(wos / "damaged_no_ef_invented.txt")
    assert err.value.line == 28  # its last line, "ER" (wc -l)
    assert "ends without the end-of-file line 'EF'" in err.value.problem
    assert "Plain text file" in err.value.fix


def _plain(*record_lines: str, end: str = "EF") -> str:
    return "\n".join(["FN Clarivate Analytics Web of Science", "VR 1.0", *record_lines, end, ""])


RECORD = ["PT J", "AU Novak, P", "TI A title", "   continued", "PY 2001", "UT WOS:000900000000009", "ER", ""]


def test_concatenated_exports_are_one_file():
    text = _plain(*RECORD) + _plain(*[line.replace("WOS:000900000000009", "WOS:000900000000010") for line in RECORD])
    records = readers.loads(text, "two.txt").records
    assert [r["record_id"] for r in records] == ["WOS:000900000000009", "WOS:000900000000010"]
    assert records[0]["title"] == "A title continued"
    assert [r["source_line"] for r in records] == [3, 14]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (_plain(*RECORD[:-2], "", end=""), 8, "record that starts at line 3 has no 'ER': the file is truncated"),
        (_plain(*RECORD[:-2], "", *RECORD), 10, "field PT appears twice in the record that starts at line 3"),
        (_plain(*RECORD[:-2], end="EF"), 9, "record that starts at line 3 has no 'ER' before the end-of-file"),
        (_plain("PT J", "Abraham M., 1909, RC CIRC", *RECORD[1:]), 4, "untagged line"),
        (_plain("PT J", "", "   orphan continuation", *RECORD[1:]), 5, "continuation line"),
        (_plain(*RECORD) + "PT J\n", 12, "text after the end-of-file line 'EF'"),
        (_plain("ER", *RECORD), 3, "'ER' (end of record) with no record open"),
    ],
    ids=["truncated", "lost ER", "EF inside record", "untagged", "orphan continuation", "after EF", "stray ER"],
)
def test_damaged_plain_text_names_the_line(text, line, message):
    with pytest.raises(InputError) as err:
        readers.loads(text, "savedrecs.txt")
    assert err.value.line == line
    assert message in err.value.message()
    assert err.value.message().startswith(f"savedrecs.txt:{line}: ")


def test_regular_files_take_the_quick_path_and_agree_with_the_line_by_line_reading(wos, fixtures):
    for name in ("wosfile_plain.txt", "clarivate_invented.txt"):
        text = (wos / name).read_text(encoding="utf-8-sig")
        assert wos_text._parse_regular(text) is not None
        assert wos_text.parse(text, wos / name) == wos_text._parse_checked(text, wos / name)
    glued = (wos / "glued_tag_invented.txt").read_text(encoding="utf-8-sig")
    assert wos_text._parse_regular(glued) is None  # unusual files are read line by line


def test_tab_delimited_row_cut_short_is_refused(wos):
    text = (wos / "wosfile_tab_utf8.txt").read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    cut = "\n".join([*lines[:3], "\t".join(lines[3].split("\t")[:20])])
    with pytest.raises(InputError, match=r"cut\.txt:4: this line has 20 fields but the header names 59"):
        readers.loads(cut, "cut.txt")


def test_tab_delimited_row_with_extra_value_is_refused(wos):
    text = (wos / "wosfile_tab_utf8.txt").read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    lines[2] = lines[2] + "\tsurplus"
    with pytest.raises(InputError, match=r"x\.txt:3: this line has 61 fields"):
        readers.loads("\n".join(lines), "x.txt")


def test_tab_header_names_must_be_wos_tags():
    text = "PT\tAU\tTI\tSO\tUT\tPY\nJ\tNovak, P\tA title\tA JOURNAL\tWOS:000900000000011\t2001\t\n"
    (rec,) = readers.loads(text, "t.txt").records
    assert rec["record_id"] == "WOS:000900000000011" and rec["year"] == 2001
    with pytest.raises(InputError, match="twice"):
        readers.loads(text.replace("\tPY\n", "\tTI\n", 1), "t.txt")
