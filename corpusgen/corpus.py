"""A realistic mixed inbox: every template in every format agencies publish, with its ground truth.

`write_corpus(folder, count, seed)` writes `count` reports and `truth.json` beside them (per file: the
template, agency, year, format and every fact). The mix follows what a province's year of reports looks
like: gb2014 (national and Hubei layouts), gb2019, gb2021 and narrative reports; ruled and borderless
PDFs of 6–12 pages with the statistics tables on 2–3 of them, Word files, GBK web pages declared gb2312,
and text extracts in several encodings, line endings and both table layouts; label typos of every kind
DOMAIN.md lists; agencies of one province (Hubei: the province, its prefectures and counties).

A quarter of the corpus is the shapes of real reports beyond the national forms (corpusgen.shapes), each in
the formats it comes in: Fujian's own forms and agencies' own layouts (from Fujian agencies), 2019 tables
with signed changes and amounts with units, 2021 web pages with merged header cells, with only the 自然人 and
总计 columns filled, or with （六）其他处理 as one row; web pages saved as text with the body on one line,
cells spaced or glued together. A glued page's truth lists only the figures a careful reader can place
(corpusgen.truth); the others are under `ambiguous`, with the values the generator printed.

Seeded and sized by arguments: report `i` depends only on (`seed`, `i`), so the first N reports of a
larger corpus are the corpus of N. PDFs and Word files are the slow part (reportlab ≈ 0.1–0.3 s each):
they are made by `workers` processes and cached by their parameters in `cache_dir`.

    python -m corpusgen.corpus --out DIR --count N --seed S [--pdf-share 0.4]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from corpusgen.reports import DOMAIN_TYPOS, GeneratedReport, generate
from corpusgen.truth import reading_truth

CACHE_VERSION = "2"  # bump when generate() or a renderer changes what it writes
TEMPLATES = {
    "gb2014": 0.17, "gb2014_hubei": 0.06, "gb2019": 0.11, "gb2021": 0.27, "narrative": 0.14,
    # the shapes of real reports (corpusgen.shapes), a quarter of the corpus
    "regional_fujian": 0.05, "regional_fujian_2014": 0.05, "agency_layout": 0.03, "gb2019_web": 0.03,
    "gb2021_web": 0.03, "gb2021_blank": 0.03, "gb2021_other_single": 0.03,
}
OTHER_FORMATS = {"docx": 0.30, "html": 0.25, "text": 0.45}  # the reports that are not PDFs
# The formats each shape comes in (PDFs among them as often as pdf_share says for the others).
SHAPE_FORMATS = {
    "regional_fujian": {"page-text": 0.4, "page-glued": 0.3, "html": 0.3},
    "regional_fujian_2014": {"page-text": 0.3, "page-glued": 0.3, "html": 0.2, "docx": 0.2},
    "agency_layout": {"page-text": 0.5, "page-glued": 0.2, "html": 0.3},
    "gb2019_web": {"page-text": 0.3, "page-glued": 0.3, "html": 0.2, "pdf": 0.1, "docx": 0.1},
    "gb2021_web": {"page-glued": 0.4, "page-text": 0.3, "html": 0.3},
    "gb2021_blank": {"html": 1.0},
    "gb2021_other_single": {"pdf": 0.5, "html": 0.25, "docx": 0.25},
}
BORDERLESS_SHARE = 0.25  # of the PDFs: tables without ruling lines
# (encoding, line ending, table layout) of text extracts; utf-16-le is UTF-16 without a BOM
TEXT_VARIANTS = (
    ("utf-8", "\n", "pipe"),
    ("utf-8-sig", "\r\n", "pipe"),
    ("gb18030", "\r\n", "pipe"),
    ("gb18030", "\r\n", "tabs"),
    ("gbk", "\n", "tabs"),
    ("utf-16", "\r\n", "pipe"),
    ("utf-16-le", "\n", "pipe"),
)
PARAGRAPHS_PER_PAGE = 6.5  # one PDF page of body text holds about six or seven generated paragraphs
TABLE_PAGES = {"gb2014": 2.0, "gb2014_hubei": 2.0, "gb2019": 2.0, "gb2021": 2.0, "narrative": 0.0}
EXTENSIONS = {"pdf": "pdf", "pdf-borderless": "pdf", "docx": "docx", "html": "html", "text": "txt",
              "page-text": "txt", "page-glued": "txt"}
PROVINCE = "湖北省"
_BODIES_CITY = (
    "人民政府", "财政局", "自然资源和规划局", "教育局", "生态环境局", "人力资源和社会保障局", "交通运输局",
    "卫生健康委员会", "市场监督管理局", "住房和城乡建设局", "农业农村局", "民政局",
)
_BODIES_PROVINCE = (
    "人民政府", "财政厅", "自然资源厅", "教育厅", "生态环境厅", "人力资源和社会保障厅", "交通运输厅",
    "卫生健康委员会", "市场监督管理局", "住房和城乡建设厅", "农业农村厅", "民政厅",
)
DIVISIONS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "gb2260_divisions.csv"


@dataclass(frozen=True)
class Spec:
    """Everything that decides one file's bytes."""

    index: int
    name: str
    template: str  # generator template: gb2014, gb2014_hubei, gb2019, gb2021, narrative, or a SHAPE_TEMPLATES one
    seed: int
    form: str  # pdf, pdf-borderless, docx, html, text, page-text, page-glued (a web page saved as text)
    paragraphs: int
    agency: str
    encoding: str = ""
    newline: str = ""
    layout: str = ""


