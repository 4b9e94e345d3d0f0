"""Values that cannot be counts are findings on their report, never a parser error, an infinity or a NaN."""

from __future__ import annotations

import json
import math

import pytest

from ingestion.extract import read_report
from ingestion.templates.values import parse_value
from tests.conftest import seed_path

FIGURE = "5.其他方式回应事件数\n\t次\n\t69"  # a count cell of seed 000 (咸宁市国土资源局 2017)


@pytest.mark.parametrize(
    ("printed", "finding_type"),
    [
        ("4.5", "fractional_count"),
        ("9" * 400, "unreadable_value"),
        ("九" * 400, "unreadable_value"),  # a Chinese numeral too large for a float
        ("1" + "0" * 30 + "亿", "unreadable_value"),
    ],
)
def test_a_figure_that_cannot_be_a_count_is_a_finding(printed: str, finding_type: str) -> None:
    text = seed_path("000").read_text(encoding="utf-8")
    assert FIGURE in text
    result = read_report(text.replace(FIGURE, FIGURE[:-2] + printed).encode("utf-8"))
    assert result.document.parse_status == "parsed"
    assert result.document.agency_name and result.document.report_year == 2017
    fact = next(f for f in result.facts if f.indicator_code == "response_other_events")
    assert fact.value is None
    assert any(f.finding_type == finding_type and f.indicator_code == "response_other_events"
               for f in result.findings)
    assert all(f.value is None or math.isfinite(f.value) for f in result.facts)
    json.dumps(result.to_json_dict(), allow_nan=False)  # no Infinity, no NaN anywhere


@pytest.mark.parametrize("printed", ["九" * 400, "9" * 400, "九千九百九十九" + "亿" * 40])
def test_no_cell_reads_as_an_infinite_number(printed: str) -> None:
    cell = parse_value(printed)
    assert cell.value is None or math.isfinite(cell.value)
