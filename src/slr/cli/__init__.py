"""The ``slr`` command: a thin click layer over the library.

Library errors (``SlrError``) become a one-line ``error:`` message here and
nowhere else, with exit status 2 for bad input and 1 for a failed check.
"""

from __future__ import annotations

import sys

import click

from slr import __version__
from slr.errors import SlrError

from .dedupe import dedupe_cmd
from .ingest import ingest_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slr")
def cli() -> None:
    """Systematic literature review pipeline: exports -> works -> screening -> full text -> tables."""


cli.add_command(ingest_cmd)
cli.add_command(dedupe_cmd)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="slr", standalone_mode=False)
    except SlrError as exc:
        click.echo(f"error: {exc.message()}", err=True)
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
