"""The shapes of real reports, generated with truth from the generator's own values, read back exactly.

Each shape (Fujian's forms, an agency's own layout, 2019/2021 web tables with merged headers, blank requester
columns, （六）其他处理 as one row, signed changes and amounts with units) in each format it comes in, several seeds:
every fact of the truth is read with its value (a blank cell NULL, never 0), and no fact is read with another
value. Figures a careful reader cannot place in a flattened page (corpusgen.truth) are not required, but a
parser that reads them must read them right. The truth never comes from the parser: corpusgen imports none of it
(the import-linter contract `corpusgen-truth-is-its-own` in pyproject.toml, checked by `make lint`).
"""

from __future__ import annotations

import math

import pytest

from corpusgen.corpus import SHAPE_FORMATS, render_as, truth_of
from corpusgen.reports import SHAPE_TEMPLATES, _filler_sentences, generate
from corpusgen.shapes import RowFigures
from corpusgen.truth import cuts
from ingestion.document import Block
from ingestion.extract import read_report

SEEDS = (0, 1, 2)
SLOW_FORMS = {"pdf", "docx"}  # a few seconds each: fewer seeds
CASES = [
    pytest.param(shape, form, seed, id=f"{shape}-{form}-{seed}")
    for shape, forms in SHAPE_FORMATS.items()
    for form in forms
    for seed in (SEEDS[:2] if form in SLOW_FORMS else SEEDS)
]


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _compare(shape: str, form: str, seed: int) -> tuple[list, list, list]:
    """(missing, wrong, unexpected) of one rendering read back against its truth."""
    report = generate(shape, seed)
    truth = truth_of(report, form)
    result = read_report(render_as(report, form, seed))
    got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
    missing = [key for key, value in truth.facts.items() if value is not None and key not in got]
    wrong = [(key, got[key], value) for key, value in truth.facts.items() if key in got and not _same(got[key], value)]
    unexpected = [
        (key, got[key], truth.ambiguous.get(key, "not printed"))
        for key in got
        if key not in truth.facts and not (key in truth.ambiguous and _same(got[key], truth.ambiguous[key]))
    ]
    return missing, wrong, unexpected


@pytest.mark.parametrize(("shape", "form", "seed"), CASES)
def test_shape_reads_back_to_its_truth(shape: str, form: str, seed: int) -> None:
    missing, wrong, unexpected = _compare(shape, form, seed)
    assert not wrong, wrong  # precision first: never a wrong number, a blank never read as 0
    assert not unexpected, unexpected  # no fact the report does not print, no misplaced glued figure
    assert not missing, missing


@pytest.mark.parametrize("shape", list(SHAPE_TEMPLATES))
def test_shape_identity_and_template(shape: str) -> None:
    form = next(iter(SHAPE_FORMATS[shape]))
    report = generate(shape, seed=4)
    result = read_report(render_as(report, form, 4))
    assert (result.document.agency_name, result.document.report_year) == (report.agency, report.year)
    assert result.document.template == SHAPE_TEMPLATES[shape] == report.template


def test_prose_that_contradicts_the_table_never_overrides_it() -> None:
    checked = 0
    for shape in ("regional_fujian", "regional_fujian_2014", "agency_layout"):
        for seed in range(30):
            report = generate(shape, seed)
            if "text_table_mismatch" not in report.cases:
                continue
            stated = next(f for f in report.prose if not f.agrees)
            result = read_report(render_as(report, "page-text", seed))
            got = {(f.indicator_code, f.requester_type): f.value for f in result.facts}
            assert got[(stated.code, "total")] == stated.table_value != stated.value
            assert any(f.finding_type == "text_table_mismatch" and f.indicator_code == stated.code
                       for f in result.findings), (shape, seed, stated)
            checked += 1
            break
    assert checked == 3


# ------------------------------------------------------------------------------ the generator on its own


