"""Coding: coded segments + codebook -> the review's tables (Tables 1, 2, A1), the study x code
matrix, Appendix C, a coding audit, and the comparison with a published version of the tables.

Modules: ``studies`` (works, included set, full-text links, and finding the work a coder meant),
``citations`` (author-year labels), ``sheets`` (CSV/XLSX tables as rows with line numbers),
``segments`` (coded-segment files and MAXQDA exports -> resolved segments), ``tables``
(aggregation), ``bibliography`` (Appendix C), ``render`` (CSV/Markdown/LaTeX/HTML), ``compare``.
"""
