"""BibTeX: Scopus and Web of Science BibTeX exports, and BibTeX from any reference manager.

Real exports break strict BibTeX parsers: Scopus writes field names with a
space (``funding_text 1``) and repeats fields (``funding_details``), Web of
Science writes ``Early Access Date``, ``{{double-braced}}`` values and a BOM,
and newer Scopus files start with a two-line preamble (``Scopus`` /
``EXPORT DATE: ...``) before the first entry. This reader has its own small
tokenizer so that every field is kept (nothing is dropped as a "failed
block"), the line of every entry is known, and damage is reported with that
line: braces that do not balance, an entry cut off by the end of the file, a
field without ``=``, or stray field text left between entries by a closing
brace too many. (bibtexparser 2 reads these files too, but at about 1,500
entries/s on the pyBibX exports before any normalisation, below the
2,000 entries/s this stage needs; the tests check this reader against it.)

Schema fields are decoded from LaTeX (``{\\"o}``, ``\\'e``, ``{\\&}``, protective
braces); ``extra`` keeps every other field as written, minus redundant outer
braces, plus ``@type`` (the entry type) and ``@key`` (the citation key).
Repeated fields are joined by "; ".

The database is told from the content: ``scopus`` (``source = {Scopus}``, a
scopus.com URL, an EID, or the "Scopus" preamble), ``wos`` (a ``WOS:`` key or
``Unique-ID``, or Web of Science fields), else ``other``. ``record_id`` is the
Scopus EID (from ``url``, ``eid`` or ``note``) or the WoS accession (key or
``Unique-ID``); other entries get ``bib:<citation key>``, which stays the same
when a reference manager exports the same library again. Two entries of one
file with the same key and no accession get distinct ids (``bib:<key>#2``).
"""

from __future__ import annotations

import re
from pathlib import Path

from pylatexenc.latex2text import LatexNodes2Text

from slr.errors import InputError
from slr.records import Record, clean, content_id, make_record, normalise_author

from .combine import is_bare_year, join_keywords, scopus_eid, split_scopus_title, wos_ut

FORMAT = "bibtex"
DESCRIPTION = "BibTeX"

_FIX_EXPORT = "export the records again as BibTeX, or repair the entry in a text editor"

_ENTRY = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
_KEY = re.compile(r"[ \t\r\n]*([^,\s{}()]*)[ \t\r\n]*([,})])")
_NAME = re.compile(r"[ \t\r\n,]*([^=,{}\"#@\s][^=,{}\"#@\r\n]*?)[ \t]*=[ \t\r\n]*")
_SPACE = re.compile(r"[ \t\r\n]*")
# braces and quotes that count: an escaped \{ or \" is text (as bibtexparser reads it)
_BRACES = re.compile(r"(?<!\\)[{}]")
_QUOTE_END = re.compile(r"(?<!\\)[{}\"]")
_PAREN_END = re.compile(r"(?<!\\)[{}()]")
_AUTHOR_SPLIT = re.compile(r"(?<!\\)[{}]|\s+and\s+", re.IGNORECASE)
_BARE = re.compile(r"[A-Za-z0-9_][\w\-:.+/']*")
_NEXT_ENTRY = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")
_STRAY = re.compile(r"^[ \t]*[\w -]+[ \t]*=[ \t]*[{\"]|[{}]", re.MULTILINE)
_HEAD_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]", re.MULTILINE)
_TABLE_ROW = re.compile(r"[,;\t]")
_MAX_EXPANDED = 1_000_000  # characters a value may reach by '#'-joining @string macros
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_SIMPLE_LATEX = re.compile(r"\\([&%_#$])|[{}]")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_MONTHS = {
    m: m.capitalize() for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
}
_latex = LatexNodes2Text()


# ------------------------------------------------------------------ detection


def sniff(head: str) -> bool:
    match = _HEAD_ENTRY.search(head)
    if match is None:
        return False
    # before the first entry only a short preamble: Scopus' "Scopus" / "EXPORT DATE: ..." lines or
    # "%" comments (JabRef, BibDesk); a table row or header there means the file is something else
    lines = [line.strip() for line in head[: match.start()].splitlines() if line.strip()]
    return len(lines) <= 20 and all(line.startswith("%") or not _TABLE_ROW.search(line) for line in lines)