@cache
def agencies(province: str = PROVINCE) -> tuple[str, ...]:
    """Agency names of one province: its departments, and the bureaus of its prefectures and counties."""
    prefectures: dict[str, str] = {}
    names = [f"{province}{body}" for body in _BODIES_PROVINCE]
    with DIVISIONS.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["province"] == province]
    for row in rows:
        if row["division_level"] == "prefecture":
            prefectures[row["division_code"][:4]] = row["division_name"]
    for row in rows:
        if row["division_level"] == "prefecture":
            names.extend(f"{row['division_name']}{body}" for body in _BODIES_CITY)
        elif row["division_level"] == "county" and row["division_kind"] != "district":
            names.extend(f"{row['division_name']}{body}" for body in _BODIES_CITY[:6])
        elif row["division_level"] == "county":
            city = prefectures.get(row["division_code"][:4], "")
            names.append(f"{city}{row['division_name']}人民政府")
    return tuple(dict.fromkeys(names))


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def spec_for(index: int, seed: int, pdf_share: float = 0.4) -> Spec:
    """The parameters of report `index` of the corpus `seed` (independent of the corpus size)."""
    rng = random.Random(f"corpus-{seed}-{index}")
    template = _weighted(rng, TEMPLATES)
    if template in SHAPE_FORMATS:
        form = _weighted(rng, SHAPE_FORMATS[template])
    elif rng.random() < pdf_share:
        form = "pdf-borderless" if rng.random() < BORDERLESS_SHARE else "pdf"
    else:
        form = _weighted(rng, OTHER_FORMATS)
    pages = rng.randint(6, 12)  # the PDF this report would make; other formats carry the same text
    prose_pages = max(1.0, pages - TABLE_PAGES.get(template, 2.0))
    paragraphs = max(2, round(prose_pages * PARAGRAPHS_PER_PAGE / 5))
    encoding, newline, layout = rng.choice(TEXT_VARIANTS) if form == "text" else ("", "", "")
    if form.startswith("page-"):
        encoding = "utf-8"  # page archives keep UTF-8
    agency = rng.choice(agencies())
    if template in {"regional_fujian", "regional_fujian_2014", "agency_layout"}:
        agency = ""  # Fujian's forms come from Fujian's agencies: the generator draws one
    name = f"report-{index:05d}.{EXTENSIONS[form]}"
    return Spec(index, name, template, seed * 1_000_000 + index, form, paragraphs, agency, encoding, newline, layout)


