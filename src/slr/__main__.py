from slr.cli import run

run()
