"""docs/benchmarks.md is generated from benchmarks/results.json, never edited by hand."""

from __future__ import annotations

import json

from benchmarks.report import PAGE, RESULTS, render


def test_the_committed_page_is_what_the_committed_results_render_to() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert PAGE.read_text(encoding="utf-8") == render(results), "run: .venv/bin/python -m benchmarks.report"


def test_the_page_shows_every_metric_with_its_value_and_whether_it_met_its_target() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results["text_docs_per_second"] = 12.5  # below its target
    page = render(results)
    rows = {line.split(" | ")[0].strip("| `"): line for line in page.splitlines() if line.startswith("| `")}
    assert set(results["targets"]) <= set(rows)
    assert "| 12.5 | >= 300 | **missed** |" in rows["text_docs_per_second"]
    assert rows["scaling_exponent"].endswith(f"| {results['scaling_exponent']} | <= 1 | met |")


def test_a_quick_or_partial_run_renders_without_the_missing_parts() -> None:
    page = render({"mode": "quick", "targets": {"refresh_1000_docs_seconds": "<= 240"},
                   "refresh_1000_docs_seconds": None, "text_docs_per_second": 150.0})
    assert "| `refresh_1000_docs_seconds` |" in page and "| — | <= 240 | — |" in page
    assert "### Refreshes" not in page and "### PDFs" not in page
