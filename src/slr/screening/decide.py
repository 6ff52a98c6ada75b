"""Apply coded criteria to a stage's works: included, excluded (with the failed
criteria as reason) or to_screen, each traceable to the code file rows behind it.

With two coders, a criterion both coded differently is undecided until a reconciled
file gives the agreed value; the reconciled file always decides where it has a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slr.decisions import Coded, Source, WorkIndex, flag_text, load, parse_flag
from slr.errors import InputError, InputErrors
from slr.screening.rule import Rule

DECISIONS = ("included", "excluded", "to_screen")


@dataclass
class StageCodes:
    first: Coded
    second: Coded | None = None
    reconciled: Coded | None = None

    def all(self) -> list[Coded]:
        return [c for c in (self.first, self.second, self.reconciled) if c is not None]

    def coded_ids(self) -> set[str]:
        return {wid for c in self.all() for wid in c.rows}


def load_stage_codes(
    index: WorkIndex,
    criteria: Sequence[str],
    codes: Iterable[str | Path] = (),
    second: Iterable[str | Path] = (),
    reconciled: Iterable[str | Path] = (),
) -> StageCodes:
    parsers = {c: parse_flag for c in criteria}
    second, reconciled = list(second), list(reconciled)
    return StageCodes(
        load(index, codes, parsers),
        load(index, second, parsers) if second else None,
        load(index, reconciled, parsers) if reconciled else None,
    )


@dataclass
class Decision:
    work_id: str
    decision: str
    reason: str | None
    values: dict[str, bool | None]
    sources: list[Source] = field(default_factory=list)

    def row(self, criteria: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"work_id": self.work_id, "decision": self.decision, "reason": self.reason}
        for c in criteria:
            out[c] = flag_text(self.values.get(c))
        out["code_file"] = "; ".join(s.file for s in self.sources) or None
        out["code_row"] = "; ".join(str(s.row) for s in self.sources) or None
        return out


def screened_columns(criteria: Sequence[str]) -> list[str]:
    return ["work_id", "decision", "reason", *criteria, "code_file", "code_row"]


def combined_values(
    work_id: str, codes: StageCodes, criteria: Sequence[str]
) -> tuple[dict[str, bool | None], list[Source], list[InputError]]:
    """One value per criterion for a work: reconciled > agreeing coders > the only coder."""
    values: dict[str, bool | None] = {}
    sources: set[Source] = set()
    problems: list[InputError] = []
    for c in criteria:
        rec = codes.reconciled.values.get(work_id, {}).get(c) if codes.reconciled else None
        if rec is not None:
            values[c] = rec.value
            sources.update(rec.sources)
            continue
        a = codes.first.values.get(work_id, {}).get(c)
        b = codes.second.values.get(work_id, {}).get(c) if codes.second else None
        if a is not None and b is not None and a.value != b.value:
            problems.append(
                InputError(
                    a.sources[0].file,
                    f"the coders disagree on {c} for work {work_id}: {flag_text(a.value)} here, "
                    f"{flag_text(b.value)} in {b.sources[0]}",
                    "record the agreed value in the reconciled file (see the conflicts sheet of `slr screening kappa`)",
                    line=a.sources[0].row,
                )
            )
            values[c] = None
            continue
        held = a or b
        values[c] = held.value if held else None
        if held:
            sources.update(held.sources)
    return values, sorted(sources), problems


def decide(
    stage_ids: Sequence[str],
    codes: StageCodes,
    criteria: Sequence[str],
    rule: Rule,
    *,
    stage_label: str = "this stage",
) -> tuple[list[Decision], list[InputError]]:
    """Decisions for the stage's works, and every problem (invalid, orphan, conflicting,
    or a decision for a work outside the stage)."""
    problems: list[InputError] = [p for c in codes.all() for p in c.problems]
    members = set(stage_ids)
    for coded in codes.all():
        for wid, rows in coded.rows.items():
            if wid not in members:
                for arow in rows:
                    problems.append(
                        InputError(
                            arow.source.file,
                            f"this decision is for work {wid}, which is not in {stage_label}",
                            "check that every export of the search is in data/raw, or delete the row",
                            line=arow.source.row,
                        )
                    )
    out: list[Decision] = []
    for wid in stage_ids:
        values, sources, conflicts = combined_values(wid, codes, criteria)
        problems.extend(conflicts)
        verdict = rule.evaluate(values)
        if verdict is True:
            out.append(Decision(wid, "included", None, values, sources))
        elif verdict is False:
            out.append(Decision(wid, "excluded", "; ".join(rule.failed(values)), values, sources))
        else:
            missing = [c for c in rule.names if values.get(c) is None]
            out.append(Decision(wid, "to_screen", "not coded: " + ", ".join(missing), values, sources))
    problems.sort(key=lambda e: (e.path or "", e.line or 0, e.problem))
    return out, problems


def decide_or_raise(*args: Any, **kwargs: Any) -> list[Decision]:
    decisions, problems = decide(*args, **kwargs)
    if problems:
        raise InputErrors(problems)
    return decisions


def count(decisions: Iterable[Decision]) -> Mapping[str, int]:
    totals = dict.fromkeys(DECISIONS, 0)
    for d in decisions:
        totals[d.decision] += 1
    return totals
