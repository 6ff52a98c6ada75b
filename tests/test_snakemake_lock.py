"""A killed run's Snakemake lock is released by the next run only when every recorded owner is a
dead process of this host."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import yaml

from slr import snakemake_lock
from slr.snakemake_lock import LOCKS, OWNERS, claim, release, release_stale

HOST = socket.gethostname()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def state(tmp_path, *owners: str):
    s = tmp_path / ".snakemake"
    (s / LOCKS).mkdir(parents=True)
    (s / LOCKS / "0.input.lock").write_text("data/raw/broad/scopus.csv\n")
    (s / LOCKS / "0.output.lock").write_text("results/works.csv\n")
    (s / OWNERS).mkdir()
    for owner in owners:
        (s / OWNERS / owner).write_text("")
    return s


def test_the_lock_of_a_dead_run_is_released(tmp_path):
    gone = f"{dead_pid()}@{HOST}"
    s = state(tmp_path, gone)
    assert release_stale(s) == [gone]
    assert not list((s / LOCKS).iterdir()) and not list((s / OWNERS).iterdir())


def test_a_live_unknown_or_foreign_owner_keeps_the_lock(tmp_path):
    live = f"{os.getppid()}@{HOST}"  # the test runner's parent: alive
    for owners in [(live,), (f"{dead_pid()}@{HOST}", live), (f"{dead_pid()}@other-{HOST}",), ()]:
        s = state(tmp_path / str(len(list(tmp_path.iterdir()))), *owners)
        assert release_stale(s) == []
        assert len(list((s / LOCKS).iterdir())) == 2


def test_a_run_records_itself_and_removes_the_record(tmp_path):
    s = tmp_path / ".snakemake"
    path = claim(s)
    assert path.name == f"{os.getpid()}@{HOST}" and path.is_file()
    (s / LOCKS).mkdir()
    (s / LOCKS / "0.input.lock").write_text("x\n")
    assert release_stale(s) == []  # its own lock: alive
    release(s)
    assert not path.exists()
    release(s)  # twice is fine (onerror after a failed onsuccess)


def test_the_workflow_wires_it_and_reruns_incomplete_jobs():
    from conftest import REPO

    common = (REPO / "workflow" / "rules" / "common.smk").read_text(encoding="utf-8")
    for call in ("snakemake_lock.release_stale(", "snakemake_lock.claim(", "snakemake_lock.release("):
        assert call in common
    profile = yaml.safe_load((REPO / "profiles" / "default" / "config.yaml").read_text(encoding="utf-8"))
    assert profile == {"rerun-incomplete": True}
    assert snakemake_lock.__doc__ and "profiles/default" in snakemake_lock.__doc__


def test_records_of_dead_runs_are_forgotten_once_unlocked(tmp_path):
    gone, live = f"{dead_pid()}@{HOST}", f"{os.getppid()}@{HOST}"
    s = state(tmp_path, gone, live)
    for lock in (s / LOCKS).iterdir():
        lock.unlink()  # `snakemake --unlock`
    assert release_stale(s) == []
    assert sorted(p.name for p in (s / OWNERS).iterdir()) == [live]
