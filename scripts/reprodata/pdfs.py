"""Stand-in PDFs for the retrieved works: a bibliographic header that says the file is a stand-in,
then generated text (industrial-symbiosis vocabulary), and a short reference list.

Exactly the anchor-included works mention "anchor" (in varied ways: once, several times, split
across a line end as "an-"/"chor...", or only in the reference list); every other stand-in never
contains the letters "anchor". Files are named by DOI, carry the DOI on the first page, or are
named author_year_title, so that each way of linking a PDF to its work is exercised.

The PDFs use the 14 core fonts (tiny files, text that pdfminer extracts) and no creation date,
so the same plan gives the same bytes.
"""

from __future__ import annotations

import io
import logging
import random
import re
import textwrap
from dataclasses import dataclass, field

from .exports import source_title
from .plan import Plan, Work, ascii_fold, rng_for, short_title
from .vocab import (
    ANCHOR_SENTENCES,
    BODY_SENTENCES,
    HYPHEN_SENTENCES,
    SECTION_HEADINGS,
    fill,
)

WIDTH = 92  # characters per body line at 9.5 pt Helvetica on A4 with 2 cm margins
NOTICE = [
    "STAND-IN DOCUMENT - NOT THE PUBLISHED TEXT",
    "This file stands in for the full text of the article named below, in the reproduction data of the",
    "slr-pipeline project. Apart from the bibliographic details, all text is generated; it is not the",
    "authors' text and must not be quoted or cited as theirs.",
]
PATTERNS = [("once", 10), ("twice", 9), ("many", 15), ("hyphen_only", 4), ("hyphen_plus", 4), ("refs_only", 3)]
DOI_SAFE = re.compile(r"^10\.\d{4,9}/[A-Za-z0-9.;()\-]+$")  # one slash: the name maps back


@dataclass
class Block:
    lines: list[str]
    size: float = 9.5
    bold: bool = False
    gap: float = 6.0  # points after the block


@dataclass
class StandIn:
    work_key: str
    file_name: str
    scheme: str  # doi_in_name | doi_on_page | title
    pattern: str  # none | once | twice | many | hyphen_only | hyphen_plus | refs_only
    pages: list[list[Block]] = field(default_factory=list)

    def text(self) -> str:
        return "\f".join("\n".join(line for b in page for line in b.lines) for page in self.pages)

    @property
    def expected_mentions(self) -> int:
        """Mentions of anchor* after joining words hyphenated across line ends."""
        return len(re.findall("anchor", dehyphenate(self.text()), flags=re.IGNORECASE))


def dehyphenate(text: str) -> str:
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)


def _wrap(text: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)


def _cite(w: Work) -> str:
    def name(s: str, g: str) -> str:
        ini = "".join(ch + "." for ch in re.findall(r"(?:^|[\s\-.])([A-Za-z])", g))
        return f"{s}, {ini}" if ini else s

    who = ", ".join(name(s, g) for s, g in w.authors[:3]) + (" et al." if len(w.authors) > 3 else "")
    pages = f", {w.pages}" if w.pages else ""
    vol = f" {w.volume}" if w.volume else ""
    return f"{who or 'Anonymous'} ({w.year}). {w.title}. {source_title(w.journal)}{vol}{pages}."


def _authors_line(w: Work) -> str:
    if not w.authors:
        return "Anonymous"
    return ", ".join(f"{g} {s}".strip() for s, g in w.authors)


def build_standins(plan: Plan) -> list[StandIn]:
    seed = plan.seed
    works = sorted(plan.retrieved_works, key=lambda w: w.key)
    anchors = [w for w in works if w.anchor]
    rng = rng_for(seed, "standin-patterns")
    # The work whose title names an anchor tenant cannot be a "reference list only" case.
    titled = [w for w in anchors if re.search("anchor", w.title, re.IGNORECASE)]
    others = [w for w in anchors if w not in titled]
    rng.shuffle(others)
    patterns: dict[str, str] = {}
    order = others + titled  # titled works take the last patterns ("many"/"twice"), never refs_only
    flat = [p for p, n in PATTERNS for _ in range(n)]
    if len(flat) != len(anchors):
        raise ValueError(f"{len(flat)} mention patterns for {len(anchors)} anchor works")
    flat_sorted = sorted(flat, key=lambda p: p == "refs_only", reverse=True)
    for w, p in zip(order, flat_sorted, strict=True):
        patterns[w.key] = p
    anchor_ref = next(w for w in plan.works if w.provenance == "real_record" and re.search("anchor", w.title, re.I))
    real = [w for w in plan.works if w.provenance == "real_record" and w.authors]
    citable = sorted((w for w in real if not re.search("anchor", _cite(w), re.I)), key=lambda w: w.key)
    out: list[StandIn] = []
    names: set[str] = set()
    counter = 0
    for w in works:
        r = rng_for(seed, "standin", w.key)
        doi = w.visible_doi
        if doi and DOI_SAFE.match(doi):
            scheme = r.choices(["doi_in_name", "doi_on_page", "title"], weights=[40, 35, 25])[0]
        else:
            scheme = "title"
        if scheme == "doi_in_name":
            name = doi.replace("/", "_") + ".pdf"
        elif scheme == "doi_on_page":
            counter += 1
            name = f"{r.choice(['fulltext', 'download', 'article', 'document'])}_{counter:03d}.pdf"
        else:
            first = ascii_fold(w.authors[0][0]).replace(" ", "") if w.authors else "Anonymous"
            name = f"{first}_{w.year}_{short_title(w.title)}.pdf"
        base, n = name[:-4], 2
        while name.lower() in names:
            name, n = f"{base}-{n}.pdf", n + 1
        names.add(name.lower())
        pattern = patterns.get(w.key, "none")
        refs = [x for x in r.sample(citable, 6) if x.key != w.key][:5]
        out.append(_compose(w, name, scheme, pattern, refs, anchor_ref, r))
    return out


