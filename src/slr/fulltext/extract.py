"""PDF -> text with pdfminer.six, and a status that says whether the text can be trusted.

A PDF that gives no usable text must never look like a paper without mentions, so every PDF
ends with one status (``slr.fulltext.STATUSES``):

- ``not_pdf``: the file does not start with ``%PDF-`` (in its first 1024 bytes): an empty file,
  an HTML login page saved as .pdf, anything else;
- ``broken``: no ``%%EOF`` near the end (truncated download), pdfminer cannot parse it, the
  PDF has no pages, its content refers to itself in a circle, or the extractor process died;
- ``encrypted``: the empty user password (tried first) does not open it, or the encryption
  is not supported;
- ``timeout``: no result within the per-PDF limit (the child process is killed);
- ``no_text_layer``: fewer than half of the pages carry ``min_chars_per_page`` non-space
  characters (a scan without OCR);
- ``garbled``: there is text, but ``(cid:NN)`` codes dominate, or the spaces between words are
  lost (most letters in runs of 20+), or letters are spaced apart (most "words" one letter);
- ``ok``: otherwise; ``message`` lists pages without text, if any.

pdfminer runs in a child process that is reused from PDF to PDF and killed when one takes
longer than the limit, so a PDF that loops (or crashes the parser) costs one PDF, not the run.
Text is cached as ``<text dir>/<pdf stem>.txt`` (pages separated by form feeds) with a
``<pdf stem>.json`` sidecar holding the status and the PDF's SHA-256: a PDF is read again only
when its content, the extractor or the time limit changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import multiprocessing
import re
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pdfminer
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from slr.atomic import outputs, write_text
from slr.errors import InputError, UsageError
from slr.fulltext import STATUSES
from slr.fulltext.normalise import normalise_pages
from slr.fulltext.tables import cell, read_table, write_table

MANIFEST_FIELDS: tuple[str, ...] = ("file", "status", "pages", "chars", "message")

# Bump when normalisation or classification changes, so cached texts are made again.
TEXT_FORMAT = 1

DEFAULT_TIMEOUT = 120.0

# What pdfminer raises on malformed files (its own exceptions, and Python errors from deep
# inside the parser on bad input). Anything else is a bug and is allowed to surface.
PDF_FAILURES: tuple[type[BaseException], ...] = (
    PSException,
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    AssertionError,
    ArithmeticError,
    RecursionError,
    EOFError,
    UnicodeError,
    struct.error,
    zlib.error,
)

_CID = re.compile(r"\(cid:\d+\)")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Thresholds:
    """When extracted text is too thin or too damaged to search (see the module docstring)."""

    min_chars_per_page: int = 100
    min_text_page_share: float = 0.5
    max_cid_share: float = 0.2
    run_on_letters: int = 20
    max_run_on_share: float = 0.3
    max_spaced_share: float = 0.4


@dataclass(frozen=True)
class Extraction:
    """One PDF's outcome. ``text`` is the normalised text, pages joined by form feeds."""

    file: str
    status: str
    pages: int | None = None
    chars: int | None = None
    message: str | None = None
    text: str | None = None

    def row(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "pages": self.pages,
            "chars": self.chars,
            "message": self.message,
        }


# ------------------------------------------------------------------ pure decisions


def sniff(head: bytes, tail: bytes, size: int) -> tuple[str, str] | None:
    """A status for files that are plainly not a whole PDF, from their first and last bytes."""
    if size == 0:
        return "not_pdf", "empty file (0 bytes); download it again"
    if b"%PDF-" not in head[:1024]:
        lowered = head[:1024].lower()
        if b"<html" in lowered or b"<!doctype" in lowered or b"<head" in lowered:
            return (
                "not_pdf",
                "an HTML page, not a PDF (a login or paywall page saved as .pdf?); download the PDF itself",
            )
        start = head[:20].decode("latin-1").encode("unicode_escape").decode("ascii")
        return "not_pdf", f"does not start with %PDF (starts with '{start}'); this is not a PDF"
    if b"%%EOF" not in tail.rstrip(b"\x00 \t\r\n"):
        return "broken", "no %%EOF at the end: the file is truncated (an interrupted download?); download it again"
    return None


def _non_space(page: str) -> int:
    return len(_SPACE.sub("", _CID.sub("#", page)))


