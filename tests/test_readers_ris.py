"""RIS from Scopus, Web of Science, IEEE and reference managers."""

from __future__ import annotations

import pytest

from slr import readers
from slr.errors import InputError


@pytest.fixture
def ris(fixtures):
    return fixtures / "ris"


def test_scopus_ris(ris):
    no_url, clegg = readers.load(ris / "asreview_scopus.ris").records
    assert clegg["database"] == "scopus"
    assert clegg["record_id"] == "2-s2.0-85072655092"  # from the UR link's eid=
    assert clegg["authors"] == ["Clegg, S.", "Sirois, F.", "Reuber, M."]
    assert clegg["doi"] == "10.1016/j.yebeh.2019.106490"
    assert clegg["year"] == 2019 and clegg["source_line"] == 143
    assert clegg["extra"]["DB"] == "Scopus"
    # the N1 field continues over untagged lines (the reference list)
    assert "\n" in clegg["extra"]["N1"]
    # a Scopus record without a link: still Scopus (DB), with a content id
    assert no_url["database"] == "scopus" and no_url["record_id"].startswith("h:")
    assert no_url["authors"][:2] == ["Berens, S.", "Schaefert, R."]


def test_web_of_science_ris(ris):
    alceste, appleby, kassin = readers.load(ris / "asreview_web_of_science.txt").records
    assert alceste["database"] == "wos" and alceste["record_id"] == "WOS:000444108200009"
    assert alceste["title"] == "Holding Yourself Captive: Perceptions of Custody During Interviews and Interrogations"
    assert alceste["journal"] == "JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION"
    assert (alceste["volume"], alceste["issue"], alceste["pages"]) == ("7", "3", "387-397")
    assert alceste["keywords"].startswith("Police custody; Interview; Interrogation")
    assert alceste["extra"]["SN"] == "2211-3681; 2211-369X"
    assert alceste["extra"]["N1"].endswith("Cited Reference Count:  30")
    assert appleby["record_id"] == "WOS:000376252000001"
    # a record of the file that did not come from WoS (no accession, no WoS fields)
    assert kassin["database"] == "other" and kassin["record_id"].startswith("h:")
    assert kassin["doi"] == "10.1023/a:1024814009769" and kassin["year"] == 1997


def test_ieee_ris_with_a_stray_carriage_return(ris):
    first, second, third = readers.load(ris / "litstudy_ieee.ris").records
    assert first["authors"] == ["Kalbe, G.", "Kalbe, G."]
    assert first["journal"] == "Computing in Science & Engineering"
    assert (first["pages"], first["volume"], first["issue"]) == ("42-47", "21", "1")
    assert second["doc_type"] == "CONF" and second["authors"][2] == "Belloum, A.S.Z."
    assert third["title"].startswith("Brief introduction of TianHe exascale prototype")
    assert {r["database"] for r in (first, second, third)} == {"other"}


def test_reference_manager_ris_with_bom_and_crlf(ris):
    loaded = readers.load(ris / "manager_bom_crlf_invented.ris")
    assert loaded.encoding == "utf-8-sig"
    article, chapter = loaded.records
    assert article["authors"] == ["Ferrão, P.", "Lin, C.-Y."]
    assert article["pages"] == "512-30" and article["year"] == 2009
    assert article["extra"]["PY"] == "2009///" and article["extra"]["ID"] == "1001"
    assert chapter["source_line"] == 16 and chapter["keywords"] == "symbiosis; by-products"


def test_wos_ris_with_lost_line_ends(ris):
    (rec,) = readers.load(ris / "wos_lost_line_ends_invented.ris").records
    assert rec["record_id"] == "WOS:000900000000001" and rec["database"] == "wos"
    assert rec["extra"]["AD"] == "Invented Univ, Dept Environm, Lisbon, Portugal; Invented Inst Technol, Taipei, Taiwan"
    assert rec["abstract"] == "First line of an invented abstract. Second line of the abstract."


RIS = "TY  - JOUR\nTI  - A title\nAU  - Novak, P\nPY  - 2001\nER  - \n\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (RIS + "TY  - JOUR\nTI  - Cut off\nAU  - Novak, P\n", 9, "line 7 has no end-of-record line 'ER'"),
        ("TY  - JOUR\nTI  - No end\n" + RIS, 3, "line 1 has no end-of-record line 'ER' before the next record"),
        (RIS + "stray text\n", 7, "text outside a record"),
        (RIS + "TI  - orphan\n", 7, "outside a record"),
    ],
    ids=["truncated", "missing ER", "stray text", "orphan tag"],
)
def test_damaged_ris_names_the_line(text, line, message):
    with pytest.raises(InputError) as err:
        readers.loads(text, "refs.ris")
    assert err.value.line == line
    assert message in err.value.message()
