import os

import pytest

from slr.atomic import outputs
from slr.errors import UsageError


def test_outputs_appear_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "sub" / "a.csv"
    with outputs() as out:
        out.path(target).write_text("x")
        assert not target.exists()
    assert target.read_text() == "x"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_failure_leaves_previous_output_and_no_temporaries(tmp_path):
    target = tmp_path / "a.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), outputs() as out:
        out.path(target).write_text("half")
        out.path(tmp_path / "b.csv").write_text("other")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert not (tmp_path / "b.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_temporaries_of_killed_processes_are_removed_by_the_next_write(tmp_path):
    import socket
    import subprocess
    import sys

    from slr import atomic

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = socket.gethostname()
    stale = tmp_path / f".a.csv.{gone.pid}@{host}.k2j4h5_x.part"  # left by a SIGKILLed command
    live = tmp_path / f".a.csv.{os.getppid()}@{host}.abcdefgh.part"  # being written right now
    elsewhere = tmp_path / f".a.csv.{gone.pid}@other-{host}.abcdefgh.part"  # another host's (shared disk)
    tricky = tmp_path / f".b.{gone.pid}@{host}.csv"  # a result whose name merely looks like one
    for p in (stale, live, elsewhere, tricky):
        p.write_text("half")
    atomic._CLEANED.discard(tmp_path.resolve())
    with outputs() as out:
        written = out.path(tmp_path / "c.csv")
        assert written.name.startswith(f".c.csv.{os.getpid()}@{host}.") and written.name.endswith(".part")
        written.write_text("whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["c.csv", live.name, elsewhere.name, tricky.name])


def test_output_named_as_a_folder_is_a_usage_error_and_leaves_nothing(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    with pytest.raises(UsageError, match="is a folder"), outputs() as out:
        out.path(folder)
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(UsageError, match="part of its folder path is a file"), outputs() as out:
        out.path(tmp_path / "a_file" / "x.csv")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a_file", "results"]
