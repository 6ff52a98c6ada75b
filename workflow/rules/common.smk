"""Shared helpers: where the exports of each search are. Every file in data/raw/<search>/ is
an export (dropping a file there is enough; its format is recognised from its content, not its
name) except search.yaml, README files and hidden files (slr.searchfile.export_files)."""

import shlex
import sys
from pathlib import Path

from slr import searchfile

# Rules call `slr`; make it the one installed beside this Snakemake (the project's .venv)
# even when the venv is not activated (`.venv/bin/snakemake ...`).
shell.prefix(f"set -euo pipefail; export PATH={shlex.quote(str(Path(sys.executable).parent))}:\"$PATH\"; ")


def export_files(search):
    return searchfile.export_files(config["searches"][search]["dir"])


def records_of(search):
    return [f"results/records/{search}/{name}.csv" for name in export_files(search)]


def all_records():
    return [path for search in config["searches"] for path in records_of(search)]


def case_names():
    """Every sub-folder of cases.dir that holds an activities.csv is a case."""
    folder = Path(config["cases"]["dir"])
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "activities.csv").is_file())


def case_files(case):
    folder = Path(config["cases"]["dir"]) / case
    return [str(folder / name) for name in ("activities.csv", "actors.csv", "links.csv") if (folder / name).exists()]


def segment_files():
    """The coded-segment files that exist: before any study is coded there are none, and the
    tables list every included study as uncoded."""
    return [p for p in config["coding"]["segments"] + config["coding"].get("maxqda", []) if Path(p).is_file()]


def dedup_overrides():
    """The manual dedup decisions file, as an input only when it exists."""
    path = config.get("dedupe", {}).get("overrides", "data/coded/dedup_overrides.csv")
    return [path] if Path(path).is_file() else []


def overrides_option(wildcards, input):
    return f"--overrides {shlex.quote(str(input.overrides))}" if input.overrides else ""


# A run killed outright (SIGKILL, power cut) leaves Snakemake's lock behind; each run records
# itself as the lock's owner so that the next one can tell a dead run and release its lock
# instead of asking for `snakemake --unlock` (src/slr/snakemake_lock.py).
from slr import snakemake_lock

_released = snakemake_lock.release_stale(".snakemake")
if _released:
    print(
        f"Released the lock of a killed run ({', '.join(_released)}); its unfinished jobs run again.",
        file=sys.stderr,
    )


onstart:
    snakemake_lock.claim(".snakemake")


onsuccess:
    snakemake_lock.release(".snakemake")


onerror:
    snakemake_lock.release(".snakemake")
