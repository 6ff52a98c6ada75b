"""Findings of a red-team run with hostile inputs (P09, P12, P13, P16, P19), each pinned by a test.

The expected values are written by hand from the inputs each test makes."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from review_fixture import ABSTRACT_ARGS, RULE, apply_screening, build, screening_workflow, write_csv

from slr import searchfile
from slr.cli import MAX_ERROR_LINES, error_lines
from slr.config import WorkflowConfig, load_config
from slr.errors import InputError, InputErrors, UsageError
from slr.spreadsheet import read_sheet

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


# ---------------------------------------------------------------- P12: formulas without values, merged cells


def _codes_xlsx(path: Path, rows: list[list[object]], merge: str | None = None, edit=None) -> Path:
    """A code sheet as a script writes it (openpyxl stores no value for a formula); ``edit``
    rewrites the sheet's XML, as a spreadsheet program would have saved it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "codes"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    if edit is not None:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = edit(parts[sheet].decode("utf-8")).encode("utf-8")
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def test_a_formula_without_its_stored_value_is_an_error_naming_the_cell(tmp_path):
    path = _codes_xlsx(
        tmp_path / "codes.xlsx",
        [["work_id", "relevant_to_is"], ["Wa01", "yes"], ["Wa02", '=IF(1=1,"yes","no")'], ["Wa03", "=B2"]],
    )
    with pytest.raises(InputErrors) as exc:
        read_sheet(path)
    assert [p.message() for p in exc.value.problems] == [
        f"{path}:3: cell B3 of sheet 'codes' holds a formula whose value is not stored in the file (a sheet"
        " written by a script is saved without the values of its formulas); open the sheet in a spreadsheet"
        " program and save it, so the formula's value is stored, or type the value",
        f"{path}:4: cell B4 of sheet 'codes' holds a formula whose value is not stored in the file (a sheet"
        " written by a script is saved without the values of its formulas); open the sheet in a spreadsheet"
        " program and save it, so the formula's value is stored, or type the value",
    ]


def test_formulas_with_stored_values_are_read_as_their_values(tmp_path):
    # As a spreadsheet program saves them: the value in <v>; a formula giving "" as an empty text value.
    path = _codes_xlsx(
        tmp_path / "codes.xlsx",
        [["work_id", "relevant_to_is", "notes"], ["Wa01", '=IF(1=1,"yes","no")', '=""']],
        edit=lambda xml: xml.replace(
            '<c r="B2"><f>IF(1=1,"yes","no")</f><v /></c>', '<c r="B2" t="str"><f>IF(1=1,"yes","no")</f><v>yes</v></c>'
        ).replace('<c r="C2"><f>""</f><v /></c>', '<c r="C2" t="str"><f>""</f><v></v></c>'),
    )
    sheet = read_sheet(path)
    assert [(r.row, r.cells) for r in sheet.rows] == [(2, {"work_id": "Wa01", "relevant_to_is": "yes", "notes": None})]


def test_merged_cells_are_an_error_naming_the_range(tmp_path):
    path = _codes_xlsx(
        tmp_path / "codes.xlsx",
        [["work_id", "relevant_to_is"], ["Wa01", "yes"], ["Wa02", None], ["Wa03", None], ["Wa04", "no"]],
        merge="B2:B4",
    )
    with pytest.raises(InputError) as exc:
        read_sheet(path)
    assert exc.value.message() == (
        f"{path}:2: cells B2:B4 of sheet 'codes' are merged: the file keeps a merged range's value in its"
        " first cell (B2) only, so the other cells would be read as empty; unmerge the cells and type the"
        " value in each of them"
    )


