"""`gongkai extract FILE`: one JSON object on stdout, or exit 2 with a one-line reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import seed_path

GONGKAI = Path(sys.executable).parent / "gongkai"


def _extract(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GONGKAI), "extract", str(path)], capture_output=True, text=True, timeout=120)


def test_extract_prints_the_reading_as_json() -> None:
    completed = _extract(seed_path("004"))
    assert completed.returncode == 0, completed.stderr
    payload = json.loads(completed.stdout)
    assert payload["document"]["agency_name"] == "国土资源部"
    assert payload["document"]["report_year"] == 2016
    assert payload["document"]["template"] == "gb2014"
    facts = {f["indicator_code"]: f for f in payload["facts"]}
    assert facts["proactive_total"]["value"] == 800000 and facts["proactive_total"]["is_approximate"] is True
    assert facts["org_budget"]["unit"] == "万元" and facts["org_budget"]["extraction_method"] == "table"
    assert any(f["rule_id"] == "gb2014_answered_by_type" for f in payload["findings"])
    document = payload["document"]  # how much of the table became facts, as dim_report will say
    table_facts = sum(1 for f in payload["facts"] if f["extraction_method"] == "table" and f["value"] is not None)
    assert 0 < document["placed_figures"] == table_facts <= document["table_figures"]
    assert document["figure_coverage"] == round(document["placed_figures"] / document["table_figures"], 4)


def test_extract_of_a_narrative_report_still_names_agency_and_year() -> None:
    payload = json.loads(_extract(seed_path("003")).stdout)
    assert payload["document"]["agency_name"] == "湖南省国土资源厅"
    assert payload["document"]["template"] == "narrative"
    figures = {f["indicator_code"]: f for f in payload["facts"]}
    assert figures["application_received"]["value"] == 941
    assert {f["extraction_method"] for f in payload["facts"]} == {"narrative"}
    assert (payload["document"]["table_figures"], payload["document"]["placed_figures"]) == (0, 0)
    assert payload["document"]["figure_coverage"] is None  # no table: no ratio


def test_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "report.pdf"
    broken.write_bytes(b"")
    completed = _extract(broken)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and "empty file" in completed.stderr
    assert "Traceback" not in completed.stderr
    missing = _extract(tmp_path / "nope.txt")
    assert missing.returncode == 2 and "no such file" in missing.stderr
