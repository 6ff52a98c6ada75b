"""Write results so that a killed run never leaves a half-written file behind.

Every output is written to a temporary file in the same folder and moved into
place only when the whole command has succeeded; on any error the temporaries
are removed and the previous outputs (if any) stay untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


class OutputSet:
    """Temporary paths for a command's outputs, committed together."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def path(self, final: str | Path) -> Path:
        """A temporary path to write; it becomes ``final`` when the block succeeds."""
        final = Path(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; results should be readable like any file
        self._pending.append((Path(tmp), final))
        return Path(tmp)

    def _commit(self) -> None:
        for tmp, final in self._pending:
            os.replace(tmp, final)
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
