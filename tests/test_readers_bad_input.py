"""Every kind of bad input the issue names gives one InputError with file and line, and via the
CLI exit status 2, one line on stderr and no output file. Property tests: the readers raise
nothing but InputError, whatever the bytes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slr import readers
from slr.errors import InputError
from slr.readers import bibtex, generic_csv, ris, scopus_csv, wos_tab, wos_text
from slr.textio import decode_bytes

FIXTURES = Path(__file__).parent / "fixtures"

WOS_NO_ER = (
    b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Novak, P\nTI A record cut off\nPY 2001\n"
    b"UT WOS:000900000000012\n"
)
BAD_INPUTS: dict[str, tuple[bytes, int, str]] = {
    # name: (bytes, line, part of the message)
    "empty.csv": (b"", 1, "the file is empty"),
    "blank.ris": (b"\n \n\t\n", 1, "the file is empty"),
    "binary.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog \x00\x00 >>\n", 4, "binary file"),
    "savedrecs.html": (b"<!DOCTYPE html>\n<html><body>Session expired</body></html>\n", 1, "web page"),
    "notitle.csv": (b"id,author,year\n1,Lowe E.A.,1997\n", 1, "no title column"),
    "unclosed.csv": (b'id,title,year\n1,"A title,2001\n2,Another,2002\n', 2, "quote is not closed"),
    "savedrecs.txt": (WOS_NO_ER, 7, "has no 'ER': the file is truncated"),
    "unbalanced.bib": (
        b"@article{a,\n  title = {One,\n  year = {2001}\n}\n\n@article{b,\n  title = {Two}\n}\n",
        1,
        "not closed",
    ),
    "undecodable.csv": (b"title,year\nFerr\x81o,2001\n", 2, "encoding this pipeline cannot read"),
    "mixed.csv": ("title,year\nFerrão,2001\n".encode() + b"Ferr\xe3o,2002\n", 3, "mixes UTF-8 with another encoding"),
    "bad_utf8_bom.ris": (b"\xef\xbb\xbfTY  - JOUR\nTI  - Ferr\xe3o\nER  - \n", 2, "not valid UTF-8"),
    "cut_utf16.txt": ("PT\tTI\tUT\nJ\tA title\tWOS:1\n".encode("utf-16") + b"\x00\xd8", 3, "not valid UTF-16"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_input_error_with_file_and_line(tmp_path, name):
    data, line, message = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        readers.load(path)
    assert err.value.line == line
    text = err.value.message()
    assert text.startswith(f"{path}:{line}: ") and message in text
    assert "\n" not in text and err.value.fix


@pytest.mark.parametrize("name", ["empty.csv", "binary.txt", "savedrecs.txt", "unbalanced.bib", "undecodable.csv"])
def test_cli_exits_2_with_one_line_and_writes_nothing(slr, tmp_path, name):
    data, line, message = BAD_INPUTS[name]
    good = FIXTURES / "ris" / "litstudy_ieee.ris"
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "out" / "records.csv"
    result = slr("ingest", good, bad, "-o", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"error: {bad}:{line}: ") and message in lines[-1]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not out.exists() and not list(tmp_path.rglob("*.part"))


def test_cli_refuses_the_damaged_wos_file(slr, tmp_path):
    out = tmp_path / "records.csv"
    result = slr("ingest", FIXTURES / "wos" / "damaged_no_ef_invented.txt", "-o", out)
    assert result.returncode == 2 and not out.exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "damaged_no_ef_invented.txt:28: the file ends without" in line


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ferrao.csv", 'title,author,year\nFerrão and the anchor,"Ferrão, P.",2001\n'),
        ("ferrao.ris", "TY  - JOUR\r\nTI  - Ferrão and the anchor\r\nAU  - Ferrão, P.\r\nPY  - 2001\r\nER  - \r\n"),
        ("ferrao.bib", "@article{f,\n  title = {Ferrão and the anchor},\n  author = {Ferrão, P.},\n  year = 2001\n}\n"),
    ],
)
def test_legacy_windows_encoding_is_read_correctly(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    loaded = readers.load(path)
    assert loaded.encoding == "cp1252"
    (rec,) = loaded.records
    assert rec["title"] == "Ferrão and the anchor" and rec["authors"] == ["Ferrão, P."]


def test_utf16_tab_delimited_without_bom_is_read(fixtures):
    data = (fixtures / "wos" / "wosfile_tab_utf16.txt").read_bytes()[2:]  # drop the BOM
    decoded = decode_bytes(data, "nobom.txt")
    assert decoded.encoding == "utf-16-le"
    assert len(readers.loads(decoded.text, "nobom.txt").records) == 9


# ---------------------------------------------------------------- property tests

READERS = [wos_text, wos_tab, ris, bibtex, scopus_csv, generic_csv]
ALL_FIXTURES = sorted(
    p for folder in ("wos", "scopus_csv", "generic_csv", "ris", "bibtex") for p in (FIXTURES / folder).iterdir()
)
# characters that matter to the formats, so random text reaches deep into the parsers
ALPHABET = st.sampled_from(
    list('@{}()=,;"#%\\\t\n\r -ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ãé~$[]')
)
FORMAT_TEXT = st.text(alphabet=ALPHABET, max_size=300)
PREFIXES = st.sampled_from(
    [
        "",
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n",
        "PT\tAU\tTI\tSO\tUT\n",
        "TY  - JOUR\n",
        "@article{k,\n title = {",
        "Scopus\nEXPORT DATE: 04 December 2026\n\n@ARTICLE{",
        '"Authors","Title","Year","Source title","Link","EID"\n',
        "id,title,year,author\n",
    ]
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_nothing_but_input_error(data):
    try:
        decoded = decode_bytes(data, "any.txt")
        readers.loads(decoded.text, "any.txt", decoded.encoding)
    except InputError:
        pass


@PROPERTY
@given(PREFIXES, FORMAT_TEXT)
def test_every_reader_raises_nothing_but_input_error_on_any_text(prefix, body):
    text = prefix + body
    for reader in READERS:
        with contextlib.suppress(InputError):
            reader.parse(text, Path("any.txt"))


@PROPERTY
@given(
    st.sampled_from(ALL_FIXTURES),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 200), st.binary(max_size=8)), min_size=1, max_size=4),
)
def test_mutated_exports_raise_nothing_but_input_error(path, mutations):
    data = bytearray(path.read_bytes())
    for where, length, insert in mutations:
        at = int(where * len(data))
        data[at : at + length] = insert  # cut a span and put other bytes in its place
    try:
        decoded = decode_bytes(bytes(data), path)
        readers.loads(decoded.text, path, decoded.encoding)
    except InputError:
        pass


@PROPERTY
@given(st.sampled_from(ALL_FIXTURES), st.floats(0, 1))
def test_truncated_exports_raise_nothing_but_input_error(path, fraction):
    data = path.read_bytes()
    try:
        decoded = decode_bytes(data[: int(len(data) * fraction)], path)
        readers.loads(decoded.text, path, decoded.encoding)
    except InputError:
        pass


def test_the_property_fails_when_a_reader_has_an_unguarded_key_error(monkeypatch):
    """A planted bug - every reader looks up a field of ``extra`` that a record need not have -
    makes the same property test fail, so the property can catch what it is meant to catch."""
    for reader in READERS:

        def buggy(text, path, real=reader.parse):
            records = real(text, path)
            for rec in records:
                rec["extra"]["planted"]  # KeyError as soon as a reader returns a record
            return records

        monkeypatch.setattr(reader, "parse", buggy)
    with pytest.raises(KeyError):
        test_mutated_exports_raise_nothing_but_input_error()
