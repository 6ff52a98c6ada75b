"""The funnel of earlier runs, and what changed in each stage since the previous one.

A living review is run again and again: new exports, new decisions. To say what a run
changed, ``slr funnel --history DIR`` keeps a snapshot of every funnel it computes (the
counts, the reasons and each stage's works) in ``DIR/<UTC time>/``, the newest ``KEEP``
of them. The snapshots are informational only: no decision, count or work id ever
depends on them, and a fresh clone (no ``results/``) simply has no previous run.

A snapshot folder is written under a temporary name and renamed into place, so a killed
run leaves either a whole snapshot or none (a stale temporary folder is removed by the
next run).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slr import funnel as funnel_mod
from slr.atomic import DIR_MODE, owner_tag, stale
from slr.errors import InputError
from slr.results import read_table

KEEP = 2  # this run and the one before it
MEMBER_COLUMNS = ("work_id", "title", "stages")
FUNNEL_FILE, REASONS_FILE, MEMBERS_FILE = "funnel.csv", "funnel_reasons.csv", "members.csv"
_STAMP = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")
_STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_TEMP_PREFIX = ".snapshot."


@dataclass
class Snapshot:
    """One funnel: its stages (counts, reasons, member work_ids) and the titles of its works."""

    stages: list[funnel_mod.Stage]
    titles: dict[str, str] = field(default_factory=dict)
    label: str | None = None  # the folder name (UTC time of the run); None = not recorded
    path: Path | None = None

    @property
    def created(self) -> datetime | None:
        if self.label is None:
            return None
        return datetime.strptime(self.label, _STAMP_FORMAT).replace(tzinfo=UTC)

    def when(self) -> str:
        created = self.created
        return created.strftime("%Y-%m-%d %H:%M:%S UTC") if created else "not recorded"

    def same_as(self, other: Snapshot) -> bool:
        """Same stages with the same counts, reasons and works (titles and times aside)."""
        return _content(self) == _content(other)


def _content(s: Snapshot) -> list[tuple[str, int | None, dict[str, int], frozenset[str] | None]]:
    return [
        (st.name, st.count, dict(st.reasons), None if st.members is None else frozenset(st.members)) for st in s.stages
    ]


def snapshot(stages: Sequence[funnel_mod.Stage], works: Iterable[Mapping[str, object]] | None) -> Snapshot:
    """The current funnel as a snapshot; titles of its works from ``works`` (works.csv rows)."""
    titles: dict[str, str] = {}
    wanted = {wid for st in stages for wid in (st.members or ())}
    for work in works or ():
        wid = str(work.get("work_id"))
        if wid in wanted:
            titles[wid] = str(work.get("title") or "")
    return Snapshot(list(stages), titles)


# ------------------------------------------------------------------ files


def write(snap: Snapshot, folder: Path) -> None:
    """The snapshot's three files into ``folder`` (which exists)."""
    funnel_mod.write(snap.stages, folder / FUNNEL_FILE, folder / REASONS_FILE)
    stages_of: dict[str, list[str]] = {}
    for st in snap.stages:
        for wid in sorted(st.members or ()):
            stages_of.setdefault(wid, []).append(st.name)
    with open(folder / MEMBERS_FILE, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(MEMBER_COLUMNS)
        for wid in sorted(stages_of):
            w.writerow([wid, snap.titles.get(wid, ""), "; ".join(stages_of[wid])])


def read(folder: Path) -> Snapshot:
    """A snapshot folder back; a damaged one raises InputError naming the file and line."""
    stages = funnel_mod.read(folder / FUNNEL_FILE, folder / REASONS_FILE)
    by_name = {st.name: st for st in stages}
    table = read_table(folder / MEMBERS_FILE, MEMBER_COLUMNS, what="funnel snapshot", made_by="`slr funnel`")
    titles: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        wid = row.get("work_id")
        if not wid:
            raise InputError(table.path, "a row has no work_id", f"delete the folder {folder}", line=line)
        titles[wid] = row.get("title") or ""
        for name in (row.get("stages") or "").split(";"):
            if name.strip():
                members.setdefault(name.strip(), set()).add(wid)
    for name, ids in members.items():
        if name not in by_name:
            raise InputError(
                table.path, f"stage {name!r} is not in {FUNNEL_FILE}", f"delete the folder {folder}", line=1
            )
        by_name[name].members = ids
    for st in stages:
        if st.members is None and st.count is not None and not st.name.startswith("identified_"):
            st.members = set()  # a stage of works (not of records) that holds no work
    return Snapshot(stages, titles, folder.name, folder)


def snapshots(history: Path) -> list[Path]:
    """The snapshot folders in ``history``, newest first."""
    if not history.is_dir():
        return []
    return sorted((p for p in history.iterdir() if p.is_dir() and _STAMP.match(p.name)), reverse=True)


def record(history: Path, snap: Snapshot, keep: int = KEEP, now: datetime | None = None) -> Path:
    """Add ``snap`` to ``history`` as a new snapshot folder; keep the newest ``keep``."""
    history.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(history)
    label = (now or datetime.now(UTC)).strftime(_STAMP_FORMAT)
    folders = snapshots(history)
    if folders and label <= folders[0].name:  # a clock set back, or two runs within a microsecond
        newest = datetime.strptime(folders[0].name, _STAMP_FORMAT).replace(tzinfo=UTC)
        label = (newest + timedelta(microseconds=1)).strftime(_STAMP_FORMAT)
    temp = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{owner_tag()}.", dir=history))
    try:
        os.chmod(temp, DIR_MODE)
        write(snap, temp)
        os.rename(temp, history / label)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    for old in snapshots(history)[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return history / label


def _remove_stale_temporaries(history: Path) -> None:
    for p in history.iterdir():
        if p.is_dir() and p.name.startswith(_TEMP_PREFIX) and stale(p.name):
            shutil.rmtree(p, ignore_errors=True)


def previous(history: Path, current: Snapshot) -> Snapshot | None:
    """The run to compare ``current`` with: the newest snapshot when ``current`` is not it (the
    results changed since ``slr funnel`` last ran), else the one before it; None on a first run."""
    folders = snapshots(history)
    if not folders:
        return None
    latest = read(folders[0])
    if not latest.same_as(current):
        return latest
    current.label, current.path = latest.label, latest.path
    return read(folders[1]) if len(folders) > 1 else None


# ------------------------------------------------------------------ the difference


@dataclass
class StageChange:
    stage: str
    before: int | None  # None = pending (or the stage did not exist: see ``new``)
    after: int | None
    new: bool = False  # the stage did not exist in the previous run
    gone: bool = False  # the stage no longer exists
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    reasons: list[tuple[str, int, int]] = field(default_factory=list)  # (reason, before, after)

    @property
    def changed(self) -> bool:
        return self.new or self.gone or self.before != self.after or bool(self.entered or self.left or self.reasons)


def diff(old: Snapshot, new: Snapshot) -> list[StageChange]:
    """Every stage of either run, in the current order (stages that disappeared last)."""
    before = {st.name: st for st in old.stages}
    after = {st.name: st for st in new.stages}
    names = [st.name for st in new.stages] + [st.name for st in old.stages if st.name not in after]
    changes: list[StageChange] = []
    for name in names:
        a, b = before.get(name), after.get(name)
        ch = StageChange(name, a.count if a else None, b.count if b else None, new=a is None, gone=b is None)
        if a is not None and b is not None:
            if a.members is not None and b.members is not None:
                ch.entered = sorted(b.members - a.members)
                ch.left = sorted(a.members - b.members)
            for reason in list(b.reasons) + [r for r in a.reasons if r not in b.reasons]:
                x, y = a.reasons.get(reason, 0), b.reasons.get(reason, 0)
                if x != y:
                    ch.reasons.append((reason, x, y))
        changes.append(ch)
    return changes


def count_text(value: int | None) -> str:
    return funnel_mod.PENDING if value is None else str(value)


def describe(ch: StageChange) -> str:
    """``broad_unique: 24 -> 26 (+2)``, ``identified_x: new stage -> 8``, ..."""
    if ch.new:
        return f"{ch.stage}: new stage -> {count_text(ch.after)}"
    if ch.gone:
        return f"{ch.stage}: {count_text(ch.before)} -> stage gone"
    text = f"{ch.stage}: {count_text(ch.before)} -> {count_text(ch.after)}"
    if ch.before is not None and ch.after is not None and ch.before != ch.after:
        text += f" ({ch.after - ch.before:+d})"
    elif ch.before == ch.after and (ch.entered or ch.left):
        text += " (same count, other works)"
    return text
