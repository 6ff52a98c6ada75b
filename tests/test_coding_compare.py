"""Comparing computed tables with a published version.

1. A hand-made published subset against the tables built from tests/fixtures/coding (every
   expected difference worked out by hand below).
2. The paper itself: tables computed from a coding that follows the paper's Table A1 and Table 1
   (synthesised from config/published.yaml) must differ from the paper exactly by the anomalies
   listed in config/accepted_anomalies.yaml.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from coding_fixtures import CODEBOOK, REPO, book, coding, index

from slr.coding import build, compare, segments, studies
from slr.coding.citations import match_key
from slr.coding.tables import Coding
from slr.errors import InputError

CREATE = "Create opportunities for by-product and utility synergies"
ROW1 = "create-opportunities-for-by-product-and-utility-synergies"

PUBLISHED_SUBSET = f"""
funnel: {{anchor_mention_included: 10, coded_reproducible: 8}}
table_1_actor_types:
  private: {{Power plant: 3, Brewery: 1}}
  public: {{Public authority: 1}}
table_2_taxonomy:
  physical:
    Contributing to synergies: [{CREATE}, Provide (share) utilities and services]
  institutional:
    Recruitment: [Recruit new companies for establishment]
table_a1_activity_references:
  - activity: {CREATE}
    type: P
    references: ["Lowe 1997", "Heeres, Vermeulen & De Walle 2004", "Costa and Ferrão 2010",
      "Mannino et al., 2015", "Lowe 1997", "Heeres, Vermeulen and de Walle 2004"]
  - activity: Recruit other companies for establishment
    type: I
    references: ["Van Leeuwen, Vermeulen and Glasbergen 2003", "Lowe 1997"]
appendix_c_included_studies: ["Lowe 1997", "Van Leeuwen, Vermeulen and Glasbergen 2003",
  "Heeres, Vermeulen and de Walle 2004", "Malmborg 2004", "Bansal and McKnight 2009",
  "Costa and Ferrão 2010a", "Costa and Ferrão 2010b", "Mannino et al. 2015", "Rescher 1996"]
