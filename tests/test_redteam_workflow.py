"""Findings of a red-team run with hostile inputs (P09, P12, P13, P16, P19), each pinned by a test.

The expected values are written by hand from the inputs each test makes."""

from __future__ import annotations

from review_fixture import ABSTRACT_ARGS, RULE, build, write_csv

from slr.cli import MAX_ERROR_LINES, error_lines
from slr.errors import InputError, InputErrors, UsageError

# ---------------------------------------------------------------- P19: a cap on error lines


def test_error_lines_are_capped_with_a_count_of_the_rest():
    problems = [InputError("codes.csv", "this decision matches no work", "check it", line=n) for n in range(2, 62)]
    lines = error_lines(InputErrors(problems))
    assert MAX_ERROR_LINES == 50
    assert len(lines) == 51
    assert lines[0] == "error: codes.csv:2: this decision matches no work; check it"
    assert lines[49] == "error: codes.csv:51: this decision matches no work; check it"
    assert lines[50] == "error: ... and 10 more problems not listed; fix the ones above and run again to see the rest"


def test_error_lines_under_the_cap_and_nested_lists():
    one = InputError("a.csv", "bad", "fix", line=3)
    nested = InputErrors([one, InputErrors([InputError("b.csv", "worse", line=4), InputError("c.csv", "worst")])])
    assert error_lines(nested) == ["error: a.csv:3: bad; fix", "error: b.csv:4: worse", "error: c.csv: worst"]
    assert error_lines(UsageError("no --rule given")) == ["error: no --rule given"]
    just_over = InputErrors([InputError("a.csv", "bad", line=n) for n in range(1, 52)])
    assert error_lines(just_over)[-1] == (
        "error: ... and 1 more problem not listed; fix the ones above and run again to see the rest"
    )


def test_a_sheet_of_many_bad_rows_prints_fifty_errors_and_a_count(slr, tmp_path):
    root = build(tmp_path)
    codes = write_csv(
        root / "data/coded/many.csv",
        ["work_id", "relevant_to_is"],
        [(f"Wghost{n}", "yes") for n in range(1, 201)],  # 200 decisions that match no work, rows 2-201
    )
    out = root / "results/screening/abstract_screened.csv"
    result = slr("screening", "apply", "results/works.csv", codes, *ABSTRACT_ARGS, "--rule", RULE, "-o", out, cwd=root)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 51 and all(line.startswith("error: ") for line in lines)
    assert f"{codes}:2:" in lines[0] and "matches no work" in lines[0]
    assert f"{codes}:51:" in lines[49]
    assert lines[50] == "error: ... and 150 more problems not listed; fix the ones above and run again to see the rest"
    assert not out.exists() and "Traceback" not in result.stderr
