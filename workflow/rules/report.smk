"""Report: one self-contained HTML page from every result of the review.
in:  results/funnel.csv, funnel_reasons.csv, prisma.svg, audit.txt, works.csv, pairs.csv,
     results/tables/*.csv, results/fulltext/kwic.csv, hits.csv, results/cases/<case>/*
out: results/report.html"""


rule report:
    input:
        funnel="results/funnel.csv",
        reasons="results/funnel_reasons.csv",
        prisma="results/prisma.svg",
        audit="results/audit.txt",
        works="results/works.csv",
        pairs="results/pairs.csv",
        tables=rules.tables.output.csv,
        comparison=rules.tables_compare.output.comparison,
        kwic=rules.fulltext_search.output.kwic,
        cases=rules.case_all.input,
    output:
        report(
            "results/report.html",
            caption="../report/report.rst",
            category="Report",
        ),
    params:
        title=config.get("title", "Systematic literature review"),
    log:
        "logs/report.log",
    benchmark:
        "logs/benchmarks/report/job.tsv",
    shell:
        "slr report results --title {params.title:q} -o {output:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"
