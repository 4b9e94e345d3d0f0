"""Benchmarks: how fast Gongkai reads a province's year of reports, measured on a generated corpus.

    make bench                  # full run (about 7–10 minutes on 2 cores, + 2 to make the corpus once)
    BENCH_QUICK=1 make bench    # smaller corpus, a few minutes
    .venv/bin/python -m benchmarks.run --only pdf,text   # some scenarios only

Scenarios (all on one seeded corpus from `corpusgen.corpus`, about 40% PDF):

- pdf: `read_report` on a sample of the PDFs, single process, against pdfplumber `extract_text` +
  `extract_tables` on every page of the same PDFs (pages closed one by one) and against poppler's
  `pdftotext -layout` (a subprocess per file, what a peer parser uses as its fast route), interleaved file by
  file in the same run so background load hits all alike. Without `pdftotext` on PATH that one ratio is skipped.
- text: every text, Word and HTML report of the corpus read by `ingestion.landing.pipeline.read_isolated`, the
  pipeline's own worker processes (one per core).
- refresh: cold `gongkai refresh` (the real CLI, a subprocess) of 250, 500 and 1,000 reports into empty
  warehouses, then one more report added to the 1,000; the scaling exponent is the log-log least-squares
  slope of time against documents. Memory: the refresh's whole process tree (CLI, parser workers, dbt)
  sampled every 0.2 s with psutil; `peak_rss_mb` is the peak of the summed PSS (forked workers share their
  parent's pages, and PSS splits a shared page between the processes that map it, so it is counted once),
  `peak_rss_sum_mb` the peak of the plainly summed RSS (shared pages counted once per process).
- accuracy: every generated table fact of the 1,000 reports (landing facts of the cold refresh, which are
  `read_report` results), read exactly right or not.
- ocr: generated reports of every template rendered as scans (`corpusgen.scans`: image-only PDFs at 150–200
  dpi, turned and noisy) read by `read_report`, single process, one inference thread: `ocr_seconds_per_page` is
  the wall time of the whole read (rendering, recognition, layout, templates) per page; `ocr_table_fact_accuracy`
  the share of the generator's table facts read exactly; `ocr_docs_wrong_without_hard_finding` the scans that
  published a wrong value without a hard finding on their document (must be 0).

Writes benchmarks/results.json and prints a table. Corpus and warehouses live in BENCH_WORKDIR
(default: <tmp>/gongkai-bench); the corpus is kept between runs, the warehouses are rebuilt.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GONGKAI = Path(sys.executable).parent / "gongkai"
SEED = 2024
TARGETS = {  # metric: (comparison, target)
    "refresh_seeds_cold_seconds": ("<=", 15),
    "refresh_nothing_new_1000_seconds": ("<=", 8),
    "incremental_1_new_of_1000_seconds": ("<=", 15),
    "refresh_1000_docs_seconds": ("<=", 45),
    "pdf_cost_vs_pdftotext_layout": ("<=", 2.0),
    "pdf_cost_vs_pdfplumber_all_pages": ("<=", 0.12),
    "text_docs_per_second": (">=", 300),
    "scaling_exponent": ("<=", 1.0),
    "peak_rss_mb": ("<=", 800),
    "table_fact_accuracy_generated": (">=", 1.0),
    "ocr_table_fact_accuracy": (">=", 0.95),
    "ocr_docs_wrong_without_hard_finding": ("<=", 0),
    "ocr_seconds_per_page": ("<=", 15),
}
OCR_SCANS = {  # (template, borderless) of the scans read
    "full": [
        *((t, b) for t in ("gb2014", "gb2014_hubei", "gb2019", "gb2021") for b in (False, True)), ("narrative", False)
    ],
    "quick": [("gb2021", False), ("gb2014", False)],
}
SIZES = {"full": (250, 500, 1000), "quick": (50, 100, 200)}
PDF_SAMPLE = {"full": 60, "quick": 16}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- corpus


def make_corpus(workdir: Path, count: int, seed: int) -> tuple[Path, dict[str, dict]]:
    """The pool of reports every scenario draws from (reused when it is already there)."""
    from corpusgen.corpus import write_corpus

    pool = workdir / f"corpus-{seed}-{count}"
    truth_path = pool / "truth.json"
    if truth_path.exists():
        truth = json.loads(truth_path.read_text(encoding="utf-8"))["files"]
        if len(truth) == count and all((pool / name).exists() for name in truth):
            log(f"corpus of {count} reports already in {pool}")
            return pool, truth
    shutil.rmtree(pool, ignore_errors=True)
    started = time.monotonic()
    truth = write_corpus(pool, count, seed, pdf_share=0.4, workers=2)
    log(f"corpus of {count} reports written in {time.monotonic() - started:.0f} s → {pool}")
    return pool, truth


def inbox_of(workdir: Path, pool: Path, names: list[str], label: str) -> Path:
    """An inbox holding `names` from the pool (hard links; truth.json stays out)."""
    inbox = workdir / f"inbox-{label}"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for name in names:
        try:
            os.link(pool / name, inbox / name)
        except OSError:
            shutil.copy2(pool / name, inbox / name)
    return inbox


# ----------------------------------------------------------------------------------------------- pdf


def _pdfplumber_all_pages(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()


def _pdftotext_layout(path: Path, pdftotext: str) -> None:
    subprocess.run([pdftotext, "-q", "-layout", str(path), "-"], capture_output=True, check=False)


def bench_pdf(pool: Path, truth: dict[str, dict], sample: int) -> dict:
    from ingestion.extract import read_report
    from ingestion.readers.pdf import read_pdf

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        log("  pdftotext not on PATH (Debian: poppler-utils): pdf_cost_vs_pdftotext_layout skipped")

    pdfs = [name for name, entry in truth.items() if entry["format"].startswith("pdf")]
    step = max(1, len(pdfs) // sample)
    chosen = pdfs[1::step][:sample]
    # imports, catalogue, fonts, patterns compiled on first use (not every report needs them): not the per-file cost
    warm = [name for name in pdfs if name not in chosen][:3]
    for name in warm:
        read_report((pool / name).read_bytes())
    _pdfplumber_all_pages((pool / warm[0]).read_bytes())
    if pdftotext:
        _pdftotext_layout(pool / warm[0], pdftotext)
    ours_wall = base_wall = ours_cpu = base_cpu = poppler_wall = reader_wall = 0.0
    pages = 0
    per_file = []
    import pypdfium2

    for name in chosen:
        data = (pool / name).read_bytes()
        document = pypdfium2.PdfDocument(data)
        page_count = len(document)
        document.close()
        pages += page_count
        w, c = time.perf_counter(), time.process_time()
        read_report(data)
        ours = (time.perf_counter() - w, time.process_time() - c)
        w = time.perf_counter()
        read_pdf(data)  # the PDF reader alone: the rest of read_report is identity, templates and rules
        reader_wall += time.perf_counter() - w
        w, c = time.perf_counter(), time.process_time()
        _pdfplumber_all_pages(data)
        base = (time.perf_counter() - w, time.process_time() - c)
        poppler = None
        if pdftotext:
            w = time.perf_counter()
            _pdftotext_layout(pool / name, pdftotext)
            poppler = time.perf_counter() - w  # wall time: the work is in a child process
            poppler_wall += poppler
        ours_wall += ours[0]
        ours_cpu += ours[1]
        base_wall += base[0]
        base_cpu += base[1]
        per_file.append(
            {"file": name, "pages": page_count, "ours_s": round(ours[0], 4), "pdfplumber_s": round(base[0], 4),
             "pdftotext_s": None if poppler is None else round(poppler, 4)}
        )
    poppler_results = {
        "pdf_cost_vs_pdftotext_layout": round(ours_wall / poppler_wall, 3),
        "pdf_pdftotext_seconds": round(poppler_wall, 2),
        "pdf_pdftotext_ms_per_page": round(1000 * poppler_wall / pages, 2),
    } if pdftotext else {"pdf_cost_vs_pdftotext_layout": None}
    return {
        "pdf_cost_vs_pdfplumber_all_pages": round(ours_wall / base_wall, 4),
        "pdf_cost_vs_pdfplumber_all_pages_cpu": round(ours_cpu / base_cpu, 4),
        "pdf_files": len(chosen),
        "pdf_pages": pages,
        "pdf_ours_seconds": round(ours_wall, 2),
        "pdf_pdfplumber_seconds": round(base_wall, 2),
        "pdf_ours_ms_per_page": round(1000 * ours_wall / pages, 1),
        "pdf_pdfplumber_ms_per_page": round(1000 * base_wall / pages, 1),
        "pdf_reader_ms_per_page": round(1000 * reader_wall / pages, 2),
        **poppler_results,
        "pdf_per_file": per_file,
    }


# ---------------------------------------------------------------------------------------------- text


def bench_text(pool: Path, truth: dict[str, dict]) -> dict:
    from ingestion.extract import read_report
    from ingestion.landing.inbox import inbox_file
    from ingestion.landing.pipeline import read_isolated
    from ingestion.limits import ReadLimits

    names = [name for name, entry in truth.items() if not entry["format"].startswith("pdf")]
    records = [inbox_file(pool / name, name) for name in names]
    read_report((pool / names[0]).read_bytes())  # the parent's imports, as in a refresh
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    results = {file.path: result for file, result in read_isolated(records, ReadLimits(), workers=workers)}
    elapsed = time.perf_counter() - started
    quarantined = [name for name, result in results.items() if result.document.parse_status != "parsed"]
    single = names[: min(len(names), 150)]
    started = time.perf_counter()
    for name in single:
        read_report((pool / name).read_bytes())
    single_rate = len(single) / (time.perf_counter() - started)
    by_format = Counter(truth[name]["format"] for name in names)
    return {
        "text_docs_per_second": round(len(names) / elapsed, 1),
        "text_docs": len(names),
        "text_docs_by_format": dict(by_format),
        "text_workers": workers,
        "text_seconds": round(elapsed, 2),
        "text_quarantined": quarantined,
        "text_docs_per_second_one_process_in_place": round(single_rate, 1),
    }


# ------------------------------------------------------------------------------------------- refresh


def _tree_memory(root) -> tuple[float, float, int]:
    import psutil

    rss = pss = 0
    processes = [root]
    with contextlib.suppress(psutil.Error):
        processes += root.children(recursive=True)
    for process in processes:
        try:
            info = process.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return rss / 1024**2, pss / 1024**2, len(processes)


def run_refresh(inbox: Path, warehouse: Path) -> dict:
    """`gongkai refresh` as a user runs it, with the process tree's memory sampled every 0.2 s."""
    import psutil

    warehouse.mkdir(parents=True, exist_ok=True)
    output = warehouse.parent / f"{warehouse.name}.refresh-output.txt"
    env = dict(os.environ, COLUMNS="120")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    loads = []
    with output.open("w", encoding="utf-8") as sink:
        started = time.perf_counter()
        process = psutil.Popen(
            [str(GONGKAI), "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse)],
            stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=REPO,
        )
        peak_rss = peak_pss = 0.0
        peak_at = ""
        most_processes = 0
        while process.poll() is None:
            rss, pss, count = _tree_memory(process)
            if pss > peak_pss:
                peak_at = time.strftime("%H:%M:%S")
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            most_processes = max(most_processes, count)
            loads.append(os.getloadavg()[0])
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and everything it waited for
    text = output.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"gongkai refresh failed ({process.returncode}); see {output}:\n{text[-3000:]}")
    steps = step_seconds(warehouse / "logs" / "last_refresh.log")
    return {
        "seconds": round(elapsed, 2),
        "seconds_outside_steps": round(elapsed - sum(steps.values()), 1),  # start-up, planning, summary
        "cpu_seconds": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1),
        "load_average_during": round(statistics.fmean(loads), 2) if loads else None,
        "peak_pss_mb": round(peak_pss, 1),
        "peak_pss_during": step_at(warehouse / "logs" / "last_refresh.log", peak_at),
        "peak_rss_sum_mb": round(peak_rss, 1),
        "most_processes": most_processes,
        "steps": steps,
        "summary": next((line for line in text.splitlines() if "facts from" in line), "").strip(),
    }


