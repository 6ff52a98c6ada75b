# Systematic literature review workflow. No logic here: the stages live in
# workflow/rules/*.smk (in pipeline order) and call the `slr` command.
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/dedupe.smk"
include: "workflow/rules/screening.smk"
include: "workflow/rules/fulltext.smk"
include: "workflow/rules/coding.smk"
include: "workflow/rules/case.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        rules.ingest_all.input,
        rules.dedupe.output if all_records() else [],
        lambda wc: screening_targets(),
        rules.case_all.input,
        rules.report.output if all_records() else [],
