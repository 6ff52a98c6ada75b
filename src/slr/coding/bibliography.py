"""Appendix C: the studies assigned at least one code, as BibTeX and as a formatted list.

Field values are LaTeX-escaped for BibTeX (a title may hold "&", "%" or braces), titles are
braced so that styles do not change their case ("USA" stays "USA"), and the formatted list is
pybtex's rendering of the very same values (plain style, sorted by author, year and title).
"""

from __future__ import annotations

from pybtex.database import BibliographyData, Entry, Person
from pybtex.plugin import find_plugin
from pybtex.style.formatting.plain import Style

from .render import tex_escape
from .studies import Work

BACKENDS = {"txt": "text", "md": "markdown", "html": "html"}


def _entry_type(work: Work) -> str:
    kind = (work.doc_type or "").casefold()
    if "book" in kind and "chapter" not in kind:
        return "book"
    if "chapter" in kind:
        return "incollection"
    return "article" if work.journal else "misc"


def _name(author: str) -> str:
    """An author for BibTeX: escaped; a name without "Surname, Given" form (an organisation)
    or holding the word "and" is braced so that BibTeX takes it as one name."""
    text = tex_escape(author)
    if "," not in author or " and " in f" {author.casefold()} ":
        return "{" + text + "}"
    return text


def fields(work: Work) -> dict[str, str]:
    """BibTeX field values, LaTeX-escaped (the title braced so that no style changes its case)."""
    out: dict[str, str] = {}
    if work.authors:
        out["author"] = " and ".join(_name(a) for a in work.authors)
    if work.title:
        out["title"] = "{" + tex_escape(work.title) + "}"
    if work.journal:
        out["booktitle" if _entry_type(work) == "incollection" else "journal"] = tex_escape(work.journal)
    if work.year is not None:
        out["year"] = str(work.year)
    for name, value in (("volume", work.volume), ("number", work.issue), ("pages", work.pages)):
        if value:
            out[name] = tex_escape(value.replace("–", "-"))
    if work.doi:
        out["doi"] = tex_escape(work.doi)
    return out


def entry(work: Work) -> Entry:
    values = fields(work)
    author = values.pop("author", None)
    persons = {"author": [Person(p) for p in author.split(" and ")]} if author else {}
    return Entry(_entry_type(work), fields=values, persons=persons)


def appendix_c(works: list[Work], keys: dict[str, str]) -> BibliographyData:
    return BibliographyData({keys[w.work_id]: entry(w) for w in works})


def to_bibtex(works: list[Work], keys: dict[str, str]) -> str:
    """The .bib file, written here rather than by pybtex so that every value is escaped once."""
    out = []
    for w in works:
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields(w).items())
        out.append(f"@{_entry_type(w)}{{{keys[w.work_id]},\n{body}\n}}\n")
    return "\n".join(out)


def formatted(data: BibliographyData) -> dict[str, list[tuple[str, str]]]:
    """Suffix -> [(key, formatted reference)] for plain text, Markdown and HTML."""
    if not data.entries:
        return {suffix: [] for suffix in BACKENDS}
    bib = Style().format_bibliography(data)
    entries = list(bib)
    out: dict[str, list[tuple[str, str]]] = {}
    for suffix, backend_name in BACKENDS.items():
        backend = find_plugin("pybtex.backends", backend_name)()
        out[suffix] = [(e.key, " ".join(e.text.render(backend).split())) for e in entries]
    return out


def page(refs: dict[str, list[tuple[str, str]]], title: str) -> dict[str, str]:
    """The formatted lists as files: appendixC.txt, .md and .html (HTML already escaped by pybtex)."""
    import html

    txt = "\n\n".join(text for _, text in refs["txt"]) + "\n"
    md = f"# {title}\n\n" + "\n\n".join(text for _, text in refs["md"]) + "\n"
    body = "\n".join(f'<p id="{html.escape(key)}">{text}</p>' for key, text in refs["html"])
    doc = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )
    return {"txt": txt, "md": md, "html": doc}
