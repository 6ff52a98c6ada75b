"""Files that are not regular files, and files that cannot be read, end in a clear message or a
recorded status: never an endless read, a hang or a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slr import readers
from slr.errors import InputError
from slr.fulltext import extract as extract_module
from slr.fulltext.extract import extract_files
from slr.spreadsheet import read_sheet
from slr.yamlfile import read_yaml


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    os.mkfifo(path)  # a read would block for ever
    return path


@pytest.fixture
def endless(tmp_path: Path) -> Path:
    path = tmp_path / "codes.csv"
    path.symlink_to("/dev/zero")  # a read would never end
    return path


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_export_that_is_not_a_regular_file(kind, request):
    path = request.getfixturevalue(kind)
    with pytest.raises(InputError) as err:
        readers.load(path)
    assert err.value.path == str(path) and "not a regular file" in err.value.problem


@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_code_sheet_and_yaml_that_are_not_regular_files(kind, request):
    path = request.getfixturevalue(kind)
    with pytest.raises(InputError, match="not a regular file"):
        read_sheet(path)
    with pytest.raises(InputError, match="not a regular file"):
        read_yaml(path, what="the config", fix="see README")


def test_unreadable_pdf_is_a_recorded_status_not_a_failed_batch(tmp_path, monkeypatch):
    good, locked = tmp_path / "good.pdf", tmp_path / "locked.pdf"
    good.write_bytes(b"")  # zero bytes: not_pdf
    locked.write_bytes(b"%PDF-1.4\n")
    real_digest = extract_module.file_digest

    def digest(path: Path) -> str:
        if path.name == "locked.pdf":  # what a file without read permission gives (root reads anything)
            raise InputError(path, "cannot read the PDF (Permission denied)", "check that it is readable")
        return real_digest(path)

    monkeypatch.setattr(extract_module, "file_digest", digest)
    results = extract_files([good, locked], tmp_path / "text", timeout=30)
    assert [(r.file, r.status) for r in results] == [("good.pdf", "not_pdf"), ("locked.pdf", "broken")]
    assert "Permission denied" in results[1].message


def test_unreadable_export_gets_the_one_line_error_not_a_usage_screen(tmp_path, monkeypatch, capsys):
    from slr.cli import main

    export = tmp_path / "export.ris"
    export.write_text("TY  - JOUR\nTI  - A title\nER  - \n")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == export:  # what a file without read permission gives (root reads anything)
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # click's own readability test
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert main(["ingest", str(export), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {export}: the file cannot be read (permission denied); check its permissions"]
    assert not (tmp_path / "out.csv").exists()
