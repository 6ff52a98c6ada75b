"""Table 5, the narrative graph, the sequence indicators and the comparison, on hand-made cases."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from slr.case.compare import CaseSummary, pairwise, sequences, similarity
from slr.case.data import load_case
from slr.case.indicators import indicators, ranks, spearman
from slr.case.narrative import (
    Classified,
    draw,
    lanes,
    render_png,
    render_svg,
    table5_csv,
    table5_html,
    table5_markdown,
    table5_rows,
)

# A hand-made case. Levels: N national, M municipal, C company.
ACTIVITIES = """id,phase,order,activity,actors,description
x1,prep,1,Backing the plan,N,"The state backs the plan."
x2,prep,2,Recruiting firms,M,"The town recruits firms."
x3,run,3,Selling steam,C,"The plant sells steam."
x4,run,3,Running a study,M,"The town studies flows."
x5,run,4,Building a pipe,M; C,"Town and plant build a pipe."
"""
ACTORS = "actor,level,sector\nN,national,public\nM,municipal,public\nC,company,private\n"
LINKS = "from,to\nx2,x1\nx3,x2\nx5,x3\nx4,x2\n"
SYNERGY = "Create opportunities for by-product and utility synergies"
LABELS = {
    "x1": Classified("institutional", "Political and managerial support", "Provide political support"),
    "x2": Classified("institutional", "Recruitment", "Recruit new companies for establishment"),
    "x3": Classified("physical", "Contributing to synergies", SYNERGY),
    "x4": Classified("institutional", "Knowledge support", "Provide knowledge and expertise"),
    "x5": Classified("physical", "Creating infrastructure", "Provide physical infrastructures"),
}  # fmt: skip


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "handmade"
    folder.mkdir()
    (folder / "activities.csv").write_text(ACTIVITIES, encoding="utf-8")
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (folder / "links.csv").write_text(LINKS, encoding="utf-8")
    return load_case(folder)


def values(case, labels=LABELS):
    inds = indicators(case, {k: v.anchoring for k, v in labels.items()}, {k: v.category for k, v in labels.items()})
    return {i.name: i.value for i in inds}, {i.name: i.detail for i in inds}


def test_indicators_computed_by_hand(case):
    v, detail = values(case)
    assert v["share_institutional"] == "0.600"  # x1, x2, x4 of five
    assert v["first_physical_synergy"] == "x3"
    assert v["institutional_before_first_synergy"] == "2" and detail["institutional_before_first_synergy"] == "x1; x2"
    assert v["institutional_after_first_synergy"] == "0"  # x4 is simultaneous, not after
    assert v["institutional_preparation_precedes_synergy"] == "true"
    assert v["synergy_builds_on_institutional"] == "2"  # x3 -> x2 -> x1
    # Pairs (order, level depth): x1 (1,N) x2 (2,M) x3 (3,C) x4 (3,M) x5 (4,M) x5 (4,C);
    # mid-ranks give sxy = 10, sxx = 16.5, syy = 15, rho = 10 / sqrt(247.5) = 0.636.
    assert v["funnel_spearman"] == "0.636"
    # Institutional only: (1,N) (2,M) (3,M): rho = 1.5 / sqrt(2 * 1.5) = 0.866.
    assert v["funnel_spearman_institutional"] == "0.866"
    assert v["actors_both_types"] == "1" and detail["actors_both_types"] == "M"


def test_institutional_activity_after_the_first_synergy(case):
    labels = dict(LABELS)
    labels["x5"] = Classified("institutional", "Knowledge support", "Provide knowledge and expertise")
    v, _ = values(case, labels)
    assert v["institutional_after_first_synergy"] == "1"
    assert v["institutional_preparation_precedes_synergy"] == "false"
    assert v["actors_both_types"] == "1"  # C: x3 physical, x5 institutional; M now only institutional


def test_no_synergy_leaves_sequence_indicators_empty(case):
    labels = {k: Classified("institutional", "Recruitment", None) for k in LABELS}
    v, detail = values(case, labels)
    assert v["first_physical_synergy"] == "" and "no activity" in detail["first_physical_synergy"]
    assert v["institutional_preparation_precedes_synergy"] == ""
    assert v["share_institutional"] == "1.000" and v["actors_both_types"] == "0"


def test_spearman_and_ranks_by_hand():
    assert ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 2, 3], [5, 5, 5]) is None


def test_qijiang_funnel_is_positive_and_two_actors_do_both():
    """Section 6: activities move down the levels; the district government and the park's commission
    perform both physical and institutional activities (Table 5's own labels)."""
    case = load_case(Path(__file__).resolve().parent.parent / "data" / "cases" / "qijiang")
    labels = {a.id: Classified(str(a.gold_anchoring), a.gold_category, None) for a in case.activities}
    v, detail = values(case, labels)
    assert float(v["funnel_spearman"]) > 0
    assert set(detail["actors_both_types"].split("; ")) == {"Qijiang government", "Administrative Commission"}
    assert v["share_institutional"] == "0.700"
    assert v["institutional_preparation_precedes_synergy"] == "true"


def test_lanes_run_from_widest_level_down(case):
    assert lanes(case) == ["N", "M", "C"]


def test_graph_has_one_node_per_activity_lane_and_one_arrow_per_link(case):
    svg = render_svg(draw(case, LABELS, "hand-made"))
    root = ET.fromstring(svg)
    ids = [el.get("id", "") for el in root.iter()]
    nodes = sorted(i for i in ids if i.startswith("node-"))
    # x5 has two actors, so it appears in two lanes (M = lane 1, C = lane 2).
    assert nodes == ["node-x1-0", "node-x2-1", "node-x3-2", "node-x4-1", "node-x5-1", "node-x5-2"]
    assert sorted(i for i in ids if i.startswith("link-")) == ["link-x2-x1", "link-x3-x2", "link-x4-x2", "link-x5-x3"]
    text = svg.decode("utf-8")
    assert "physical anchoring" in text and "institutional anchoring" in text  # the legend
    assert render_svg(draw(case, LABELS, "hand-made")) == svg  # byte-for-byte reproducible
    assert render_png(draw(case, LABELS, "hand-made")).startswith(b"\x89PNG\r\n\x1a\n")


def test_table5_in_three_formats(case):
    rows = table5_rows(case, LABELS)
    parsed = list(csv.DictReader(io.StringIO(table5_csv(rows))))
    assert [r["id"] for r in parsed] == ["x1", "x2", "x3", "x4", "x5"]
    assert parsed[4]["actors"] == "M; C" and parsed[2]["anchoring"] == "physical"
    md = table5_markdown(rows, "T")
    assert "| Phase | Id | Order |" in md and md.count("\n| ") == 6
    html = table5_html(rows, "T & co")
    assert "T &amp; co" in html and html.count("<tr class=") == 5


def test_sequence_similarity():
    assert similarity(["A", "B", "C"], ["A", "C"]) == pytest.approx(2 / 3)
    assert similarity(["A", "B"], ["A", "B"]) == 1.0
    assert similarity(["A", "B"], ["C", "D"]) == 0.0


def test_compare_two_cases(case):
    cats, types = sequences(case, LABELS)
    assert cats == (
        "Political and managerial support", "Recruitment", "Contributing to synergies", "Knowledge support",
        "Creating infrastructure",
    )  # fmt: skip
    assert types == ("institutional", "institutional", "physical", "institutional", "physical")
    other = dict(LABELS)
    other["x4"] = Classified("institutional", None, None)
    cats2, types2 = sequences(case, other)
    assert "(none: institutional)" in cats2
    rows = pairwise([CaseSummary("a", cats, types, ()), CaseSummary("b", cats2, types2, ())])
    assert rows[0]["category_similarity"] == "0.800" and rows[0]["type_similarity"] == "1.000"
