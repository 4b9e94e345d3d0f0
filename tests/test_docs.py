"""The README is a front door and the docs stay true to the repository: every link and every path they name exists,
and nothing cites a file the repository does not have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
TOP_LEVEL = ("ingestion", "orchestration", "expectations", "corpusgen", "benchmarks", "dbt_project", "deploy", "tests",
             "docs", "sample_corpus", "dagster_home")
#: Written on another branch at the same time as these pages; remove once it is in the repository.
WRITTEN_ELSEWHERE = {REPO / "docs" / "quality.md"}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
CODE_PATH = re.compile(rf"`((?:{'|'.join(TOP_LEVEL)})/[\w./-]*)`")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(line.lstrip("#")) for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


def test_the_readme_is_a_front_door() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for must in ("make demo", "make test", "make ui", "serving.duckdb", "quality_report.html", "docs/bi.md",
                 "docs/operations.md", "## Libraries and why"):
        assert must in readme, must


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_and_path_a_page_names_exists(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a URL, not a file of the repository
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if linked in WRITTEN_ELSEWHERE and not linked.exists():
            continue
        assert linked.exists(), f"{page.name} links to {target}, which does not exist"
        if anchor:
            assert anchor in _anchors(linked), f"{page.name} links to {target}: no such heading"
    for path in CODE_PATH.findall(text):
        assert (REPO / path).exists(), f"{page.name} names {path}, which does not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_page_cites_a_file_outside_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for outside in ("DOMAIN.md", "EXTRACTION.md", "../shared", "shared/reference"):
        assert outside not in text, f"{page.name} cites {outside}"