"""

# Worked out by hand from the subset above and tests/fixtures/coding/segments.csv.
EXPECTED_IDS = {
    "table1/count/brewery",  # published 1, computed 0
    "table1/sum-vs-studies",  # 3 + 1 + 1 = 5 mentions, 10 studies
    # table 2: the subset names 3 of the 16 activities
    *{
        f"table2/row-only-in-computed/{s}"
        for s in (
            "provide-physical-infrastructures",
            "facilitate-interaction-between-stakeholders",
            "maintain-close-contact-with-relevant-stakeholders",
            "provide-knowledge-and-expertise",
            "provide-platforms-for-education",
            "make-inventories-and-databases-of-inputs-and-outputs",
            "provide-political-support",
            "implement-supporting-laws-and-regulations",
            "provide-managerial-support",
            "set-beneficial-prices-e-g-land-or-energy-prices",
            "promote-the-area",
            "act-as-an-owner-of-industrial-symbiosis-projects",
            "be-a-role-model",
        )
    },
    f"tableA1/duplicate/{ROW1}/lowe-1997",
    f"tableA1/duplicate/{ROW1}/heeres-vermeulen-and-de-walle-2004",
    f"tableA1/ambiguous/{ROW1}/costa-and-ferrao-2010",  # read as 2010a, the one the computed row has
    "tableA1/spelled-differently/heeres-vermeulen-and-de-walle-2004",  # "& De" and "and de"
    "tableA1/wording/recruit-new-companies-for-establishment",
    "tableA1/only-in-published/recruit-new-companies-for-establishment/lowe-1997",
    # computed rows with references the subset does not have
    "tableA1/row-only-in-computed/provide-share-utilities-and-services",
    "tableA1/row-only-in-computed/facilitate-interaction-between-stakeholders",
    "tableA1/row-only-in-computed/make-inventories-and-databases-of-inputs-and-outputs",
    "appendixC/citation-differs/malmborg-2004",  # "Malmborg 2004" for "Von Malmborg 2004"
    "appendixC/not-coded/rescher-1996",
    "appendixC/only-in-computed/wolf-eklund-and-soderstrom-2007",
    "appendixC/count",  # 9 listed, 10 included
    "funnel/count/coded-reproducible",  # published 8, computed 9
}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    for name, content in build.outputs(coding(), index().included_labels).items():
        target = out / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return out


def diffs_for(results: Path, published: str, accept: str | None = None) -> list[compare.Difference]:
    pub = compare.parse_published(yaml.safe_load(published), "published.yaml")
    found = compare.compare(compare.load_computed(results), pub, book())
    accepted = compare.parse_accept(yaml.safe_load(accept), "accept.yaml") if accept else []
    return compare.apply_accepted(found, accepted)


def test_hand_made_subset_gives_exactly_the_expected_differences(results):
    diffs = diffs_for(results, PUBLISHED_SUBSET)
    assert {d.id for d in diffs} == EXPECTED_IDS
    by_id = {d.id: d for d in diffs}
    assert by_id["table1/count/brewery"].detail == "published 1 studies, computed 0"
    assert (
        "'Heeres, Vermeulen & De Walle 2004', 'Heeres, Vermeulen and de Walle 2004'"
        in by_id["tableA1/spelled-differently/heeres-vermeulen-and-de-walle-2004"].detail
    )
    assert "read as 'Costa and Ferrão 2010a'" in by_id[f"tableA1/ambiguous/{ROW1}/costa-and-ferrao-2010"].detail
    wording = by_id["tableA1/wording/recruit-new-companies-for-establishment"].detail
    assert "words it differently" in wording and "Table 2 says 'Recruit new companies for establishment'" in wording


def test_row_order_does_not_matter(results):
    data = yaml.safe_load(PUBLISHED_SUBSET)
    data["table_a1_activity_references"].reverse()
    data["appendix_c_included_studies"].reverse()
    data["table_a1_activity_references"][1]["references"].reverse()
    assert {d.id for d in diffs_for(results, yaml.safe_dump(data, allow_unicode=True))} == EXPECTED_IDS


ACCEPT = f"""
accepted:
  - anomaly: row 1 lists two studies twice
    ids: [tableA1/duplicate/{ROW1}/*]
  - anomaly: Costa without letter
    ids: [tableA1/ambiguous/{ROW1}/costa-and-ferrao-2010]
  - anomaly: not in the paper
    ids: [tableA1/duplicate/promote-the-area/lowe-1997]
"""


def test_accepted_anomalies_pass_and_others_fail(results):
    diffs = diffs_for(results, PUBLISHED_SUBSET, ACCEPT)
    accepted = {d.id for d in diffs if d.accepted}
    assert accepted == {
        f"tableA1/duplicate/{ROW1}/lowe-1997",
        f"tableA1/duplicate/{ROW1}/heeres-vermeulen-and-de-walle-2004",
        f"tableA1/ambiguous/{ROW1}/costa-and-ferrao-2010",
    }
    missing = [d for d in diffs if d.kind == "accepted-not-found"]
    assert [d.item for d in missing] == ["tableA1/duplicate/promote-the-area/lowe-1997"] and not missing[0].accepted
    assert len([d for d in diffs if not d.accepted]) == len(EXPECTED_IDS) - 3 + 1


def test_a_published_table_equal_to_the_computed_one_has_no_difference(results):
    with open(results / "tableA1.csv", encoding="utf-8") as fh:
        a1 = [
            {"activity": r["activity"], "type": r["type"], "references": r["references"].split("; ")}
            for r in csv.DictReader(fh)
            if r["references"]
        ]
    with open(results / "appendixC.csv", encoding="utf-8") as fh:
        app = [r["citation"] for r in csv.DictReader(fh)]
    data = {"table_a1_activity_references": a1, "appendix_c_included_studies": app}
    assert diffs_for(results, yaml.safe_dump(data, allow_unicode=True)) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list", r"\(top level\): expected a mapping"),
        ("table_1_actor_types: {private: {Power plant: many}}", r"table_1_actor_types: expected"),
        ("table_a1_activity_references: [{activity: X}]", r"row 1: expected activity"),
        ("appendix_c_included_studies: nope", r"appendix_c_included_studies: expected a list"),
    ],
)
def test_bad_published_file(text, message):
    with pytest.raises(InputError, match=message):
        compare.parse_published(yaml.safe_load(text), "published.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("accepted: {a: 1}", r"expected a mapping with a list"),
        ("accepted: [{anomaly: x}]", r"entry 1: `ids` must be"),
        ("accepted: [{anomaly: x, ids: [a], why: y}]", r"entry 1: expected the keys"),
    ],
)
def test_bad_accept_file(text, message):
    with pytest.raises(InputError, match=message):
        compare.parse_accept(yaml.safe_load(text), "accept.yaml")


def test_missing_results_are_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"table1\.csv: no such file; run `slr tables build` first"):
        compare.load_computed(tmp_path)


# ---------------------------------------------------------------- the paper


def _authors(citation: str) -> tuple[list[str], int]:
    """The author names a citation of the paper shows (et al.: the first author and three others)."""
    who, year = re.match(r"^(.*) (\d{4})[a-z]?$", citation).groups()  # type: ignore[union-attr]
    names = (
        [who[: -len(" et al.")], "Second", "Third", "Fourth"] if who.endswith(" et al.") else re.split(r", | and ", who)
    )
    return names, int(year)


def test_the_papers_tables_differ_only_by_its_known_anomalies(tmp_path):
    """Works and segments synthesised from the paper: each study of Appendix C but Rescher 1996 is
    a work; three more included studies stay uncoded (45 included, 42 coded); every Table A1
    reference becomes a segment (the bare "Costa and Ferrão 2010" is 2010b, the one Appendix C
    lists and no other row cites), and Table 1's counts become actor codes spread over the coded
    studies (48 mentions over 42 studies)."""
    pub = yaml.safe_load((REPO / "config" / "published.yaml").read_text(encoding="utf-8"))
    listed = [c for c in pub["appendix_c_included_studies"] if c != "Rescher 1996"]
    works_rows, by_key = [], {}
    for i, cit in enumerate(listed):
        names, year = _authors(cit)
        wid = f"W{i:03d}"
        works_rows.append([wid, f"Study {cit}", "; ".join(f"{n}, A." for n in names), year, ""])
        by_key[match_key(cit)] = wid
    works_rows += [[f"WU{j}", f"Uncoded {j}", f"Uncoded{j}, A.", 2000 + j, ""] for j in range(3)]
    with open(tmp_path / "works.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["work_id", "title", "authors", "year", "aliases"], *works_rows])
    with open(tmp_path / "hits.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["work_id", "file", "included"], *[[r[0], f"{r[0]}.pdf", "yes"] for r in works_rows]])
    segs = []
    for row in pub["table_a1_activity_references"]:
        for ref in row["references"]:
            wid = by_key.get(match_key(ref)) or by_key[match_key(ref) + "b"]
            segs.append([wid, f"activity/{row['activity']}"])
    coded = [r[0] for r in works_rows[: len(listed)]]
    mentions = [
        (sector, name)
        for sector, items in pub["table_1_actor_types"].items()
        for name, n in items.items()
        for _ in range(n)
    ]
    segs += [[coded[i % len(coded)], f"actor/{sector}/{name}"] for i, (sector, name) in enumerate(mentions)]
    with open(tmp_path / "segments.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["study", "code"], *segs])

    bk = book()
    works = studies.load_works(tmp_path / "works.csv")
    idx = studies.StudyIndex(works, studies.load_included(tmp_path / "hits.csv", works))
    c = Coding(bk, works, idx.included, segments.load([tmp_path / "segments.csv"], bk, idx))
    out = tmp_path / "tables"
    out.mkdir()
    for name, content in build.outputs(c, idx.included_labels).items():
        (out / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    accept_file = REPO / "config" / "accepted_anomalies.yaml"
    accepted = compare.parse_accept(yaml.safe_load(accept_file.read_text(encoding="utf-8")), accept_file)
    diffs = compare.apply_accepted(
        compare.compare(compare.load_computed(out), compare.parse_published(pub, "published.yaml"), bk), accepted
    )
    # Two Appendix C anomalies only show against real bibliographic records (Salmi's year, Veiga's
    # name), which this fixture built from the published tables alone does not have: their accepted
    # ids are reported as "not found" here, and nothing else is open.
    needs_records = {
        "appendixC/not-coded/salmi-et-al-2011",
        "appendixC/only-in-computed/salmi-et-al-2012",
        "appendixC/citation-differs/bechara-ellabras-veiga-and-magrini-2009",
    }
    open_ = [d for d in diffs if not d.accepted]
    assert all(d.kind == "accepted-not-found" for d in open_), [d.id for d in open_]
    assert {d.item for d in open_} == needs_records
    assert {d.id for d in diffs if d.accepted} == {i for a in accepted for i in a.ids} - needs_records
    # every known anomaly of the paper is accepted by name
    assert {a.anomaly for a in accepted} >= set(pub["known_anomalies"])
    # and the computed tables reproduce the paper's numbers
    summary = dict(csv.reader((out / "coding_summary.csv").read_text(encoding="utf-8").splitlines()))
    assert (summary["included_studies"], summary["coded_studies"], summary["table1_mentions"]) == ("45", "42", "48")
    assert CODEBOOK.is_file()
