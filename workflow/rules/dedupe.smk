"""Dedupe: one job over the records of every export of every search.
in:  results/records/<search>/<file>.csv        (from ingest)
     data/coded/dedup_overrides.csv             (manual same/different decisions; only if it exists)
out: results/works.csv     one row per work (merged fields, databases, searches, members, aliases)
     results/clusters.csv  record_id -> work_id
     results/pairs.csv     every merged pair with its rule and evidence, near misses, overrides"""


rule dedupe:
    input:
        records=all_records(),
        overrides=dedup_overrides(),
    output:
        works="results/works.csv",
        clusters="results/clusters.csv",
        pairs="results/pairs.csv",
    log:
        "logs/dedupe.log",
    benchmark:
        "logs/benchmarks/dedupe/job.tsv",
    params:
        overrides=overrides_option,
    threads: 2
    shell:
        "slr dedupe {input.records:q} -o {output.works:q} --clusters {output.clusters:q}"
        " --pairs {output.pairs:q} {params.overrides} 2> {log:q}"
        " || (cat {log:q} >&2; exit 2)"
