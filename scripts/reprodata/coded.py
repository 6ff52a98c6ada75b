"""Decision tables under data/coded/: pilot, abstract screening, full-text availability, coded segments.

Works are identified by ``doi``, ``title``, ``year`` and ``record_ids`` (the pipeline computes
work ids). Segments come from the published tables: Table A1 says which study observed which
activity (``published``); Table 1 only counts studies per actor type, so which study named which
actor is drawn with the seed (``reconstructed``). No segment text is a quotation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from slr.codebook import Codebook
from slr.records import fold

from .plan import Plan, Work, rng_for

ID_COLUMNS = ["doi", "title", "year", "record_ids"]
PILOT_COLUMNS = [*ID_COLUMNS, "governance_relevant", "empirical", "coder", "provenance"]
SCREEN_COLUMNS = [*ID_COLUMNS, "relevant_to_is", "empirical", "quantitative_assessment", "coder", "provenance"]
FULLTEXT_COLUMNS = [*ID_COLUMNS, "availability", "coder", "provenance"]
SEGMENT_COLUMNS = ["study", *ID_COLUMNS, "code", "segment", "page", "coder", "provenance"]
OVERRIDE_COLUMNS = ["record_id_a", "record_id_b", "decision", "note", "provenance"]

CODER = "reconstruction"
AMBIGUOUS_COSTA = ("Costa and Ferrão 2010", "Costa and Ferrão 2010b")


def ident(w: Work) -> dict[str, str]:
    return {"doi": w.visible_doi, "title": w.title, "year": str(w.year), "record_ids": "; ".join(w.record_ids)}


def decision_provenance(w: Work) -> str:
    if w.provenance == "synthetic":
        return "synthetic"
    return "reconstructed"


def _ordered(works: Iterable[Work]) -> list[Work]:
    return sorted(works, key=lambda w: (fold(w.title), w.year, w.key))


def pilot_rows(plan: Plan) -> list[dict[str, str]]:
    return [
        {**ident(w), **(w.pilot or {}), "coder": CODER, "provenance": decision_provenance(w)}
        for w in _ordered(w for w in plan.works if w.pilot)
    ]


def screening_rows(plan: Plan) -> list[dict[str, str]]:
    rows = []
    for w in _ordered(plan.refined_works):
        # An Appendix C study was screened in: the paper's inclusion rule fixes its three codes.
        prov = "published" if w.coded else decision_provenance(w)
        rows.append({**ident(w), **w.screen, "coder": CODER, "provenance": prov})
    return rows


def fulltext_rows(plan: Plan) -> list[dict[str, str]]:
    rows = []
    for w in _ordered(plan.included_works):
        prov = "published" if w.coded else decision_provenance(w)
        rows.append({**ident(w), "availability": w.availability, "coder": CODER, "provenance": prov})
    return rows


def _ref_key(text: str) -> str:
    """A Table A1 reference or Appendix C label as a key: '&'/'and', commas and case ignored."""
    tokens = [t for t in fold(text.replace("&", " ")).split() if t != "and"]
    return " ".join(tokens)


def segment_rows(plan: Plan, published: dict, codebook: Codebook, seed: int) -> list[dict[str, str]]:
    coded = {w.appendix_c: w for w in plan.coded_works}
    by_ref = {_ref_key(label): label for label in coded}
    rows: list[dict[str, str]] = []

    def add(label: str, code: str, segment: str, coder: str, prov: str) -> None:
        w = coded[label]
        rows.append({"study": label, **ident(w), "code": code, "segment": segment, "page": "", "coder": coder,
                     "provenance": prov})  # fmt: skip

    for row in published["table_a1_activity_references"]:
        activity = codebook.activity(row["activity"])
        if activity is None:
            raise ValueError(f"Table A1 activity not in the codebook: {row['activity']}")
        seen: set[str] = set()
        for ref in row["references"]:
            ambiguous = _ref_key(ref) == _ref_key(AMBIGUOUS_COSTA[0])
            label = AMBIGUOUS_COSTA[1] if ambiguous else by_ref.get(_ref_key(ref))
            if label is None:
                raise ValueError(f"Table A1 reference {ref!r} names no coded study")
            if label in seen:
                continue  # row 1 repeats references (a known anomaly): one code per study and activity
            seen.add(label)
            if ambiguous:
                text = (
                    f"Code assignment taken from Table A1 of Sun et al. (2017), row '{row['activity']}', which "
                    f"cites '{ref}' without a letter; read here as {label}. No text of the study is reproduced."
                )
                add(label, activity.code, text, CODER, "reconstructed")
            else:
                text = (
                    f"Code assignment taken from Table A1 of Sun et al. (2017): the study is listed under "
                    f"'{row['activity']}'. No text of the study is reproduced."
                )
                add(label, activity.code, text, "Sun et al. 2017, Table A1", "published")
    _actor_rows(plan, published, codebook, seed, add)
    rows.sort(key=lambda r: (fold(r["study"]), r["code"]))
    return rows


def _actor_rows(plan: Plan, published: dict, codebook: Codebook, seed: int, add: Callable[..., None]) -> None:
    """Spread Table 1's study counts over the coded studies: every study names at least one actor
    type, none names a type twice; which study gets which type is drawn with the seed."""
    labels = sorted(w.appendix_c for w in plan.coded_works)
    slots: list[str] = []
    for _sector, types in published["table_1_actor_types"].items():
        for name, count in types.items():
            slots += [name] * int(count)
    if len(slots) < len(labels):
        raise ValueError("Table 1 has fewer mentions than there are coded studies")
    rng = rng_for(seed, "table1")
    for _attempt in range(1000):
        order = labels[:]
        rng.shuffle(order)
        pool = slots[:]
        rng.shuffle(pool)
        assigned: dict[str, set[str]] = {label: set() for label in labels}
        for label, actor in zip(order, pool, strict=False):
            assigned[label].add(actor)
        rest = pool[len(order) :]
        ok = True
        for actor in rest:
            free = [label for label in order if actor not in assigned[label] and len(assigned[label]) < 2]
            if not free:
                ok = False
                break
            assigned[rng.choice(free)].add(actor)
        if ok:
            break
    else:  # pragma: no cover
        raise RuntimeError("could not spread Table 1 over the coded studies")
    for label in labels:
        for actor_name in sorted(assigned[label]):
            entry = codebook.actor(actor_name)
            if entry is None:
                raise ValueError(f"Table 1 actor type not in the codebook: {actor_name}")
            text = (
                f"Code assignment reconstructed from Table 1 of Sun et al. (2017), which counts the studies that "
                f"name '{actor_name}' as an anchor but not which ones; this study was assigned with seed {seed}. "
                f"No text of the study is reproduced."
            )
            add(label, entry.code, text, CODER, "reconstructed")


def check_segments(rows: list[dict[str, str]], published: dict, codebook: Codebook) -> None:
    """Distinct studies per actor type and per Table A1 row equal the published tables."""
    actor_studies: dict[str, set[str]] = {}
    act_studies: dict[str, set[str]] = {}
    for r in rows:
        entry = codebook.resolve(r["code"])
        if entry is None:
            raise AssertionError(f"unknown code {r['code']}")
        target = actor_studies if r["code"].startswith("actor/") else act_studies
        target.setdefault(entry.name, set()).add(r["study"])
    for types in published["table_1_actor_types"].values():
        for name, count in types.items():
            got = len(actor_studies.get(codebook.actor(name).name, set()))  # type: ignore[union-attr]
            if got != int(count):
                raise AssertionError(f"{name}: {got} studies, Table 1 says {count}")
    for row in published["table_a1_activity_references"]:
        name = codebook.activity(row["activity"]).name  # type: ignore[union-attr]
        keys = {_ref_key(AMBIGUOUS_COSTA[1]) if _ref_key(x) == _ref_key(AMBIGUOUS_COSTA[0]) else _ref_key(x)
                for x in row["references"]}  # fmt: skip
        if len(act_studies.get(name, set())) != len(keys):
            raise AssertionError(f"{name}: {len(act_studies.get(name, set()))} studies, Table A1 lists {len(keys)}")
    if len({r["study"] for r in rows}) == 0 or any(not re.search(r"\d{4}", r["study"]) for r in rows):
        raise AssertionError("segment study labels must be author-year labels")