def classify(pages: Sequence[str], thresholds: Thresholds = Thresholds()) -> tuple[str, str | None]:
    """``ok``, ``no_text_layer`` or ``garbled`` for text pdfminer could read, with the reason."""
    n = len(pages)
    if n == 0:
        return "broken", "the PDF has no pages"
    counts = [_non_space(page) for page in pages]
    with_text = [count >= thresholds.min_chars_per_page for count in counts]
    if sum(with_text) < thresholds.min_text_page_share * n:
        return (
            "no_text_layer",
            f"{sum(with_text)} of {n} page(s) carry text ({sum(counts)} characters in all); a scan without "
            "a text layer? run OCR (e.g. ocrmypdf) and save the result under the same name",
        )
    text = "\n".join(pages)
    cids = len(_CID.findall(text))
    runs = [len(m.group(0)) for m in _LETTER_RUN.finditer(_CID.sub(" ", text))]
    letters = sum(runs)
    if cids and cids / (cids + letters) > thresholds.max_cid_share:
        return (
            "garbled",
            f"{cids / (cids + letters):.0%} of the glyphs are unmapped (cid:NN) codes (fonts without a Unicode "
            "map); run OCR or find another copy",
        )
    if letters == 0:
        return "garbled", f"no letters among {sum(counts)} characters; run OCR or find another copy"
    run_on = sum(r for r in runs if r >= thresholds.run_on_letters) / letters
    if run_on > thresholds.max_run_on_share:
        return (
            "garbled",
            f"{run_on:.0%} of the letters are in runs of {thresholds.run_on_letters}+ letters: the spaces between "
            "words are lost; run OCR or find another copy",
        )
    spaced = sum(r for r in runs if r == 1) / letters
    if spaced > thresholds.max_spaced_share:
        return (
            "garbled",
            f"{spaced:.0%} of the letters stand alone: the letters are spaced apart; run OCR or find another copy",
        )
    blank = [str(i) for i, has in enumerate(with_text, start=1) if not has]
    return "ok", (f"pages with little or no text: {', '.join(blank)}" if blank else None)


# ------------------------------------------------------------------ pdfminer (in the child process)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_pages(path: str, maxpages: int = 0) -> tuple[str | None, list[str], str | None]:
    """Raw page texts, as pdfminer's ``extract_text`` would give them, or a failure status.

    Returns ``(status, pages, message)``; ``status`` is None when the pages were read.
    """
    collect = _Collect()
    log = logging.getLogger("pdfminer")
    log.addHandler(collect)
    pages: list[str] = []
    try:
        with open(path, "rb") as fp:
            document = PDFDocument(PDFParser(fp), password="")
            manager = PDFResourceManager(caching=True)
            out = io.StringIO()
            device = TextConverter(manager, out, laparams=LAParams())
            interpreter = PDFPageInterpreter(manager, device)
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                interpreter.process_page(page)
                pages.append(out.getvalue().rstrip("\f"))
                out.seek(0)
                out.truncate(0)
                if maxpages and number >= maxpages:
                    break
    except PDFPasswordIncorrect:
        return "encrypted", pages, "encrypted: the empty user password does not open it; save an unencrypted copy"
    except PDFEncryptionError as exc:
        return "encrypted", pages, f"encrypted in a way pdfminer cannot read ({exc}); save an unencrypted copy"
    except PDF_FAILURES as exc:
        detail = " ".join(str(exc).split())[:200]
        return (
            "broken",
            pages,
            f"pdfminer cannot parse it ({type(exc).__name__}: {detail}); download it again or repair it",
        )
    finally:
        log.removeHandler(collect)
    circular = [m for m in collect.messages if "circular reference" in m]
    if circular:
        return "broken", pages, f"its content refers to itself in a circle ({circular[0]}); some text is skipped"
    return None, pages, None


def _serve(conn: Connection) -> None:
    """The child process: read PDFs on request until told to stop."""
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        path, maxpages = request
        conn.send(read_pages(path, maxpages))


def _context() -> Any:
    # fork is cheapest where it is safe (Linux); elsewhere the child imports the module afresh.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


# ------------------------------------------------------------------ the parent side


