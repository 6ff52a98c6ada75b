"""Every fixture is recognised from its content, read completely, and survives a round trip
through the records CSV."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slr import readers
from slr.records import RECORD_FIELDS, read_records, write_records

FIXTURES = Path(__file__).parent / "fixtures"
READER_FOLDERS = ("wos", "scopus_csv", "generic_csv", "ris", "bibtex")

# fixture -> (format, databases, records); counts checked by hand in the files (ER / TY / @ lines, rows)
EXPECTED = {
    "wos/wosfile_plain.txt": ("wos_text", {"wos"}, 9),
    "wos/wosfile_tab_utf8.txt": ("wos_tab", {"wos"}, 9),
    "wos/wosfile_tab_utf16.txt": ("wos_tab", {"wos"}, 9),
    "wos/clarivate_invented.txt": ("wos_text", {"wos"}, 2),
    "wos/glued_tag_invented.txt": ("wos_text", {"wos"}, 1),
    "scopus_csv/litstudy_2020_layout.csv": ("scopus_csv", {"scopus"}, 5),
    "scopus_csv/old_layout_invented.csv": ("scopus_csv", {"scopus"}, 3),
    "scopus_csv/old_layout_no_eid_invented.csv": ("scopus_csv", {"scopus"}, 1),
    "scopus_csv/layout_2024_invented.csv": ("scopus_csv", {"scopus"}, 2),
    "generic_csv/litstudy_ieee.csv": ("generic_csv", {"other"}, 3),
    "generic_csv/bibdedupe_special_cases.csv": ("generic_csv", {"other"}, 12),
    "ris/asreview_scopus.ris": ("ris", {"scopus"}, 2),
    "ris/asreview_web_of_science.txt": ("ris", {"wos", "other"}, 3),
    "ris/litstudy_ieee.ris": ("ris", {"other"}, 3),
    "ris/manager_bom_crlf_invented.ris": ("ris", {"other"}, 2),
    "ris/wos_lost_line_ends_invented.ris": ("ris", {"wos"}, 1),
    "bibtex/scopus_invented.bib": ("bibtex", {"scopus"}, 2),
    "bibtex/scopus_preamble_invented.bib": ("bibtex", {"scopus"}, 2),
    "bibtex/wos_invented.bib": ("bibtex", {"wos"}, 2),
    "bibtex/manager_invented.bib": ("bibtex", {"other"}, 3),
    "scopus_csv/comma_initials_invented.csv": ("scopus_csv", {"scopus"}, 2),
    "generic_csv/pubmed_colrev.csv": ("generic_csv", {"other"}, 3),
    "generic_csv/embase_asreview.csv": ("generic_csv", {"other"}, 3),
    "generic_csv/lens_invented.csv": ("generic_csv", {"other"}, 2),
    "ris/jstor_colrev.ris": ("ris", {"other"}, 4),
    "ris/jabref_m3_doi.ris": ("ris", {"other"}, 1),
    "ris/rispy_short_title.ris": ("ris", {"other"}, 1),
    "ris/zotero_particles_asreview.ris": ("ris", {"other"}, 3),
    "bibtex/corporate_particles_invented.bib": ("bibtex", {"other"}, 3),
}


def test_every_readable_fixture_is_listed():
    readable = {
        str(p.relative_to(FIXTURES))
        for folder in READER_FOLDERS
        for p in (FIXTURES / folder).iterdir()
        if p.is_file() and "damaged" not in p.name
    }
    assert readable == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_format_database_and_count(name):
    fmt, databases, count = EXPECTED[name]
    loaded = readers.load(FIXTURES / name)
    assert loaded.format == fmt
    assert {r["database"] for r in loaded.records} == databases
    assert len(loaded.records) == count
    ids = [r["record_id"] for r in loaded.records]
    assert all(ids) and len(set(ids)) == len(ids)
    for rec in loaded.records:
        assert set(rec) == set(RECORD_FIELDS)
        assert rec["source_file"] == str(FIXTURES / name) and rec["source_line"] >= 1
        # null is null: no empty strings anywhere, in the schema or in extra
        assert all(v != "" for v in rec.values())
        assert all(str(v).strip() for v in rec["extra"].values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detection_ignores_the_file_name(tmp_path, name):
    misleading = tmp_path / "export.csv"  # every fixture under one name and extension
    shutil.copyfile(FIXTURES / name, misleading)
    assert readers.load(misleading).format == EXPECTED[name][0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_records_round_trip_through_the_records_csv(tmp_path, name):
    records = readers.load(FIXTURES / name).records
    out = tmp_path / "records.csv"
    assert write_records(records, out) == len(records)
    assert read_records(out) == records
