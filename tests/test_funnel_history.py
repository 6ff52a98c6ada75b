"""The funnels kept between runs and the audit's "Changes since the last run"."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from review_fixture import FUNNEL_ARGS, apply_screening, build

from slr import funnel_history as fh
from slr.errors import InputError
from slr.funnel import Stage

T0 = datetime(2017, 2, 1, 9, 30, tzinfo=UTC)


def snap(screened: set[str], to_screen: int = 0, extra: list[Stage] | None = None) -> fh.Snapshot:
    stages = [
        Stage("identified_refined_scopus", 5),
        Stage("refined_unique", 3 + to_screen, members={"Wa", "Wb", "Wc"} | {f"Wn{i}" for i in range(to_screen)}),
        Stage(
            "screened_included",
            len(screened),
            reasons={"not relevant_to_is": 3 - len(screened), **({"to_screen": to_screen} if to_screen else {})},
            members=set(screened),
        ),
        Stage("coded", None),
        *(extra or []),
    ]
    titles = {"Wa": "Anchor tenants", "Wb": "By-product synergy", "Wc": "Cement", "Wn0": "New work"}
    return fh.Snapshot(stages, titles)


def test_first_run_has_no_previous_and_the_second_lists_the_changes(tmp_path):
    history = tmp_path / "funnel_history"
    first = snap({"Wa", "Wb"})
    assert fh.previous(history, first) is None  # no history at all
    fh.record(history, first, now=T0)
    assert fh.previous(history, snap({"Wa", "Wb"})) is None  # the first run itself

    second = snap({"Wa"}, to_screen=1, extra=[Stage("identified_refined_other", 2)])
    # not recorded yet (results changed, `slr funnel` not run): compared with the newest funnel
    assert fh.previous(history, second).label == "20170201T093000.000000Z"
    fh.record(history, second, now=T0 + timedelta(days=30))
    before = fh.previous(history, second)
    assert before is not None and before.when() == "2017-02-01 09:30:00 UTC"
    assert second.when() == "2017-03-03 09:30:00 UTC"

    changes = {c.stage: c for c in fh.diff(before, second)}
    assert not changes["identified_refined_scopus"].changed
    assert fh.describe(changes["identified_refined_other"]) == "identified_refined_other: new stage -> 2"
    unique = changes["refined_unique"]
    assert fh.describe(unique) == "refined_unique: 3 -> 4 (+1)" and unique.entered == ["Wn0"] and unique.left == []
    screened = changes["screened_included"]
    assert fh.describe(screened) == "screened_included: 2 -> 1 (-1)"
    assert screened.left == ["Wb"] and screened.entered == []
    assert screened.reasons == [("not relevant_to_is", 1, 2), ("to_screen", 0, 1)]
    assert fh.describe(changes["coded"]) == "coded: pending -> pending" and not changes["coded"].changed

    # An unchanged third run: compared with the second, nothing changed; only two funnels are kept.
    fh.record(history, snap({"Wa"}, to_screen=1, extra=[Stage("identified_refined_other", 2)]), now=T0)
    kept = fh.snapshots(history)
    assert len(kept) == fh.KEEP and kept[1].name == "20170303T093000.000000Z"
    assert kept[0].name > kept[1].name  # a clock set back still makes a newer snapshot
    third = fh.read(kept[0])
    assert not any(c.changed for c in fh.diff(fh.previous(history, third), third))


def test_same_count_other_works_and_stages_that_disappear():
    old = fh.Snapshot([Stage("refined_unique", 2, members={"Wa", "Wb"}), Stage("pilot_sample", 1, members={"Wa"})])
    new = fh.Snapshot([Stage("refined_unique", 2, members={"Wa", "Wc"})])
    changes = fh.diff(old, new)
    assert [fh.describe(c) for c in changes] == [
        "refined_unique: 2 -> 2 (same count, other works)",
        "pilot_sample: 1 -> stage gone",
    ]


def test_a_snapshot_reads_back_as_written(tmp_path):
    history = tmp_path / "h"
    original = snap({"Wa"}, to_screen=1)
    path = fh.record(history, original, now=T0)
    back = fh.read(path)
    assert back.same_as(original) and back.titles == {
        "Wa": "Anchor tenants",
        "Wb": "By-product synergy",
        "Wc": "Cement",
        "Wn0": "New work",
    }
    with open(path / fh.MEMBERS_FILE, encoding="utf-8", newline="") as fh_:
        rows = list(csv.DictReader(fh_))
    assert {r["work_id"]: r["stages"] for r in rows}["Wa"] == "refined_unique; screened_included"


def test_a_damaged_snapshot_is_an_input_error_naming_the_file(tmp_path):
    path = fh.record(tmp_path / "h", snap({"Wa"}), now=T0)
    (path / fh.MEMBERS_FILE).write_text("work_id,title,stages\nWa,x,no_such_stage\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        fh.read(path)
    assert str(path / fh.MEMBERS_FILE) in err.value.message() and "no_such_stage" in err.value.message()


def test_a_killed_runs_temporary_folder_is_removed_a_live_ones_kept(tmp_path):
    history = tmp_path / "h"
    history.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = socket.gethostname()
    stale = history / f".snapshot.{gone.pid}@{host}.abc123"
    live = history / f".snapshot.{os.getppid()}@{host}.def456"
    other_host = history / f".snapshot.{gone.pid}@not-{host}.ghi789"
    for folder in (stale, live, other_host):
        folder.mkdir()
    fh.record(history, snap({"Wa"}), now=T0)
    assert not stale.exists() and live.exists() and other_host.exists()


def audit_changes(slr, root) -> str:
    done = slr("audit", cwd=root)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    start = text.index("== Changes since the last run")
    return text[start : text.index("\n== ", start + 1)]


def test_slr_funnel_keeps_the_history_the_audit_reads(tmp_path, slr):
    root = build(tmp_path)
    apply_screening(slr, root)
    args = [*FUNNEL_ARGS, "--history", "results/funnel_history"]
    assert slr(*args, cwd=root).returncode == 0
    assert "no previous run to compare with: this is the first run" in audit_changes(slr, root)

    # The researcher turns Wa02 into a quantitative study: it leaves the screened-in set and the
    # later stages (see tests/review_fixture.py for the counts).
    codes = root / "data/coded/abstract_screening.csv"
    codes.write_text(codes.read_text(encoding="utf-8").replace("Wa02,,Y,1,FALSE", "Wa02,,Y,1,TRUE"), encoding="utf-8")
    apply_screening(slr, root)
    # Before `slr funnel` runs again the audit compares the results with the newest kept funnel.
    pending = audit_changes(slr, root)
    assert "screened_included: 3 -> 2 (-1)" in pending and "this run: not recorded" in pending
    assert slr(*args, cwd=root).returncode == 0
    changes = audit_changes(slr, root)
    assert "this run: not recorded" not in changes
    assert "screened_included: 3 -> 2 (-1)\n    left (1):\n      Wa02 'Industrial symbiosis in Kalundborg'" in changes
    assert "    reasons: quantitative_assessment 1 -> 2" in changes
    assert "fulltext_retrieved: 2 -> 1 (-1)" in changes
    # Wa02 was read and had no mention; now it is not retrieved at all: same count, other reason.
    assert "anchor_included: 1 -> 1\n    reasons: no_anchor_mention 1 -> 0" in changes
    unchanged = changes.split("unchanged: ")[1].strip().split(", ")
    assert "identified_broad_scopus" in unchanged and "coded" in unchanged and "anchor_included" not in unchanged

    # Damaged history: the audit says so, and still passes its other checks.
    newest = fh.snapshots(root / "results/funnel_history")[0]
    (newest / fh.FUNNEL_FILE).write_text("stage,count,expected\nbroad_unique,many,\n", encoding="utf-8")
    assert "the kept funnel cannot be read" in audit_changes(slr, root)


def test_the_report_shows_the_last_runs_changes(tmp_path):
    from slr import report

    results = tmp_path / "results"
    history = results / "funnel_history"
    fh.record(history, snap({"Wa", "Wb"}), now=T0)
    page = report.build(results, "A review")
    assert "Changes since the last run" in page and "there is no previous run to compare with" in page
    fh.record(history, snap({"Wa"}, to_screen=1), now=T0 + timedelta(days=1))
    page = report.build(results, "A review")
    section = page[
        page.index('<section id="changes">') : page.index("</section>", page.index('<section id="changes">'))
    ]
    assert "Run of 2017-02-02 09:30:00 UTC against the run of 2017-02-01 09:30:00 UTC." in section
    cells = ["<td>screened_included</td><td>2</td><td>1</td><td></td><td>Wb</td>",
             "<td>not relevant_to_is 1 -&gt; 2; to_screen 0 -&gt; 1</td>"]  # fmt: skip
    assert all(cell in section for cell in cells)
    assert "<td>refined_unique</td><td>3</td><td>4</td><td>Wn0</td>" in section
    assert "identified_refined_scopus" not in section  # unchanged stages are not shown