def report_for(spec: Spec) -> GeneratedReport:
    return generate(
        spec.template, spec.seed, pages_of_prose=5, paragraphs=spec.paragraphs, agency=spec.agency or None,
        typos=DOMAIN_TYPOS, typo_rate=0.1,
    )


def page_fields(spec: Spec, report: GeneratedReport) -> dict[str, str]:
    """What a page archive records about the page: publication time, address, publishing body (often blank)."""
    rng = random.Random(f"page-{spec.seed}")
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    published = f"{report.year + 1}-{month:02d}-{day:02d} {rng.randint(8, 18):02d}:{rng.choice((0, 15, 30, 42)):02d}"
    address = (f"https://www.gk-demo.gov.cn/zwgk/zfxxgknb/{report.year + 1}{month:02d}/"
               f"t{report.year + 1}{month:02d}{day:02d}_{spec.seed % 100_000}.htm")
    return {"published": published, "address": address, "agency": report.agency if rng.random() < 0.7 else ""}


def to_text_tabs(report: GeneratedReport, encoding: str, newline: str) -> bytes:
    """The other text layout: one cell per tab-prefixed line, a blank line between rows (seeds 000, 004)."""
    from corpusgen.render import sections

    lines: list[str] = []
    for kind, content in sections(report.document):
        if kind == "prose":
            lines.append(content[0])
            continue
        for row in content:
            lines.extend(f"\t{cell}" for cell in row)
            lines.append("")
    return newline.join(lines).encode(encoding, errors="replace")


def render(spec: Spec, report: GeneratedReport) -> bytes:
    from corpusgen import render as r

    if spec.form in {"pdf", "pdf-borderless"}:
        return r.to_pdf(report.document, ruled=spec.form == "pdf")
    if spec.form == "docx":
        return r.to_docx(report.document)
    if spec.form == "html":
        return r.to_html(report.document, merged=True)
    if spec.form.startswith("page-"):
        fields = page_fields(spec, report)
        return r.to_page_text(report.document, report.title, fields["agency"], fields["published"],
                              glued=spec.form == "page-glued", address=fields["address"])
    if spec.layout == "tabs":
        return to_text_tabs(report, spec.encoding, spec.newline)
    return r.to_text(report.document, encoding=spec.encoding, newline=spec.newline)


def render_as(report: GeneratedReport, form: str, seed: int = 0) -> bytes:
    """One report in one format outside a corpus (tests): text extracts as GB18030 pipe rows with CRLF."""
    encoding = "utf-8" if form.startswith("page-") else ("gb18030" if form == "text" else "")
    spec = Spec(0, "", report.shape, seed, form, 0, report.agency, encoding, "\r\n" if form == "text" else "",
                "pipe" if form == "text" else "")
    return render(spec, report)


def _cache_path(cache_dir: Path, spec: Spec) -> Path:
    key = {k: v for k, v in asdict(spec).items() if k not in {"index", "name"}}
    digest = hashlib.sha256(json.dumps([CACHE_VERSION, key], ensure_ascii=False).encode()).hexdigest()[:32]
    return cache_dir / digest[:2] / f"{digest}.{EXTENSIONS[spec.form]}"


def truth_of(report: GeneratedReport, form: str):
    """The truth of one rendering of a report (corpusgen.truth.ReadingTruth)."""
    return reading_truth(report.truth, report.rows, lambda i: report.document.blocks[i].cells, form)


