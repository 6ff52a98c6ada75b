"""Compare the computed tables with a published version of them, whatever the row order.

Every difference gets a stable id, ``<table>/<kind>[/<row>][/<item>]`` built from folded names
(e.g. ``tableA1/duplicate/create-opportunities-for-by-product-and-utility-synergies/lowe-1997``),
so that a file of accepted anomalies can list the ones a published paper is known to contain.
Kinds:

- ``count``: a published count differs from the computed one (Table 1);
- ``row-only-in-published`` / ``row-only-in-computed``: a row one side lacks;
- ``wording``: one activity or actor type worded differently (Table 2 or A1 against the
  codebook's name, which is Table 2's); the detail says whether words were dropped or changed;
- ``category``, ``sector``, ``type``: a row filed differently;
- ``only-in-published`` / ``only-in-computed``: a reference one side of a Table A1 row lacks;
- ``duplicate``: a reference twice in one published row;
- ``ambiguous``: a reference without the a/b letter where the author-year names two studies
  (matched to the one the computed row has, when that is unique);
- ``spelled-differently``: one study spelled two ways within the published table (case, "&"
  or words; punctuation such as "et al.," vs "et al." is style and not counted);
- ``citation-differs``: a published citation that names a study with other author names than
  the works table (same year, a shared name);
- ``not-coded`` / ``only-in-computed`` (Appendix C), ``count`` (Appendix C's length against the
  included studies), ``sum-vs-studies`` (Table 1's counts against the studies it covers),
  ``funnel/count/...``: the computed included/coded counts against the published funnel;
- ``accepted-not-found``: an accepted anomaly that the comparison did not find.
"""

from __future__ import annotations

import csv
import fnmatch
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slr.codebook import Codebook
from slr.errors import InputError
from slr.records import fold
from slr.spreadsheet import unneutralise
from slr.yamlfile import YamlFile, line_of, read_yaml

from . import citations
from .citations import match_key, split_suffix


@dataclass
class Difference:
    id: str
    kind: str
    table: str
    row: str
    item: str
    detail: str
    accepted: bool = False
    anomaly: str = ""


def slug(text: str) -> str:
    return "-".join(fold(text).split()) or "-"


def _diff(table: str, kind: str, row: str, item: str, detail: str) -> Difference:
    parts = [table, kind] + [slug(p) for p in (row, item) if p]
    return Difference("/".join(parts), kind, table, row, item, detail)


# ---------------------------------------------------------------- inputs


@dataclass
class Computed:
    table1: list[tuple[str, str, int]]  # sector, actor_type, studies
    table2: list[tuple[str, str, str]]  # type, category, activity (activity rows only)
    table_a1: list[tuple[str, str, list[str]]]  # activity, type, references
    appendix_c: list[str]
    summary: dict[str, int] = field(default_factory=dict)


def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    fix = "run `slr tables build` first, or pass its --out-dir"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "no such file", fix) from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", fix, line=1)
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: unneutralise((v or "").strip()) for k, v in row.items() if k}))
    return rows


