"""Full-text availability: was each screened-in work retrieved, and if not, why.

Researchers code ``availability`` (``retrieved`` or a reason from the config, e.g.
``restricted_access``, ``language``) in ``data/coded/fulltext.csv``. A code for a work
that is no longer screened in (its screening decision changed) is kept in the output
as ``not_screened_in`` for the audit, not dropped and not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slr.decisions import Coded

RETRIEVED = "retrieved"
AVAILABILITY_COLUMNS = ("work_id", "decision", "reason", "code_file", "code_row")


def availability_rows(to_retrieve: Sequence[str], coded: Coded) -> list[dict[str, Any]]:
    rows = []
    wanted = set(to_retrieve)
    for wid in list(to_retrieve) + sorted(set(coded.values) - wanted):
        value = coded.values.get(wid, {}).get("availability")
        sources = value.sources if value else []
        if wid not in wanted:
            decision, reason = "not_screened_in", value.value if value else None
        elif value is None:
            decision, reason = "to_code", None
        elif value.value == RETRIEVED:
            decision, reason = RETRIEVED, None
        else:
            decision, reason = "not_retrieved", value.value
        rows.append(
            {
                "work_id": wid,
                "decision": decision,
                "reason": reason,
                "code_file": "; ".join(s.file for s in sources) or None,
                "code_row": "; ".join(str(s.row) for s in sources) or None,
            }
        )
    return rows
