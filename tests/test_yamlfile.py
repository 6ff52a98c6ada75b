"""slr.yamlfile: every problem in a YAML file a researcher edits is an InputError with its line."""

from __future__ import annotations

import pytest

from slr.errors import InputError
from slr.yamlfile import read_yaml, validate

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    },
}


def _read(tmp_path, data: bytes | str):
    path = tmp_path / "f.yaml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return read_yaml(path, what="the file", fix="see the docs")


def test_lines_of_keys_and_items(tmp_path):
    doc = _read(tmp_path, "# comment\nname: x\nitems:\n  - n: 1\n  - n: 2\n")
    assert doc.data == {"name": "x", "items": [{"n": 1}, {"n": 2}]}
    assert doc.line(["name"]) == 2 and doc.line(["items", 1]) == 5 and doc.line(["items", 1, "n"]) == 5
    assert doc.line(["items", 1, "missing"]) == 5  # nearest parent


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("items:\n  - n: 1\n  - n: two\n", 3, r"items\.1\.n: 'two' is not of type 'integer'"),
        ("name: x\nnmae: y\n", 2, r"nmae: unknown key 'nmae' \(allowed here: items, name\)"),
    ],
)
def test_schema_errors_name_the_line(tmp_path, text, line, message):
    doc = _read(tmp_path, text)
    with pytest.raises(InputError, match=message) as err:
        validate(doc, SCHEMA, "see the docs")
    assert err.value.line == line


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "the file is empty"),
        (b"- a\n- b\n", 1, "not a mapping"),
        (b"name: x\nitems: []\nname: y\n", 3, r"the key 'name' appears twice in one section \(first at line 1\)"),
        (b"name: x\nother: Ferr\xe3o\n", 2, r"not UTF-8 text \(byte 0xe3 here\)"),
        ("name: x\n".encode("utf-16-le"), 1, "NUL bytes"),
        (b"name: x\nother: a\x07b\n", 2, "control character"),
        (b"name: x\n\titems: []\n", 2, "not valid YAML"),
    ],
)
def test_bad_files(tmp_path, data, line, message):
    with pytest.raises(InputError, match=message) as err:
        _read(tmp_path, data)
    assert err.value.line == line and err.value.fix


def test_a_folder_or_missing_file(tmp_path):
    with pytest.raises(InputError, match="folder"):
        read_yaml(tmp_path, what="the file", fix="")
    with pytest.raises(InputError, match="no such file"):
        read_yaml(tmp_path / "nope.yaml", what="the file", fix="")