def _int(path: Path, line: int, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(path, f"{value!r} is not a count", "run `slr tables build` again", line=line) from None


def load_computed(results: str | Path) -> Computed:
    d = Path(results)
    if not d.is_dir():
        raise InputError(d, "no such folder", "pass the --out-dir of `slr tables build`")
    t1 = [
        (r["sector"], r["actor_type"], _int(d / "table1.csv", ln, r["studies"]))
        for ln, r in _read(d / "table1.csv", ("sector", "actor_type", "studies"))
    ]
    t2 = [
        (r["type"], r["category"], r["activity"])
        for _, r in _read(d / "table2.csv", ("type", "category", "activity", "studies"))
        if r["activity"]
    ]
    a1 = [
        (r["activity"], r["type"], [x.strip() for x in r["references"].split(";") if x.strip()])
        for _, r in _read(d / "tableA1.csv", ("activity", "type", "references"))
    ]
    app = [r["citation"] for _, r in _read(d / "appendixC.csv", ("citation",))]
    summary: dict[str, int] = {}
    if (d / "coding_summary.csv").is_file():
        for ln, r in _read(d / "coding_summary.csv", ("measure", "value")):
            summary[r["measure"]] = _int(d / "coding_summary.csv", ln, r["value"])
    return Computed(t1, t2, a1, app, summary)


def load_yaml(path: str | Path, what: str, example: str) -> YamlFile:
    """The published tables or the accepted anomalies, read as every YAML a researcher edits
    (``slr.yamlfile``: strict UTF-8, no repeated key, a limit on aliases, the line of every key);
    ``example`` is the project's file of that layout."""
    return read_yaml(path, what=f"the {what}", fix=f"see {example} in the project", mapping=False)


@dataclass
class Published:
    table1: dict[str, dict[str, int]] | None
    table2: dict[str, dict[str, list[str]]] | None
    table_a1: list[tuple[str, str, list[str]]] | None
    appendix_c: list[str] | None
    funnel: dict[str, int]


def parse_published(data: Any, path: str | Path, doc: YamlFile | None = None) -> Published:
    """``doc`` (from ``load_yaml``) gives each error the line of the entry to fix."""
    p = Path(path)

    def bad(section: str, expected: str, keys: list[object]) -> InputError:
        return InputError(
            p, f"{section}: expected {expected}", "fix the published tables file", line=line_of(doc, keys)
        )

    if not isinstance(data, dict):
        raise bad("(top level)", "a mapping of sections", [])
    t1 = data.get("table_1_actor_types")
    if t1 is not None:
        ok = isinstance(t1, dict) and all(
            isinstance(v, dict) and all(isinstance(n, int) and not isinstance(n, bool) for n in v.values())
            for v in t1.values()
        )
        if not ok:
            raise bad("table_1_actor_types", "sector -> {actor type: count}", ["table_1_actor_types"])
    t2 = data.get("table_2_taxonomy")
    if t2 is not None:
        ok = isinstance(t2, dict) and all(
            isinstance(cats, dict)
            and all(isinstance(acts, list) and all(isinstance(a, str) for a in acts) for acts in cats.values())
            for cats in t2.values()
        )
        if not ok:
            raise bad("table_2_taxonomy", "type -> {category: [activity, ...]}", ["table_2_taxonomy"])
    a1 = None
    raw_a1 = data.get("table_a1_activity_references")
    if raw_a1 is not None:
        if not isinstance(raw_a1, list):
            raise bad(
                "table_a1_activity_references",
                "a list of {activity, type, references}",
                ["table_a1_activity_references"],
            )
        a1 = []
        for i, row in enumerate(raw_a1, start=1):
            if not (
                isinstance(row, dict)
                and isinstance(row.get("activity"), str)
                and isinstance(row.get("references"), list)
                and all(isinstance(r, str) for r in row["references"])
            ):
                raise bad(
                    f"table_a1_activity_references row {i}",
                    "activity (text), type (P/I), references (list)",
                    ["table_a1_activity_references", i - 1],
                )
            a1.append((row["activity"], str(row.get("type") or ""), list(row["references"])))
    app = data.get("appendix_c_included_studies")
    if app is not None and not (isinstance(app, list) and all(isinstance(x, str) for x in app)):
        raise bad("appendix_c_included_studies", "a list of citations", ["appendix_c_included_studies"])
    funnel = data.get("funnel") or {}
    if not isinstance(funnel, dict):
        raise bad("funnel", "a mapping of stage: count", ["funnel"])
    counts = {k: v for k, v in funnel.items() if isinstance(v, int) and not isinstance(v, bool)}
    return Published(t1, t2, a1, app, counts)


@dataclass
class Acceptance:
    anomaly: str
    ids: list[str]


def parse_accept(data: Any, path: str | Path, doc: YamlFile | None = None) -> list[Acceptance]:
    """``doc`` (from ``load_yaml``) gives each error the line of the entry to fix."""
    p = Path(path)
    fix = "write `accepted:` as a list of {anomaly: text, ids: [difference id, ...]}"
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("accepted", []), list):
        keys = ["accepted"] if isinstance(data, dict) else []
        raise InputError(p, "expected a mapping with a list `accepted`", fix, line=line_of(doc, keys))
    out = []
    for i, item in enumerate(data.get("accepted") or [], start=1):
        if not isinstance(item, dict) or set(item) - {"anomaly", "ids", "note"}:
            raise InputError(
                p,
                f"accepted entry {i}: expected the keys anomaly, ids (and note)",
                fix,
                line=line_of(doc, ["accepted", i - 1]),
            )
        ids = item.get("ids")
        if not isinstance(ids, list) or not ids or not all(isinstance(x, str) and x for x in ids):
            raise InputError(
                p,
                f"accepted entry {i}: `ids` must be a non-empty list of difference ids",
                fix,
                line=line_of(doc, ["accepted", i - 1, "ids"]),
            )
        out.append(Acceptance(str(item.get("anomaly") or ""), ids))
    return out


