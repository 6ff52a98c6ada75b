"""Write results so that a killed run never leaves a half-written file behind.

Every output is written to a temporary file in the same folder and moved into
place only when the whole command has succeeded; on any error the temporaries
are removed and the previous outputs (if any) stay untouched.

A temporary is named ``.<name>.<pid>@<host>.<random>.part``: hidden, never read as a
result (every reader opens a named file, and no result ends in ``.part``). A process
killed outright (SIGKILL, power cut) cannot remove its temporaries; the next command
that writes the same output removes those whose process no longer runs on this host.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from slr.errors import UsageError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()
FILE_MODE = 0o666 & ~_UMASK  # what open() would give; mkstemp gives 0600
DIR_MODE = 0o777 & ~_UMASK  # what mkdir() would give; mkdtemp gives 0700
_SUFFIX = ".part"


def owner_tag() -> str:
    """``<pid>@<host>``: who writes a temporary, so that a later run can tell a stale one."""
    return f"{os.getpid()}@{socket.gethostname()}"


def _gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


# `.<pid>@<host>.<random>` at the end of a temporary's name, before `.part` for files. A host
# name holds no `@`, so this is the tag added last, whatever the output's own name holds.
_OWNED = re.compile(r"\.(\d+)@([^@/]+)\.[a-z0-9_]+$")
_CLEANED: set[Path] = set()


def stale(name: str) -> bool:
    """True when ``name`` is a temporary of a process of this host that is gone. Another host's
    temporaries (a shared file system) are never judged."""
    match = _OWNED.search(name.removesuffix(_SUFFIX))
    if match is None:
        return False
    return match.group(2) == socket.gethostname() and _gone(int(match.group(1)))


def remove_stale_temporaries(folder: Path) -> None:
    """Delete the temporary files in ``folder`` left by killed processes (once per folder and
    process: a folder of many outputs is listed once)."""
    folder = folder.resolve()
    if folder in _CLEANED:
        return
    _CLEANED.add(folder)
    with contextlib.suppress(OSError):
        for p in folder.iterdir():
            if p.name.startswith(".") and p.name.endswith(_SUFFIX) and stale(p.name):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()


class OutputSet:
    """Temporary paths for a command's outputs, committed together."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def path(self, final: str | Path) -> Path:
        """A temporary path to write; it becomes ``final`` when the block succeeds."""
        final = Path(final)
        if final.is_dir():
            raise UsageError(f"{final} is a folder: name the file to write")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise UsageError(f"{final} cannot be written: a part of its folder path is a file") from None
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.{owner_tag()}.", suffix=_SUFFIX, dir=final.parent)
        os.close(fd)
        os.chmod(tmp, FILE_MODE)  # results should be readable like any file
        self._pending.append((Path(tmp), final))
        return Path(tmp)

    def _commit(self) -> None:
        for tmp, final in self._pending:
            try:
                os.replace(tmp, final)
            except OSError as exc:  # e.g. a folder of that name appeared meanwhile
                self._discard()
                raise UsageError(f"{final} cannot be written ({exc.strerror}): name a file to write") from None
        for folder in {final.parent for _, final in self._pending}:
            remove_stale_temporaries(folder)
        self._pending.clear()

    def _discard(self) -> None:
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._pending.clear()


@contextlib.contextmanager
def outputs() -> Iterator[OutputSet]:
    """``with outputs() as out: write(out.path("results/x.csv"))`` - all or nothing."""
    out = OutputSet()
    try:
        yield out
    except BaseException:
        out._discard()
        raise
    out._commit()


def write_text(path: str | Path, text: str) -> None:
    with outputs() as out:
        out.path(path).write_text(text, encoding="utf-8")
