"""The ``slr`` command: a thin click layer over the library.

Library errors (``SlrError``) become a one-line ``error:`` message here and
nowhere else (``main``, and ``run_checked`` for the Snakefile's config check), with exit
status 2 for bad input and 1 for a failed check.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from slr import __version__
from slr.errors import InputError, InputErrors, SlrError

# Every path option and argument: the library checks the file and names it and the fix in one
# line; click's own readability check would print its multi-line usage screen instead.
PATH = click.Path(path_type=Path, readable=False)

# Sub-commands are imported only when used: a Snakemake job pays the start-up of
# the one command it runs, not of pandas, matplotlib and pdfminer together.
COMMANDS: dict[str, str] = {
    "audit": "slr.cli.audit:audit_cmd",
    "case": "slr.cli.case:case_group",
    "dedupe": "slr.cli.dedupe:dedupe_cmd",
    "fulltext": "slr.cli.fulltext:fulltext_group",
    "funnel": "slr.cli.funnel:funnel_cmd",
    "ingest": "slr.cli.ingest:ingest_cmd",
    "prisma": "slr.cli.funnel:prisma_cmd",
    "report": "slr.cli.report:report_cmd",
    "screening": "slr.cli.screening:screening_cmd",
    "tables": "slr.cli.tables:tables_group",
    "trace": "slr.cli.audit:trace_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slr")
def cli() -> None:
    """Systematic literature review pipeline: exports -> works -> screening -> full text -> tables."""


T = TypeVar("T")

#: The most ``error:`` lines one run prints: a sheet of a million bad rows must not bury the
#: terminal (or a Snakemake log) under a million lines; the first ones show what to fix.
MAX_ERROR_LINES = 50


def _problems(exc: InputError) -> list[InputError]:
    """The single problems of an error, in order (an ``InputErrors`` may hold others)."""
    if not isinstance(exc, InputErrors):
        return [exc]
    return [single for problem in exc.problems for single in _problems(problem)]


def error_lines(exc: SlrError) -> list[str]:
    """What the user sees for an error: one ``error:`` line per problem, at most
    ``MAX_ERROR_LINES`` of them, then one line saying how many more there are."""
    if not isinstance(exc, InputError):
        return [f"error: {exc.message()}"]
    problems = _problems(exc)
    lines = [f"error: {p.message()}" for p in problems[:MAX_ERROR_LINES]]
    rest = len(problems) - MAX_ERROR_LINES
    if rest > 0:
        lines.append(
            f"error: ... and {rest:,} more problem{'s' if rest > 1 else ''} not listed;"
            " fix the ones above and run again to see the rest"
        )
    return lines


def run_checked(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a library function outside a command - the Snakefile checks the config with it -
    and end the process the way ``main`` ends a command on an error: its ``error:`` lines and
    exit status, no traceback (Snakemake lets a ``SystemExit`` from the Snakefile through)."""
    try:
        return function(*args, **kwargs)
    except SlrError as exc:
        click.echo("\n".join(error_lines(exc)), err=True)
        sys.exit(exc.exit_code)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="slr", standalone_mode=False)
    except SlrError as exc:
        click.echo("\n".join(error_lines(exc)), err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    return 0


def run() -> None:
    sys.exit(main())
