"""Manual decisions: validated, applied after matching, shown in pairs.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from slr.dedupe import deduplicate, load_overrides
from slr.dedupe.overrides import check_known
from slr.errors import InputError

from .conftest import pair_row, rec

PAPER = {
    "authors": ["Jacobsen, N.B."],
    "year": 2006,
    "journal": "Journal of Industrial Ecology",
    "volume": "10",
    "pages": "239-255",
}
TITLE = "Industrial symbiosis in Kalundborg, Denmark: a quantitative assessment"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dedup_overrides.csv"
    path.write_text(text, encoding="utf-8")
    return path


def records():
    return [
        rec("2-s2.0-a", TITLE, **PAPER),
        rec("WOS:b", TITLE.upper(), **PAPER),
        rec("h:c", TITLE + " of economic and environmental aspects", **PAPER),
        rec("h:d", "Eco-industrial park development in Kalundborg", authors=["Jacobsen, N.B."], year=2006),
    ]


def test_overrides_are_read(tmp_path):
    path = write(tmp_path, "record_id_a,record_id_b,decision,note\n2-s2.0-a,h:d,Same,checked the PDFs\n")
    (o,) = load_overrides(path)
    assert (o.record_id_a, o.record_id_b, o.decision, o.note, o.line) == (
        "2-s2.0-a",
        "h:d",
        "same",
        "checked the PDFs",
        2,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("a,b,decision\n", "missing column(s) record_id_a, record_id_b"),
        ("record_id_a,record_id_b,decision,note\nx,y,maybe,\n", "line 2: decision 'maybe'"),
        ("record_id_a,record_id_b,decision,note\nx,x,same,\n", "line 2: both record ids are x"),
        ("record_id_a,record_id_b,decision,note\nx,,same,\n", "line 2: a record id is empty"),
        (
            "record_id_a,record_id_b,decision,note\nx,y,same,\ny,x,different,\n",
            "lines 2 and 3: x / y decided both ways",
        ),
        ("record_id_a,record_id_b,decision,note\nx,y,same,\ny,x,same,\n", "lines 2 and 3: x / y decided twice"),
    ],
)
def test_malformed_overrides_are_refused_with_the_line(tmp_path, text, message):
    with pytest.raises(InputError) as err:
        load_overrides(write(tmp_path, text))
    assert message in err.value.message()
    assert "dedup_overrides.csv" in err.value.message()


def test_unknown_record_ids_are_listed_each_with_its_line(tmp_path):
    path = write(
        tmp_path,
        "record_id_a,record_id_b,decision,note\n2-s2.0-a,WOS:gone,same,\nh:c,h:d,different,\nnope,h:d,same,\n",
    )
    with pytest.raises(InputError) as err:
        check_known(load_overrides(path), {r["record_id"] for r in records()})
    text = err.value.message()
    assert "line 2: WOS:gone" in text and "line 4: nope" in text and "line 3" not in text
    assert text.startswith(f"{path}:2:")


def test_same_joins_records_the_matcher_kept_apart(tmp_path):
    result = deduplicate(records())
    assert not any("h:d" in w["members"] and "2-s2.0-a" in w["members"] for w in result.works)
    overrides = load_overrides(write(tmp_path, "record_id_a,record_id_b,decision,note\nh:d,2-s2.0-a,same,one paper\n"))
    result = deduplicate(records(), overrides=overrides)
    assert len(result.works) == 1
    row = pair_row(result, "2-s2.0-a", "h:d")
    assert row["decision"] == "override_same" and row["rule"] == "override" and "one paper" in row["note"]


def test_different_splits_a_matched_pair(tmp_path):
    assert len(deduplicate(records()[:2]).works) == 1
    overrides = load_overrides(write(tmp_path, "record_id_a,record_id_b,decision,note\nWOS:b,2-s2.0-a,different,\n"))
    result = deduplicate(records()[:2], overrides=overrides)
    assert len(result.works) == 2
    row = pair_row(result, "2-s2.0-a", "WOS:b")
    assert row["decision"] == "override_different" and row["score"] is not None  # the evidence is still shown


def test_different_splits_records_joined_only_through_others(tmp_path):
    # a-b and b-c match; a and c are declared different: the weaker of the two links gives way
    base = records()[:3]
    assert len(deduplicate(base).works) == 1
    overrides = load_overrides(write(tmp_path, "record_id_a,record_id_b,decision,note\n2-s2.0-a,h:c,different,\n"))
    result = deduplicate(base, overrides=overrides)
    works = [set(w["members"].split("; ")) for w in result.works]
    assert not any({"2-s2.0-a", "h:c"} <= w for w in works)
    assert {"2-s2.0-a", "WOS:b"} in works  # the strongest match (identical titles) is kept
    refused = pair_row(result, "WOS:b", "h:c")
    assert refused["decision"] == "override_different" and "declared different" in refused["note"]


def test_same_decisions_contradicting_a_different_decision_stop_the_run(tmp_path):
    overrides = load_overrides(
        write(
            tmp_path,
            "record_id_a,record_id_b,decision,note\n2-s2.0-a,h:d,same,\nh:d,h:c,same,\n2-s2.0-a,h:c,different,\n",
        )
    )
    with pytest.raises(InputError) as err:
        deduplicate(records(), overrides=overrides)
    assert "line 4" in err.value.message()


def test_a_same_override_may_join_different_dois_and_says_so(tmp_path):
    a = rec("2-s2.0-a", TITLE, doi="10.1000/one", **PAPER)
    b = rec("WOS:b", TITLE, doi="10.1000/two", **PAPER)
    assert len(deduplicate([a, b]).works) == 2
    overrides = load_overrides(write(tmp_path, "record_id_a,record_id_b,decision,note\n2-s2.0-a,WOS:b,same,\n"))
    result = deduplicate([a, b], overrides=overrides)
    assert len(result.works) == 1
    assert (
        "different DOIs (10.1000/one, 10.1000/two) joined by the override"
        in pair_row(result, "2-s2.0-a", "WOS:b")["note"]
    )
