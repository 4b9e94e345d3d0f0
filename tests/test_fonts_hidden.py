"""PDFs read the same whatever fonts the host has: every PDF the tests use, the shared real reports and a scan give
identical facts in a process that sees the system's fonts and in one where pdfium sees none.

The run without fonts is a fresh process in which pdfium was initialised with an empty font directory
(tests/fontless_probe.py). That this hides the fonts is shown too: with the reader's own substitute font turned
off, the same process reads the borderless 2021 PDF wrongly (pdfium places the unembedded STSong-Light glyphs
without a font), the failure the reader's font prevents. (FONTCONFIG_FILE would not do: pdfium scans
/usr/share/fonts itself.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpusgen.hostile import encrypted_pdf, scanned_pdf, truncated
from corpusgen.render import to_pdf
from corpusgen.reports import generate
from corpusgen.scans import scanned_report
from ingestion.document import Block, Document
from ingestion.readers.text import read_text
from tests.conftest import REPO, SHARED

TEMPLATES = ("gb2014", "gb2014_hubei", "gb2019", "gb2021", "narrative")
REAL = [SHARED / "corpus" / "real" / "hongzequ_2023.pdf", SHARED / "corpus" / "real" / "hongzequ_2024.pdf",
        SHARED / "corpus" / "huaian_municipal_government_2024.pdf"]


def _blank_cell_matrix() -> bytes:  # tests/test_pdf_text_lines.py
    report = generate("gb2021", seed=3)
    blocks = [
        Block("row", (*b.cells[:4], "", *b.cells[5:]), b.locator, b.table)
        if b.kind == "row" and "1.属于国家秘密" in b.cells else b
        for b in report.document.blocks
    ]
    return to_pdf(Document(blocks, "text"), ruled=False)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, seed_bytes: dict[str, bytes]) -> dict[str, Path]:
    """Every PDF the test suite reads (generated, seeds as PDFs, hostile ones that are PDFs but no bombs), the
    shared real reports and one generated scan."""
    folder = tmp_path_factory.mktemp("pdfs")
    files: dict[str, bytes] = {}
    for template in TEMPLATES:
        document = generate(template, seed=7).document
        files[f"{template}-7-ruled.pdf"] = to_pdf(document, ruled=True)
        files[f"{template}-7-borderless.pdf"] = to_pdf(document, ruled=False)
    for seed in range(6):
        template = "gb2021" if seed % 2 else "gb2019"
        files[f"{template}-{100 + seed}-borderless.pdf"] = to_pdf(generate(template, seed=100 + seed).document,
                                                                ruled=False)
    for ruled in (True, False):
        files[f"gb2021-5-{'ruled' if ruled else 'borderless'}.pdf"] = to_pdf(generate("gb2021", seed=5).document,
                                                                              ruled=ruled)
    for prefix, data in seed_bytes.items():
        document = read_text(data)
        files[f"seed-{prefix}-ruled.pdf"] = to_pdf(document, ruled=True)
        files[f"seed-{prefix}-borderless.pdf"] = to_pdf(document, ruled=False)
    files["blank-cell-matrix.pdf"] = _blank_cell_matrix()
    files["encrypted.pdf"] = encrypted_pdf()
    files["truncated.pdf"] = truncated(files["seed-004-ruled.pdf"])
    files["scanned-blank.pdf"] = scanned_pdf()
    files["scan-gb2021.pdf"] = scanned_report("gb2021", seed=11)[1]
    paths = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    for path in REAL:
        if not path.exists():
            pytest.fail(f"the shared real corpus is missing: {path}")
        paths[path.name] = path
    return paths


def _probe(paths: list[Path], *flags: str, out: Path) -> dict[str, dict]:
    subprocess.run(
        [sys.executable, "-m", "tests.fontless_probe", *flags, str(out), *map(str, paths)],
        cwd=REPO, check=True, timeout=900,
    )
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.e2e  # two processes read 40 PDFs and a scan: about two minutes
def test_every_pdf_reads_the_same_with_and_without_the_hosts_fonts(pdfs: dict[str, Path], tmp_path: Path) -> None:
    paths = list(pdfs.values())
    with_fonts = _probe(paths, out=tmp_path / "with.json")
    without = _probe(paths, "--hide-fonts", out=tmp_path / "without.json")
    differ = [name for name, path in pdfs.items() if with_fonts[str(path)] != without[str(path)]]
    assert not differ, differ
    facts = {name: len(with_fonts[str(path)].get("facts", [])) for name, path in pdfs.items()}
    print("\nfacts per PDF (identical with and without fonts):", facts)
    # the borderless 2021 PDF of the issue: 200 of 200 without fonts
    report = generate("gb2021", seed=7)
    got = {(f["indicator_code"], f["requester_type"]): f["value"]
           for f in without[str(pdfs["gb2021-7-borderless.pdf"])]["facts"]}
    assert got == report.truth
    assert facts["hongzequ_2023.pdf"] > 150 and facts["scan-gb2021.pdf"] > 150


def test_hiding_the_fonts_bites_without_the_readers_own_font(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """The control: pdfium left to the host's (here: no) fonts loses the borderless table."""
    path = pdfs["gb2021-7-borderless.pdf"]
    bare = _probe([path], "--hide-fonts", "--host-substitutes", out=tmp_path / "bare.json")[str(path)]
    report = generate("gb2021", seed=7)
    got = {(f["indicator_code"], f["requester_type"]): f["value"] for f in bare.get("facts", [])}
    assert got != report.truth and len(got) < len(report.truth)


def test_the_committed_font_is_what_the_builder_makes() -> None:
    from ingestion.readers.fonts import FONT_FILE, build_metric_font

    assert FONT_FILE.read_bytes() == build_metric_font()
    assert FONT_FILE.stat().st_size < 4096
