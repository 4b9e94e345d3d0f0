"""Generated reports of every template in every format read back to their ground truth."""

from __future__ import annotations

import pytest

from corpusgen.render import to_docx, to_html, to_pdf, to_text
from corpusgen.reports import generate
from ingestion.extract import read_report

FORMATS = {"pdf": to_pdf, "borderless-pdf": lambda d: to_pdf(d, ruled=False), "docx": to_docx,
           "html": to_html, "text": to_text}
TEMPLATES = ["gb2014", "gb2014_hubei", "gb2019", "gb2021", "narrative"]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("form", list(FORMATS))
def test_generated_report_reads_back_exactly(template: str, form: str) -> None:
    report = generate(template, seed=7)
    result = read_report(FORMATS[form](report.document))
    got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
    wrong = {key: (got[key], value) for key, value in report.truth.items() if key in got and got[key] != value}
    missing = [key for key in report.truth if key not in got]
    assert not wrong, wrong  # precision first: never a wrong number
    assert not missing, missing
    assert set(got) <= set(report.truth), set(got) - set(report.truth)
    assert (result.document.agency_name, result.document.report_year) == (report.agency, report.year)
    assert result.document.template == report.template
    if template != "narrative":  # generated tables obey the identity rules
        assert not [f.rule_id for f in result.findings if f.severity == "hard"]


@pytest.mark.parametrize("seed", range(12))
def test_many_seeds_of_the_modern_matrix_as_text(seed: int) -> None:
    report = generate("gb2021" if seed % 2 else "gb2019", seed=seed)
    got = {(f.indicator_code, f.requester_type): f.value for f in read_report(to_text(report.document)).facts}
    assert got == report.truth


@pytest.mark.parametrize("seed", range(6))
def test_many_seeds_of_the_modern_tables_without_ruling_lines(seed: int) -> None:
    """Borderless 2019/2021 tables: wrapped table 二 headers, wrapped group labels, figures broken over lines."""
    report = generate("gb2021" if seed % 2 else "gb2019", seed=100 + seed)
    result = read_report(to_pdf(report.document, ruled=False))
    got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
    assert got == report.truth
    assert not [f for f in result.findings if f.finding_type in {"row_not_trusted", "unmatched_row"}]