# ---------------------------------------------------------------- comparison


def _canon_activity(book: Codebook | None, name: str) -> str:
    act = book.activity(name) if book else None
    return fold(act.name if act else name)


def _canon_actor(book: Codebook | None, name: str) -> str:
    actor = book.actor(name) if book else None
    return fold(actor.name if actor else name)


def _abbreviated(short: str, full: str) -> bool:
    """Does ``short`` only drop words from ``full`` (an article, a bracketed example)?"""
    rest = iter(fold(full).split())
    return all(word in rest for word in fold(short).split())


def _wording(table: str, published: str, computed: str, extra: str = "") -> Difference:
    how = "drops words" if _abbreviated(published, computed) else "words it differently"
    detail = f"published {published!r} {how}; computed (codebook) {computed!r}{extra}"
    return _diff(table, "wording", computed, "", detail)


def compare_table1(pub: dict[str, dict[str, int]], comp: Computed, book: Codebook | None, funnel: dict[str, int]):
    diffs = []
    rows = {_canon_actor(book, name): (sector, name, n) for sector, name, n in comp.table1}
    seen = set()
    for sector, items in pub.items():
        for name, count in items.items():
            key = _canon_actor(book, name)
            if key in seen:
                diffs.append(_diff("table1", "row-twice", name, "", f"{name!r} is listed twice"))
                continue
            seen.add(key)
            found = rows.get(key)
            if found is None:
                diffs.append(_diff("table1", "row-only-in-published", name, "", f"published {count} studies"))
                continue
            c_sector, c_name, c_n = found
            if fold(c_sector) != fold(sector):
                diffs.append(_diff("table1", "sector", c_name, "", f"published {sector!r}, computed {c_sector!r}"))
            if c_n != count:
                diffs.append(_diff("table1", "count", c_name, "", f"published {count} studies, computed {c_n}"))
            if name != c_name:
                diffs.append(_wording("table1", name, c_name))
    for key, (_sector, name, n) in rows.items():
        if key not in seen and n > 0:
            diffs.append(_diff("table1", "row-only-in-computed", name, "", f"computed {n} studies"))
    total = sum(n for items in pub.values() for n in items.values())
    studies = funnel.get("anchor_mention_included")
    if studies is not None and total != studies:
        diffs.append(
            _diff(
                "table1",
                "sum-vs-studies",
                "",
                "",
                f"published counts sum to {total} mentions for {studies} studies "
                f"(computed: {sum(n for *_, n in comp.table1)} mentions by "
                f"{comp.summary.get('coded_with_actor', '?')} studies; a study may name several anchor types)",
            )
        )
    return diffs


def compare_table2(pub: dict[str, dict[str, list[str]]], comp: Computed, book: Codebook | None):
    diffs = []
    rows = {_canon_activity(book, a): (t, c, a) for t, c, a in comp.table2}
    seen = set()
    for type_key, cats in pub.items():
        for category, acts in cats.items():
            for act in acts:
                key = _canon_activity(book, act)
                seen.add(key)
                found = rows.get(key)
                if found is None:
                    diffs.append(_diff("table2", "row-only-in-published", act, "", f"under {category!r}"))
                    continue
                c_type, c_cat, c_act = found
                if fold(c_type) != fold(type_key):
                    diffs.append(_diff("table2", "type", c_act, "", f"published {type_key!r}, computed {c_type!r}"))
                if fold(c_cat) != fold(category):
                    diffs.append(_diff("table2", "category", c_act, "", f"published {category!r}, computed {c_cat!r}"))
                if act != c_act:
                    diffs.append(_wording("table2", act, c_act))
    for key, (_t, c_cat, c_act) in rows.items():
        if key not in seen:
            diffs.append(_diff("table2", "row-only-in-computed", c_act, "", f"under {c_cat!r}"))
    return diffs