# ------------------------------------------------------------------ tokenizer


class _Entry:
    __slots__ = ("fields", "key", "line", "type")

    def __init__(self, type_: str, key: str, line: int) -> None:
        self.type = type_
        self.key = key
        self.line = line
        self.fields: dict[str, str] = {}


class _Scanner:
    """Walks the text once, keeping the line number of the position reached."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path
        self._pos = 0
        self._line = 1
        self.macros: dict[str, str] = dict(_MONTHS)

    def line_at(self, pos: int) -> int:
        if pos >= self._pos:
            self._line += self.text.count("\n", self._pos, pos)
        else:
            self._line -= self.text.count("\n", pos, self._pos)
        self._pos = pos
        return self._line

    def fail(self, pos: int, problem: str, fix: str = _FIX_EXPORT) -> InputError:
        return InputError(self.path, problem, fix, line=self.line_at(pos))

    def entries(self) -> tuple[str, list[_Entry]]:
        """The text before the first entry (the preamble) and every entry."""
        text = self.text
        out: list[_Entry] = []
        pos = 0
        preamble: str | None = None
        while True:
            match = _ENTRY.search(text, pos)
            between = text[pos : match.start() if match else len(text)]
            if preamble is None:
                preamble = between
            elif between.strip():
                self._check_between(between, pos, out[-1] if out else None)
            if match is None:
                break
            kind = match.group(1).lower()
            close = "}" if match.group(2) == "{" else ")"
            start = match.start()
            line = self.line_at(start)
            if kind == "comment" or kind == "preamble":
                pos = self._skip_block(match.end(), close, start)
            elif kind == "string":
                pos = self._string(match.end(), close, start)
            else:
                entry, pos = self._entry(match.group(1), match.end(), close, start, line)
                out.append(entry)
        return preamble or "", out

    def _check_between(self, between: str, pos: int, before: _Entry | None) -> None:
        """Text between entries is a comment in BibTeX, but field text there means an entry was cut in two."""
        stray = _STRAY.search(between)
        if stray is not None:
            which = f"the entry '{before.key}' (line {before.line})" if before else "the entry before it"
            raise self.fail(
                pos + stray.start(),
                f"field text outside any entry: {which} was closed too early (a '}}' too many)",
            )

    def _skip_block(self, pos: int, close: str, start: int) -> int:
        end = self._balanced(pos, close, start, "@comment/@preamble")
        return end + 1

    def _string(self, pos: int, close: str, start: int) -> int:
        name = _NAME.match(self.text, pos)
        if name is None:
            raise self.fail(pos, "an @string without 'name = value'")
        value, pos = self._value(name.end(), start, name.group(1))
        self.macros[name.group(1).strip().lower()] = value
        end = _SPACE.match(self.text, pos)
        pos = end.end() if end else pos
        if not self.text.startswith(close, pos):
            raise self.fail(pos, f"the @string that starts at line {self.line_at(start)} is not closed")
        return pos + 1

    def _entry(self, type_: str, pos: int, close: str, start: int, line: int) -> tuple[_Entry, int]:
        text = self.text
        key = _KEY.match(text, pos)
        if key is None:
            raise self.fail(pos, f"the @{type_} entry that starts here has no citation key followed by ','")
        entry = _Entry(type_, key.group(1), line)
        pos = key.end()
        if key.group(2) != ",":
            if key.group(2) != close:
                raise self.fail(pos, f"the @{type_} entry that starts here is not closed with '{close}'")
            return entry, pos
        fields = entry.fields
        size = len(text)
        while True:
            space = _SPACE.match(text, pos)
            pos = space.end() if space else pos
            while pos < size and text[pos] == ",":
                pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if pos >= size:
                raise InputError(
                    self.path,
                    f"the entry '{entry.key}' that starts at line {line} is not closed before the end of the file: "
                    "a '}' is missing or the file is truncated",
                    _FIX_EXPORT,
                    line=line,
                )
            if text[pos] == close:
                return entry, pos + 1
            name = _NAME.match(text, pos)
            if name is None:
                raise self.fail(
                    pos,
                    f"expected 'name = value' or the end of the entry '{entry.key}' (line {line}): braces or "
                    "quotes do not balance, or a ',' is missing",
                )
            field = name.group(1).strip()
            value, pos = self._value(name.end(), start, field)
            if field in fields:
                fields[field] = f"{fields[field]}; {value}"
            else:
                fields[field] = value
            space = _SPACE.match(text, pos)
            pos = space.end() if space else pos
            if pos < size and text[pos] not in (",", close):
                if _HEAD_ENTRY.match(text, text.rfind("\n", 0, pos) + 1):
                    # the next entry begins where this one should have been closed
                    raise InputError(
                        self.path,
                        f"the entry '{entry.key}' that starts at line {line} is not closed: a '{close}' is missing "
                        f"(its braces do not balance) before the next entry at line {self.line_at(pos)}",
                        _FIX_EXPORT,
                        line=line,
                    )
                raise self.fail(
                    pos,
                    f"expected ',' or '{close}' after the field '{field}' of the entry '{entry.key}' (line {line})",
                )

    def _value(self, pos: int, start: int, field: str) -> tuple[str, int]:
        """One value: pieces in braces, in quotes, numbers or @string names, joined by '#'."""
        text = self.text
        pieces: list[str] = []
        size = len(text)
        while True:
            if pos >= size:
                raise self._unclosed(start)
            char = text[pos]
            if char == "{":
                end = self._balanced(pos + 1, "}", start, field)
                pieces.append(text[pos + 1 : end])
                pos = end + 1
            elif char == '"':
                end = self._quoted(pos + 1, start, field)
                pieces.append(text[pos + 1 : end])
                pos = end + 1
            else:
                bare = _BARE.match(text, pos)
                if bare is None:
                    raise self.fail(pos, f"the field '{field}' has no value")
                word = bare.group()
                pieces.append(word if word[0].isdigit() else self.macros.get(word.lower(), word))
                pos = bare.end()
                if len(pieces) > 1 and sum(map(len, pieces)) > _MAX_EXPANDED:  # '@string' doubling, a bomb
                    raise self.fail(
                        pos, f"the field '{field}' grows beyond {_MAX_EXPANDED:,} characters by joining @string values"
                    )
            space = _SPACE.match(text, pos)
            pos = space.end() if space else pos
            if pos < size and text[pos] == "#":
                space = _SPACE.match(text, pos + 1)
                pos = space.end() if space else pos + 1
                continue
            return "".join(pieces), pos

    def _balanced(self, pos: int, close: str, start: int, field: str) -> int:
        """Position of the '}' (or ')') that closes a group opened just before ``pos``."""
        depth = 0
        text = self.text
        if close == ")":
            # a (...)-delimited @comment/@preamble: find the ')' outside braces
            for match in _PAREN_END.finditer(text, pos):
                char = match.group()
                if char == "{":
                    depth += 1
                elif char == "}":
                    depth -= 1
                elif char == ")" and depth <= 0:
                    return self._checked(pos, match.start(), start, field)
            raise self._unclosed(start)
        find = text.find
        i = pos
        while True:  # str.find from brace to brace: much faster than a regex scan here
            close_at = find("}", i)
            if close_at == -1:
                raise self._unclosed(start)
            open_at = find("{", i, close_at)
            if open_at == -1:
                i = close_at + 1
                if text[close_at - 1] == "\\":
                    continue  # an escaped \} is text
                if depth == 0:
                    return self._checked(pos, close_at, start, field)
                depth -= 1
            else:
                i = open_at + 1
                if text[open_at - 1] != "\\":
                    depth += 1

    def _quoted(self, pos: int, start: int, field: str) -> int:
        depth = 0
        for match in _QUOTE_END.finditer(self.text, pos):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0:
                return self._checked(pos, match.start(), start, field)
        raise self._unclosed(start)

    def _checked(self, begin: int, end: int, start: int, field: str) -> int:
        """A value that runs over the start of the next entry means its braces do not balance."""
        if self.text.find("@", begin, end) != -1:
            inner = _NEXT_ENTRY.search(self.text, begin, end)
            if inner is not None:
                line = self.line_at(start)
                raise InputError(
                    self.path,
                    f"the entry that starts at line {line} is not closed: the braces of its field '{field}' do not "
                    f"balance, so it runs into the next entry (line {self.line_at(inner.start() + 1)})",
                    _FIX_EXPORT,
                    line=line,
                )
        return end

    def _unclosed(self, start: int) -> InputError:
        line = self.line_at(start)
        return InputError(
            self.path,
            f"the entry that starts at line {line} is not closed before the end of the file: its braces or quotes "
            "do not balance, or the file is truncated",
            _FIX_EXPORT,
            line=line,
        )


# ------------------------------------------------------------------ values


def unbrace(value: str) -> str:
    """Drop outer braces that enclose the whole value ({{Title}} -> Title), in one pass over it."""
    value = value.strip()
    if len(value) < 2 or value[0] != "{" or value[-1] != "}":
        return value
    closing = _closing_braces(value)
    lo, hi = 0, len(value) - 1
    while lo < hi and value[lo] == "{" and value[hi] == "}" and closing.get(lo) == hi:
        lo, hi = lo + 1, hi - 1
        while lo <= hi and value[lo].isspace():
            lo += 1
        while hi >= lo and value[hi].isspace():
            hi -= 1
    return value[lo : hi + 1]


def _closing_braces(value: str) -> dict[int, int]:
    """Position of each unescaped '{' -> position of the '}' that closes it."""
    closing: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACES.finditer(value):
        if match.group() == "{":
            opened.append(match.start())
        elif opened:
            closing[opened.pop()] = match.start()
        else:
            break  # a '}' that closes nothing: nothing before it can enclose the whole value
    return closing


def _encloses(value: str) -> bool:
    """True when the first '{' of ``value`` is closed by its last '}'."""
    inner = value[1:-1]
    if "{" not in inner and "}" not in inner:
        return True
    return _closing_braces(value).get(0) == len(value) - 1


def latex_to_text(value: str | None) -> str | None:
    """Plain text of a LaTeX value; cheap for the common cases (no command, or only \\& \\% \\_ \\# \\$)."""
    if value is None:
        return None
    if "\\" not in value:
        if "{" in value or "}" in value:
            value = value.replace("{", "").replace("}", "")
        return value.replace("~", " ") if "~" in value else value
    simple = _SIMPLE_LATEX.sub(lambda m: m.group(1) or "", value)
    if "\\" not in simple:
        return simple
    # '%' starts a LaTeX comment, but exports write it literally ("50% of")
    return _latex.latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value))