class Extractor:
    """Extracts PDFs one after another in a reusable child process with a per-PDF time limit.

    ``timeout`` is in seconds; None or 0 means no limit. Use as a context manager.
    """

    def __init__(self, timeout: float | None = DEFAULT_TIMEOUT, thresholds: Thresholds = Thresholds()) -> None:
        self.timeout = timeout or None
        self.thresholds = thresholds
        self._process: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _ensure(self) -> Connection:
        if self._conn is None:
            ctx = _context()
            parent, child = ctx.Pipe()
            self._process = ctx.Process(target=_serve, args=(child,), daemon=True)
            self._process.start()
            child.close()
            self._conn = parent
        return self._conn

    def read(self, path: Path, maxpages: int = 0) -> tuple[str | None, list[str], str | None]:
        """``read_pages`` in the child, or ``timeout`` / ``broken`` when it hangs or dies."""
        conn = self._ensure()
        conn.send((str(path), maxpages))
        try:
            ready = conn.poll(self.timeout)
        except (EOFError, OSError):
            ready = True
        if not ready:
            self._kill()
            return (
                "timeout",
                [],
                (
                    f"no result after {self.timeout:g} s (the PDF may loop or be huge); try a longer --timeout "
                    "or repair it (e.g. qpdf)"
                ),
            )
        try:
            reply: tuple[str | None, list[str], str | None] = conn.recv()
            return reply
        except (EOFError, OSError):
            code = None
            if self._process is not None:
                self._process.join(timeout=5)
                code = self._process.exitcode
            self._kill()
            return "broken", [], f"the extractor process died on it (exit code {code}); repair the PDF or replace it"

    def extract(self, path: Path, maxpages: int = 0) -> Extraction:
        """One PDF -> ``Extraction`` (status, page count, normalised text)."""
        path = Path(path)
        name = path.name
        try:
            size = path.stat().st_size
            with open(path, "rb") as fp:
                head = fp.read(1024)
                fp.seek(max(0, size - 2048))
                tail = fp.read()
        except OSError as exc:
            raise InputError(
                path, f"cannot read the PDF ({exc.strerror})", "check that it exists and is readable"
            ) from exc
        early = sniff(head, tail, size)
        if early is not None and not (maxpages and early[0] == "broken"):
            return Extraction(name, early[0], message=early[1])
        status, raw, message = self.read(path, maxpages)
        if status is not None and not raw:
            return Extraction(name, status, message=message)
        pages = normalise_pages(raw)
        text = "\f".join(pages)
        chars = len(text) - max(0, len(pages) - 1)
        if status is None:
            status, message = classify(pages, self.thresholds)
        return Extraction(name, status, pages=len(pages), chars=chars, message=message, text=text)


# ------------------------------------------------------------------ files: cache and manifest


def extractor_id(thresholds: Thresholds) -> str:
    settings = json.dumps(asdict(thresholds), sort_keys=True)
    digest = hashlib.sha256(settings.encode()).hexdigest()[:12]
    return f"slr-text-{TEXT_FORMAT}/pdfminer-{pdfminer.__version__}/{digest}"


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    try:
        with open(path, "rb") as fp:
            for block in iter(lambda: fp.read(1 << 20), b""):
                sha.update(block)
    except OSError as exc:
        raise InputError(path, f"cannot read the PDF ({exc.strerror})", "check that it is readable") from exc
    return sha.hexdigest()


def _load_cached(sidecar: Path, text_path: Path, key: dict[str, Any], timeout: float | None) -> Extraction | None:
    try:
        saved = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or any(saved.get(k) != v for k, v in key.items()):
        return None
    status = saved.get("status")
    if status not in STATUSES:
        return None
    if status == "timeout":
        before = saved.get("timeout")
        if timeout is None or (before is not None and timeout > before):
            return None  # a longer limit deserves another try
    text = None
    if saved.get("has_text"):
        try:
            text = text_path.read_text(encoding="utf-8")
        except OSError:
            return None
    return Extraction(saved["file"], status, saved.get("pages"), saved.get("chars"), saved.get("message"), text)


def _store(result: Extraction, sidecar: Path, text_path: Path, key: dict[str, Any], timeout: float | None) -> None:
    if result.text is not None:
        write_text(text_path, result.text)
    else:
        text_path.unlink(missing_ok=True)
    saved = {**key, **result.row(), "timeout": timeout, "has_text": result.text is not None}
    write_text(sidecar, json.dumps(saved, ensure_ascii=False, indent=1) + "\n")


