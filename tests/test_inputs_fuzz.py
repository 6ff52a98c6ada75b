"""Property tests for every reader of a file a researcher makes or edits (the export readers
have theirs in test_readers_bad_input.py): code sheets (CSV and XLSX, through slr.decisions and
slr.spreadsheet), coded segments and MAXQDA exports, the codebook, case files, dedup overrides,
search.yaml and the config. Arbitrary bytes, and real files cut and spliced at random, end in
the project's own ``SlrError`` or in a result - never in another exception.

The last test plants a bug (an unguarded ``KeyError``) in a reader and shows that the same
property then fails, so these tests can catch what they are meant to catch.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from coding_fixtures import CODEBOOK, DIR, book, index
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slr import codebook, config, decisions, searchfile, spreadsheet
from slr.case import data as case_data
from slr.case import segments as case_segments
from slr.coding import segments, sheets
from slr.dedupe.overrides import load_overrides
from slr.errors import SlrError
from slr.results import read_table, read_works

FIXTURES = Path(__file__).parent / "fixtures"
KALUNDBORG = FIXTURES / "cases" / "kalundborg"
REPO = Path(__file__).resolve().parent.parent

_BOOK = book()
_INDEX = index()
_ROOTS = segments.parse_roots(["Memos=ignore"])


def _xlsx(rows: list[list[object]], stored: dict[str, str] | None = None) -> bytes:
    """A workbook; ``stored`` gives formulas (``"1+1"``) the value a spreadsheet program would
    store with them (openpyxl stores none, and a formula without its value is refused)."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    if not stored:
        return buf.getvalue()
    with zipfile.ZipFile(buf) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    for formula, value in stored.items():
        old = f"<f>{formula}</f><v />".encode()
        assert old in parts[sheet], formula
        parts[sheet] = parts[sheet].replace(old, f"<f>{formula}</f><v>{value}</v>".encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


SEARCH_YAML = yaml.safe_dump(
    {
        "search": "broad",
        "description": "broad search",
        "exports": [
            {
                "file": "scopus.csv",
                "database": "scopus",
                "query": "TITLE-ABS-KEY(anchor*)",
                "date": "2016-01-15",
                "limits": {"document_types": ["Article"], "exclude_years": [2016], "languages": ["English"]},
                "reported_hits": 6,
            }
        ],
    },
    sort_keys=False,
).encode()
CODES_CSV = (
    b"work_id,doi,title,year,relevant,empirical,notes\nW01a1,,,,yes,no,fine\n,10.1/x,,,Y,1,\n,,A title,2001,n,0,\n"
)


def _case_folder(tmp: Path, name: str, data: bytes) -> Path:
    folder = tmp / "case"
    shutil.copytree(KALUNDBORG, folder)
    (folder / name).write_bytes(data)
    return folder


# reader name -> (seed files to mutate, what to do with the bytes in a temporary folder)
READERS: dict[str, tuple[list[bytes], Callable[[bytes, Path], object]]] = {
    "code sheet (decisions)": (
        [CODES_CSV, _xlsx([["work_id", "relevant"], ["W01a1", "yes"], ["W02b2", "no"]])],
        lambda b, t: decisions.read_codes(_write(t, "codes.csv", b), value_columns=["relevant"]),
    ),
    "sheet (spreadsheet.read_sheet)": (
        [CODES_CSV, _xlsx([["work_id", "title"], ["W1", "'=x"], ["W2", 3]])],
        lambda b, t: spreadsheet.read_sheet(_write(t, "sheet.csv", b)),
    ),
    "workbook named .xlsx": (
        [
            _xlsx(
                [["work_id", "title", "year"], ["W1", "=1+1", 2001], [None, None, None], ["W2", "x", "2002"]],
                {"1+1": "2"},
            )
        ],
        lambda b, t: spreadsheet.read_sheet(_write(t, "sheet.xlsx", b)),
    ),
    "table with header search (coding.sheets)": (
        [(DIR / "maxqda_2022_export.csv").read_bytes()],
        lambda b, t: sheets.read_sheet(_write(t, "s.csv", b), lambda cells: "code" in cells),
    ),
    "coded segments": (
        [(DIR / "segments.csv").read_bytes(), (DIR / "maxqda_2022_export.csv").read_bytes()],
        lambda b, t: segments.load([_write(t, "segments.csv", b)], _BOOK, _INDEX, _ROOTS),
    ),
    "case segments": (
        [(DIR / "segments.csv").read_bytes()],
        lambda b, t: case_segments.load_segments(_write(t, "segments.csv", b), _BOOK),
    ),
    "codebook": ([CODEBOOK.read_bytes()], lambda b, t: codebook.load(_write(t, "codebook.yaml", b))),
    "case activities": (
        [(KALUNDBORG / "activities.csv").read_bytes()],
        lambda b, t: case_data.load_case(_case_folder(t, "activities.csv", b)),
    ),
    "case actors": (
        [(KALUNDBORG / "actors.csv").read_bytes()],
        lambda b, t: case_data.load_case(_case_folder(t, "actors.csv", b)),
    ),
    "case links": (
        [(KALUNDBORG / "links.csv").read_bytes()],
        lambda b, t: case_data.load_case(_case_folder(t, "links.csv", b)),
    ),
    "dedup overrides": (
        [b"record_id_a,record_id_b,decision,note\n2-s2.0-1,WOS:1,same,checked\n2-s2.0-2,WOS:2,different,\n"],
        lambda b, t: load_overrides(_write(t, "dedup_overrides.csv", b)),
    ),
    "search.yaml": ([SEARCH_YAML], lambda b, t: searchfile.load(_write(t, "search.yaml", b), search="broad")),
    "config.yaml": (
        [(REPO / "config" / "config.yaml").read_bytes()],
        lambda b, t: config.load_config(_write(t, "config/config.yaml", b)),
    ),
    "works.csv": ([(DIR / "works.csv").read_bytes()], lambda b, t: read_works(_write(t, "works.csv", b))),
    "result table": (
        [(DIR / "hits.csv").read_bytes()],
        lambda b, t: read_table(_write(t, "hits.csv", b), ("work_id", "included")),
    ),
}
NAMES = sorted(READERS)


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def holds(name: str, data: bytes) -> None:
    """The property: the reader returns, or raises an SlrError; anything else propagates."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.suppress(SlrError):
        READERS[name][1](data, Path(tmp))


def mutate(seed: bytes, edits: list[tuple[float, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for where, length, insert in edits:
        at = int(where * len(data))
        data[at : at + length] = insert  # cut a span and put other bytes in its place
    return bytes(data)


# modest in `make test`; SLR_FUZZ_EXAMPLES=2000 for a deeper search
FUZZ = settings(
    max_examples=int(os.environ.get("SLR_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 64), st.binary(max_size=12)), min_size=1, max_size=4)
# bytes that matter to CSV, YAML and the files' own vocabularies, so random input gets past the first check
TOKENS = st.sampled_from(
    [b",", b";", b"\t", b"\n", b"\r\n", b'"', b"'", b":", b"- ", b"  ", b"{", b"}", b"[", b"]", b"#", b"&", b"*",
     b"!", b"|", b">", b"%", b"=", b"@", b"\xef\xbb\xbf", b"\x00", b"\xff", b"\xc3\xa3", b"work_id", b"title",
     b"yes", b"no", b"id", b"order", b"actor", b"level", b"from", b"to", b"study", b"code", b"search", b"exports",
     b"anchoring_types", b"version: 1", b"W01a1", b"k1", b"2016", b"activity/", b"PK\x03\x04"]
)  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(name, data):
    holds(name, data)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(pieces=st.lists(TOKENS, max_size=60))
def test_format_shaped_noise(name, pieces):
    holds(name, b"".join(pieces))


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(choice=st.integers(0, 10), edits=EDITS, cut=st.floats(0.05, 1))
def test_mutated_real_files(name, choice, edits, cut):
    seeds = READERS[name][0]
    seed = seeds[choice % len(seeds)]
    holds(name, mutate(seed[: max(1, int(len(seed) * cut))], edits))


def test_the_seeds_are_read_cleanly():
    """Each reader reads its unmutated seed without an error (else the fuzzing starts from nothing)."""
    for name in NAMES:
        for seed in READERS[name][0]:
            with tempfile.TemporaryDirectory() as tmp:
                READERS[name][1](seed, Path(tmp))


# ---------------------------------------------------------------- the property can fail


def test_a_planted_unguarded_key_error_is_found(monkeypatch):
    """Plant the kind of bug the property guards against - a dictionary look-up on a cell
    the file may not have - and check that the same property test now fails with it."""
    real = spreadsheet._read_csv

    def buggy(path: Path):
        header, rows = real(path)
        for values in [v for _, v in rows] or [[]]:  # (a file without data rows counts as one empty row)
            dict(zip(header, values, strict=False))[(header or [""])[-1]]  # KeyError: a row shorter than the header
        return header, rows

    monkeypatch.setattr(spreadsheet, "_read_csv", buggy)
    with pytest.raises(KeyError):
        test_mutated_real_files("code sheet (decisions)")
    with pytest.raises(KeyError):
        test_arbitrary_bytes("sheet (spreadsheet.read_sheet)")
    with pytest.raises(KeyError):
        test_format_shaped_noise("code sheet (decisions)")
