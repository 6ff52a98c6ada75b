"""PDFs made in the tests: with matplotlib's PDF backend (core fonts, text kept as text) for
ordinary pages, and by hand for what matplotlib cannot write (ligature and soft-hyphen glyphs,
fonts without a Unicode map, a content stream that takes very long to interpret)."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("pdf")
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def matplotlib_pdf(path: Path, pages: Sequence[Sequence[str]], size: float = 10) -> Path:
    """One text line per list item, top to bottom, A4 pages."""
    settings = {"pdf.use14corefonts": True, "font.family": "serif", "font.serif": ["Times"]}
    with matplotlib.rc_context(settings), PdfPages(path) as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                fig.text(0.08, 0.95 - i * 0.018, line, fontsize=size)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def _pdf(objects: list[bytes]) -> bytes:
    """Objects 1..n (1 = catalog) into a PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


# Helvetica with glyph names for the ligatures and the soft hyphen at codes 128-133.
HELVETICA_LIGATURES = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
    b"/BaseEncoding /WinAnsiEncoding /Differences [128 /ff /fi /fl /ffi /ffl /sfthyphen] >> >>"
)
LIGATURE_CODES = {"ff": b"\\200", "fi": b"\\201", "fl": b"\\202", "ffi": b"\\203", "ffl": b"\\204", "shy": b"\\205"}

# A composite font with Identity-H codes and no ToUnicode map: pdfminer can only say (cid:N).
CID_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [<< /Type /Font "
    b"/Subtype /CIDFontType2 /BaseFont /NoMap /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
    b"/Supplement 0 >> /DW 500 >>] >>"
)


def handmade_pdf(path: Path, pages: Sequence[Sequence[bytes]], font: bytes = HELVETICA_LIGATURES) -> Path:
    """Each line is the raw operand of a ``Tj`` (a PDF string such as ``(text)`` or ``<0041>``)."""
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in below
    kids = []
    font_number = 3
    objects.append(font)
    for lines in pages:
        content = b"BT /F1 11 Tf 14 TL 72 770 Td\n" + b"".join(line + b" Tj T*\n" for line in lines) + b"ET"
        objects.append(_stream(content))
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_number, font_number)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    path.write_bytes(_pdf(objects))
    return path


def slow_pdf(path: Path, operators: int = 500_000) -> Path:
    """A valid one-page PDF whose (compressed, small) content stream holds millions of operators."""
    content = b"BT /F1 11 Tf 72 770 Td (slow) Tj ET\n" + b"1 0 0 1 0 0 cm\n" * operators
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        _stream(content, compress=True),
    ]
    path.write_bytes(_pdf(objects))
    return path


BODY_TEXT = (
    "Industrial symbiosis engages traditionally separate industries in a collective approach to competitive "
    "advantage involving physical exchange of materials, energy, water and by-products. The keys to industrial "
    "symbiosis are collaboration and the synergistic possibilities offered by geographic proximity. Firms in an "
    "eco-industrial park share utilities, infrastructure and services, and public agencies coordinate the "
    "planning of the park with the firms that settle there over many years of development."
)
BODY = BODY_TEXT.split()


def body_lines(count: int, words_per_line: int = 11, offset: int = 0) -> list[str]:
    """Plain English lines (enough characters per page to count as text)."""
    lines = []
    for i in range(count):
        start = (offset + i * words_per_line) % len(BODY)
        words = [BODY[(start + k) % len(BODY)] for k in range(words_per_line)]
        lines.append(" ".join(words))
    return lines
