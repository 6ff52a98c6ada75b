"""Count pattern mentions in extracted texts, with keyword-in-context evidence per mention.

The default pattern is "anchor", case-insensitive, matched anywhere in a word: "anchors",
"anchoring", "citation-anchors" and text whose spaces pdfminer lost ("citationanchors") all
count, as "any mention of the word anchor or variations thereof" asks. ``word_start`` is the
stricter reading (the match must begin a word; a hyphen counts as a word boundary).

The whole text is searched, reference list included, as the review did; ``include_references
= False`` cuts the text at the last reference-list heading ("References", "Bibliography",
"Literature cited", "Works cited", "Reference list", optionally numbered) on a line of its own.

A work whose PDF is not ``ok`` is pending: its ``included`` is empty and its status says why.
It is never counted as having no mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slr.errors import InputError, UsageError
from slr.fulltext.tables import cell, read_table

DEFAULT_PATTERN = "anchor"
HIT_FIELDS: tuple[str, ...] = ("work_id", "file", "status", "mentions", "pages_with_mentions", "included")
KWIC_FIELDS: tuple[str, ...] = ("work_id", "file", "page", "match", "left", "right")
LINK_FIELDS: tuple[str, ...] = ("work_id", "file", "matched_by", "score")

_REFERENCE_HEADING = re.compile(
    r"^[ \t]*(?:(?:\d{1,2}|[IVX]{1,5}|[A-Z])[.)]?[ \t]+)?"
    r"(?:references(?:[ \t]+and[ \t]+notes)?|bibliography|literature[ \t]+cited|works[ \t]+cited|reference[ \t]+list"
    r"|cited[ \t]+literature)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class SearchOptions:
    pattern: str = DEFAULT_PATTERN
    word_start: bool = False
    include_references: bool = True
    context_words: int = 10
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", compile_pattern(self.pattern, self.word_start))


@dataclass(frozen=True)
class Mention:
    page: int
    match: str
    left: str
    right: str


# A group holding a repetition that is itself repeated, '(\w+\s?)+': catastrophic backtracking.
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*]|\{\d*,?\d*\})(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,\d*\})")


def compile_pattern(pattern: str, word_start: bool = False) -> re.Pattern[str]:
    """The search pattern, case-insensitive; an unusable one is a usage error, not a silent zero."""
    if not pattern or not pattern.strip():
        raise UsageError("the search pattern is empty; give --pattern, e.g. --pattern anchor")
    if _NESTED_REPEAT.search(pattern):
        raise UsageError(
            f"--pattern {pattern!r} repeats a group that itself repeats (as in '(a+)+'): on some texts such a "
            "pattern runs for hours; write it without the nested repetition"
        )
    source = rf"(?<!\w)(?:{pattern})" if word_start else pattern
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"--pattern {pattern!r} is not a valid regular expression ({exc})") from exc
    if compiled.search("") is not None:
        raise UsageError(f"--pattern {pattern!r} matches the empty string; give a pattern that needs a letter")
    return compiled


def reference_list_start(text: str) -> int | None:
    """Offset of the last reference-list heading, or None when there is none."""
    headings = list(_REFERENCE_HEADING.finditer(text))
    return headings[-1].start() if headings else None


def _token_bounds(page: str, start: int, end: int) -> tuple[int, int]:
    """The whitespace-delimited word around a match, without punctuation at its ends."""
    while start > 0 and not page[start - 1].isspace():
        start -= 1
    while end < len(page) and not page[end].isspace():
        end += 1
    return start, end


def _trim(word: str) -> str:
    return word.strip(".,;:!?()[]{}\"'“”‘’«»<>*")


def find_mentions(text: str, options: SearchOptions) -> list[Mention]:
    """Every match, with its page (1-based), the word it is in, and ±``context_words`` words."""
    if not options.include_references:
        cut = reference_list_start(text)
        if cut is not None:
            text = text[:cut]
    n = options.context_words
    mentions: list[Mention] = []
    for number, page in enumerate(text.split("\f"), start=1):
        for match in options.compiled.finditer(page):
            start, end = _token_bounds(page, match.start(), match.end())
            left = page[:start].rsplit(None, n)[-n:] if n else []
            right = page[end:].split(None, n)[:n] if n else []
            mentions.append(Mention(number, _trim(page[start:end]) or match.group(0), " ".join(left), " ".join(right)))
    return mentions


# ------------------------------------------------------------------ files


def read_links(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line, raw in read_table(
        path, "a links file", "give the links.csv written by slr fulltext link", ("work_id", "file")
    ):
        work_id, name = cell(raw, "work_id"), cell(raw, "file")
        if not work_id or not name:
            raise InputError(path, "a link needs both work_id and file", "fill in or remove the row", line=line)
        rows.append({"work_id": work_id, "file": name, "line": line})
    return rows


def text_files(paths: Iterable[Path]) -> dict[str, Path]:
    """Text files by stem, from files and folders of ``*.txt``."""
    found: dict[str, Path] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            candidates = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
        elif path.is_file():
            candidates = [path]
        else:
            raise InputError(path, "no such text file or folder", "run slr fulltext extract first")
        for candidate in candidates:
            other = found.setdefault(candidate.stem, candidate)
            if other != candidate:
                raise UsageError(f"two texts for {candidate.stem}: {other} and {candidate}; give one of them")
    return found


@dataclass
class SearchResult:
    hits: list[dict[str, Any]]
    kwic: list[dict[str, Any]]
    no_reference_heading: list[str]


def search_links(
    links: Sequence[dict[str, Any]],
    manifest: Sequence[dict[str, Any]],
    texts: dict[str, Path],
    options: SearchOptions,
    min_mentions: int = 1,
    links_path: Path | None = None,
    manifest_path: Path | None = None,
) -> SearchResult:
    """One hits row per link; KWIC rows for each mention in the texts of ``ok`` PDFs."""
    if min_mentions < 1:
        raise UsageError("--min-mentions must be at least 1")
    status = {row["file"]: row for row in manifest}
    result = SearchResult([], [], [])
    for link in links:
        work_id, name = link["work_id"], link["file"]
        row = status.get(name)
        if row is None:
            raise InputError(
                links_path,
                f"{name} (work {work_id}) is not in the manifest",
                "extract it with slr fulltext extract, or fix the link",
                line=link.get("line"),
            )
        hit: dict[str, Any] = {
            "work_id": work_id,
            "file": name,
            "status": row["status"],
            "mentions": None,
            "pages_with_mentions": None,
            "included": None,
        }
        if row["status"] == "ok":
            stem = Path(name).stem
            if stem not in texts:
                raise InputError(
                    manifest_path,
                    f"{name} is ok but its text {stem}.txt is not among the texts given",
                    "give the --text-dir of the extraction (or extract it again)",
                    line=row.get("line"),
                )
            text = texts[stem].read_text(encoding="utf-8")
            if not options.include_references and reference_list_start(text) is None:
                result.no_reference_heading.append(name)
            mentions = find_mentions(text, options)
            hit["mentions"] = len(mentions)
            hit["pages_with_mentions"] = "; ".join(str(p) for p in sorted({m.page for m in mentions})) or None
            hit["included"] = "yes" if len(mentions) >= min_mentions else "no"
            result.kwic.extend(
                {"work_id": work_id, "file": name, "page": m.page, "match": m.match, "left": m.left, "right": m.right}
                for m in mentions
            )
        result.hits.append(hit)
    return result
