"""Snakemake's lock after a killed run: released by the next run instead of asking for ``--unlock``.

Snakemake locks the working directory (``.snakemake/locks/``) while it runs and unlocks it when it
stops - unless it is killed outright (SIGKILL, a power cut, a cluster's hard time limit). The lock
files do not say who holds them, so Snakemake cannot tell a dead run from a live one and refuses
to start until the user runs ``snakemake --unlock``.

The workflow fills that gap: each run records who it is (``.snakemake/slr-owners/<pid>@<host>``)
once it holds the lock (``onstart``) and removes the record when it ends (``onsuccess``/``onerror``).
When a new run finds lock files, at least one recorded owner and every recorded owner a process
of this host that no longer exists, the lock is stale: the lock files and the records are removed
and the run goes on (its unfinished jobs run again, see ``rerun-incomplete`` in
``profiles/default``). A lock with a live owner, an owner on another host (a shared file system)
or no recorded owner is left alone, and Snakemake reports it as before. Records of dead runs are
forgotten once the folder is unlocked (e.g. by ``snakemake --unlock``), so an old record never
vouches for a lock taken later.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

from slr.atomic import write_text

OWNERS = "slr-owners"
LOCKS = "locks"


def _tag() -> str:
    return f"{os.getpid()}@{socket.gethostname()}"


def claim(state_dir: str | Path = ".snakemake") -> Path:
    """Record the calling process (the running Snakemake) as an owner of the lock."""
    path = Path(state_dir) / OWNERS / _tag()
    write_text(path, "")
    return path


def release(state_dir: str | Path = ".snakemake") -> None:
    """Remove the calling process's record (the run ends; Snakemake unlocks next)."""
    with contextlib.suppress(FileNotFoundError):
        (Path(state_dir) / OWNERS / _tag()).unlink()


def _dead_here(tag: str) -> bool:
    pid, sep, host = tag.partition("@")
    if not sep or not pid.isdigit() or host != socket.gethostname():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def release_stale(state_dir: str | Path = ".snakemake") -> list[str]:
    """Remove a lock whose every recorded owner is a dead process of this host; return the dead
    owners (empty when nothing was removed)."""
    state = Path(state_dir)
    locks = sorted(state.joinpath(LOCKS).glob("*.lock")) if state.joinpath(LOCKS).is_dir() else []
    owners_dir = state / OWNERS
    owners = sorted(p for p in owners_dir.iterdir() if not p.name.startswith(".")) if owners_dir.is_dir() else []
    if not locks:  # unlocked (`snakemake --unlock`, or a clean end): forget dead runs' records
        for path in owners:
            if _dead_here(path.name):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        return []
    if not owners or not all(_dead_here(p.name) for p in owners):
        return []
    for path in locks + owners:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return [p.name for p in owners]
