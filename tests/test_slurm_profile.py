"""The cluster profile (workflow/profiles/slurm): Snakemake plans the shipped review with it without
any SLURM command (a dry run), with the intended resources and groups, and would submit each group
of small jobs as one SLURM job asking for the CPUs, memory and time its jobs need."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from slr.fulltext.batches import pdf_names, plan_batches

REPO = Path(__file__).resolve().parent.parent
SLURM_COMMANDS = ("sbatch", "sacct", "squeue", "sinfo", "sacctmgr", "sshare", "scontrol", "srun", "scancel")


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's workflow, configuration and shipped data, not yet run."""
    root = tmp_path_factory.mktemp("review")
    shutil.copy(REPO / "Snakefile", root)
    for folder in ("workflow", "config", "data"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def fake_slurm(folder: Path, commands: tuple[str, ...] = SLURM_COMMANDS) -> Path:
    """SLURM commands that only log their call: sbatch hands out job 4242, sacct reports it failed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in commands:
        script = folder / name
        body = f'echo "{name} $*" >> "{folder}/calls.log"\n'
        if name == "sbatch":
            body += "cat > /dev/null\necho 4242\n"
        if name == "sacct":
            body += 'case "$*" in *JobIdRaw*) echo "4242|FAILED";; esac\n'
        script.write_text("#!/bin/sh\n" + body + "exit 0\n")
        script.chmod(0o755)
    return folder


def snakemake(review: Path, fake: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(fake), str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=review,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": path},
        timeout=300,
    )


def batch_size(review: Path) -> int:
    return int(yaml.safe_load((review / "config" / "config.yaml").read_text())["fulltext"]["batch_size"])


def calls(fake: Path) -> list[str]:
    log = fake / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def plan(text: str) -> list[tuple[str | None, str, dict[str, str]]]:
    """(group or None, rule, resources) of every job a dry run lists."""
    jobs: list[tuple[str | None, str, dict[str, str]]] = []
    group: str | None = None
    for line in text.splitlines():
        started = re.search(r"Group job (\S+) \(jobs", line)
        if started:
            group = started.group(1)
            continue
        rule = re.match(r"^(\s*)(?:local)?rule (\w+):$", line)
        if rule:
            jobs.append((group if rule.group(1) else None, rule.group(2), {}))
            if not rule.group(1):
                group = None
            continue
        resources = re.match(r"^\s+resources: (.*)$", line)
        if resources and jobs:
            jobs[-1][2].update(item.split("=", 1) for item in resources.group(1).split(", "))
    return jobs


def test_the_slurm_profile_plans_the_review_without_slurm(review: Path, tmp_path: Path) -> None:
    fake = fake_slurm(tmp_path / "bin", ("sbatch",))  # no other SLURM command on the PATH
    done = snakemake(review, fake, "--profile", "workflow/profiles/slurm", "--dry-run")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Using profile workflow/profiles/slurm" in done.stderr
    assert calls(fake) == []  # nothing submitted

    jobs = plan(done.stdout)
    rules = {rule for _, rule, _ in jobs}
    assert {"ingest", "dedupe", "screening_sheet", "fulltext_extract", "fulltext_link", "report"} <= rules

    def resources(rule: str) -> tuple[int, int]:
        found = {(int(r["mem_mb"]), int(r["runtime"])) for _, name, r in jobs if name == rule}
        assert len(found) == 1, (rule, found)
        return found.pop()

    # more memory for the steps that hold a whole search, more time for extraction
    assert resources("dedupe") == (4000, 60)
    assert resources("screening_sheet") == (2000, 20)
    assert resources("screening_apply") == (2000, 10)
    assert resources("fulltext_link") == (2000, 30)
    assert resources("fulltext_extract") == (1000, 30)
    assert resources("ingest") == (1000, 5)
    assert resources("case_classify") == (1000, 10)  # the defaults

    # the many small jobs travel in groups: every export file's ingest, every extraction batch
    exports = [p for p in (review / "data" / "raw").glob("*/*") if p.name != "search.yaml"]
    ingest = [group for group, rule, _ in jobs if rule == "ingest"]
    assert len(ingest) == len(exports) and set(ingest) == {"ingest_files"}
    batches = plan_batches(pdf_names(review / "data" / "fulltext"), batch_size(review))
    extract = [group for group, rule, _ in jobs if rule == "fulltext_extract"]
    assert len(extract) == len(batches) and set(extract) == {"extract_pdfs"}
    groups = re.findall(r"Group job (\S+) \(jobs", done.stdout)
    assert groups.count("extract_pdfs") == -(-len(batches) // 8)  # 8 batches to a group job
    assert all(group is None for group, rule, _ in jobs if rule not in ("ingest", "fulltext_extract"))


@pytest.mark.slow
def test_a_group_job_asks_slurm_for_what_its_jobs_need(review: Path, tmp_path: Path) -> None:
    """Submitted to a stand-in SLURM: one sbatch per group job. A group runs `cores` (4) of its
    jobs at a time, so it asks for 4 CPUs, 4 x the memory of one job, and the time of one job
    for every round of 4."""
    fake = fake_slurm(tmp_path / "bin")
    done = snakemake(
        review,
        fake,
        "--profile",
        "workflow/profiles/slurm",
        "--latency-wait",
        "1",
        "--retries",
        "0",
        "--keep-going",
        "--slurm-init-seconds-before-status-checks",
        "1",
        "ingest_all",
        "results/fulltext/manifest.csv",
    )
    assert done.returncode != 0  # the stand-in SLURM fails every job
    submitted = [line for line in calls(fake) if line.startswith("sbatch ")]
    exports = len([p for p in (review / "data" / "raw").glob("*/*") if p.name != "search.yaml"])
    batches = len(plan_batches(pdf_names(review / "data" / "fulltext"), batch_size(review)))
    by_group: dict[str, list[str]] = {}
    for line in submitted:
        comment = re.search(r"--comment (\S+)", line)
        assert comment, line
        by_group.setdefault(comment.group(1), []).append(line)
    assert sorted(by_group) == ["rule_extract_pdfs_fulltext_extract", "rule_ingest_files_ingest"]
    assert len(by_group["rule_ingest_files_ingest"]) == -(-exports // 20)
    assert len(by_group["rule_extract_pdfs_fulltext_extract"]) == -(-batches // 8)

    def asks(line: str) -> tuple[int, int, int]:
        cpus = re.search(r"--cpus-per-task=(\d+)", line)
        mem = re.search(r"--mem (\d+)", line)
        time = re.search(r" -t (\d+)", line)
        assert cpus and mem and time, line
        return int(cpus.group(1)), int(mem.group(1)), int(time.group(1))

    (ingest,) = by_group["rule_ingest_files_ingest"]
    assert asks(ingest) == (4, 4 * 1000, -(-exports // 4) * 5)
    for line in by_group["rule_extract_pdfs_fulltext_extract"]:
        jobs = len(re.findall(r"'fulltext_extract:batch=", line))
        assert 0 < jobs <= 8
        assert asks(line) == (min(4, jobs), min(4, jobs) * 1000, -(-jobs // 4) * 30)