def step_seconds(log_path: Path) -> dict[str, float]:
    """Seconds per Dagster step, from the refresh log's 'Finished execution of step "X" in 1.5s' lines."""
    if not log_path.exists():
        return {}
    steps: dict[str, float] = {}
    pattern = re.compile(r'Finished execution of step "([^"]+)" in ((?:[\d.]+(?:ms|h|m|s))+)')
    units = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if match := pattern.search(line):  # "588ms", "2.04s", "1m10s"
            parts = re.findall(r"([\d.]+)(ms|h|m|s)", match.group(2))
            steps[match.group(1)] = round(sum(float(n) * units[u] for n, u in parts), 2)
    return steps


def step_at(log_path: Path, clock: str) -> str:
    """The step(s) the refresh log shows running at HH:MM:SS `clock` ('' before the first step)."""
    if not clock or not log_path.exists():
        return ""
    running: set[str] = set()
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = re.match(r"(\d\d:\d\d:\d\d) (\S+) (Started|Finished) execution of step", line)
        if not match:
            continue
        if match.group(1) > clock:
            break
        (running.add if match.group(3) == "Started" else running.discard)(match.group(2))
    return ", ".join(sorted(running)) or "between steps (start-up, planning or summary)"


def log_log_slope(sizes: tuple[int, ...] | list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(documents)."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(value, 1e-9)) for value in seconds]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )


def bench_refresh(workdir: Path, pool: Path, truth: dict[str, dict], sizes: tuple[int, ...]) -> dict:
    names = sorted(truth)
    largest = sizes[-1]
    runs: dict[int, dict] = {}
    for size in sizes:
        inbox = inbox_of(workdir, pool, names[:size], str(size))
        warehouse = workdir / f"warehouse-{size}"
        shutil.rmtree(warehouse, ignore_errors=True)
        log(f"cold refresh of {size} reports …")
        runs[size] = run_refresh(inbox, warehouse)
        log(f"  {runs[size]['seconds']:.1f} s ({runs[size]['cpu_seconds']:.0f} s CPU, load "
            f"{runs[size]['load_average_during']}), peak PSS {runs[size]['peak_pss_mb']:.0f} MB "
            f"(RSS summed {runs[size]['peak_rss_sum_mb']:.0f} MB); steps {runs[size]['steps']}")
    inbox = workdir / f"inbox-{largest}"
    extra = names[largest]
    os.link(pool / extra, inbox / extra)
    log(f"incremental refresh: 1 new report on top of {largest} …")
    incremental = run_refresh(inbox, workdir / f"warehouse-{largest}")
    log(f"  {incremental['seconds']:.1f} s; steps {incremental['steps']}")
    slope = log_log_slope(sizes, [runs[size]["seconds"] for size in sizes])
    cpu_slope = log_log_slope(sizes, [runs[size]["cpu_seconds"] for size in sizes])
    all_runs = [*runs.values(), incremental]
    return {
        f"refresh_{largest}_docs_seconds": runs[largest]["seconds"],
        f"incremental_1_new_of_{largest}_seconds": incremental["seconds"],
        "scaling_exponent": round(slope, 3),
        "scaling_exponent_cpu": round(cpu_slope, 3),  # the same fit on CPU seconds: less sensitive to load
        # summed PSS: a page shared by the CLI and its forked workers counts once, split between them
        "peak_rss_mb": max(run["peak_pss_mb"] for run in all_runs),
        "peak_rss_sum_mb": max(run["peak_rss_sum_mb"] for run in all_runs),  # shared pages once per process
        "refresh_runs": {str(size): run for size, run in runs.items()},
        "incremental_run": incremental,
        "warehouse": str(workdir / f"warehouse-{largest}"),
    }


# ------------------------------------------------------------------------------------------ accuracy


def bench_accuracy(pool: Path, truth: dict[str, dict], names: list[str], warehouse: Path) -> dict:
    """Generated facts against what the cold refresh landed (read_report's results, in the workers)."""
    import pyarrow.parquet as pq

    from ingestion import PARSER_VERSION
    from ingestion.landing.store import landed_dir

    right = total = wrong_value = missing = extra = 0
    by_format: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    identity_right = identity_total = 0
    for name in names:
        entry = truth[name]
        digest = sha256((pool / name).read_bytes()).hexdigest()
        folder = landed_dir(warehouse, digest, PARSER_VERSION)
        got: dict[tuple[str, str], float | None] = {}
        document: dict = {}
        if (folder / "facts.parquet").exists():
            for row in pq.read_table(folder / "facts.parquet").to_pylist():
                got[(row["indicator_code"], row["requester_type"])] = row["value"]
            document = pq.read_table(folder / "document.parquet").to_pylist()[0]
        identity_total += 1
        identity_right += (document.get("report_year") == entry["year"]) and (
            document.get("agency_name") == entry["agency"]
        )
        if entry["template"] == "narrative":
            continue
        expected = {(code, requester): value for code, requester, value in entry["facts"]}
        for key, value in expected.items():
            total += 1
            by_format[entry["format"]][1] += 1
            if key not in got:
                missing += 1
            elif got[key] == value or (got[key] is not None and value is not None and abs(got[key] - value) < 1e-9):
                right += 1
                by_format[entry["format"]][0] += 1
            else:
                wrong_value += 1
        extra += len(set(got) - set(expected))
    return {
        "table_fact_accuracy_generated": round(right / total, 5) if total else None,
        "table_facts": total,
        "table_facts_missing": missing,
        "table_facts_wrong_value": wrong_value,
        "table_facts_unexpected": extra,
        "table_fact_accuracy_by_format": {
            form: round(ok / n, 5) for form, (ok, n) in sorted(by_format.items()) if n
        },
        "agency_and_year_right": round(identity_right / identity_total, 5) if identity_total else None,
    }


def accuracy_in_process(pool: Path, truth: dict[str, dict], names: list[str], workdir: Path) -> dict:
    """Without a refresh: read the reports in the pipeline's workers and land them in a scratch folder."""
    from ingestion.landing.inbox import inbox_file
    from ingestion.landing.pipeline import read_isolated
    from ingestion.landing.store import write_landing
    from ingestion.limits import ReadLimits

    scratch = workdir / "accuracy-landing"
    shutil.rmtree(scratch, ignore_errors=True)
    for _, result in read_isolated([inbox_file(pool / name, name) for name in names], ReadLimits()):
        write_landing(scratch, result)
    return bench_accuracy(pool, truth, names, scratch)


# ----------------------------------------------------------------------------------------------- ocr


def bench_ocr(scans: list[tuple[str, bool]], seed: int) -> dict:
    import pypdfium2

    from corpusgen.scans import scanned_report
    from ingestion.extract import read_report

    right = total = pages = 0
    seconds = cpu = 0.0
    unflagged: list[str] = []
    per_file = []
    for index, (template, borderless) in enumerate(scans):
        report, data = scanned_report(template, seed + index, ruled=not borderless)
        document = pypdfium2.PdfDocument(data)
        count = len(document)
        document.close()
        w, c = time.perf_counter(), time.process_time()
        result = read_report(data)
        elapsed = time.perf_counter() - w
        cpu += time.process_time() - c
        got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
        exact = sum(1 for key, value in report.truth.items() if key in got and got[key] == value)
        wrong = [key for key, value in report.truth.items() if got.get(key) is not None and got[key] != value]
        hard = sum(1 for f in result.findings if f.severity == "hard")
        if wrong and not hard:
            unflagged.append(f"{template}{' borderless' if borderless else ''} seed {seed + index}")
        right += exact
        total += len(report.truth)
        pages += count
        seconds += elapsed
        per_file.append({"template": template, "borderless": borderless, "pages": count, "seconds": round(elapsed, 1),
                         "exact": exact, "facts": len(report.truth), "wrong": len(wrong), "hard_findings": hard})
    return {
        "ocr_seconds_per_page": round(seconds / pages, 2),
        "ocr_cpu_seconds_per_page": round(cpu / pages, 2),
        "ocr_table_fact_accuracy": round(right / total, 4) if total else None,
        "ocr_docs_wrong_without_hard_finding": len(unflagged),
        "ocr_unflagged": unflagged,
        "ocr_pages": pages,
        "ocr_per_file": per_file,
    }


# ---------------------------------------------------------------------------------------------- main


def verdict(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    comparison, target = TARGETS[metric]
    ok = value <= target if comparison == "<=" else value >= target
    return "ok" if ok else "MISSED"


def print_table(results: dict) -> None:
    rows = [("metric", "value", "target", "")]
    for metric, (comparison, target) in TARGETS.items():
        value = results.get(metric)
        shown = "—" if value is None else f"{value:g}"
        rows.append((metric, shown, f"{comparison} {target:g}", verdict(metric, value)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for k, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if k == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gongkai benchmarks")
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK", "") not in ("", "0"))
    parser.add_argument("--only", default="pdf,text,refresh,accuracy,ocr", help="comma-separated scenarios")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("BENCH_WORKDIR", Path(tempfile.gettempdir()) / "gongkai-bench")))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    mode = "quick" if args.quick else "full"
    sizes = SIZES[mode]
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    started = time.monotonic()
    results: dict = {
        "mode": mode,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "targets": {metric: f"{comparison} {target:g}" for metric, (comparison, target) in TARGETS.items()},
    }
    with contextlib.suppress(OSError):
        results["git_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()
    pool, truth = make_corpus(workdir, sizes[-1] + 1, args.seed)
    results["corpus"] = {
        "reports": sizes[-1], "seed": args.seed, "folder": str(pool),
        "formats": dict(Counter(truth[n]["format"] for n in sorted(truth)[: sizes[-1]])),
        "templates": dict(Counter(truth[n]["generator_template"] for n in sorted(truth)[: sizes[-1]])),
    }
    corpus_names = sorted(truth)[: sizes[-1]]
    corpus_truth = {name: truth[name] for name in corpus_names}
    if "pdf" in only:
        log(f"pdf: read_report vs pdfplumber and pdftotext -layout on {PDF_SAMPLE[mode]} PDFs …")
        results.update(bench_pdf(pool, corpus_truth, PDF_SAMPLE[mode]))
        log(f"  ratio {results['pdf_cost_vs_pdfplumber_all_pages']} ({results['pdf_ours_ms_per_page']} vs "
            f"{results['pdf_pdfplumber_ms_per_page']} ms/page; the PDF reader alone "
            f"{results['pdf_reader_ms_per_page']} ms/page)")
        if results.get("pdf_cost_vs_pdftotext_layout") is not None:
            log(f"  vs pdftotext -layout {results['pdf_cost_vs_pdftotext_layout']} "
                f"({results['pdf_pdftotext_ms_per_page']} ms/page)")
    if "text" in only:
        log("text: text, Word and HTML reports in the pipeline's worker processes …")
        results.update(bench_text(pool, corpus_truth))
        log(f"  {results['text_docs_per_second']} docs/s ({results['text_docs']} docs)")
    if "refresh" in only:
        refresh = bench_refresh(workdir, pool, truth, sizes)
        # the metric names are fixed at 1,000 documents; a quick run reports its own size beside them
        if mode == "quick":
            results["refresh_1000_docs_seconds"] = None
            results["incremental_1_new_of_1000_seconds"] = None
        results.update(refresh)
    if "accuracy" in only:
        log("accuracy: generated table facts against what was read …")
        warehouse = workdir / f"warehouse-{sizes[-1]}"
        if "refresh" in only:
            results.update(bench_accuracy(pool, truth, corpus_names, warehouse))
        else:
            results.update(accuracy_in_process(pool, truth, corpus_names, workdir))
        log(f"  {results['table_fact_accuracy_generated']} of {results['table_facts']} facts right")
    if "ocr" in only:
        log(f"ocr: {len(OCR_SCANS[mode])} generated scans read by OCR …")
        results.update(bench_ocr(OCR_SCANS[mode], args.seed))
        log(f"  {results['ocr_seconds_per_page']} s/page, {results['ocr_table_fact_accuracy']} of table facts exact")
    results["bench_seconds"] = round(time.monotonic() - started, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print_table(results)
    if mode == "quick" and "refresh" in only:
        print(f"(quick run: refresh of {sizes[-1]} documents took {results[f'refresh_{sizes[-1]}_docs_seconds']} s, "
              f"incremental {results[f'incremental_1_new_of_{sizes[-1]}_seconds']} s)")
    print(f"results: {args.out} ({results['bench_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
