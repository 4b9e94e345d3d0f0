"""The benchmark corpus: seeded, sized by its arguments, every template and format, truth beside the files."""

from __future__ import annotations

import json
from pathlib import Path

from corpusgen.corpus import SHAPE_FORMATS, agencies, spec_for, write_corpus
from corpusgen.reports import SHAPE_TEMPLATES
from ingestion.extract import read_report
from ingestion.readers.detect import detect_format


def test_corpus_is_seeded_and_each_report_independent_of_the_size() -> None:
    assert [spec_for(i, 5) for i in range(30)] == [spec_for(i, 5) for i in range(30)]
    assert spec_for(3, 5) != spec_for(3, 6)
    specs = [spec_for(i, 1) for i in range(400)]
    assert {s.template for s in specs} == {"gb2014", "gb2014_hubei", "gb2019", "gb2021", "narrative",
                                           *SHAPE_TEMPLATES}
    assert {s.form for s in specs} == {"pdf", "pdf-borderless", "docx", "html", "text", "page-text", "page-glued"}
    assert {s.encoding for s in specs if s.form == "text"} >= {"utf-8", "gb18030", "utf-16", "utf-16-le"}
    assert 0.25 < sum(s.form.startswith("pdf") for s in specs) / len(specs) < 0.45
    assert 0.18 < sum(s.template in SHAPE_TEMPLATES for s in specs) / len(specs) < 0.35
    for spec in specs:  # each shape only in the formats it comes in
        assert spec.template not in SHAPE_FORMATS or spec.form in SHAPE_FORMATS[spec.template]
    assert len(agencies()) > 300 and all(name.endswith(("局", "厅", "政府", "委员会")) for name in agencies())


def test_write_corpus_writes_reports_and_their_truth(tmp_path: Path) -> None:
    truth = write_corpus(tmp_path, 12, seed=3, workers=1, cache_dir=None, start=40)
    stored = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert stored["files"] == json.loads(json.dumps(truth, ensure_ascii=False))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "truth.json") == sorted(truth)
    for name, entry in truth.items():
        data = (tmp_path / name).read_bytes()
        expected_format = {"pdf-borderless": "pdf", "page-text": "text", "page-glued": "text"}
        assert detect_format(data[:8192], data) == expected_format.get(entry["format"], entry["format"])
        assert {"facts", "ambiguous", "prose", "cases"} <= set(entry)
        result = read_report(data)
        assert (result.document.agency_name, result.document.report_year) == (entry["agency"], entry["year"])
        got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
        wrong = [(c, r, v, got[(c, r)]) for c, r, v in entry["facts"] if (c, r) in got and got[(c, r)] != v]
        assert not wrong, (name, wrong)  # never a wrong number
