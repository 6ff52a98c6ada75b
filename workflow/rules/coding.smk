"""Coding: coded segments -> the review's tables, then their comparison with the published ones.
in:  config coding.segments (data/coded/segments.csv) + coding.maxqda (MAXQDA exports), those that exist,
     config/codebook.yaml, results/works.csv, results/fulltext/hits.csv (included set),
     results/fulltext/links.csv (MAXQDA document name = PDF name), config/published.yaml,
     config/accepted_anomalies.yaml
out: results/tables/table1|table2|tableA1|uncoded.{csv,md,tex,html}, matrix.{csv,xlsx},
     cooccurrence.csv, appendixC.{bib,csv,txt,md,html}, row_studies.csv, coding_summary.csv,
     segments_resolved.csv; results/tables/comparison.csv"""

import shlex


rule tables:
    input:
        segments=segment_files(),
        codebook=config["coding"]["codebook"],
        works="results/works.csv",
        included="results/fulltext/hits.csv",
        links="results/fulltext/links.csv",
    output:
        table1=report(
            "results/tables/table1.html", caption="../report/table1.rst", category="Tables", labels={"table": "1"}
        ),
        table2=report(
            "results/tables/table2.html", caption="../report/table2.rst", category="Tables", labels={"table": "2"}
        ),
        tableA1=report(
            "results/tables/tableA1.html", caption="../report/tableA1.rst", category="Tables", labels={"table": "A1"}
        ),
        appendixC=report(
            "results/tables/appendixC.html",
            caption="../report/appendixC.rst",
            category="Tables",
            labels={"table": "Appendix C"},
        ),
        csv=multiext("results/tables/", "table1.csv", "table2.csv", "tableA1.csv", "uncoded.csv"),
        md=multiext("results/tables/", "table1.md", "table2.md", "tableA1.md", "uncoded.md"),
        tex=multiext("results/tables/", "table1.tex", "table2.tex", "tableA1.tex", "uncoded.tex"),
        uncoded_html="results/tables/uncoded.html",
        matrix=multiext("results/tables/matrix", ".csv", ".xlsx"),
        cooccurrence="results/tables/cooccurrence.csv",
        bib="results/tables/appendixC.bib",
        appendix=multiext("results/tables/appendixC", ".csv", ".txt", ".md"),
        audit=multiext("results/tables/", "row_studies.csv", "coding_summary.csv", "segments_resolved.csv"),
    params:
        roots=lambda wc: " ".join(
            f"--maxqda-root {shlex.quote(f'{root}={kind}')}"
            for root, kind in config["coding"].get("maxqda_roots", {}).items()
        ),
        out_dir=lambda wc, output: os.path.dirname(output.table1),
    log:
        "logs/coding/tables.log",
    benchmark:
        "logs/benchmarks/tables/job.tsv",
    shell:
        "slr tables build {input.segments:q} --codebook {input.codebook:q} --works {input.works:q}"
        " --included {input.included:q} --links {input.links:q} {params.roots}"
        " --out-dir {params.out_dir:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule tables_compare:
    input:
        tables=rules.tables.output.csv,
        appendix=rules.tables.output.appendix,
        published=config["coding"]["published"],
        codebook=config["coding"]["codebook"],
        accept=config["coding"].get("accept", []),
    output:
        comparison=report(
            "results/tables/comparison.csv", caption="../report/comparison.rst", category="Tables"
        ),
    params:
        results=lambda wc, input: os.path.dirname(input.tables[0]),
        accept=lambda wc, input: f"--accept {shlex.quote(str(input.accept))}" if input.accept else "",
        strict="--strict" if config["coding"].get("strict", True) else "",
    log:
        "logs/coding/tables_compare.log",
    benchmark:
        "logs/benchmarks/tables_compare/job.tsv",
    shell:
        "slr tables compare {params.results:q} {input.published:q} --codebook {input.codebook:q}"
        " {params.accept} {params.strict} -o {output.comparison:q} > {log:q} 2>&1"
        " || (status=$?; cat {log:q} >&2; exit $status)"