def test_shapes_are_deterministic_and_truth_is_their_own_values() -> None:
    for shape in SHAPE_TEMPLATES:
        one, two = generate(shape, 3), generate(shape, 3)
        assert one.document == two.document and one.truth == two.truth and one.rows == two.rows
        assert generate(shape, 4).document != one.document
        for row in one.rows:  # every fact in the truth is printed in a row the generator recorded
            block = one.document.blocks[row.block]
            assert block.kind == "row" and len(row.keys) == len(row.cells) and max(row.cells) < len(block.cells)
        printed = {key for row in one.rows for key in row.keys if key is not None}
        assert printed == set(one.truth)


def test_blank_requester_cells_are_null_in_the_truth_and_empty_on_the_page() -> None:
    report = generate("gb2021_blank", 1)
    for requester in ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org",
                      "other_org"):
        assert report.truth[("app_new", requester)] is None
    assert report.truth[("app_new", "natural_person")] is not None
    page = render_as(report, "html").decode("gb18030")
    assert "<td></td>" in page and 'rowspan="' in page and 'colspan="' in page


def test_other_processing_as_one_row() -> None:
    report = generate("gb2021_other_single", 2)
    assert ("outcome_other_total", "natural_person") in report.truth
    assert not [key for key in report.truth if key[0].startswith("outcome_other_") and key[0] != "outcome_other_total"]
    assert report.template == "gb2021"
    assert "本年制发件数" in report.document.text


def test_signed_changes_and_amounts_with_units() -> None:
    texts, values = [], []
    for seed in range(12):
        report = generate("gb2019_web", seed)
        texts.append(report.document.text)
        values += [v for (code, _), v in report.truth.items() if code.endswith("_change")]
    joined = "\n".join(texts)
    assert any(v is not None and v < 0 for v in values)
    assert "元" in joined and "万元" in joined


def _row(parts: int, rule: str = "", signed: tuple[bool, ...] = (), fractional: tuple[bool, ...] = ()) -> RowFigures:
    return RowFigures(0, tuple(range(parts)), (None,) * parts, rule, signed or (False,) * parts,
                      fractional or (False,) * parts)


def test_glued_figures_a_careful_reader_can_place() -> None:
    cumulative = _row(2, "cumulative")
    assert cuts("26", cumulative) == [(2.0, 6.0)]
    assert cuts("018", cumulative) == [(0.0, 18.0)]  # no figure starts with 0
    assert cuts("00", cumulative) == [(0.0, 0.0)]
    assert len(cuts("18535395", cumulative)) > 1  # 1|8535395, 18|535395, 185|35395, 1853|5395
    assert len(cuts("346085376", cumulative)) > 1  # 3460|85376 needs the parent row or the prose
    assert cuts("1000001", _row(7, "total")) == [(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)]
    assert cuts("2000002", _row(7, "total")) == [(2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0)]
    assert cuts("100000010", _row(7, "total")) == [(10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0)]  # the sum decides
    assert len(cuts("417", _row(3))) == 1
    assert len(cuts("1213", _row(3))) > 1  # no arithmetic ties the columns of table 二
    change = _row(3, signed=(False, True, False))
    assert cuts("17-32", change, limit=5) == [(17.0, None, 32.0), (17.0, -3.0, 2.0)]  # '-' may be a blank
    money = _row(2, fractional=(False, True))
    assert cuts("2笔984361元", money) == [(2.0, 984361.0)]  # a unit ends its cell
    assert cuts("32.51万元", money) == [(3.0, 2.51)]  # a count has no decimals


def test_padding_states_no_figure() -> None:
    """The generator's own rule for padding agrees with the parser's reading of it (a check, not a filter)."""
    from ingestion.templates.narrative import read_narrative

    filler = _filler_sentences()
    assert len(filler) > 100
    facts = read_narrative([Block("prose", (sentence,), "filler") for sentence in filler]).facts
    assert not facts, [(f.indicator_code, f.raw_label) for f in facts]
