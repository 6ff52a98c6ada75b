"""YAML files a researcher edits (config, search sidecars, codebook), read so that every
problem names its line.

PyYAML alone forgets where a value came from, keeps the last of two equal keys without a
word, and lets a decoding error or a NUL byte escape as a traceback. Here the document is
composed once: the data, plus the line of every mapping key and list item (by its path of
keys), so a schema error can point at the line to fix; a repeated key is an error.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from slr.errors import InputError
from slr.textio import refuse_special_file

Key = tuple[str, ...]


@dataclass
class YamlFile:
    path: Path
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, keys: Iterable[object] = ()) -> int:
        """The line of the value at ``keys`` (or of its nearest parent that has one)."""
        path = tuple(str(k) for k in keys)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _Repeated(Exception):
    def __init__(self, key: object, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated within one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if isinstance(key, Hashable) and key in seen:
                raise _Repeated(key, line, seen[key])
            if isinstance(key, Hashable):
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


MAX_VALUES = 200_000  # keys and items, aliases expanded: far above any real config or codebook
MAX_DEPTH = 64  # levels of nesting; a real config or codebook has fewer than ten


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    pass


def _index(node: yaml.Node, prefix: Key, lines: dict[Key, int]) -> None:
    """The line of every key and item by its path. Aliases (``*name``) are followed, so a few
    lines that nest aliases could stand for billions of values: past MAX_VALUES we stop."""
    stack: list[tuple[yaml.Node, Key]] = [(node, prefix)]
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            children = [
                ((*path, str(k.value) if isinstance(k, yaml.ScalarNode) else "?"), k, v) for k, v in current.value
            ]
        elif isinstance(current, yaml.SequenceNode):
            children = [((*path, str(i)), item, item) for i, item in enumerate(current.value)]
        else:
            continue
        for key, mark_node, child in children:
            lines.setdefault(key, mark_node.start_mark.line + 1)
            if len(lines) > MAX_VALUES:
                raise _TooLarge(lines[key[:1]], key[0])  # the top-level entry that grew so large
            if len(key) > MAX_DEPTH:
                raise _TooDeep(mark_node.start_mark.line + 1)
            stack.append((child, key))


def _too_deep_at(text: str) -> int:
    """The line where nesting first goes past MAX_DEPTH, from the (non-recursive) event stream."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1 if event.start_mark is not None else 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return 1


def _decode(data: bytes, path: Path, fix: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} here)", f"save it as UTF-8; {fix}", line=line
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(
            path, "not UTF-8 text (it holds NUL bytes: UTF-16 or a binary file?)", f"save it as UTF-8; {fix}", line=line
        )
    return text


def read_yaml(path: str | Path, *, what: str, fix: str, mapping: bool = True) -> YamlFile:
    """Read a YAML file; ``what`` names it in messages (``the codebook``), ``fix`` says where its
    format is described. With ``mapping`` an empty file or a non-mapping top level is an error."""
    p = Path(path)
    refuse_special_file(p, f"name {what} itself")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, f"no such file ({what})", "check the path") from None
    except IsADirectoryError:
        raise InputError(p, "this is a folder, not a file", f"name {what} itself") from None
    except PermissionError:
        raise InputError(p, "the file cannot be read (permission denied)", "check its permissions") from None
    text = _decode(data, p, fix)
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader checks every character here
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except _Repeated as exc:
        raise InputError(
            p,
            f"the key {exc.key!r} appears twice in one section (first at line {exc.first})",
            "merge the two into one; YAML would otherwise keep only the last",
            line=exc.line,
        ) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(p, exc, text) from None
    except RecursionError:  # PyYAML composes nested collections recursively; its parser is not
        raise InputError(
            p,
            f"lists or mappings nested more than {MAX_DEPTH} levels deep",
            "write the file with ordinary nesting",
            line=_too_deep_at(text),
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[Key, int] = {}
    if node is not None:
        lines[()] = node.start_mark.line + 1
        try:
            _index(node, (), lines)
        except _TooLarge as exc:
            raise InputError(
                p,
                f"{exc.args[1]!r} stands for more than {MAX_VALUES:,} values once its aliases (*name) are expanded",
                "write the values out instead of nesting aliases",
                line=exc.args[0],
            ) from None
        except _TooDeep as exc:
            raise InputError(
                p,
                f"lists or mappings nested more than {MAX_DEPTH} levels deep",
                "write the file with ordinary nesting",
                line=exc.args[0],
            ) from None
    if mapping and value is None:
        raise InputError(p, f"{what} is empty", fix, line=1)
    if mapping and not isinstance(value, dict):
        raise InputError(p, f"{what} is not a mapping of keys to values", fix, line=lines.get((), 1))
    return YamlFile(p, value, lines)


def _syntax_error(path: Path, exc: yaml.YAMLError, text: str) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, yaml.reader.ReaderError):  # a control character; its position is in characters
        line = text.count("\n", 0, exc.position) + 1
        return InputError(
            path, f"not valid YAML (control character {exc.character!r})", "remove it or save the file again", line=line
        )
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        problem = f"{problem}, {context} at line {context_mark.line + 1}"
    return InputError(path, f"not valid YAML ({problem})", "fix the YAML syntax (indent with spaces)", line=line or 1)


def explain(error: jsonschema.ValidationError) -> tuple[list[Any], str]:
    """A jsonschema error in words: the keys down to what is to fix (for its line) and the text
    ``label: problem``, the label being the dotted path of the value (or of the wrong key's mapping)."""
    where = list(error.absolute_path)
    problem = error.message
    if error.validator == "pattern" and isinstance(error.schema, dict) and error.schema.get("description"):
        # the schema says in words what the pattern allows
        problem = f"{error.instance!r} is not allowed: {error.schema['description']}"
    if "propertyNames" in error.schema_path:  # a key is wrong, not its value: the line of the key
        label = ".".join(str(k) for k in where) or "(top level)"
        return [*where, error.instance], f"{label}: the key {problem}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        unknown = [k for k in error.instance if k not in allowed]
        if unknown:
            where.append(unknown[0])
            known = ", ".join(sorted(allowed))
            problem = f"unknown key {unknown[0]!r}" + (f" (allowed here: {known})" if known else "")
    label = ".".join(str(k) for k in where) or "(top level)"
    return where, f"{label}: {problem}"


def schema_error(doc: YamlFile, error: jsonschema.ValidationError, fix: str) -> InputError:
    """A jsonschema error as an InputError at the line of the offending key."""
    where, text = explain(error)
    return InputError(doc.path, text, fix, line=doc.line(where))


def first_error(data: Any, schema: dict[str, Any]) -> jsonschema.ValidationError | None:
    """The most relevant schema error of ``data``, or None."""
    error: jsonschema.ValidationError | None = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(data)
    )
    return error


def validate(doc: YamlFile, schema: dict[str, Any], fix: str) -> None:
    """Validate against a JSON schema; the most relevant error is raised with its line."""
    error = first_error(doc.data, schema)
    if error is not None:
        raise schema_error(doc, error, fix)


def line_of(doc: YamlFile | None, keys: Sequence[object]) -> int | None:
    return doc.line(keys) if doc is not None else None