def _compose(
    w: Work, name: str, scheme: str, pattern: str, refs: list[Work], anchor_ref: Work, r: random.Random
) -> StandIn:
    s = StandIn(w.key, name, scheme, pattern)
    head = [Block([NOTICE[0]], bold=True, gap=2), Block(NOTICE[1:], size=8.5, gap=14)]
    head.append(Block(_wrap(w.title, 70), size=13, bold=True, gap=6))
    head.append(Block(_wrap(_authors_line(w), 100), size=10, gap=3))
    src = f"{w.journal}"
    if w.volume:
        src += f" {w.volume}" + (f"({w.issue})" if w.issue else "")
    if w.pages:
        src += f", {w.pages}"
    src += f" ({w.year})"
    head.append(Block([src], size=9.5, gap=3 if scheme == "doi_on_page" else 12))
    if scheme == "doi_on_page":
        head.append(Block([f"DOI: https://doi.org/{w.visible_doi}"], size=9.5, gap=12))
    head.append(Block(["Summary (generated)"], bold=True, gap=2))
    head.append(Block(_wrap(w.abstract), gap=10))
    # Six sections of generated text, three per page.
    sizes = [r.randint(3, 4) for _ in SECTION_HEADINGS]
    pool = [fill(x, r) for x in r.sample(BODY_SENTENCES, sum(sizes))]
    sections = [pool[sum(sizes[:i]) : sum(sizes[: i + 1])] for i in range(len(sizes))]
    headings = list(SECTION_HEADINGS)
    mentions: list[tuple[int, str]] = []
    hyphen: tuple[int, tuple[str, str, str]] | None = None
    if pattern in ("once", "twice", "many", "hyphen_plus"):
        k = {"once": 1, "twice": 2, "many": r.randint(3, 7), "hyphen_plus": r.randint(1, 2)}[pattern]
        for _ in range(k):
            mentions.append((r.randrange(len(sections)), fill(r.choice(ANCHOR_SENTENCES), r)))
        if pattern == "many" and r.random() < 0.4:
            headings[3] = "4. Anchor tenants and the development of the network"
    if pattern in ("hyphen_only", "hyphen_plus"):
        hyphen = (r.randrange(len(sections)), r.choice(HYPHEN_SENTENCES))
    for idx, sentence in mentions:
        sections[idx].insert(r.randrange(len(sections[idx]) + 1), sentence)
    body: list[Block] = []
    for i, (title, sents) in enumerate(zip(headings, sections, strict=True)):
        body.append(Block([title], bold=True, gap=2))
        if hyphen and hyphen[0] == i:
            pre, word, post = hyphen[1]
            cut = r.randrange(len(sents) + 1)
            before = " ".join([*sents[:cut], pre.rstrip()])
            after = " ".join([word[2:] + post, *sents[cut:]])
            first = _wrap(before + " " + word[:2] + "-")
            body.append(Block(first + _wrap(after), gap=10))
        else:
            body.append(Block(_wrap(" ".join(sents)), gap=10))
    cites = [_cite(x) for x in refs]
    if pattern == "refs_only":
        cites.insert(r.randrange(len(cites) + 1), _cite(anchor_ref))
    reference_blocks = [Block(["References"], bold=True, gap=4)]
    reference_blocks += [Block(_wrap(c, 100), size=8.5, gap=3) for c in sorted(cites)]
    s.pages = [head + body[:6], body[6:] + reference_blocks]
    return s


def render(standin: StandIn) -> bytes:
    import matplotlib

    matplotlib.use("pdf")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.use14corefonts": True, "font.family": "Helvetica", "pdf.compression": 6}):
        buf = io.BytesIO()
        with PdfPages(buf, metadata={"CreationDate": None, "Creator": "slr-pipeline reproduction data",
                                     "Producer": None, "Title": "Stand-in: " + standin.file_name}) as pdf:  # fmt: skip
            for page in standin.pages:
                fig = plt.figure(figsize=(8.27, 11.69))
                y = 11.69 * 72 - 56  # points from the bottom
                for block in page:
                    fig.text(
                        57 / (8.27 * 72),
                        y / (11.69 * 72),
                        "\n".join(block.lines),
                        fontsize=block.size,
                        fontweight="bold" if block.bold else "normal",
                        va="top",
                        linespacing=1.25,
                    )
                    y -= len(block.lines) * block.size * 1.25 + block.gap
                if y < 40:
                    raise ValueError(f"{standin.file_name}: text does not fit on the page")
                pdf.savefig(fig)
                plt.close(fig)
        return buf.getvalue()
