"""Generated reports of every template in every format read back to their ground truth."""

from __future__ import annotations

import pytest

from corpusgen.render import to_docx, to_html, to_pdf, to_text
from corpusgen.reports import generate
from ingestion.parse import read_report

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
    if form == "borderless-pdf" and template in {"gb2019", "gb2021"}:
        # Known limit: without ruling lines the wrapped header cells of table 二 are not recovered, and
        # matrix rows whose columns cannot be placed are reported instead of read.
        assert len(missing) <= len(report.truth) * 0.3, missing
    else:
        assert len(missing) <= len(report.truth) * 0.01, missing
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
