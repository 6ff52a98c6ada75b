"""`slr audit` on the hand-made review: strict passes when everything adds up, and each kind
of mismatch is listed and fails --strict."""

from __future__ import annotations

import yaml
from review_fixture import apply_screening, build, write_csv

from slr.records import make_record, read_records, write_records


def audited(slr, root, *args):
    return slr("audit", *args, cwd=root)


def built(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    return root


def test_strict_passes_when_everything_adds_up(slr, tmp_path):
    root = built(slr, tmp_path)
    result = audited(slr, root, "--strict", "-o", "results/audit.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "audit: every check passed" in result.stdout
    assert "ok: broad/scopus.csv [scopus]: 6 records = reported hits" in result.stdout
    assert "ok: refined_unique 6 = screened_included 3 + quantitative_assessment 1 + not empirical 1" in result.stdout
    assert (root / "results/audit.txt").read_text(encoding="utf-8") == result.stdout


def _set_config(root, **changes):
    path = root / "config/config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node = config
        *parents, last = dotted.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    path.write_text(yaml.safe_dump(config), encoding="utf-8")


def test_mismatch_shows_difference_and_strict_exits_1(slr, tmp_path):
    root = built(slr, tmp_path)
    _set_config(root, expected__screened_included=257)
    loose = audited(slr, root)
    assert loose.returncode == 0
    line = next(x for x in loose.stdout.splitlines() if x.startswith("screened_included"))
    assert line.split()[:4] == ["screened_included", "3", "257", "-254"] and "MISMATCH" in line
    strict = audited(slr, root, "--strict")
    assert strict.returncode == 1
    assert "MISMATCH: screened_included is 3, expected 257 (-254)" in strict.stdout
    assert strict.stderr.strip().startswith("error: the audit found 1 mismatch")


def test_pending_stage_with_an_expected_count_fails_strict(slr, tmp_path):
    root = built(slr, tmp_path)
    (root / "results/fulltext/hits.csv").unlink()
    result = audited(slr, root, "--strict")
    assert result.returncode == 1
    assert "anchor_included is pending" in result.stdout
    row = next(x for x in result.stdout.splitlines() if x.startswith("anchor_included"))
    assert "pending" in row


def test_search_yaml_checks(slr, tmp_path):
    root = built(slr, tmp_path)
    sidecar_path = root / "data/raw/broad/search.yaml"
    sidecar = yaml.safe_load(sidecar_path.read_text(encoding="utf-8"))
    sidecar["exports"][0]["reported_hits"] = 9  # scopus.csv has 6: truncated download
    sidecar["exports"].append({"file": "scopus_part2.csv", "database": "scopus", "reported_hits": 3})
    sidecar_path.write_text(yaml.safe_dump(sidecar), encoding="utf-8")
    (root / "data/raw/broad/extra.ris").write_text("TY  - JOUR\nER  - \n", encoding="utf-8")
    # A 2016 paper and a conference paper in the WoS export.
    records_path = root / "results/records/broad/wos.txt.csv"
    records = read_records(records_path)
    records[1]["year"] = 2016
    records[2]["doc_type"] = "Proceedings Paper"
    records.append(
        make_record(
            record_id="WOS:009",
            database="wos",
            search="broad",
            source_file="wos.txt",
            source_line=40,
            title="Late",
            year=2015,
            doc_type="Article; Early Access",
        )
    )
    write_records(records, records_path)
    result = audited(slr, root, "--strict")
    out = result.stdout
    assert result.returncode == 1
    assert "broad/scopus.csv: 6 records but the database reported 9 (a truncated download" in out
    assert "export scopus_part2.csv is listed but missing" in out
    assert "data/raw/broad/extra.ris: export not described" in out
    assert "broad/wos.txt: 5 records but the database reported 4" in out
    assert "broad/wos.txt: 2 record(s) outside the stated limits" in out
    assert f"{records[1]['source_file']}:3 WOS:003: year 2016 is excluded" in out
    assert "WOS:004: document type 'Proceedings Paper' is not Article" in out
    assert "WOS:009" not in out  # "Article; Early Access" is an article


def test_bad_search_yaml_is_an_input_error(slr, tmp_path):
    root = built(slr, tmp_path)
    (root / "data/raw/refined/search.yaml").write_text("search: broad\nexports: []\n", encoding="utf-8")
    result = audited(slr, root)
    assert result.returncode == 2 and result.stderr.startswith("error: data/raw/refined/search.yaml")


def test_subset_pilot_and_decision_problems_are_listed_not_raised(slr, tmp_path):
    root = built(slr, tmp_path)
    works = (root / "results/works.csv").read_text(encoding="utf-8")
    (root / "results/works.csv").write_text(
        works.replace("scopus,broad; refined,1,2-s2.0-008", "scopus,refined,1,2-s2.0-008"), encoding="utf-8"
    )
    write_csv(
        root / "data/coded/pilot.csv",
        ["work_id", "governance_relevant", "empirical"],
        [("Wa06", "yes", "yes"), ("Wa07", "no", "yes"), ("Wa08", "yes", "no"), ("Wa01", "yes", "no")],
    )
    write_csv(
        root / "data/coded/fulltext.csv",
        ["work_id", "availability"],
        [("Wa01", "retrieved"), ("Wa02", "retrieved"), ("Wa08", "restricted_access"), ("Wzz", "language")],
    )
    result = audited(slr, root, "--strict")
    out = result.stdout
    assert result.returncode == 1
    assert "MISMATCH: 1 of 6 works of the refined search are not in the broad search" in out
    assert "Wa08 '=HYPERLINK" in out
    assert "the frozen pilot sample has 4 works, the config says size 3" in out
    assert "1 pilot work(s) are not in the broad search" in out
    assert "data/coded/fulltext.csv:5: this decision matches no work (work_id Wzz)" in out


def test_works_left_to_screen_fail_strict(slr, tmp_path):
    root = build(tmp_path)
    write_csv(
        root / "data/coded/abstract_screening.csv",
        ["work_id", "relevant_to_is", "empirical", "quantitative_assessment"],
        [("Wa01", "yes", "yes", "no")],
    )
    apply_screening(slr, root)
    result = audited(slr, root, "--strict")
    assert result.returncode == 1
    assert "5 work(s) still to screen in the abstract screening" in result.stdout
    assert "screened_included is 1, expected 3" in result.stdout
    assert "    to_screen: 5" in result.stdout


def test_tables_comparison_section(slr, tmp_path):
    root = built(slr, tmp_path)
    comparison = root / "results/tables/comparison.csv"
    write_csv(
        comparison,
        ["id", "kind", "table", "row", "item", "detail", "accepted", "anomaly"],
        [
            (
                "table1/count/power-plant",
                "count",
                "table1",
                "Power plant",
                "",
                "17 published, 16 computed",
                "yes",
                "Table 1 counts a study twice",
            ),
            ("tableA1/missing/x", "missing", "tableA1", "x", "Lowe 1997", "not in the computed table", "no", ""),
        ],
    )
    result = audited(slr, root, "--strict")
    assert result.returncode == 1
    assert "accepted: table1/count/power-plant (Table 1 counts a study twice)" in result.stdout
    assert "MISMATCH: tableA1/missing/x: not in the computed table" in result.stdout
    write_csv(
        comparison,
        ["id", "kind", "table", "row", "item", "detail", "accepted", "anomaly"],
        [("table1/count/power-plant", "count", "table1", "", "", "", "yes", "known")],
    )
    result = audited(slr, root, "--strict")
    assert result.returncode == 0 and "ok: the only differences are 1 accepted anomalies" in result.stdout
