"""Read text exports whatever encoding the database or the researcher's tools used.

Exports arrive as UTF-8 (with or without BOM), UTF-16 (WoS "Windows" tab-delimited,
usually with a BOM) or a legacy Windows code page after a round trip through a
spreadsheet. We decode strictly and never guess silently: mixed encodings and
binary files are refused with the line where the trouble starts.
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from slr.errors import InputError

# Control characters that never occur in a text export (tab, LF, FF and CR are fine).
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# The same characters as bytes: in UTF-8 and Windows-1252 text each is exactly one such byte,
# and bytes.translate finds them several times faster than the regex scans the text.
_BAD_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_utf16_without_bom(data: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when every other byte of ASCII text is NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.6 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.6 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


EXPORT_AGAIN = "export the search again as text (CSV, plain text, RIS or BibTeX)"
SHEET_AGAIN = "save it again from the spreadsheet as CSV (UTF-8) or XLSX"


def decode_bytes(data: bytes, path: str | Path, *, again: str = EXPORT_AGAIN) -> Decoded:
    """Decode a text file's bytes, or raise InputError naming file and line.

    ``again`` says how to get a good copy (an export, a sheet, ...) for the fix."""
    if not data.strip():
        raise InputError(path, "the file is empty", f"{again}, and check the download or copy finished", line=1)
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[3:], "utf-8", path, 3, again), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE):
        return Decoded(_strict(data[2:], "utf-16-le", path, 2, again), "utf-16")
    if data.startswith(codecs.BOM_UTF16_BE):
        return Decoded(_strict(data[2:], "utf-16-be", path, 2, again), "utf-16")
    utf16 = _looks_utf16_without_bom(data)
    if utf16:
        return Decoded(_strict(data, utf16, path, 0, again), utf16)
    if b"\x00" in data:
        raise InputError(path, "this is a binary file, not text", again, line=_line_of(data, data.index(b"\x00")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Decoded(_legacy(data, exc, path, again), "cp1252")
    _check_controls(text, path, again, data)
    return Decoded(text, "utf-8")


def _strict(data: bytes, encoding: str, path: str | Path, skip: int = 0, again: str = EXPORT_AGAIN) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        # the line: count the line breaks in the part that did decode
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputError(
            path,
            f"the file is not valid {encoding.upper()} (byte {exc.start + skip})",
            "export it again, or save it as UTF-8",
            line=line,
        ) from None
    _check_controls(text, path, again, data if encoding == "utf-8" else None)
    return text


def _legacy(data: bytes, exc: UnicodeDecodeError, path: str | Path, again: str = EXPORT_AGAIN) -> str:
    """Fall back to cp1252, but only for files with no UTF-8 in them at all."""
    line = _line_of(data, exc.start)
    if _has_utf8_sequences(data):
        raise InputError(
            path,
            "the file mixes UTF-8 with another encoding (the first byte that is not UTF-8 is here)",
            "re-save the file as UTF-8 in one go, or export it again from the database",
            line=line,
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc2:
        raise InputError(
            path,
            "the file is in an encoding this pipeline cannot read (neither UTF-8, UTF-16 nor Windows-1252)",
            "open it in a spreadsheet or editor and save it as UTF-8",
            line=_line_of(data, exc2.start),
        ) from None
    _check_controls(text, path, again, data)
    return text


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_utf8_sequences(data: bytes) -> bool:
    """True when the bytes hold at least one well-formed multi-byte UTF-8 character."""
    return _UTF8_MULTIBYTE.search(data) is not None


def _check_controls(text: str, path: str | Path, again: str = EXPORT_AGAIN, raw: bytes | None = None) -> None:
    """Refuse text holding a control character that no export contains.

    ``raw``: the bytes the text was decoded from, given only where each such character is one
    byte (UTF-8, cp1252); a clean file is then passed on a fast scan of the bytes."""
    if raw is not None and len(raw.translate(None, _BAD_CONTROL_BYTES)) == len(raw):
        return
    bad = _BAD_CONTROLS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(
            path,
            f"the file holds a control character (U+{ord(bad.group()):04X}) that no text export contains: "
            "it is binary or corrupted",
            again,
            line=line,
        )


def refuse_special_file(path: Path, fix: str = "name the file itself") -> None:
    """A device, pipe or socket (e.g. a link to /dev/zero) is never read: it may be endless or block."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # missing or unreadable: the read that follows says so
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(path, "this is not a regular file (a device, pipe or socket)", fix)


def read_text(path: str | Path, *, again: str = EXPORT_AGAIN) -> Decoded:
    """Read and decode a text file; a missing or unreadable file is an InputError."""
    p = Path(path)
    refuse_special_file(p, "name the export file itself")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(p, "this is a folder, not a file", "name the export file itself") from None
    except PermissionError:
        raise InputError(p, "the file cannot be read (permission denied)", "check its permissions") from None
    return decode_bytes(data, p, again=again)
