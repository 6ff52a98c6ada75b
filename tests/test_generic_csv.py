import pytest

from slr import readers
from slr.errors import InputError


def test_reads_bibdedupe_layout(fixtures):
    loaded = readers.load(fixtures / "generic_csv" / "bibdedupe_special_cases.csv")
    assert loaded.format == "generic_csv"
    assert len(loaded.records) == 12
    first = loaded.records[0]
    assert first["record_id"] == "id_0000001"
    assert first["authors"] == ["Deng, C.", "Ravichandran, T."]
    assert first["year"] == 2017
    assert first["doc_type"] == "inproceedings"
    assert first["extra"]["colrev_status"] == "md_processed"
    assert first["database"] == "other"
    assert first["source_line"] == 2


def test_semicolon_delimited_spreadsheet(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("Title;Authors;Year;DOI\nA study;Lowe E.A.;1997;10.1016/S0959-6526(97)00003-6\n", encoding="utf-8")
    (rec,) = readers.load(path).records
    assert rec["title"] == "A study" and rec["authors"] == ["Lowe, E.A."] and rec["year"] == 1997
    assert rec["doi"] == "10.1016/s0959-6526(97)00003-6"
    assert rec["record_id"].startswith("h:")


def test_csv_without_title_column_is_refused(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("id,author,value\n1,Lowe,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"numbers\.csv:1: this CSV has no title column"):
        readers.load(path)


def test_unclosed_quote_names_the_line(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('id,title,year\n1,"fine",2001\n2,"cut off here,2002\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"cut\.csv:\d+: the CSV is malformed"):
        readers.load(path)


def test_html_page_is_refused(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text("<!DOCTYPE html><html><body>Please log in</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="web page"):
        readers.load(path)


def test_duplicated_columns_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("title,year,year\nA,2001,2002\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dup\.csv:1: duplicated column"):
        readers.load(path)