def test_screening_apply_refuses_a_sheet_with_formulas_or_merged_cells(slr, tmp_path):
    root = build(tmp_path)
    out = root / "results/screening/abstract_screened.csv"
    header = ["work_id", "relevant_to_is", "empirical", "quantitative_assessment"]
    formulas = _codes_xlsx(root / "data/coded/formulas.xlsx", [header, ["Wa01", '=IF(1=1,"yes","no")', "yes", "no"]])
    merged = _codes_xlsx(
        root / "data/coded/merged.xlsx", [header, ["Wa01", "yes", "yes", "no"], ["Wa02", None, "yes", "no"]], "B2:B3"
    )
    for codes, expected in [
        (formulas, f"error: {formulas}:2: cell B2 of sheet 'codes' holds a formula whose value is not stored"),
        (merged, f"error: {merged}:2: cells B2:B3 of sheet 'codes' are merged"),
    ]:
        result = slr(
            "screening", "apply", "results/works.csv", codes, *ABSTRACT_ARGS, "--rule", RULE, "-o", out, cwd=root
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(expected), lines
        assert not out.exists() and "Traceback" not in result.stderr


# ---------------------------------------------------------------- P16: search names in the config

SEARCH_NAME_RULE = (
    "a search name holds letters, digits, _ and - only, starts with a letter, and is not pilot, abstract"
    " or anchor_included (the names of screened sets)"
)


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["../../../evil", "x,refined", "a/b", "pilot", "anchor_included", "-x", "x y"])
def test_a_search_name_that_cannot_be_a_file_name_or_wildcard_is_refused(tmp_path, name):
    path = _config(tmp_path, f'searches:\n  broad:\n    dir: data/raw/broad\n  "{name}":\n    dir: data/raw/x\n')
    with pytest.raises(InputError) as exc:
        load_config(path)
    schema = Path(__file__).resolve().parent.parent / "workflow/schemas/config.schema.yaml"
    assert exc.value.message() == (
        f"{path}:4: searches: the key {name!r} is not allowed: {SEARCH_NAME_RULE}; see {schema}"
    )


def test_search_names_in_other_keys_are_checked_too(tmp_path):
    path = _config(
        tmp_path,
        "searches:\n  broad:\n    dir: data/raw/broad\n  refined:\n    dir: data/raw/refined\n"
        "    subset_of: ../broad\n",
    )
    with pytest.raises(InputError, match=r"config\.yaml:6: searches\.refined\.subset_of: '\.\./broad' is not allowed"):
        load_config(path)
    path = _config(
        tmp_path,
        "searches:\n  broad:\n    dir: data/raw/broad\nscreening:\n  abstract:\n    search: broad,x\n"
        "    criteria: [a]\n    include_if: a\n",
    )
    with pytest.raises(InputError, match=r"config\.yaml:6: screening\.abstract\.search: 'broad,x' is not allowed"):
        load_config(path)


def test_ordinary_search_names_pass(tmp_path):
    path = _config(
        tmp_path,
        "searches:\n  broad:\n    dir: a\n  Scopus-2024_b:\n    dir: b\n    subset_of: broad\n  pilot2:\n    dir: c\n",
    )
    assert list(load_config(path)["searches"]) == ["broad", "Scopus-2024_b", "pilot2"]


# ---------------------------------------------------------------- P13: every file of a search folder is an export

REPO = Path(__file__).resolve().parent.parent


def test_every_regular_file_but_sidecar_readme_and_hidden_files_is_an_export(tmp_path):
    folder = tmp_path / "refined"
    folder.mkdir()
    for name in [
        "scopus.csv",
        "scopus_export_2024",  # no suffix
        "savedrecs.txt.bak",
        "export.xlsx",
        "search.yaml",  # the sidecar
        "README",
        "README.md",
        "readme.txt",
        ".DS_Store",
        ".scopus.csv.part",
        "Thumbs.db",
        "desktop.ini",
    ]:
        (folder / name).write_text("x\n", encoding="utf-8")
    (folder / "more").mkdir()  # a folder
    (folder / "gone.csv").symlink_to(tmp_path / "nothing")  # a link to nothing
    (folder / "linked.ris").symlink_to(folder / "scopus.csv")  # a link to a file is a file
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.csv")
    assert searchfile.export_files(folder) == [
        "export.xlsx",
        "linked.ris",
        "savedrecs.txt.bak",
        "scopus.csv",
        "scopus_export_2024",
    ]
    unread = [
        ("gone.csv", "a link to nothing"),
        ("more", "a folder; exports inside it are not read (move them into the search folder)"),
    ]
    if hasattr(os, "mkfifo"):
        unread.append(("pipe.csv", "not a regular file (a pipe or a device)"))
    assert searchfile.unread_entries(folder) == unread


def test_the_audit_lists_what_a_search_folder_holds_but_does_not_read(slr, tmp_path):
    root = build(tmp_path)
    apply_screening(slr, root)
    (root / "data/raw/refined/batch2").mkdir()
    (root / "data/raw/refined/README.md").write_text("how the exports were made\n", encoding="utf-8")
    result = slr("audit", cwd=root)
    assert "MISMATCH: data/raw/refined/batch2: not read as an export: a folder; exports inside it are not read" in (
        result.stdout
    )
    assert "README" not in result.stdout