def cached_text(path: Path, text_dir: Path, thresholds: Thresholds = Thresholds()) -> str | None:
    """The text ``extract_files`` stored in ``text_dir`` for this PDF (same bytes, same extractor),
    or None: lets ``link`` take first pages from there instead of reading every PDF again."""
    path = Path(path)
    key = {"file": path.name, "sha256": file_digest(path), "extractor": extractor_id(thresholds)}
    found = _load_cached(text_dir / f"{path.stem}.json", text_dir / f"{path.stem}.txt", key, None)
    return found.text if found is not None else None


def check_unique_stems(paths: Iterable[Path]) -> None:
    seen: dict[str, Path] = {}
    for path in paths:
        other = seen.setdefault(path.stem, path)
        if other != path:
            raise UsageError(f"{other} and {path} would share the text file {path.stem}.txt; rename one of them")


Progress = Callable[[int, int, Extraction, float, bool], None]


def extract_files(
    paths: Sequence[Path],
    text_dir: Path,
    timeout: float | None = DEFAULT_TIMEOUT,
    thresholds: Thresholds = Thresholds(),
    progress: Progress | None = None,
) -> list[Extraction]:
    """Extract every PDF once (cached in ``text_dir``) and return their outcomes in order."""
    paths = [Path(p) for p in paths]
    check_unique_stems(paths)
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such PDF file", "check the path")
    text_dir.mkdir(parents=True, exist_ok=True)
    timeout = timeout or None
    results: list[Extraction] = []
    with Extractor(timeout, thresholds) as extractor:
        for number, path in enumerate(paths, start=1):
            started = time.perf_counter()
            try:
                digest = file_digest(path)
            except InputError as exc:  # unreadable (permissions): this PDF's status, not the batch's failure
                result, cached = Extraction(path.name, "broken", message=f"{exc.problem}; {exc.fix}"), False
            else:
                key = {"file": path.name, "sha256": digest, "extractor": extractor_id(thresholds)}
                sidecar, text_path = text_dir / f"{path.stem}.json", text_dir / f"{path.stem}.txt"
                found = _load_cached(sidecar, text_path, key, timeout)
                cached = found is not None
                if found is None:
                    found = extractor.extract(path)
                    _store(found, sidecar, text_path, key, timeout)
                result = found
            results.append(result)
            if progress is not None:
                progress(number, len(paths), result, time.perf_counter() - started, cached)
    return results


def write_manifest(rows: Iterable[Extraction | dict[str, Any]], path: Path) -> int:
    """The manifest (``file,status,pages,chars,message``), all or nothing."""
    with outputs() as out:
        return write_table((r.row() if isinstance(r, Extraction) else r for r in rows), MANIFEST_FIELDS, path, out)


def read_manifest(path: Path) -> list[dict[str, Any]]:
    """Manifest rows, checked: known columns and statuses, one row per file."""
    fix = "give the manifest.csv written by slr fulltext extract"
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, raw in read_table(path, "a manifest", fix, MANIFEST_FIELDS):
        name, status = cell(raw, "file"), cell(raw, "status")
        if not name:
            raise InputError(path, "empty file name", "fix or remove the row", line=line)
        if status not in STATUSES:
            raise InputError(
                path, f"unknown status {status!r} for {name}", f"use one of {', '.join(STATUSES)}", line=line
            )
        if name in seen:
            raise InputError(path, f"{name} is listed twice (first on line {seen[name]})", "remove one row", line=line)
        seen[name] = line
        rows.append(
            {
                "file": name,
                "status": status,
                "pages": _int(raw.get("pages")),
                "chars": _int(raw.get("chars")),
                "message": cell(raw, "message") or None,
                "line": line,
            }
        )
    return rows


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def merge_manifests(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Per-batch manifests -> one, sorted by file; a file in two batches, or two files that
    would share one text file (``x.pdf`` and ``x.PDF``), is an error."""
    merged: dict[str, tuple[Path, dict[str, Any]]] = {}
    stems: dict[str, str] = {}
    for path in paths:
        for row in read_manifest(path):
            name = row["file"]
            if name in merged:
                raise InputError(
                    path,
                    f"{name} is also in {merged[name][0]}",
                    "remove stale batch manifests and run again",
                    line=row["line"],
                )
            other = stems.setdefault(Path(name).stem, name)
            if other != name:
                raise InputError(
                    path,
                    f"{name} and {other} would share the text file {Path(name).stem}.txt",
                    "rename one of them",
                    line=row["line"],
                )
            merged[name] = (path, row)
    return [merged[name][1] for name in sorted(merged)]