@dataclass
class _RefContext:
    suffixed: set[str]  # bases of citations that carry an a/b letter somewhere
    renamed: dict[str, Difference] = field(default_factory=dict)  # citation-differs, once per citation


def _match_refs(
    table: str, row: str, published: list[str], computed: list[str], ctx: _RefContext
) -> tuple[list[Difference], list[str], list[str]]:
    """Match one row's references; returns (differences, unmatched published, unmatched computed)."""
    diffs = []
    spellings: dict[str, list[str]] = defaultdict(list)
    for ref in published:
        spellings[match_key(ref)].append(ref)
    for key, refs in spellings.items():
        if len(refs) > 1:
            shown = ", ".join(repr(r) for r in refs)
            diffs.append(_diff(table, "duplicate", row, key, f"appears {len(refs)} times: {shown}"))
    comp_keys = {match_key(r): r for r in computed}
    left_pub = [k for k in spellings if k not in comp_keys]
    left_comp = {k: r for k, r in comp_keys.items() if k not in spellings}
    still_pub = []
    for key in left_pub:
        base, letter = split_suffix(key)
        if not letter and base in ctx.suffixed:
            candidates = [k for k in left_comp if split_suffix(k)[0] == base]
            reading = (
                f"; read as {left_comp[candidates[0]]!r}, the one the computed row has and the published row "
                "does not otherwise list"
                if len(candidates) == 1
                else ""
            )
            ref = spellings[key][0]
            diffs.append(
                _diff(table, "ambiguous", row, key, f"{ref!r} has no a/b letter but names two studies{reading}")
            )
            if len(candidates) == 1:
                del left_comp[candidates[0]]
                continue
        still_pub.append(key)
    unmatched_pub = []
    for key in still_pub:
        ref = spellings[key][0]
        year, names = citations.year_of(ref), citations.surnames_of(ref)
        candidates = [
            k for k, r in left_comp.items() if citations.year_of(r) == year and names & citations.surnames_of(r)
        ]
        if len(candidates) == 1:
            comp_ref = left_comp.pop(candidates[0])
            if key not in ctx.renamed:
                ctx.renamed[key] = _diff(
                    table,
                    "citation-differs",
                    "",
                    key,
                    f"published {ref!r} names the study the works table cites as {comp_ref!r}",
                )
            continue
        unmatched_pub.append(key)
    return diffs, [spellings[k][0] for k in unmatched_pub], list(left_comp.values())


def compare_table_a1(
    pub_rows: list[tuple[str, str, list[str]]],
    comp: Computed,
    book: Codebook | None,
    ctx: _RefContext,
    table2_names: dict[str, str] | None = None,
) -> list[Difference]:
    diffs: list[Difference] = []
    rows = {_canon_activity(book, a): (a, t, refs) for a, t, refs in comp.table_a1}
    seen: set[str] = set()
    for activity, type_letter, refs in pub_rows:
        key = _canon_activity(book, activity)
        found = rows.get(key)
        if found is None:
            diffs.append(_diff("tableA1", "row-only-in-published", activity, "", f"{len(refs)} references"))
            continue
        c_act, c_type, c_refs = found
        if key in seen:
            diffs.append(_diff("tableA1", "row-twice", c_act, "", f"a second published row {activity!r}"))
            continue
        seen.add(key)
        if activity != c_act:
            t2 = (table2_names or {}).get(key)
            extra = f"; published Table 2 says {t2!r}" if t2 else ""
            diffs.append(_wording("tableA1", activity, c_act, extra))
        if type_letter and fold(type_letter) != fold(c_type):
            diffs.append(_diff("tableA1", "type", c_act, "", f"published {type_letter!r}, computed {c_type!r}"))
        row_diffs, only_pub, only_comp = _match_refs("tableA1", c_act, refs, c_refs, ctx)
        diffs += row_diffs
        diffs += [_diff("tableA1", "only-in-published", c_act, match_key(r), f"{r!r}") for r in only_pub]
        diffs += [_diff("tableA1", "only-in-computed", c_act, match_key(r), f"{r!r}") for r in only_comp]
    for key, (c_act, _t, c_refs) in rows.items():
        if key not in seen and c_refs:
            diffs.append(_diff("tableA1", "row-only-in-computed", c_act, "", f"{len(c_refs)} references"))
    # One study spelled in more than one way anywhere in the published table.
    spellings: dict[str, dict[str, str]] = defaultdict(dict)
    for _a, _t, refs in pub_rows:
        for ref in refs:
            spellings[match_key(ref)].setdefault(citations.spelling(ref), ref)
    for key, forms in spellings.items():
        if len(forms) > 1:
            shown = ", ".join(repr(r) for r in forms.values())
            diffs.append(
                _diff("tableA1", "spelled-differently", "", key, f"one study spelled {len(forms)} ways: {shown}")
            )
    return diffs


