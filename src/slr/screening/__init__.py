"""Screening: sheets to code, the inclusion rule, the pilot sample, applying codes,
two-coder agreement, pilot keyword help and stage exports (RIS, BibTeX, QDA list)."""