@pytest.mark.slow
def test_the_workflow_ingests_exports_whatever_their_names(tmp_path):
    root, cmd, env = screening_workflow(tmp_path)
    raw = root / "data/raw/refined"
    # The same Scopus export saved without a suffix, and a WoS export renamed .bak: read from content.
    lines = (raw / "scopus.csv").read_text(encoding="utf-8").splitlines()
    (raw / "scopus_export_2024").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    shutil.copy(raw / "wos.txt", raw / "savedrecs.txt.bak")
    (raw / "README.md").write_text("how the exports were made\n", encoding="utf-8")
    result = subprocess.run([*cmd, "ingest_all", "--quiet"], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (root / "results/records/refined").iterdir()) == [
        "savedrecs.txt.bak.csv",
        "scopus.csv.csv",
        "scopus_export_2024.csv",
        "wos.txt.csv",
    ]
    records = (root / "results/records/refined/scopus_export_2024.csv").read_text(encoding="utf-8")
    assert records.count("\n2-s2.0-") == 2  # the two records of the cut export

    # An XLSX saved into the folder is not left out: the run stops with the reader's reason.
    wb = Workbook()
    wb.active.append(["title", "year"])
    wb.save(raw / "export.xlsx")
    result = subprocess.run([*cmd, "ingest_all", "--quiet"], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "error: data/raw/refined/export.xlsx:1: this is a binary file, not text" in result.stderr


# ---------------------------------------------------------------- P09: the workflow's config, read strictly

SCHEMA = REPO / "workflow/schemas/config.schema.yaml"
GOOD = "searches:\n  broad:\n    dir: data/raw/broad\n  refined:\n    dir: data/raw/refined\n    subset_of: broad\n"


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD + "  refined:\n    dir: data/raw/other\n",
            ":7: the key 'refined' appears twice in one section (first at line 4); merge the two into one; YAML"
            " would otherwise keep only the last",
        ),
        ("searches:\n\tbroad: {dir: a}\n", ":2: not valid YAML (found character '\\t' that cannot start any token)"),
        (
            "title: Sch\xf6n\n".encode("latin-1") + GOOD.encode(),
            ":1: not UTF-8 text (byte 0xf6 here); save it as UTF-8",
        ),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcde", "bcdef", strict=True)
            )
            + GOOD,
            ":6: 'f' stands for more than 200,000 values once its aliases (*name) are expanded",
        ),
        ("- searches\n", ":1: the config is not a mapping of keys to values"),
    ],
)
def test_the_workflow_reads_each_config_file_strictly(tmp_path, text, message):
    path = _write(tmp_path / "config/config.yaml", text)
    with pytest.raises(InputError) as exc:
        WorkflowConfig(path, schema=SCHEMA)
    assert exc.value.message().startswith(f"{path}{message}"), exc.value.message()