def compare_appendix_c(pub: list[str], comp: Computed, funnel: dict[str, int], ctx: _RefContext):
    diffs, only_pub, only_comp = _match_refs("appendixC", "", pub, comp.appendix_c, ctx)
    diffs += [
        _diff("appendixC", "not-coded", "", match_key(r), f"{r!r} is listed but no coded segment names it")
        for r in only_pub
    ]
    diffs += [
        _diff("appendixC", "only-in-computed", "", match_key(r), f"{r!r} is coded but not listed") for r in only_comp
    ]
    included = funnel.get("anchor_mention_included")
    if included is not None and len(pub) != included:
        diffs.append(
            _diff(
                "appendixC", "count", "", "", f"published list has {len(pub)} studies, the review included {included}"
            )
        )
    return diffs


def compare_funnel(funnel: dict[str, int], comp: Computed) -> list[Difference]:
    diffs = []
    coded_stage = "coded_reproducible" if "coded_reproducible" in funnel else "coded_at_least_once"
    for stage, measure in (("anchor_mention_included", "included_studies"), (coded_stage, "coded_studies")):
        if stage in funnel and measure in comp.summary and funnel[stage] != comp.summary[measure]:
            diffs.append(
                _diff("funnel", "count", stage, "", f"published {funnel[stage]}, computed {comp.summary[measure]}")
            )
    return diffs


def compare(comp: Computed, pub: Published, book: Codebook | None = None) -> list[Difference]:
    """Every difference between the computed and the published tables (sections the published
    file lacks are not compared)."""
    everything = [r for _a, _t, refs in (pub.table_a1 or []) for r in refs] + list(pub.appendix_c or [])
    everything += [r for _a, _t, refs in comp.table_a1 for r in refs] + comp.appendix_c
    ctx = _RefContext({split_suffix(match_key(r))[0] for r in everything if split_suffix(match_key(r))[1]})
    diffs: list[Difference] = []
    if pub.table1 is not None:
        diffs += compare_table1(pub.table1, comp, book, pub.funnel)
    if pub.table2 is not None:
        diffs += compare_table2(pub.table2, comp, book)
    if pub.table_a1 is not None:
        t2_names = {
            _canon_activity(book, act): act
            for cats in (pub.table2 or {}).values()
            for acts in cats.values()
            for act in acts
        }
        diffs += compare_table_a1(pub.table_a1, comp, book, ctx, t2_names)
    if pub.appendix_c is not None:
        diffs += compare_appendix_c(pub.appendix_c, comp, pub.funnel, ctx)
    diffs += list(ctx.renamed.values())
    diffs += compare_funnel(pub.funnel, comp)
    unique: dict[str, Difference] = {}
    for d in diffs:
        unique.setdefault(d.id, d)
    return sorted(unique.values(), key=lambda d: d.id)


def apply_accepted(diffs: list[Difference], accepted: Iterable[Acceptance]) -> list[Difference]:
    """Mark accepted differences; an accepted id that matches nothing becomes a difference itself."""
    out = list(diffs)
    for acc in accepted:
        for pattern in acc.ids:
            hits = [d for d in diffs if fnmatch.fnmatchcase(d.id, pattern)]
            for d in hits:
                d.accepted, d.anomaly = True, acc.anomaly
            if not hits:
                missing = Difference(
                    f"accept/accepted-not-found/{pattern}",
                    "accepted-not-found",
                    "accept",
                    "",
                    pattern,
                    f"accepted anomaly not found by the comparison: {acc.anomaly}",
                )
                out.append(missing)
    return out


COLUMNS = ("id", "kind", "table", "row", "item", "detail", "accepted", "anomaly")


def rows(diffs: Iterable[Difference]) -> list[list[object]]:
    return [[d.id, d.kind, d.table, d.row, d.item, d.detail, "yes" if d.accepted else "no", d.anomaly] for d in diffs]
