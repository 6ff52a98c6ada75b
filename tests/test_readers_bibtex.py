"""BibTeX from Scopus (with and without the 'Scopus / EXPORT DATE' preamble), Web of Science and reference managers."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from slr import readers
from slr.errors import InputError
from slr.readers import bibtex


@pytest.fixture
def bib(fixtures):
    return fixtures / "bibtex"


def test_scopus_bibtex(bib):
    loaded = readers.load(bib / "scopus_invented.bib")
    assert loaded.format == "bibtex"
    ferrao, novak = loaded.records
    assert ferrao["record_id"] == "2-s2.0-70000000001" and ferrao["database"] == "scopus"
    assert ferrao["authors"] == ["Ferrão, P.", "Van der Berg, M.G.", "Øster, K.-L."]
    assert ferrao["doi"] == "10.9999/jie.2009.0042"  # the export's trailing '.' dropped
    assert ferrao["abstract"] == (
        "An invented abstract: 50% of the exchanges start with an anchor. © 2009 Invented Press"
    )
    assert ferrao["keywords"] == "anchor tenant; industrial symbiosis; Eco-industrial park; Symbiosis"
    assert (ferrao["doc_type"], ferrao["language"], ferrao["source_line"]) == ("Article", "English", 2)
    extra = ferrao["extra"]
    assert extra["funding_text 1"] == "The first invented funding text."
    assert extra["funding_text\u00a02"].startswith("The second invented funding text")
    assert extra["funding_details"] == (
        "Invented Science FoundationInvented Science Foundation, ISF, 123; Invented Ministry, 456"
    )
    assert extra["@type"] == "ARTICLE" and extra["@key"] == "Ferrao2009512"
    assert novak["title"] == "Industrial symbiosis in a steel town"
    assert novak["extra"]["original_title"] == "Průmyslová symbióza v ocelářském městě"
    assert novak["authors"] == ["Novák, P."] and novak["record_id"] == "2-s2.0-70000000002"


def test_scopus_bibtex_with_export_date_preamble(bib):
    loaded = readers.load(bib / "scopus_preamble_invented.bib")
    assert loaded.format == "bibtex"
    lin, sun = loaded.records
    assert lin["record_id"] == "2-s2.0-105000000001" and lin["source_line"] == 4
    assert lin["authors"] == ["Lin, C.-Y.", "Ferrão, P."]
    assert lin["doc_type"] == "Article" and lin["doi"] == "10.9999/sust17021021"
    # no link and no source field: the preamble says Scopus; the citation key is the id
    assert sun["database"] == "scopus" and sun["record_id"] == "bib:Sun2026"
    assert sun["pages"] == "1-12"


def test_wos_bibtex(bib):
    loaded = readers.load(bib / "wos_invented.bib")
    assert loaded.encoding == "utf-8-sig"
    first, early = loaded.records
    assert first["record_id"] == "WOS:000900000000001" and first["database"] == "wos"
    assert first["title"] == (
        "Anchor tenants and the coordination of by-product exchanges in an invented eco-industrial park"
    )
    assert first["journal"] == "JOURNAL OF INVENTED ECOLOGY"
    assert first["authors"] == ["Ferrão, P.", "Lin, C.-Y."]
    assert first["keywords"] == "anchor tenant; industrial symbiosis; coordination; NETWORKS; KALUNDBORG"
    assert first["extra"]["Research-Areas"] == "Environmental Sciences \\& Ecology"  # extra keeps the export's text
    assert first["extra"]["Cited-References"].endswith("8:4\\{.")
    assert early["year"] == 2026 and early["extra"]["Early Access Date"] == "FEB 2026"
    assert early["doc_type"] == "Article; Early Access"


def test_reference_manager_bibtex(bib):
    ferrao, novak, reused = readers.load(bib / "manager_invented.bib").records
    assert ferrao["database"] == "other" and ferrao["record_id"] == "bib:ferrao_anchor_2009"
    assert ferrao["title"] == "Anchor tenants and the growth of Eco-Industrial parks in Münster"
    assert ferrao["journal"] == "Journal of Invented Ecology"  # @string
    assert ferrao["authors"] == [
        "Ferrão, P.",
        "Müller, J.",
        "Émile, Z.",
        "World Business Council for Sustainable Development",
    ]
    assert ferrao["abstract"] == "Companies & parks: an invented abstract about 50% of exchanges."
    assert ferrao["doi"] == "10.9999/jie.2009.0042" and ferrao["pages"] == "512-530"
    assert ferrao["extra"]["month"] == "Apr"
    assert novak["title"] == "By-product exchange in a steel town"  # "..." # "..."
    assert novak["journal"] == "Proceedings of the Invented Symposium" and novak["year"] == 2012
    assert novak["doc_type"] == "inproceedings"
    assert reused["record_id"] == "bib:ferrao_anchor_2009#2"


@pytest.mark.parametrize("name", ["scopus_invented.bib", "wos_invented.bib", "scopus_preamble_invented.bib"])
def test_fields_agree_with_bibtexparser(bib, name):
    """bibtexparser 2 reads the same entries, keys, lines and field values (it keeps a repeated
    field as a failed block, whose values keep their braces)."""
    text = (bib / name).read_text(encoding="utf-8-sig")
    library = bibtexparser.parse_string(text)
    blocks = list(library.entries) + [b.ignore_error_block for b in library.failed_blocks]
    theirs = []
    for entry in sorted(blocks, key=lambda e: e.start_line):
        fields: dict[str, str] = {}
        for field in entry.fields:
            value = bibtex.unbrace(field.value)
            fields[field.key] = f"{fields[field.key]}; {value}" if field.key in fields else value
        theirs.append((entry.key, entry.entry_type, entry.start_line + 1, fields))
    _, mine = bibtex._Scanner(text, Path(name)).entries()
    ours = [(e.key, e.type.lower(), e.line, {k: bibtex.unbrace(v) for k, v in e.fields.items()}) for e in mine]
    assert ours == theirs


BIB = "@article{a,\n  title = {One},\n  year = {2001}\n}\n\n@article{b,\n  title = {Two},\n  year = {2002}\n}\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BIB.replace("{One}", "{One"), 1, "entry 'a' that starts at line 1 is not closed: a '}' is missing"),
        ("@article{a,\n title = {One,\n\n@article{b,\n title = {Two}\n}\n}\n", 1, "its field 'title' do not balance"),
        (BIB[: BIB.index("year = {2002}")], 6, "not closed before the end of the file"),
        (BIB.replace("{One},", "{One}},"), 3, "field text outside any entry: the entry 'a' (line 1) was closed"),
        (BIB.replace("{One},", "{One}\n  author = {X},"), 3, "expected ',' or '}' after the field 'title'"),
        (BIB.replace("year = {2001}\n}", "year = {2001}}\n}"), 4, "field text outside any entry"),
        (BIB.replace("title = {Two}", "title {Two}"), 7, "expected 'name = value'"),
        (BIB.replace("{One}", '"One'), 1, "not closed"),
    ],
    ids=[
        "unclosed brace",
        "unclosed brace runs on",
        "truncated",
        "brace too many",
        "missing comma",
        "closed early",
        "no equals",
        "open quote",
    ],
)
def test_damaged_bibtex_names_the_line(text, line, message):
    with pytest.raises(InputError) as err:
        readers.loads(text, "refs.bib")
    assert err.value.line == line
    assert message in err.value.message()


def test_no_entry_is_lost_silently():
    records = readers.loads(BIB + "\n@misc{c}\n", "refs.bib").records
    assert [r["record_id"] for r in records] == ["bib:a", "bib:b", "bib:c"]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('{\\"o}', "ö"),
        ("\\'e", "é"),
        ("{\\&}", "&"),
        ("Ferr{\\~a}o", "Ferrão"),
        ("{Eco}-{Industrial}", "Eco-Industrial"),
        ("50\\% of $\\alpha$ and 20% more", "50% of α and 20% more"),
        ("plain text", "plain text"),
    ],
)
def test_latex_is_decoded_in_schema_fields(latex, text):
    assert bibtex.latex_to_text(latex) == text


def test_bibtex_author_lists():
    value = "Ferr{\\~a}o, Paulo and {Smith and Sons Ltd} and Lin, C.-Y. and others"
    assert bibtex.split_bibtex_authors(value) == ["Ferrão, P.", "Smith and Sons Ltd", "Lin, C.-Y."]


def test_a_table_with_an_at_sign_is_not_bibtex(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text('title,year\n"@article{x, is a cell",2001\nPlain,2002\n', encoding="utf-8")
    loaded = readers.load(path)
    assert loaded.format == "generic_csv" and len(loaded.records) == 2


def test_comment_preamble_is_accepted():
    text = "% This file was created with a reference manager, 2026.\n%% Encoding: UTF8\n\n" + BIB
    assert readers.loads(text, "refs.bib").format == "bibtex"


def _unbrace_reference(value: str) -> str:
    # the definition, layer by layer: drop a '{' ... '}' pair while the first brace closes at the end
    value = value.strip()
    while len(value) >= 2 and value[0] == "{" and value[-1] == "}":
        depth, closed_at = 0, -1
        for i, ch in enumerate(value):
            if ch in "{}" and (i == 0 or value[i - 1] != "\\"):
                depth += 1 if ch == "{" else -1
                if depth == 0:
                    closed_at = i
                    break
        if closed_at != len(value) - 1:
            break
        value = value[1:-1].strip()
    return value


@given(st.text(alphabet="{} a\\", max_size=20))
@example("{{a} {b}}")
@example("{a} {b}")
@example("{ {a} }")
@example("{a\\}")
def test_unbrace_peels_exactly_the_enclosing_layers(value):
    assert bibtex.unbrace(value) == _unbrace_reference(value)


def test_deeply_nested_braces_are_read(tmp_path):
    path = tmp_path / "deep.bib"
    depth = 5000
    path.write_text("@article{k1,\n  title = {" + "{" * depth + "Deep" + "}" * depth + "},\n  year = {2020}\n}\n")
    (rec,) = readers.load(path).records
    assert rec["title"] == "Deep"


def test_string_macro_bomb_is_refused(tmp_path):
    lines = ['@string{s0 = "xxxxxxxxxxxxxxxx"}']
    lines += [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, 40)]
    lines.append("@article{k1, title = s39, year = {2020}}")
    path = tmp_path / "bomb.bib"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        readers.load(path)
    assert err.value.line == 17 and "@string" in err.value.problem
