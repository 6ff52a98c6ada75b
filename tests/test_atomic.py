import os

import pytest

from slr.atomic import outputs


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
