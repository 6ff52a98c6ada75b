from slr.records import read_records


def test_ingest_writes_records_and_reports_fill(slr, fixtures, tmp_path):
    out = tmp_path / "records.csv"
    result = slr("ingest", fixtures / "generic_csv" / "bibdedupe_special_cases.csv", "--search", "broad", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "generic_csv" in result.stderr and "12 records" in result.stderr and "title 100%" in result.stderr
    records = read_records(out)
    assert len(records) == 12 and {r["search"] for r in records} == {"broad"}


def test_bad_input_gives_one_line_error_and_no_output(slr, tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    out = tmp_path / "records.csv"
    result = slr("ingest", bad, "-o", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "empty.csv" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("*.part"))
