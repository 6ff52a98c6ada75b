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


def test_nesting_and_alias_expansion_are_bounded(tmp_path):
    deep = "a: 1\nb: " + "[" * 5000 + "]" * 5000 + "\n"  # past PyYAML's recursion
    with pytest.raises(InputError, match="nested more than 64 levels deep") as err:
        _read(tmp_path, deep)
    assert err.value.line == 2
    block = "a: 1\nb:\n" + "".join("  " * i + "-\n" for i in range(1, 70))  # composable, but absurd
    with pytest.raises(InputError, match="nested more than 64 levels deep") as err:
        _read(tmp_path, block)
    assert err.value.line == 67  # line 2 + k starts the value at depth k: depth 65 is line 67
    bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 7)
    )  # l6 alone stands for 10 million values
    with pytest.raises(InputError, match=r"'l6' stands for more than 200,000 values") as err:
        _read(tmp_path, bomb)
    assert err.value.line == 7
    shared = "base: &b {n: 1}\nitems: [*b, *b, *b]\n"  # ordinary aliases are fine
    assert _read(tmp_path, shared).data["items"] == [{"n": 1}] * 3


def test_config_outside_a_project_is_still_validated(tmp_path, monkeypatch):
    """No workflow/schemas beside the config and none in the working folder: the packaged schema is used."""
    from slr.config import load_config

    monkeypatch.chdir(tmp_path)
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "config.yaml"
    path.write_text("searches:\n  broad: {dir: data/raw/broad}\nunknown_key: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown_key"):
        load_config(path)
