"""Full text: link the PDFs to the works to retrieve, extract each PDF's text once, search it.
in:  <fulltext.pdf_dir>/*.pdf (data/fulltext), results/works.csv,
     results/screening/abstract_screened.csv (link also waits for manifest.csv and its text cache)
out: results/fulltext/links.csv, unlinked.csv        (PDF <-> work, and what did not link)
     results/fulltext/batches/<n>-<i>.csv -> manifest.csv   (file,status,pages,chars,message)
     results/fulltext/text/<pdf stem>.txt (+ .json)  (text and extraction cache, kept across runs)
     results/fulltext/hits.csv, kwic.csv             (mentions per work, each in context)
Linking waits for the extraction and reads each PDF's first page from the text cache.
Extraction runs in batches: a PDF's batch is a hash of its file name modulo a power of two
(about fulltext.batch_size PDFs per batch), so adding a PDF re-runs only its own batch, and the
text cache keeps even that to the new PDF."""

from slr.fulltext.batches import pdf_names, plan_batches

FULLTEXT = config["fulltext"]
FULLTEXT_TEXT_DIR = "results/fulltext/text"
FULLTEXT_PDFS = pdf_names(FULLTEXT["pdf_dir"])
FULLTEXT_BATCHES = plan_batches(FULLTEXT_PDFS, FULLTEXT["batch_size"])


rule fulltext_link:
    input:
        works="results/works.csv",
        screened="results/screening/abstract_screened.csv",
        pdfs=[f"{FULLTEXT['pdf_dir']}/{name}" for name in FULLTEXT_PDFS],
        manifest="results/fulltext/manifest.csv",  # extracted first: first pages come from the text cache
    output:
        links="results/fulltext/links.csv",
        unlinked="results/fulltext/unlinked.csv",
    params:
        pdf_dir=lambda wc: FULLTEXT["pdf_dir"],  # the folder `link` reads (a function: lint)
        timeout=FULLTEXT["timeout"],
        text_dir=FULLTEXT_TEXT_DIR,
    log:
        "logs/fulltext/link.log",
    benchmark:
        "logs/benchmarks/fulltext_link/job.tsv",
    shell:
        "slr fulltext link {params.pdf_dir:q} --works {input.works:q} --screened {input.screened:q}"
        " -o {output.links:q} --unlinked {output.unlinked:q} --timeout {params.timeout}"
        " --text-dir {params.text_dir:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule fulltext_extract:
    input:
        pdfs=lambda wc: [f"{FULLTEXT['pdf_dir']}/{name}" for name in FULLTEXT_BATCHES[wc.batch]],
    output:
        manifest="results/fulltext/batches/{batch}.csv",
    params:
        text_dir=FULLTEXT_TEXT_DIR,
        timeout=FULLTEXT["timeout"],
    log:
        "logs/fulltext/extract/{batch}.log",
    benchmark:
        "logs/benchmarks/fulltext_extract/{batch}.tsv",
    wildcard_constraints:
        batch=r"\d+-\d+",
    shell:
        "slr fulltext extract {input.pdfs:q} -o {output.manifest:q} --text-dir {params.text_dir:q}"
        " --timeout {params.timeout} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule fulltext_manifest:
    input:
        expand("results/fulltext/batches/{batch}.csv", batch=sorted(FULLTEXT_BATCHES)),
    output:
        manifest="results/fulltext/manifest.csv",
    log:
        "logs/fulltext/manifest.log",
    benchmark:
        "logs/benchmarks/fulltext_manifest/job.tsv",
    shell:
        "slr fulltext merge {input:q} -o {output.manifest:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule fulltext_search:
    input:
        links="results/fulltext/links.csv",
        manifest="results/fulltext/manifest.csv",
    output:
        hits="results/fulltext/hits.csv",
        kwic="results/fulltext/kwic.csv",
    params:
        text_dir=FULLTEXT_TEXT_DIR,
        pattern=FULLTEXT["pattern"],
        min_mentions=FULLTEXT["min_mentions"],
        options=" ".join(
            (["--exclude-references"] if not FULLTEXT["include_references"] else [])
            + (["--word-start"] if FULLTEXT["match"] == "word_start" else [])
        ),
    log:
        "logs/fulltext/search.log",
    benchmark:
        "logs/benchmarks/fulltext_search/job.tsv",
    shell:
        "mkdir -p {params.text_dir:q} && slr fulltext search {params.text_dir:q} --pattern {params.pattern:q}"
        " --min-mentions {params.min_mentions} {params.options} -o {output.hits:q} --kwic {output.kwic:q}"
        " --links {input.links:q} --manifest {input.manifest:q} 2> {log:q} || (cat {log:q} >&2; exit 2)"


rule fulltext_all:
    input:
        rules.fulltext_link.output,
        rules.fulltext_search.output,
