"""Make extracted text searchable: one word is one string, whatever the typesetting did to it.

pdfminer gives the characters as printed: ligature glyphs (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ), soft hyphens, and
words split at a line end ("an-\\nchor"). A search for "anchor" must still find them.

Line-end hyphens: "an-\\nchor" was cut by the typesetter and is joined to "anchor";
"eco-\\nindustrial" is a real compound and keeps its hyphen ("eco-industrial"). The document
itself is the dictionary, checked in this order:

1. a second part starting with a capital ("Euro-\\nAmerican") keeps the hyphen, unless both
   parts are all capitals (a heading "AN-\\nCHOR");
2. if the joined word occurs elsewhere in the document ("research"), join;
3. if the hyphenated word occurs elsewhere on one line ("eco-industrial"), keep the hyphen;
4. if the first part is one of ``KEEP_HYPHEN_PREFIXES`` ("eco", "non", "self", ...), keep it;
5. otherwise join: most line-end hyphens in typeset text are the typesetter's.

A part that already follows a hyphen ("eco-industrial-\npark") keeps its hyphen: it is a compound.

Either way the line break goes, so the two parts are one word again. A digit on either side
("COVID-\\n19") is left as it is.
"""

from __future__ import annotations

import re
import unicodedata

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

# First parts that make real compounds in this literature; kept hyphenated at a line end when
# the document gives no other evidence. Deliberately short: "re", "pre", "inter" are left out
# because typesetters split "re-search", "pre-sented", "inter-national" far more often.
KEEP_HYPHEN_PREFIXES = frozenset(
    {"eco", "non", "self", "cross", "quasi", "semi", "anti", "socio", "techno", "multi", "well", "co"}
)

_LETTERS = r"[^\W\d_]+"
# word, hyphen (ASCII or U+2010), optional spaces, line end, at most one blank line, next word
_LINE_END_HYPHEN = re.compile(rf"({_LETTERS})[-\u2010][ \t]*\n(?:[ \t]*\n)?[ \t]*({_LETTERS})")
_COMPOUND = re.compile(rf"{_LETTERS}[-\u2010]{_LETTERS}")
_WORD = re.compile(_LETTERS)
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_characters(text: str) -> str:
    """Ligatures spelled out, NFKC, soft hyphens dropped (joining at a line end), controls removed."""
    for glyph, letters in LIGATURES.items():
        text = text.replace(glyph, letters)
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SOFT_HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    return _CONTROL.sub(" ", text)


def vocabulary(text: str) -> tuple[set[str], set[str]]:
    """Words and one-line hyphenated compounds of a text, case-folded."""
    words = {m.group(0).casefold() for m in _WORD.finditer(text)}
    compounds = {m.group(0).casefold().replace("\u2010", "-") for m in _COMPOUND.finditer(text)}
    return words, compounds


def keep_hyphen(first: str, second: str, words: set[str], compounds: set[str]) -> bool:
    """Whether "first-<line end>second" is a real compound (see the module docstring)."""
    if second[0].isupper() and not (first.isupper() and second.isupper()):
        return True
    if (first + second).casefold() in words:
        return False
    if f"{first}-{second}".casefold() in compounds:
        return True
    return first.casefold() in KEEP_HYPHEN_PREFIXES


def join_line_end_hyphens(text: str, words: set[str], compounds: set[str]) -> str:
    def repair(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        if match.start() > 0 and text[match.start() - 1] in "-\u2010":
            # already inside a compound ("eco-industrial-\npark"): its parts keep their hyphens
            return f"{first}-{second}"
        return f"{first}-{second}" if keep_hyphen(first, second, words, compounds) else first + second

    return _LINE_END_HYPHEN.sub(repair, text)


def normalise_pages(pages: list[str]) -> list[str]:
    """Each page cleaned and its line-end hyphens resolved, using the whole document as dictionary."""
    cleaned = [clean_characters(page).replace("\f", "\n") for page in pages]
    words, compounds = vocabulary("\n".join(cleaned))
    return [join_line_end_hyphens(page, words, compounds) for page in cleaned]
