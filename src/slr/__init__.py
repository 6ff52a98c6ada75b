"""slr: a reproducible pipeline for systematic literature reviews."""

__version__ = "0.1.0"
