"""Helpers for workflow/rules/screening.smk: which code files exist, the command-line options
each screening stage gets from the config, and which later-stage results the funnel reads."""

import shlex
from pathlib import Path

SCREENING_STAGES = [s for s in ("pilot", "abstract") if s in config.get("screening", {})]
# Every funnel computed is kept here (this run and the one before) for the audit's "changes since
# the last run"; informational only, not declared to Snakemake (like the full-text cache).
FUNNEL_HISTORY = "results/funnel_history"
# Result files of later stages: read by the funnel once a rule of the workflow produces them.
LATER_RESULTS = {
    "links": "results/fulltext/links.csv",
    "manifest": "results/fulltext/manifest.csv",
    "hits": "results/fulltext/hits.csv",
    "coded": "results/tables/appendixC.csv",
}


def produced(path):
    """True when some rule of the workflow writes `path`."""
    return any(r.is_producer(path) for r in workflow.rules)


def stage_cfg(stage):
    return config["screening"][stage]


def code_files(stage, key="codes"):
    """The stage's code files that exist: decisions appear as researchers save them."""
    return [p for p in stage_cfg(stage).get(key, []) if Path(p).is_file()]


def all_code_files(stage):
    return [p for key in ("codes", "second_coder", "reconciled") for p in code_files(stage, key)]


def availability_codes():
    return [p for p in [config["availability"]["codes"]] if Path(p).is_file()]


def audit_inputs(wildcards):
    """Everything the audit reads besides the funnel: code files and search.yaml sidecars."""
    files = [p for stage in SCREENING_STAGES for p in all_code_files(stage)]
    if "availability" in config:
        files += availability_codes()
    comparison = "results/tables/comparison.csv"  # `slr tables compare`, shown by the audit
    if produced(comparison) or Path(comparison).is_file():
        files.append(comparison)
    for search in config["searches"]:
        sidecar = Path(config["searches"][search]["dir"]) / "search.yaml"
        if sidecar.is_file():
            files.append(str(sidecar))
    return files


def stage_args(stage):
    """--criteria/--search/--sample/--seed and the code files, as command-line options."""
    cfg = stage_cfg(stage)
    args = ["--criteria", ",".join(cfg["criteria"]), "--search", cfg["search"]]
    if stage == "pilot":
        args += ["--sample", str(cfg["size"]), "--seed", str(cfg["seed"])]
    for key, option in (("second_coder", "--second-coder"), ("reconciled", "--reconciled")):
        for path in code_files(stage, key):
            args += [option, path]
    return " ".join(shlex.quote(a) for a in args)


def stage_rule(stage):
    cfg = stage_cfg(stage)
    if stage == "pilot":
        return cfg.get("relevant_if") or " and ".join(cfg["criteria"])
    return cfg["include_if"]


def export_sets():
    """Sets exported for a reference manager: each search, and each stage decided so far."""
    sets = {s: [] for s in config["searches"]}
    for stage in SCREENING_STAGES:
        sets[stage] = [f"results/screening/{stage}_screened.csv"]
    if produced(LATER_RESULTS["hits"]):
        sets["anchor_included"] = [LATER_RESULTS["hits"]]
    return sets


def export_args(name):
    if name in config["searches"]:
        return f"--search {shlex.quote(name)}"
    if name == "pilot":
        return "--set results/screening/pilot_screened.csv"
    if name == "abstract":
        return "--set results/screening/abstract_screened.csv --where decision=included"
    return f"--set {LATER_RESULTS['hits']} --where included=true"


def later_inputs(wildcards):
    return {k: v for k, v in LATER_RESULTS.items() if produced(v) or Path(v).is_file()}


def funnel_args(wildcards, input):
    args = ["--searches", ",".join(config["searches"]), "--history", FUNNEL_HISTORY]
    for path in input.records:  # the current exports' records only, not files of removed exports
        args += ["--records", path]
    if "pilot" in SCREENING_STAGES:
        args += ["--pilot-search", stage_cfg("pilot")["search"], "--pilot", input.pilot]
    if "abstract" in SCREENING_STAGES:
        args += ["--screened", input.screened]
    if "availability" in config:
        args += ["--availability", input.availability]
    for key in LATER_RESULTS:
        if hasattr(input, key):
            args += [f"--{key}", getattr(input, key)]
    for stage, count in config.get("expected", {}).items():
        args += ["--expected", f"{stage}={count}"]
    return " ".join(shlex.quote(a) for a in args)


def prisma_args():
    searches = list(config["searches"])
    identification = config.get("screening", {}).get("abstract", {}).get("search", searches[-1])
    args = ["--identification", identification]
    if "pilot" in SCREENING_STAGES and stage_cfg("pilot")["search"] != identification:
        args += ["--development", stage_cfg("pilot")["search"]]
    for key, text in config.get("screening", {}).get("labels", {}).items():
        args += ["--label", f"{key}={text}"]
    return " ".join(shlex.quote(a) for a in args)


def screening_targets():
    targets = []
    for stage in SCREENING_STAGES:
        targets += [f"results/screening/{stage}.xlsx", f"results/screening/{stage}_screened.csv"]
        if stage_cfg(stage).get("second_coder") and code_files(stage, "second_coder"):
            targets.append(f"results/screening/{stage}_kappa.csv")
    if "pilot" in SCREENING_STAGES and code_files("pilot"):
        targets.append("results/screening/pilot_keywords.csv")
    if "abstract" in SCREENING_STAGES and "availability" in config:
        targets.append("results/screening/availability.csv")
    targets += [f"results/exports/{name}.ris" for name in export_sets()]
    if produced(LATER_RESULTS["hits"]) and produced(LATER_RESULTS["links"]):
        targets.append("results/exports/anchor_included_qda.csv")
    targets += ["results/funnel.csv", "results/prisma.svg", "results/audit.txt"]
    return targets