def test_a_schema_error_names_the_config_file_line_or_the_command_line_value(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the schema (in the repository) is outside: named by its full path
    default = _write(tmp_path / "config/config.yaml", GOOD + "fulltext:\n  timeout: 30\n")
    extra = _write(tmp_path / "extra.yaml", "title: x\nfulltext:\n  batch_size: 0\n")
    fix = f"see {SCHEMA}"

    # From the config file: its line.
    checked = WorkflowConfig(default, schema=SCHEMA)
    bad = {"searches": {"broad": {"dir": "a"}}, "fulltext": {"timeout": -1}}
    with pytest.raises(InputError) as exc:
        checked.check(bad)
    assert exc.value.message() == f"{default}:8: fulltext.timeout: -1 is less than the minimum of 0; {fix}"

    # From a --configfile: that file's line.
    checked = WorkflowConfig(default, [extra], schema=SCHEMA)
    merged = {"searches": {"broad": {"dir": "a"}}, "title": "x", "fulltext": {"timeout": 30, "batch_size": 0}}
    with pytest.raises(InputError) as exc:
        checked.check(merged)
    assert exc.value.message() == f"{extra}:3: fulltext.batch_size: 0 is less than the minimum of 1; {fix}"

    # From --config: said so.
    checked = WorkflowConfig(default, [], {"fulltext": {"timeout": "soon"}}, schema=SCHEMA)
    with pytest.raises(InputError) as exc:
        checked.check({"searches": {"broad": {"dir": "a"}}, "fulltext": {"timeout": "soon"}})
    assert exc.value.message() == (
        f"--config: fulltext.timeout: 'soon' is not of type 'number'; {fix} (the value was given with --config)"
    )

    # A missing required key: the main config file.
    with pytest.raises(InputError) as exc:
        checked.check({"title": "x"})
    assert exc.value.message() == f"{default}:1: (top level): 'searches' is a required property; {fix}"

    WorkflowConfig(default, [extra], schema=SCHEMA).check({"searches": {"broad": {"dir": "a"}}, "title": "x"})


def test_the_default_config_file_is_needed_unless_another_is_named(tmp_path):
    missing = tmp_path / "config/config.yaml"
    with pytest.raises(InputError) as exc:
        WorkflowConfig(missing, schema=SCHEMA)
    assert exc.value.message() == (
        f"{missing}: no such config file; run Snakemake in the project folder, or name the config with --configfile"
    )
    other = _write(tmp_path / "other.yaml", GOOD)
    assert [d.path for d in WorkflowConfig(missing, [other], schema=SCHEMA).docs] == [other]
    default = _write(missing, "searches:\n  broad:\n    dir: a\n    dir: b\n")  # never read when replaced
    assert [d.path for d in WorkflowConfig(default, [other], replace=True, schema=SCHEMA).docs] == [other]


def _snakemake(root: Path, cmd: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, "-n", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error")]


@pytest.mark.slow
def test_snakemake_stops_on_a_bad_config_with_one_error_line(tmp_path):
    root, cmd, env = screening_workflow(tmp_path)
    config = root / "config/config.yaml"
    good = config.read_text(encoding="utf-8")
    assert good.startswith("searches:\n  broad:\n    dir: data/raw/broad\n")

    # A key written twice: Snakemake's YAML would keep the last one without a word.
    config.write_text(good.replace("    dir: data/raw/broad\n", "    dir: data/raw/broad\n    dir: data/raw/other\n"))
    result = _snakemake(root, cmd, env)
    assert result.returncode == 2
    assert _errors(result) == [
        "error: config/config.yaml:4: the key 'dir' appears twice in one section (first at line 3); merge the two"
        " into one; YAML would otherwise keep only the last"
    ]
    assert "Traceback" not in result.stderr and "WorkflowError" not in result.stderr

    # Nested aliases: refused at once (Snakemake's own check printed the expanded config for ever).
    bomb = "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n" + "".join(
        f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]\n" for i in range(1, 9)
    )
    config.write_text(good + bomb + "title: *x8\n")
    result = _snakemake(root, cmd, env)
    assert result.returncode == 2 and len(_errors(result)) == 1
    assert "stands for more than 200,000 values" in _errors(result)[0]

    # A wrong value: the schema error names the line.
    config.write_text(good.replace("size: 3", "size: three"))
    result = _snakemake(root, cmd, env)
    assert result.returncode == 2
    line = good[: good.index("size: 3")].count("\n") + 1
    assert _errors(result) == [
        f"error: config/config.yaml:{line}: screening.pilot.size: 'three' is not of type 'integer'; see"
        " workflow/schemas/config.schema.yaml"
    ]

    # Overrides keep working, and are checked too.
    config.write_text(good)
    assert _snakemake(root, cmd, env, "--config", "title=Another title").returncode == 0
    extra = _write(
        root / "extra.yaml", "screening:\n  pilot:\n    search: broad\n    size: 0\n    seed: 7\n    criteria: [a]\n"
    )
    result = _snakemake(root, cmd, env, "--configfile", str(extra))
    assert result.returncode == 2
    assert _errors(result) == [
        f"error: {extra}:4: screening.pilot.size: 0 is less than the minimum of 1; see"
        " workflow/schemas/config.schema.yaml"
    ]
    result = _snakemake(root, cmd, env, "--config", "searches=5")
    assert result.returncode == 2
    assert _errors(result) == [
        "error: --config: searches: 5 is not of type 'object'; see workflow/schemas/config.schema.yaml (the value"
        " was given with --config)"
    ]


def test_segment_sheets_refuse_formulas_without_values_and_merged_cells(tmp_path):
    from slr.coding.sheets import read_sheet as read_segment_sheet

    header = ["Document name", "Code", "Segment"]
    formula = _codes_xlsx(tmp_path / "formula.xlsx", [header, ["a.pdf", '=CONCAT("Activities","\\x")', "text"]])
    with pytest.raises(InputErrors) as err:
        read_segment_sheet(formula, lambda cells: "code" in cells)
    assert [(e.line, "cell B2" in e.problem) for e in err.value.problems] == [(2, True)]
    merged = _codes_xlsx(
        tmp_path / "merged.xlsx", [header, ["a.pdf", "X", "one"], ["b.pdf", None, "two"]], merge="B2:B3"
    )
    with pytest.raises(InputErrors) as err:
        read_segment_sheet(merged, lambda cells: "code" in cells)
    assert [(e.line, "cells B2:B3" in e.problem) for e in err.value.problems] == [(2, True)]
