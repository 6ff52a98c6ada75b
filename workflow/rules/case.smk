"""Cases: classify each case's activities with the literature's taxonomy, then its narrative table,
narrative graph and sequence indicators; finally all cases side by side.
in:  <cases.dir>/<case>/activities.csv, actors.csv, links.csv (every sub-folder with an
     activities.csv is a case); cases.codebook; optional cases.segments (coded-segments CSVs)
out: results/cases/<case>/classified.csv, table5.csv/.md/.html, narrative_graph.svg/.png,
     indicators.csv; results/cases/compare.csv, results/cases/similarity.csv"""

CASE_SEGMENTS = config["cases"].get("segments", [])
CASE_NARRATIVE = ["table5.csv", "table5.md", "table5.html", "narrative_graph.svg", "narrative_graph.png",
                  "indicators.csv"]


rule case_classify:
    input:
        activities=lambda wc: f"{config['cases']['dir']}/{wc.case}/activities.csv",
        codebook=config["cases"]["codebook"],
        segments=CASE_SEGMENTS,
    output:
        classified="results/cases/{case}/classified.csv",
    params:
        segments=lambda wc, input: " ".join(f"--segments '{s}'" for s in input.segments),
    log:
        "logs/case/{case}/classify.log",
    benchmark:
        "logs/benchmarks/case_classify/{case}.tsv",
    wildcard_constraints:
        case=r"[^/]+",
    shell:
        "slr case classify {input.activities:q} -o {output.classified:q} --codebook {input.codebook:q}"
        " {params.segments} > {log:q} 2>&1 || (cat {log:q} >&2; exit 2)"


rule case_narrative:
    input:
        case=lambda wc: case_files(wc.case),
        classified="results/cases/{case}/classified.csv",
    output:
        expand("results/cases/{{case}}/{name}", name=CASE_NARRATIVE),
    params:
        folder=lambda wc: f"{config['cases']['dir']}/{wc.case}",
        out_dir=lambda wc: f"results/cases/{wc.case}",
    log:
        "logs/case/{case}/narrative.log",
    benchmark:
        "logs/benchmarks/case_narrative/{case}.tsv",
    wildcard_constraints:
        case=r"[^/]+",
    shell:
        "slr case narrative {params.folder:q} --classified {input.classified:q} --out-dir {params.out_dir:q}"
        " > {log:q} 2>&1 || (cat {log:q} >&2; exit 2)"


rule case_compare:
    input:
        cases=[f for case in case_names() for f in case_files(case)],
        classified=expand("results/cases/{case}/classified.csv", case=case_names()),
    output:
        compare="results/cases/compare.csv",
        similarity="results/cases/similarity.csv",
    params:
        folders=" ".join(f"'{config['cases']['dir']}/{case}'" for case in case_names()),
    log:
        "logs/case/compare.log",
    benchmark:
        "logs/benchmarks/case_compare/job.tsv",
    shell:
        "slr case compare {params.folders} --results-dir results/cases -o {output.compare:q}"
        " --similarity {output.similarity:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 2)"


rule case_all:
    input:
        expand("results/cases/{case}/classified.csv", case=case_names()),
        expand("results/cases/{case}/{name}", case=case_names(), name=CASE_NARRATIVE),
        ["results/cases/compare.csv", "results/cases/similarity.csv"] if case_names() else [],
