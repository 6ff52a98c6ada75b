"""The review's configuration, for the interactive commands (``slr audit``, ``slr trace``).

Pipeline steps never read the config: Snakemake rules pass what a step needs on the
command line. The audit and trace read it to know the searches, code files and
expected counts. It is validated against ``workflow/schemas/config.schema.yaml``
(found beside the config's project) when that schema is there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from slr.errors import InputError

SCHEMA = Path("workflow/schemas/config.schema.yaml")


def load_config(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(p, "no such config file", "run from the project folder or pass --config") from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise InputError(p, f"cannot read the config ({exc})", "save it as UTF-8 YAML") from None
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            p,
            f"not valid YAML ({getattr(exc, 'problem', exc)})",
            "fix the YAML syntax",
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(config, dict):
        raise InputError(p, "the config is not a mapping of sections", "see config/config.yaml in the project")
    schema_path = _schema_for(p)
    if schema_path is not None:
        schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(config))
        if error is not None:
            key = ".".join(str(k) for k in error.absolute_path) or "(top level)"
            raise InputError(p, f"config key {key}: {error.message}", f"see {schema_path}")
    return config


def _schema_for(config_path: Path) -> Path | None:
    for root in (config_path.resolve().parent.parent, Path.cwd()):
        candidate = root / SCHEMA
        if candidate.is_file():
            return candidate
    return None


def section(config: dict[str, Any], *keys: str) -> Any:
    """A nested config value, or None when any level is missing."""
    value: Any = config
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value
