"""Run the real workflow on a temporary copy of the project (for end-to-end tests)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("Snakefile", "workflow", "config", "data")


def copy_project(dest: Path) -> Path:
    """Copy what a researcher's checkout holds besides the library: workflow, config and data."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, symlinks=True)
        else:
            shutil.copy2(src, dest / part)
    return dest


def snakemake(project: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def slr(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "slr", *args], cwd=project, capture_output=True, text=True)


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def funnel(project: Path) -> dict[str, str]:
    return {r["stage"]: r["count"] for r in rows(project / "results" / "funnel.csv")}


def published() -> dict:
    """The paper's figures and tables (the project's copy of the transcription)."""
    return yaml.safe_load((REPO / "config" / "published.yaml").read_text(encoding="utf-8"))


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_or_install_chromium() -> tuple[str | None, str]:
    """Debian's chromium, installed with apt-get when missing and we may; else (None, why not)."""
    import os

    def found() -> str | None:
        return shutil.which("chromium") or shutil.which("chromium-browser")

    if found():
        return found(), ""
    if not shutil.which("apt-get"):
        return None, "chromium is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "chromium is not installed and installing it needs root (apt-get install chromium)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    for attempt in ([install], [["apt-get", "update", "-q"], install]):  # the package index may be stale
        for cmd in attempt:
            try:
                subprocess.run(cmd, capture_output=True, timeout=900, env=env, check=False)
            except subprocess.TimeoutExpired:
                return None, f"{' '.join(cmd)} timed out"
        if found():
            return found(), ""
    return None, "apt-get could not install chromium (no network or no package)"


def chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=120,
    )
