"""The review's configuration, for the interactive commands (``slr audit``, ``slr trace``).

Pipeline steps never read the config: Snakemake rules pass what a step needs on the
command line. The audit and trace read it to know the searches, code files and
expected counts. It is validated against ``workflow/schemas/config.schema.yaml``
(the project's own, found beside the config; else the copy inside the package).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from slr.errors import InputError
from slr.yamlfile import read_yaml, validate

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