_PERSONAL_NAME = re.compile(r"[A-Z][\w'.-]*(?:[ ~][A-Z][\w'.-]*){1,3}")


def _author_value(value: str) -> str:
    """The author field (its delimiters already gone), a braced corporate name kept braced.

    ``{JTC 1/SC 22/WG 14}`` is one corporate author, kept as written. Braces around a list of
    names (``{Smith, J. and Doe, A.}``, an export that braces every value twice) or around one
    personal name (``{Vesela Veleva}``, Zotero's single-field name) are dropped.
    """
    inner = unbrace(value)
    if inner != value.strip() and ("," in inner or _AND.search(inner) or _PERSONAL_NAME.fullmatch(inner)):
        return inner
    return value


def split_bibtex_authors(value: str | None) -> list[str]:
    """'Figueira, Jose Rui and {World Bank} and others' -> ['Figueira, J.R.', 'World Bank']."""
    text = clean(value)
    if text is None:
        return []
    parts: list[str] = []
    if "{" not in text:
        parts = _AND.split(text)
    else:
        depth, begin = 0, 0
        for match in _AUTHOR_SPLIT.finditer(text):
            token = match.group()
            if token == "{":
                depth += 1
            elif token == "}":
                depth -= 1
            elif depth == 0:
                parts.append(text[begin : match.start()])
                begin = match.end()
        parts.append(text[begin:])
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if not part or part.lower() == "others":
            continue
        if part.startswith("{") and part.endswith("}") and _encloses(part):
            name = clean(latex_to_text(unbrace(part)))  # a corporate author, kept as written
        else:
            name = normalise_author(latex_to_text(part))
        if name:
            out.append(name)
    return out


