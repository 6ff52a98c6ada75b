"""A run killed outright while PDFs are being extracted leaves no half-written result that a
later run would trust, and the plain command (`snakemake --cores 2`) then finishes it with the
same results as a run that was never interrupted.

The kill is SIGKILL to Snakemake's whole process group: no process gets to clean up, as after a
power cut or a cluster's hard time limit."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from slr.fulltext.batches import pdf_names, plan_batches

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def copy_project(root: Path) -> Path:
    """The repository's workflow, config, profile and shipped data, nothing else."""
    root.mkdir()
    shutil.copy(REPO / "Snakefile", root / "Snakefile")
    for name in ("workflow", "config", "data", "profiles"):
        shutil.copytree(REPO / name, root / name)
    return root


def snakemake(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "snakemake"), "--cores", "2"], cwd=root, env=ENV, capture_output=True, text=True)


def kill_during_extraction(root: Path) -> tuple[str, set[str]]:
    """Start the workflow and SIGKILL its process group once an extraction job is running and a
    few batches are done. Returns the running batch and the batches done at that moment."""
    log = open(root / "killed-run.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(BIN / "snakemake"), "--cores", "2"], cwd=root, env=ENV, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    logs, batches = root / "logs" / "fulltext" / "extract", root / "results" / "fulltext" / "batches"
    deadline = time.monotonic() + 300
    try:
        while True:
            assert proc.poll() is None, "the workflow ended before it could be killed"
            assert time.monotonic() < deadline, "no extraction job started"
            done = {p.stem for p in batches.glob("*.csv")} if batches.is_dir() else set()
            started = sorted(p.stem for p in logs.glob("*.log") if p.stem not in done) if logs.is_dir() else []
            # running = started (its log is open) and registered by Snakemake (marked incomplete)
            marked = set(incomplete_markers(root)) if started else set()
            running = [b for b in started if f"results/fulltext/batches/{b}.csv" in marked]
            if running and len(done) >= 2:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait()
    finally:
        log.close()
    return running[0], done


def incomplete_markers(root: Path) -> list[str]:
    """The outputs Snakemake marked incomplete (its ``.snakemake/incomplete/`` records: the output
    path in URL-safe base64, long names split into folders starting with ``@``)."""
    base = root / ".snakemake" / "incomplete"
    out = []
    for path in base.rglob("*") if base.is_dir() else []:
        if path.is_file() and path.name != "migration_underway":
            parts = path.relative_to(base).parts
            encoded = "".join(p.removeprefix("@") for p in parts)
            out.append(base64.urlsafe_b64decode(encoded).decode())
    return out


def check_whole(root: Path, batch_plan: dict[str, list[str]]) -> list[Path]:
    """Every result file present is whole; returns the temporaries (hidden ``.part`` files)."""
    results = root / "results"
    temporaries = []
    for path in sorted(results.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(results)
        if any(part.startswith(".") for part in rel.parts):
            assert path.name.endswith(".part") or ".snapshot." in str(rel), f"hidden file that is no temporary: {rel}"
            temporaries.append(path)
            continue
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            assert text.endswith("\n"), f"{rel} is cut short"
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert rows and all(len(r) == len(rows[0]) for r in rows), f"{rel} has a short row"
        elif path.suffix == ".json":  # the text cache: a sidecar and the text it describes
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved["has_text"]:
                text = path.with_suffix(".txt").read_text(encoding="utf-8")
                assert len(text) - (saved["pages"] - 1) == saved["chars"], f"{rel}: its text is not whole"
    for manifest in (results / "fulltext" / "batches").glob("*.csv"):
        with open(manifest, encoding="utf-8", newline="") as fh:
            listed = sorted(r["file"] for r in csv.DictReader(fh))
        assert listed == sorted(batch_plan[manifest.stem]), f"{manifest.name} does not list its batch"
    return temporaries


def results_content(root: Path) -> dict[str, object]:
    """Every result file by path: bytes, or the cell values for workbooks (openpyxl stamps the time
    of writing into the file). The kept funnels are named by the time of the run, and are left out."""
    out: dict[str, object] = {}
    results = root / "results"
    for path in sorted(results.rglob("*")):
        rel = path.relative_to(results).as_posix()
        if not path.is_file() or rel.startswith("funnel_history/"):
            continue
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            out[rel] = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
        else:
            out[rel] = path.read_bytes()
    return out


@pytest.mark.slow
def test_a_killed_run_leaves_nothing_half_written_and_the_next_run_finishes_it(tmp_path):
    import yaml

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    plan = plan_batches(pdf_names(REPO / config["fulltext"]["pdf_dir"]), config["fulltext"]["batch_size"])

    killed = copy_project(tmp_path / "killed")
    running, done = kill_during_extraction(killed)

    # Nothing half-written: every result is whole, temporaries are hidden .part files.
    temporaries = check_whole(killed, plan)
    batches = killed / "results" / "fulltext" / "batches"
    assert not (batches / f"{running}.csv").exists() and all((batches / f"{b}.csv").exists() for b in done)
    # Snakemake marked the killed jobs' outputs incomplete. A job killed while it ran left no output;
    # one that had just finished (outputs renamed into place, Snakemake not yet told) left whole
    # outputs - checked above - that the next run still makes again rather than trust.
    marked = incomplete_markers(killed)
    assert f"results/fulltext/batches/{running}.csv" in marked
    finished = {m: (killed / m).stat().st_mtime_ns for m in marked if (killed / m).exists()}
    assert list((killed / ".snakemake" / "locks").glob("*.lock")), "the killed run's lock is left behind"

    # The plain command finishes the review: the dead run's lock is released, its jobs run again.
    resumed = snakemake(killed)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "Released the lock of a killed run" in resumed.stderr
    for path in temporaries:
        assert not path.exists(), f"{path} left by the killed run was not removed"
    assert not [p for p in (killed / "results").rglob("*.part")]
    assert not [m for m, mtime in finished.items() if (killed / m).stat().st_mtime_ns == mtime]
    assert not incomplete_markers(killed)

    reference = copy_project(tmp_path / "reference")
    uninterrupted = snakemake(reference)
    assert uninterrupted.returncode == 0, uninterrupted.stderr[-3000:]
    got, expected = results_content(killed), results_content(reference)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []
    with open(killed / "results" / "funnel.csv", encoding="utf-8", newline="") as fh:
        funnel = {r["stage"]: r for r in csv.DictReader(fh)}
    assert all(r["count"] == r["expected"] for r in funnel.values() if r["expected"])  # the paper's counts
