"""The review's configuration, for the interactive commands (``slr audit``, ``slr trace``)
and for the Snakefile's check of it (``WorkflowConfig``).

Pipeline steps never read the config: Snakemake rules pass what a step needs on the
command line. The audit and trace read it to know the searches, code files and
expected counts. It is validated against ``workflow/schemas/config.schema.yaml``
(the project's own, found beside the config; else the copy inside the package).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from slr.errors import InputError
from slr.yamlfile import Key, YamlFile, explain, first_error, read_yaml, validate

SCHEMA = Path("workflow/schemas/config.schema.yaml")


def load_config(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such config file", "run from the project folder or pass --config")
    doc = read_yaml(p, what="the config", fix="see config/config.yaml in the project")
    schema_path = _schema_for(p)
    schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
    validate(doc, schema, f"see {schema_path}")
    config: dict[str, Any] = doc.data
    return config


def _schema_for(config_path: Path) -> Path:
    for root in (config_path.resolve().parent.parent, Path.cwd()):
        candidate = root / SCHEMA
        if candidate.is_file():
            return candidate
    return Path(str(resources.files("slr").joinpath("schemas/config.schema.yaml")))


def section(config: dict[str, Any], *keys: str) -> Any:
    """A nested config value, or None when any level is missing."""
    value: Any = config
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


class WorkflowConfig:
    """The config as the workflow gets it, held to the rules ``slr audit --config`` applies.

    Snakemake reads config files with plain YAML (a repeated key keeps the last value without a
    word; a tab or a Latin-1 byte gives its own error) and its ``validate`` prints the whole
    config on an error (endless for nested aliases). So the Snakefile makes one of these before its
    ``configfile:`` directive: each config file Snakemake will read (``default``, the directive's
    file, unless ``--configfile`` files replace it; then ``configfiles``) is read here with
    ``slr.yamlfile``'s strict rules. After the directive, ``check`` validates the config
    Snakemake merged from them and ``--config`` (``overrides``) against the schema; an error
    names the file and line the offending value comes from (or ``--config``).
    """

    def __init__(
        self,
        default: str | Path,
        configfiles: Sequence[str | Path] = (),
        overrides: Mapping[str, Any] | None = None,
        *,
        replace: bool = False,
        schema: str | Path = SCHEMA,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.schema = Path(schema)
        default = Path(default)
        files = [Path(f) for f in configfiles]
        # As Snakemake's `configfile:` does: the default file is read when it exists; it must
        # exist unless --configfile names others; --replace-workflow-config drops it.
        read_default = default.exists() or not files
        if replace and (files or self.overrides):
            read_default = False
        self.docs: list[YamlFile] = [_read_config_file(p) for p in ([default] if read_default else []) + files]

    def check(self, merged: Mapping[str, Any]) -> None:
        """Validate the merged config against the schema; raise the most relevant error."""
        schema = yaml.safe_load(self.schema.read_text(encoding="utf-8"))
        error = first_error(dict(merged), schema)
        if error is None:
            return
        where, text = explain(error)
        fix = f"see {_shown(self.schema)}"
        source = self._source(tuple(str(k) for k in where))
        if source is None:
            raise InputError("--config", text, f"{fix} (the value was given with --config)")
        raise InputError(source.path, text, fix, line=source.line(where))

    def _source(self, keys: Key) -> YamlFile | None:
        """Where the value at ``keys`` comes from: the source that has the longest part of that
        path (the last one on a tie: it overrode the others); the first file when none has any.
        None stands for ``--config``."""
        sources: list[tuple[YamlFile | None, set[Key]]] = [(doc, set(doc.lines)) for doc in self.docs]
        if self.overrides:
            sources.append((None, _key_paths(self.overrides)))

        def depth(paths: set[Key]) -> int:
            return max(n for n in range(len(keys) + 1) if n == 0 or keys[:n] in paths)

        best = max((depth(paths) for _, paths in sources), default=0)
        if best == 0:
            return self.docs[0] if self.docs else None
        return [source for source, paths in sources if depth(paths) == best][-1]


def _read_config_file(path: Path) -> YamlFile:
    if not path.exists():
        raise InputError(
            path, "no such config file", "run Snakemake in the project folder, or name the config with --configfile"
        )
    return read_yaml(path, what="the config", fix="see config/config.yaml in the project")


def _key_paths(data: Any, prefix: Key = ()) -> set[Key]:
    """Every path of keys and list items in ``data`` (the ``--config`` values)."""
    paths = {prefix}
    if isinstance(data, Mapping):
        for key, value in data.items():
            paths |= _key_paths(value, (*prefix, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            paths |= _key_paths(value, (*prefix, str(i)))
    return paths


def _shown(path: Path) -> str:
    """A path as short as it is clear: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:  # another drive (Windows)
        return str(path)