# ------------------------------------------------------------------ records

# lower-case field name -> schema field (first present wins)
_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "journal": ("journal", "journaltitle", "booktitle"),
    "year": ("year", "date", "early access date"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "doi": ("doi",),
    "abstract": ("abstract",),
    "doc_type": ("document_type", "type"),
    "language": ("language", "langid"),
}
_TEXT_FIELDS = frozenset({"title", "journal", "abstract"})
# combined into 'keywords'; kept in extra as well
_KEYWORD_FIELDS = ("author_keywords", "keywords", "keywords-plus")


def parse(text: str, path: Path) -> list[Record]:
    scanner = _Scanner(text.lstrip("\ufeff"), path)
    preamble, entries = scanner.entries()
    if not entries:
        raise InputError(path, "no BibTeX entries in the file", _FIX_EXPORT, line=1)
    file_db = "scopus" if re.search(r"(?im)^\s*scopus\s*$", preamble) else None
    records: list[Record] = []
    seen: dict[str, int] = {}
    for entry in entries:
        rec = _record(entry, path, file_db)
        rid = rec["record_id"]
        if rid.startswith("bib:"):
            n = seen.get(rid, 0) + 1
            seen[rid] = n
            if n > 1:
                rec["record_id"] = f"{rid}#{n}"
        records.append(rec)
    return records


