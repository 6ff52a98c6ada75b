"""Work ids: derived from content, stable when unrelated records come and go, aliases on merge."""

from __future__ import annotations

import hashlib
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from slr.dedupe import deduplicate
from slr.dedupe.ids import fold_title
from slr.records import fold

from .conftest import rec


def expected_id(key: str) -> str:
    """The contract: W + hex digest of the identity key (docs/architecture.md, Works)."""
    return "W" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def ids_by_record(records, **kwargs) -> dict[str, tuple[str, str]]:
    result = deduplicate(records, **kwargs)
    out = {}
    for w in result.works:
        for member in w["members"].split("; "):
            out[member] = (w["work_id"], w["aliases"] or "")
    return out


BASE = [
    rec(
        "2-s2.0-34147119385",
        "Industrial symbiosis in China: A case study of the Guitang Group",
        authors=["Zhu, Q.", "Lowe, E.A."],
        year=2007,
        journal="Journal of Industrial Ecology",
        volume="11",
        pages="31-42",
        doi="10.1162/jiec.2007.929",
    ),
    rec(
        "WOS:000245873900004",
        "INDUSTRIAL SYMBIOSIS IN CHINA: A CASE STUDY OF THE GUITANG GROUP",
        authors=["Zhu, Q.H.", "Lowe, E.A."],
        year=2007,
        journal="JOURNAL OF INDUSTRIAL ECOLOGY",
        volume="11",
        pages="31-42",
    ),
    rec(
        "WOS:000999",
        "Coordination of industrial symbiosis through anchoring",
        authors=["Sun, L.", "Spekkink, W."],
        year=2017,
        journal="Sustainability",
        volume="9",
        pages="549",
    ),
    rec("2-s2.0-777", "Editorial", authors=["Jones, A."], year=2015, journal="Journal of Cleaner Production"),
    rec("2-s2.0-778", "Editorial", authors=["Brown, B."], year=2015, journal="Journal of Cleaner Production"),
]


def test_work_id_is_the_digest_of_the_smallest_member_key_doi_first():
    ids = ids_by_record(BASE)
    guitang_id, aliases = ids["2-s2.0-34147119385"]
    assert guitang_id == expected_id("doi:10.1162/jiec.2007.929")
    assert ids["WOS:000245873900004"][0] == guitang_id
    # the WoS record alone would have had the id of its title key: reported as an alias
    title_key = "title:" + fold(BASE[1]["title"]) + "|2007"
    assert aliases == expected_id(title_key)
    assert ids["WOS:000999"] == (expected_id("title:coordination of industrial symbiosis through anchoring|2017"), "")


def test_surviving_id_and_alias_when_two_works_merge():
    alone = ids_by_record([BASE[1]])["WOS:000245873900004"][0]
    doi_only = ids_by_record([BASE[0]])["2-s2.0-34147119385"][0]
    merged, aliases = ids_by_record(BASE[:2])["WOS:000245873900004"]
    assert merged == doi_only  # the DOI key is smaller: its id survives
    assert aliases.split("; ") == [alone]  # the other id is kept as an alias


def test_two_works_sharing_a_key_get_distinct_ids_the_smallest_record_keeps_the_plain_one():
    ids = ids_by_record(BASE)
    plain = expected_id("title:editorial|2015")
    assert ids["2-s2.0-777"][0] == plain
    assert ids["2-s2.0-778"][0] == expected_id("title:editorial|2015#2-s2.0-778")


def test_ids_do_not_depend_on_input_order():
    shuffled = BASE[:]
    random.Random(3).shuffle(shuffled)
    assert ids_by_record(shuffled) == ids_by_record(BASE)


WORD = st.text(alphabet="qxzjvkw", min_size=4, max_size=9)


@st.composite
def unrelated(draw, n: int):
    title = " ".join(draw(st.lists(WORD, min_size=4, max_size=10)))
    year = draw(st.one_of(st.none(), st.integers(1990, 2024)))
    doi = draw(st.one_of(st.none(), st.just(f"10.9999/unrelated.{n}")))
    authors = [draw(st.sampled_from(["Qx, J.", "Zv, K.", "Wk, Q."]))]
    return rec(f"h:unrelated{n}", title, year=year, doi=doi, authors=authors)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_ids_unchanged_when_unrelated_records_are_added_removed_or_reordered(data):
    before = ids_by_record(BASE)
    extra = [data.draw(unrelated(n)) for n in range(data.draw(st.integers(0, 25)))]
    kept = [r for r in extra if data.draw(st.booleans())]
    mixed = data.draw(st.permutations(BASE + kept))
    after = ids_by_record(mixed)
    assert {rid: after[rid] for rid in before} == before


def test_parallel_comparison_gives_the_same_result_as_serial():
    rng = random.Random(11)
    records = list(BASE)
    for n in range(300):
        base = rng.choice(BASE)
        title = base["title"] if rng.random() < 0.3 else f"{base['title']} {rng.randint(0, 40)}"
        records.append(
            rec(f"h:{n}", title, year=(base["year"] or 2000) + rng.choice([0, 0, 1, 3]), authors=base["authors"])
        )
    serial = deduplicate(records, workers=1)
    parallel = deduplicate(records, workers=2, parallel_from=1)
    assert serial.works == parallel.works and serial.pairs == parallel.pairs and serial.clusters == parallel.clusters


@given(st.text(max_size=80))
def test_fast_title_fold_is_the_records_fold(text):
    assert fold_title(text) == fold(text)


def test_a_record_without_title_or_doi_is_its_own_work_named_by_its_record_id():
    ids = ids_by_record([rec("h:notitle", None, year=2001), rec("h:other", None, year=2001)])
    assert ids["h:notitle"] == (expected_id("record:h:notitle"), "")
    assert ids["h:other"] == (expected_id("record:h:other"), "")
