from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from slr.fulltext.batches import batch_count, pdf_names, plan_batches


def test_batch_count_is_a_power_of_two_giving_about_batch_size_per_batch():
    assert [batch_count(n, 10) for n in (0, 1, 10, 11, 20, 21, 40, 41, 202)] == [1, 1, 1, 2, 2, 4, 4, 8, 32]
    assert batch_count(202, 1) == 256


names = st.lists(st.from_regex(r"[a-z0-9_.]{1,12}\.pdf", fullmatch=True), unique=True, max_size=60)


@given(names, st.from_regex(r"[A-Z]{1,12}\.pdf", fullmatch=True))
def test_a_new_pdf_changes_at_most_its_own_batch(existing, new):
    before = plan_batches(existing, 10)
    after = plan_batches([*existing, new], 10)
    if batch_count(len(existing), 10) != batch_count(len(existing) + 1, 10):
        return  # the batches split; the text cache spares the re-extraction
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    assert len(changed) == 1
    assert new in after[changed.pop()]


@given(names)
def test_every_pdf_in_exactly_one_batch(existing):
    batches = plan_batches(existing, 7)
    assert sorted(n for members in batches.values() for n in members) == sorted(existing)


def test_pdf_names_skips_other_and_hidden_files(tmp_path):
    for name in ("a.pdf", "B.PDF", ".hidden.pdf", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub.pdf").mkdir()
    assert pdf_names(tmp_path) == ["B.PDF", "a.pdf"]
    assert pdf_names(tmp_path / "missing") == []
