"""Two coders: Cohen's kappa per criterion and the list of disagreements to reconcile.

Only works both coders coded on a criterion count towards that criterion's kappa.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slr.decisions import Coded, flag_text


@dataclass
class Agreement:
    criterion: str
    n: int  # works both coded
    agree: int
    yes_a: int
    yes_b: int

    @property
    def observed(self) -> float | None:
        return self.agree / self.n if self.n else None

    @property
    def expected(self) -> float | None:
        if not self.n:
            return None
        pa, pb = self.yes_a / self.n, self.yes_b / self.n
        return pa * pb + (1 - pa) * (1 - pb)

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa; None when undefined (no works, or both coders used one value only)."""
        po, pe = self.observed, self.expected
        if po is None or pe is None or pe >= 1.0:
            return None
        return (po - pe) / (1 - pe)

    def row(self) -> dict[str, Any]:
        def r(x: float | None) -> str | None:
            return None if x is None else f"{x:.4f}"

        return {
            "criterion": self.criterion,
            "works_coded_by_both": self.n,
            "agreements": self.agree,
            "disagreements": self.n - self.agree,
            "yes_a": self.yes_a,
            "yes_b": self.yes_b,
            "observed_agreement": r(self.observed),
            "expected_agreement": r(self.expected),
            "kappa": r(self.kappa),
        }


AGREEMENT_COLUMNS = (
    "criterion",
    "works_coded_by_both",
    "agreements",
    "disagreements",
    "yes_a",
    "yes_b",
    "observed_agreement",
    "expected_agreement",
    "kappa",
)
CONFLICT_COLUMNS = (
    "work_id",
    "title",
    "criterion",
    "coder_a",
    "source_a",
    "coder_b",
    "source_b",
    "reconciled",
    "source_reconciled",
)


def agreement(a: Coded, b: Coded, criteria: Sequence[str]) -> list[Agreement]:
    out = []
    for c in criteria:
        n = agree = yes_a = yes_b = 0
        for wid in sorted(set(a.values) & set(b.values)):
            va, vb = a.values[wid].get(c), b.values[wid].get(c)
            if va is None or vb is None:
                continue
            n += 1
            agree += va.value == vb.value
            yes_a += bool(va.value)
            yes_b += bool(vb.value)
        out.append(Agreement(c, n, agree, yes_a, yes_b))
    return out


def conflicts(
    a: Coded,
    b: Coded,
    criteria: Sequence[str],
    works: Mapping[str, Mapping[str, Any]],
    reconciled: Coded | None = None,
) -> list[dict[str, Any]]:
    """Every (work, criterion) the coders answered differently, with the reconciled value if any."""
    rows = []
    for wid in sorted(set(a.values) & set(b.values)):
        for c in criteria:
            va, vb = a.values[wid].get(c), b.values[wid].get(c)
            if va is None or vb is None or va.value == vb.value:
                continue
            vr = reconciled.values.get(wid, {}).get(c) if reconciled else None
            rows.append(
                {
                    "work_id": wid,
                    "title": works.get(wid, {}).get("title"),
                    "criterion": c,
                    "coder_a": flag_text(va.value),
                    "source_a": str(va.sources[0]),
                    "coder_b": flag_text(vb.value),
                    "source_b": str(vb.sources[0]),
                    "reconciled": flag_text(vr.value) if vr else None,
                    "source_reconciled": str(vr.sources[0]) if vr else None,
                }
            )
    return rows
