"""Web of Science field tags -> the normalised record.

The plain-text and the tab-delimited exports use the same two-letter tags
(``TI`` title, ``AU`` authors, ``UT`` accession number...), so both readers
build their records here and the same WoS record gives the same normalised
record whichever of the two the researcher downloaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from slr.records import Record, content_id, make_record, split_authors

from .combine import join_keywords, pages

# Tags whose plain-text form puts one item per line (the tab-delimited form
# joins the same items with "; "). Every other tag wraps long text over lines.
LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1"})

# Every tag Web of Science writes in a record (field tags of the Core Collection
# export, old and new). Used to recognise a tag glued to its value ("AUGilles, H").
KNOWN_TAGS = frozenset(
    (  # noqa: SIM905 - 76 tags read best as text
        "FN VR PT AU AF BA BF CA GP BE TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 C3 RP EM RI OI FU FP "
        "FX CR NR TC Z9 U1 U2 PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI DL D2 EA EY PG "
        "WC WE SC GA UT PM OA HC HP DA ER EF"
    ).split()
)

# Tags copied one-to-one into a schema field; they are not repeated in ``extra``.
_DIRECT = {
    "TI": "title",
    "SO": "journal",
    "PY": "year",
    "VL": "volume",
    "IS": "issue",
    "DI": "doi",
    "AB": "abstract",
    "DT": "doc_type",
    "LA": "language",
    "UT": "record_id",
}


def to_record(fields: Mapping[str, str], path: Path, line: int) -> Record:
    """A normalised record from one WoS record's tag -> value mapping.

    ``year`` is ``PY``, or for an early-access record without one the early-access
    year ``EY`` or date ``EA``. Authors come from ``AU`` (``Surname, Initials``), falling back to ``AF``
    (full names) when a record has no ``AU``. Keywords join ``DE`` (author
    keywords) and ``ID`` (Keywords Plus); pages join ``BP`` and ``EP`` (else ``PS``, MEDLINE's span). Tags
    that are combined like this stay in ``extra`` under their own tag too, as
    does every tag the schema does not name, so nothing is lost.
    """
    values: dict[str, object] = {}
    extra: dict[str, str] = {}
    for tag, value in fields.items():
        target = _DIRECT.get(tag)
        if target is not None:
            values[target] = value
        elif tag != "AU":
            extra[tag] = value
    if "year" not in values:
        # an early-access record has no PY yet: its early-access year (EY) or date (EA) stands in
        values["year"] = fields.get("EY") or fields.get("EA")
    authors = split_authors(fields.get("AU"), ";") or split_authors(fields.get("AF"), ";")
    rec = make_record(
        database="wos",
        source_file=str(path),
        source_line=line,
        authors=authors,
        pages=pages(fields.get("BP"), fields.get("EP")) or fields.get("PS"),  # PS: MEDLINE's page span
        keywords=join_keywords(fields.get("DE"), fields.get("ID")),
        extra=extra,
        **values,
    )
    if rec["record_id"] is None:
        rec["record_id"] = content_id("wos", rec["title"], rec["year"], rec["authors"], rec["doi"])
    return rec
