"""Shared helpers: where the exports of each search are. Exports are found by
globbing data/raw/<search>/ - dropping a file there is enough."""

import shlex
from pathlib import Path

EXPORT_SUFFIXES = {".csv", ".txt", ".ris", ".bib", ".tsv", ".ciw", ".isi", ".xls", ".nbib"}


def export_files(search):
    folder = Path(config["searches"][search]["dir"])
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in EXPORT_SUFFIXES
    )


def records_of(search):
    return [f"results/records/{search}/{name}.csv" for name in export_files(search)]


def all_records():
    return [path for search in config["searches"] for path in records_of(search)]


def dedup_overrides():
    """The manual dedup decisions file, as an input only when it exists."""
    path = config.get("dedupe", {}).get("overrides", "data/coded/dedup_overrides.csv")
    return [path] if Path(path).is_file() else []


def overrides_option(wildcards, input):
    return f"--overrides {shlex.quote(str(input.overrides))}" if input.overrides else ""