def _record(entry: _Entry, path: Path, file_db: str | None) -> Record:
    lower = {name.lower(): name for name in entry.fields}
    values: dict[str, object] = {}
    used: set[str] = set()
    for field, names in _FIELDS.items():
        for name in names:
            original = lower.get(name)
            if original is None:
                continue
            value = unbrace(entry.fields[original])
            if not value:
                continue
            if field in _TEXT_FIELDS:
                values[field] = latex_to_text(value)
            elif field == "pages":
                values[field] = value.replace("--", "-")
            else:
                values[field] = value
            if field != "year" or is_bare_year(value):  # a date ('FEB 2026', '2015-03-01') stays in extra
                used.add(original)
            break
    if "doc_type" not in values:
        values["doc_type"] = entry.type.lower()
    author_field = lower.get("author")
    authors = split_bibtex_authors(_author_value(entry.fields[author_field])) if author_field else []
    if author_field:
        used.add(author_field)
    keywords = join_keywords(*(latex_to_text(unbrace(entry.fields[lower[k]])) for k in _KEYWORD_FIELDS if k in lower))
    extra: dict[str, str] = {"@type": entry.type, "@key": entry.key}
    for name, value in entry.fields.items():
        if name not in used:
            extra[name] = unbrace(value)
    database, record_id = _identify(entry, lower, file_db)
    if database == "scopus":
        values["title"], original = split_scopus_title(values.get("title"), values.get("language"))  # type: ignore[arg-type]
        if original:
            extra["original_title"] = original
    rec = make_record(
        database=database,
        source_file=str(path),
        source_line=entry.line,
        authors=authors,
        keywords=keywords,
        extra=extra,
        **values,
    )
    if record_id is None:
        record_id = (
            f"bib:{entry.key}"
            if entry.key
            else content_id(database, rec["title"], rec["year"], rec["authors"], rec["doi"])
        )
    rec["record_id"] = record_id
    return rec


def _identify(entry: _Entry, lower: dict[str, str], file_db: str | None) -> tuple[str, str | None]:
    """(database, accession or None) from the entry's own content."""

    def get(name: str) -> str | None:
        original = lower.get(name)
        return entry.fields[original] if original is not None else None

    eid = scopus_eid(get("eid"), get("url"), get("note"))
    source = (get("source") or "").strip("{} ").lower()
    if eid or source == "scopus" or "scopus.com" in (get("url") or ""):
        return "scopus", eid
    ut = wos_ut(entry.key if entry.key.upper().startswith("WOS:") else None, get("unique-id"))
    if ut or "web-of-science-categories" in lower:
        return "wos", ut
    return file_db or "other", None
