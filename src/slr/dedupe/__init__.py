"""Deduplication: records from every export of every search -> works.

``normalise`` turns a record into matching keys, ``block`` picks candidate pairs, ``compare``
weighs the evidence of a pair, ``cluster`` joins matches into works under the overrides,
``ids`` names the works from their content, ``works`` merges their fields, ``files`` reads and
writes the CSVs, and ``match.deduplicate`` ties them together.
"""

from .files import load_records, write_clusters, write_pairs, write_works
from .match import Result, deduplicate
from .overrides import Override, load_overrides

__all__ = [
    "Override",
    "Result",
    "deduplicate",
    "load_overrides",
    "load_records",
    "write_clusters",
    "write_pairs",
    "write_works",
]
