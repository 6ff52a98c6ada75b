"""The project's one exception hierarchy.

Library code raises these; only the CLI's ``main`` turns them into a one-line
``error:`` message and an exit status. Anything else that escapes is a bug and
is allowed to show its traceback.
"""

from __future__ import annotations

from pathlib import Path


class SlrError(Exception):
    """Base class: every failure the user can act on."""

    exit_code = 2

    def message(self) -> str:
        return str(self)


class InputError(SlrError):
    """Bad input: names the file, the line or record, what is wrong and the fix."""

    def __init__(
        self,
        path: str | Path | None,
        problem: str,
        fix: str = "",
        *,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.record = record
        self.problem = problem
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.record is not None:
            where = f"{where}: record {self.record}"
        text = f"{where}: {self.problem}"
        if self.fix:
            text = f"{text}; {self.fix}"
        # One line, whatever the data contained.
        return " ".join(text.split())


class UsageError(SlrError):
    """The command was called in a way that cannot work (missing option, bad combination)."""


class CheckFailed(SlrError):
    """A check ran and found a mismatch (audit --strict, tables compare --strict)."""

    exit_code = 1


class InputErrors(InputError):
    """Several bad-input problems found in one pass (e.g. every orphan decision).

    Reported all at once so that a researcher can fix them in one go; each problem
    keeps its own ``FILE:LINE: ...; fix`` line, and the CLI prints each on its own
    ``error:`` line (the first ``slr.cli.MAX_ERROR_LINES``, then how many more there are).
    """

    def __init__(self, problems: list[InputError]) -> None:
        if not problems:
            raise ValueError("InputErrors needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.path, first.problem, first.fix, line=first.line, record=first.record)

    def message(self) -> str:
        # The CLI prefixes the first line with "error: "; the others get it here.
        return "\nerror: ".join(p.message() for p in self.problems)