def _truth_entry(spec: Spec, report: GeneratedReport) -> dict:
    """Facts: (code, requester, value), a blank cell's value null. Ambiguous: figures printed where a careful
    reader cannot place them (glued or lost cells), with the values printed: not required, never contradicted.
    Prose: figures the text states (code, value, the table's value or null); cases: deliberate defects."""
    reading = truth_of(report, spec.form)
    facts = [[code, requester, value] for (code, requester), value in sorted(reading.facts.items())]
    return {
        "template": report.template,
        "generator_template": spec.template,
        "variant": "hubei" if spec.template == "gb2014_hubei" else None,
        "agency": report.agency,
        "year": report.year,
        "format": spec.form,
        "encoding": spec.encoding or None,
        "layout": spec.layout or None,
        "facts": facts,
        "ambiguous": [[code, requester, value] for (code, requester), value in sorted(reading.ambiguous.items())],
        "prose": [[figure.code, figure.value, figure.table_value] for figure in report.prose],
        "cases": list(report.cases),
    }


def _make(job: tuple[Spec, str, str | None]) -> tuple[str, dict]:
    spec, folder, cache_dir = job
    report = report_for(spec)  # cheap (milliseconds); the truth always comes from here
    data: bytes | None = None
    cached = _cache_path(Path(cache_dir), spec) if cache_dir and spec.form in {"pdf", "pdf-borderless", "docx"} \
        else None
    if cached is not None and cached.exists():
        data = cached.read_bytes()
    if data is None:
        data = render(spec, report)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_name(f".{cached.name}.{os.getpid()}")
            temporary.write_bytes(data)
            os.replace(temporary, cached)
    (Path(folder) / spec.name).write_bytes(data)
    return spec.name, _truth_entry(spec, report)


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "gongkai-corpus-cache"


def write_corpus(
    folder: Path | str,
    count: int,
    seed: int,
    pdf_share: float = 0.4,
    workers: int = 2,
    cache_dir: Path | str | None = "default",
    start: int = 0,
    truth_name: str | None = "truth.json",
) -> dict[str, dict]:
    """Write reports `start` … `start + count - 1` of corpus `seed` into `folder`, and their truth.

    Returns {file name: truth entry}; with `truth_name` also writes it as JSON into `folder` (facts as
    [indicator code, requester type, value] triples). `cache_dir=None` renders every file afresh.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cache = default_cache_dir() if cache_dir == "default" else (Path(cache_dir) if cache_dir else None)
    specs = [spec_for(index, seed, pdf_share) for index in range(start, start + count)]
    # PDFs first: they are the slow ones, so two workers finish together
    order = sorted(specs, key=lambda s: (not s.form.startswith("pdf"), s.index))
    jobs = [(spec, str(folder), str(cache) if cache else None) for spec in order]
    truth: dict[str, dict] = {}
    if workers > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with context.Pool(workers) as pool:
            for name, entry in pool.imap_unordered(_make, jobs, chunksize=4):
                truth[name] = entry
    else:
        for job in jobs:
            name, entry = _make(job)
            truth[name] = entry
    truth = {name: truth[name] for name in sorted(truth)}
    if truth_name:
        document = {"seed": seed, "count": count, "start": start, "pdf_share": pdf_share, "files": truth}
        (folder / truth_name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write the reports and truth.json into")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pdf-share", type=float, default=0.4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, default=None, help=f"default {default_cache_dir()}")
    parser.add_argument("--no-cache", action="store_true", help="render every PDF and Word file afresh")
    args = parser.parse_args(argv)
    started = time.monotonic()
    cache_dir = None if args.no_cache else (args.cache_dir or "default")
    truth = write_corpus(args.out, args.count, args.seed, args.pdf_share, args.workers, cache_dir)
    formats = Counter(entry["format"] for entry in truth.values())
    templates = Counter(entry["generator_template"] for entry in truth.values())
    print(
        f"{len(truth)} reports in {args.out} ({time.monotonic() - started:.1f} s): "
        f"{dict(sorted(formats.items()))}; {dict(sorted(templates.items()))}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
