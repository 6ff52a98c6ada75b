"""Screening, funnel, PRISMA diagram and audit.
in:  results/works.csv, results/records/<search>/*.csv, the code files named in config `screening:`
     and `availability:` (data/coded/, read when they exist), and, once their rules exist, the
     full-text results (results/fulltext/links.csv, manifest.csv, hits.csv) and the coded studies
     (results/tables/appendixC.csv)
out: results/screening/<stage>.xlsx + .csv (sheets to fill in), <stage>_screened.csv,
     availability.csv, pilot_keywords.csv, abstract_kappa.csv + abstract_conflicts.xlsx (two coders),
     results/exports/<set>.ris + .bib, results/funnel.csv, funnel_reasons.csv, prisma.svg + .png,
     results/audit.txt; results/funnel_history/<UTC time>/ (this funnel and the previous run's, kept by
     `slr funnel --history`, not declared: the audit's changes since the last run)"""


include: "screening_common.smk"


rule screening_sheet:
    input:
        works="results/works.csv",
        codes=lambda wc: all_code_files(wc.stage),
    output:
        xlsx="results/screening/{stage}.xlsx",
        csv="results/screening/{stage}.csv",
    log:
        "logs/screening/{stage}_sheet.log",
    benchmark:
        "logs/benchmarks/screening_sheet/{stage}.tsv",
    params:
        codes=lambda wc: " ".join(f"--codes {shlex.quote(p)}" for p in code_files(wc.stage)),
        args=lambda wc: stage_args(wc.stage),
    wildcard_constraints:
        stage="|".join(SCREENING_STAGES) or "none",
    shell:
        "slr screening sheet {input.works:q} {params.codes} {params.args} -o {output.xlsx:q} --csv {output.csv:q}"
        " 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule screening_apply:
    input:
        works="results/works.csv",
        codes=lambda wc: all_code_files(wc.stage),
    output:
        screened="results/screening/{stage}_screened.csv",
    log:
        "logs/screening/{stage}_apply.log",
    benchmark:
        "logs/benchmarks/screening_apply/{stage}.tsv",
    params:
        codes=lambda wc: " ".join(shlex.quote(p) for p in code_files(wc.stage)),
        args=lambda wc: stage_args(wc.stage),
        rule=lambda wc: stage_rule(wc.stage),
        key=lambda wc: f"screening.{wc.stage}." + ("relevant_if" if wc.stage == "pilot" else "include_if"),
    wildcard_constraints:
        stage="|".join(SCREENING_STAGES) or "none",
    shell:
        "slr screening apply {input.works:q} {params.codes} {params.args} --rule {params.rule:q}"
        " --rule-key {params.key:q} -o {output.screened:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule screening_kappa:
    input:
        works="results/works.csv",
        coder_a=lambda wc: code_files(wc.stage),
        coder_b=lambda wc: code_files(wc.stage, "second_coder"),
        reconciled=lambda wc: code_files(wc.stage, "reconciled"),
    output:
        kappa="results/screening/{stage}_kappa.csv",
        conflicts="results/screening/{stage}_conflicts.xlsx",
    log:
        "logs/screening/{stage}_kappa.log",
    benchmark:
        "logs/benchmarks/screening_kappa/{stage}.tsv",
    params:
        criteria=lambda wc: ",".join(stage_cfg(wc.stage)["criteria"]),
        files=lambda wc, input: " ".join(
            [f"--coder-a {shlex.quote(p)}" for p in input.coder_a]
            + [f"--coder-b {shlex.quote(p)}" for p in input.coder_b]
            + [f"--reconciled {shlex.quote(p)}" for p in input.reconciled]
        ),
    wildcard_constraints:
        stage="|".join(SCREENING_STAGES) or "none",
    shell:
        "slr screening kappa {input.works:q} {params.files} --criteria {params.criteria:q} -o {output.kappa:q}"
        " --conflicts {output.conflicts:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule screening_keywords:
    input:
        works="results/works.csv",
        pilot="results/screening/pilot_screened.csv",
    output:
        "results/screening/pilot_keywords.csv",
    log:
        "logs/screening/pilot_keywords.log",
    benchmark:
        "logs/benchmarks/screening_keywords/job.tsv",
    params:
        search=lambda wc: stage_cfg("pilot")["search"],
    shell:
        "slr screening keywords {input.works:q} {input.pilot:q} --search {params.search:q} -o {output:q}"
        " 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule screening_availability:
    input:
        works="results/works.csv",
        screened="results/screening/abstract_screened.csv",
        codes=lambda wc: availability_codes(),
    output:
        "results/screening/availability.csv",
    log:
        "logs/screening/availability.log",
    benchmark:
        "logs/benchmarks/screening_availability/job.tsv",
    params:
        codes=lambda wc: " ".join(shlex.quote(p) for p in availability_codes()),
        reasons=lambda wc: ",".join(config["availability"]["reasons"]),
    shell:
        "slr screening availability {input.works:q} {input.screened:q} {params.codes}"
        " --reasons {params.reasons:q} -o {output:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule screening_export:
    input:
        works="results/works.csv",
        sets=lambda wc: export_sets()[wc.name],
    output:
        ris="results/exports/{name}.ris",
        bib="results/exports/{name}.bib",
    log:
        "logs/screening/export_{name}.log",
    benchmark:
        "logs/benchmarks/screening_export/{name}.tsv",
    params:
        args=lambda wc: export_args(wc.name),
    wildcard_constraints:
        name=r"[A-Za-z0-9_]+",
    shell:
        "slr screening export {input.works:q} {params.args} --ris {output.ris:q} --bib {output.bib:q}"
        " 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule screening_qda:
    input:
        works="results/works.csv",
        hits=LATER_RESULTS["hits"],
        links=LATER_RESULTS["links"],
    output:
        "results/exports/anchor_included_qda.csv",
    log:
        "logs/screening/export_qda.log",
    benchmark:
        "logs/benchmarks/screening_qda/job.tsv",
    shell:
        "slr screening export {input.works:q} --set {input.hits:q} --where included=true --qda {output:q}"
        " --links {input.links:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule funnel:
    input:
        unpack(later_inputs),
        records=all_records(),
        works="results/works.csv",
        pilot="results/screening/pilot_screened.csv" if "pilot" in SCREENING_STAGES else [],
        screened="results/screening/abstract_screened.csv" if "abstract" in SCREENING_STAGES else [],
        availability="results/screening/availability.csv" if "availability" in config else [],
    output:
        funnel="results/funnel.csv",
        reasons="results/funnel_reasons.csv",
    log:
        "logs/funnel.log",
    benchmark:
        "logs/benchmarks/funnel/job.tsv",
    params:
        args=funnel_args,
    shell:
        "slr funnel --works {input.works:q} {params.args} -o {output.funnel:q} --reasons {output.reasons:q}"
        " 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule prisma:
    input:
        funnel="results/funnel.csv",
        reasons="results/funnel_reasons.csv",
    output:
        svg="results/prisma.svg",
        png="results/prisma.png",
    log:
        "logs/prisma.log",
    benchmark:
        "logs/benchmarks/prisma/job.tsv",
    params:
        args=prisma_args(),
    shell:
        "slr prisma {input.funnel:q} {input.reasons:q} {params.args} -o {output.svg:q} --png {output.png:q}"
        " 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule audit:
    input:
        unpack(later_inputs),
        audit_inputs,
        config="config/config.yaml",
        funnel="results/funnel.csv",
        prisma="results/prisma.svg",
    output:
        "results/audit.txt",
    log:
        "logs/audit.log",
    benchmark:
        "logs/benchmarks/audit/job.tsv",
    shell:
        "slr audit --config {input.config:q} --results results -o {output:q} > /dev/null 2> {log:q}"
        " || (cat {log:q} >&2; exit 2)"


rule screening_all:
    input:
        lambda wc: screening_targets(),
