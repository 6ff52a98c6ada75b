"""Ingest: one job per export file.
in:  data/raw/<search>/<file>      (Scopus / WoS / BibTeX / RIS / CSV export)
out: results/records/<search>/<file>.csv   (normalised records)"""


rule ingest:
    input:
        export=lambda wc: f"{config['searches'][wc.search]['dir']}/{wc.file}",
    output:
        records="results/records/{search}/{file}.csv",
    log:
        "logs/ingest/{search}/{file}.log",
    benchmark:
        "logs/benchmarks/ingest/{search}/{file}.tsv",
    wildcard_constraints:
        file=r"[^/]+",
    shell:
        "slr ingest {input.export:q} --search {wildcards.search:q} -o {output.records:q} 2> {log:q}"
        " || (cat {log:q} >&2; exit 2)"


rule ingest_all:
    input:
        all_records(),
