# Systematic literature review workflow. No logic here: the stages live in
# workflow/rules/*.smk (in pipeline order) and call the `slr` command.
from pathlib import Path

from snakemake.utils import min_version, validate

from slr.cli import run_checked
from slr.config import WorkflowConfig

min_version("9.0")

# The config is held to the rules `slr audit --config` applies (a repeated key, a tab, a
# non-UTF-8 byte or nested aliases are refused, each with its file and line), and a schema error
# names the line of the config file or the --config value it comes from: each ends the run with
# one `error:` line (src/slr/config.py, WorkflowConfig). Snakemake's `validate` then only fills
# in the schema's defaults.
_config_check = run_checked(
    WorkflowConfig,
    "config/config.yaml",
    workflow.overwrite_configfiles,
    workflow.config_settings.config,
    replace=workflow.config_settings.replace_workflow_config,
    schema=Path(workflow.basedir) / "workflow/schemas/config.schema.yaml",
)


configfile: "config/config.yaml"


run_checked(_config_check.check, config)
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
