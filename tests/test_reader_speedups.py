"""The fast paths of the readers give exactly what the slow paths they replace give."""

from __future__ import annotations

import io
import random

import pytest

from corpusgen.render import to_docx, to_pdf
from corpusgen.reports import generate
from ingestion.readers import docx as docx_reader
from ingestion.readers import pdf as pdf_reader
from ingestion.templates import alignment


def _python_docx_blocks(data: bytes):
    fast = docx_reader._fast_blocks
    docx_reader._fast_blocks = lambda _: None
    try:
        return docx_reader.read_docx(data).blocks
    finally:
        docx_reader._fast_blocks = fast


@pytest.mark.parametrize("template", ["gb2014", "gb2019", "gb2021", "narrative"])
@pytest.mark.parametrize("merged_header", [True, False])
def test_docx_fast_path_reads_what_python_docx_reads(template: str, merged_header: bool) -> None:
    data = to_docx(generate(template, seed=11).document, merged_header=merged_header)
    fast = docx_reader._fast_blocks(data)
    assert fast is not None
    assert fast == _python_docx_blocks(data)


def test_docx_fast_path_handles_vertical_and_horizontal_merges() -> None:
    from docx import Document

    word = Document()
    word.add_paragraph("政府信息公开情况统计表")
    table = word.add_table(rows=4, cols=4)
    for r in range(4):
        for c in range(4):
            table.cell(r, c).text = f"格{r}{c}"
    table.cell(0, 0).merge(table.cell(2, 0))  # three rows, one column
    table.cell(1, 1).merge(table.cell(1, 3))  # one row, three columns
    table.cell(3, 2).text = "第一段\n第二段"
    buffer = io.BytesIO()
    word.save(buffer)
    data = buffer.getvalue()
    assert docx_reader._fast_blocks(data) == _python_docx_blocks(data)


def test_pdf_table_extract_matches_pdfplumber() -> None:
    import pdfplumber

    for ruled in (True, False):
        data = to_pdf(generate("gb2021", seed=5).document, ruled=ruled)
        tables = 0
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for settings in (None, {"vertical_strategy": "text", "horizontal_strategy": "text"}):
                    for table in page.find_tables(settings):
                        tables += 1
                        assert pdf_reader._extract(table) == table.extract()
                page.close()
        assert tables


def _chars(positions: list[tuple[str, float, float]]) -> list[dict]:
    return [
        {"upright": True, "text": text, "fontname": "STSong-Light", "size": 10.5, "doctop": top, "top": top,
         "bottom": top + 10, "x0": x0, "x1": x0 + 10}
        for text, top, x0 in positions
    ]


def test_duplicate_char_check_agrees_with_pdfplumber_dedupe() -> None:
    from pdfplumber.utils import dedupe_chars

    rng = random.Random(3)
    cases = [
        [("统", 100, 50), ("计", 100, 60.5), ("表", 100, 71)],  # a line of text: nothing to drop
        [("统", 100, 50), ("统", 100.3, 50.4)],  # fake bold: drawn twice, slightly offset
        [("数", 100, 50), ("数", 100.9, 80), ("数", 101.8, 50.9)],  # tops chain within 1, x0 close
        [("数", 100, 50), ("数", 116, 50)],  # the same char on the next line
    ]
    for _ in range(200):  # random pages of a few repeated characters
        cases.append([(rng.choice("一二三"), rng.choice((100, 100.5, 116, 132)), rng.choice((50, 50.8, 60, 75)))
                      for _ in range(rng.randint(2, 8))])
    for case in cases:
        chars = _chars(case)
        assert pdf_reader._has_duplicate_chars(chars) == (len(dedupe_chars(chars)) < len(chars)), case


def test_score_matrix_is_the_pairwise_score() -> None:
    from ingestion.templates.labels import parse_label

    labels = ["一、主动公开情况", "（一）主动公开政府信息数", "其中：主动公开规范性文件数", "二、依申请公开情况",
              "1.当面申请数", "2.传真申请效", "（三）对申请的答复", "3.同意部分公开答复教", "", "（七）其他"]
    sections = [None, "一", "一", "二", "二", None, "二", "二", None, "三"]
    rows = [alignment.TableRow(parse_label(label), "", "", (), section, "x")
            for label, section in zip(labels, sections, strict=True)]
    catalogue = [("主动公开政府信息数", "一"), ("当面申请数", "二"), ("传真申请数", "二"), ("同意部分公开答复数", "二"),
                 ("其他", "三")]
    targets = [alignment.Target(i, section, parse_label(label), None) for i, (label, section) in enumerate(catalogue)]
    matrix = alignment.score_matrix(rows, targets)
    assert matrix == [[alignment.score(row, target) for target in targets] for row in rows]


def _facts(result) -> list[tuple]:
    return sorted((f.indicator_code, f.requester_type, f.value, f.locator) for f in result.facts)


def _read_both_routes(monkeypatch: pytest.MonkeyPatch, data: bytes):
    """read_pdf and read_report by pdfium's layout, then with every page's layout refused (pdfplumber's route)."""
    from ingestion.extract import read_report
    from ingestion.readers.pdf_layout import page_layout

    layouts: list[bool] = []

    def counted(*args):
        layout = page_layout(*args)
        layouts.append(layout is not None)
        return layout

    monkeypatch.setattr(pdf_reader, "page_layout", counted)
    by_pdfium = pdf_reader.read_pdf(data), read_report(data)
    monkeypatch.setattr(pdf_reader, "page_layout", lambda *args: None)
    by_pdfplumber = pdf_reader.read_pdf(data), read_report(data)
    return by_pdfium, by_pdfplumber, sum(layouts)


@pytest.mark.parametrize("template", ["gb2014", "gb2014_hubei", "gb2019", "gb2021", "regional_fujian_2014",
                                      "agency_layout", "gb2021_blank"])
@pytest.mark.parametrize("ruled", [True, False])
def test_pdf_layout_from_pdfium_reads_what_pdfplumber_reads(
    monkeypatch: pytest.MonkeyPatch, template: str, ruled: bool
) -> None:
    """Ruled tables read from pdfium's characters and path objects give the rows, prose lines, locators and facts
    pdfplumber's line strategy gives; borderless tables (no path objects) never needed pdfplumber."""
    data = to_pdf(generate(template, seed=7).document, ruled=ruled)
    (document, result), (plumber_document, plumber_result), layouts = _read_both_routes(monkeypatch, data)
    assert document.blocks == plumber_document.blocks
    assert document.notes == plumber_document.notes
    assert _facts(result) == _facts(plumber_result) and result.facts
    assert (layouts > 0) == ruled  # the route under test was taken


def test_pdf_layout_from_pdfium_reads_the_real_reports_as_pdfplumber_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real PDFs (Word-made: one text object per character, cell borders as thin rectangles, a merged cell in
    vertical writing whose pdfium loose boxes ignore the text matrix)."""
    from tests.conftest import SHARED

    real = sorted((SHARED / "corpus" / "real").glob("*.pdf"))
    assert real, "the shared real corpus is missing"
    for path in real:
        (document, result), (plumber_document, plumber_result), layouts = _read_both_routes(
            monkeypatch, path.read_bytes()
        )
        assert layouts, path.name
        assert document.blocks == plumber_document.blocks, path.name
        assert _facts(result) == _facts(plumber_result), path.name


def test_grid_steps_find_pdfplumbers_intersections_cells_and_tables() -> None:
    import pdfplumber
    from pdfplumber import table as plumber_table

    from ingestion.readers.pdf_layout import cells_to_tables, edges_to_intersections, intersections_to_cells

    pages = 0
    for template in ("gb2014", "gb2021"):
        with pdfplumber.open(io.BytesIO(to_pdf(generate(template, seed=3).document))) as pdf:
            for page in pdf.pages:
                finder = plumber_table.TableFinder(page)
                intersections = finder.intersections
                if intersections:
                    pages += 1
                    assert edges_to_intersections(finder.edges, 3) == intersections
                    cells = intersections_to_cells(intersections)
                    assert cells == plumber_table.intersections_to_cells(intersections)
                    assert cells_to_tables(cells) == plumber_table.cells_to_tables(cells)
                page.close()
    assert pages


def _drawn_page(draw) -> bytes:
    """A one-page PDF with a ruled 3×3 grid of figures, plus whatever `draw(canvas)` adds."""
    from reportlab.pdfgen import canvas as pdf_canvas

    buffer = io.BytesIO()
    canvas = pdf_canvas.Canvas(buffer)
    for k in range(4):
        canvas.line(100 + 100 * k, 500, 100 + 100 * k, 620)
        canvas.line(100, 500 + 40 * k, 400, 500 + 40 * k)
    for row in range(3):
        for col in range(3):
            canvas.drawString(130 + 100 * col, 515 + 40 * row, str(10 * row + col))
    draw(canvas)
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "draw", "trusted"), [
    ("grid only", lambda canvas: None, True),
    ("a curve (a seal)", lambda canvas: canvas.circle(300, 300, 40), False),
    ("a slanted line (a split header cell)", lambda canvas: canvas.line(100, 620, 200, 580), False),
    ("rotated text", lambda canvas: (canvas.rotate(90), canvas.drawString(300, -50, "12")), False),
    ("fake bold", lambda canvas: [canvas.drawString(130.3 + 100 * col, 515.2, str(col)) for col in range(3)], False),
])
def test_pdfium_layout_is_refused_where_it_cannot_stand_for_pdfplumber(name: str, draw, trusted: bool) -> None:
    """pdfplumber reads a curve's points, a two-point slanted line as a vertical edge over its box, and rotated
    text in another direction: such a page goes to pdfplumber. The grid itself gives pdfplumber's table."""
    import pdfplumber

    from ingestion.readers.pdf_layout import page_layout, ruled_tables

    data = _drawn_page(draw)
    pdf = pdf_reader._open_pdfium(data)
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        layout = page_layout(page, textpage, textpage.get_text_range())
        assert (layout is not None) == trusted, name
        if layout is not None:
            with pdfplumber.open(io.BytesIO(data)) as plumber:
                expected = [table.extract() for table in plumber.pages[0].find_tables()]
            assert [table.rows for table in ruled_tables(layout)] == expected
            assert expected == [[["20", "21", "22"], ["10", "11", "12"], ["0", "1", "2"]]]
        textpage.close()
        page.close()
    finally:
        pdf.close()


def test_fake_bold_on_a_ruled_page_is_read_once() -> None:
    """pdfium keeps glyphs drawn twice a little apart (fake bold, as Word prints bold CJK): such a page goes to
    pdfplumber, whose dedupe_chars drops them."""
    data = _drawn_page(lambda canvas: [canvas.drawString(130.3 + 100 * col, 515.2, str(col)) for col in range(3)])
    rows = [block.cells for block in pdf_reader.read_pdf(data).blocks if block.kind == "row"]
    assert rows == [("20", "21", "22"), ("10", "11", "12"), ("0", "1", "2")]


def _full_alignment(scores: list[list[float | None]], m: int) -> list[tuple[int, int, float]]:
    """The alignment computed over every cell: what `alignment.align` skips must not change it."""
    n = len(scores)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            value = max(best[i - 1][j], best[i][j - 1])
            pair = scores[i - 1][j - 1]
            if pair is not None and pair >= 55 and best[i - 1][j - 1] + pair - 50 > value:
                value = best[i - 1][j - 1] + pair - 50
            best[i][j] = value
    return alignment.trace_back(scores, best)


def test_alignment_computes_only_the_stretches_that_matter() -> None:
    rng = random.Random(7)
    common = [None, 20.0, 54.99, 55.0, 60.0, 66.66666666666667, 85.0, 100.0]  # ties, the threshold, a gap
    for _ in range(3000):
        n, m = rng.randint(0, 14), rng.randint(0, 14)
        scores = [[rng.choice(common) if rng.random() < 0.5 else rng.uniform(0, 100) for _ in range(m)]
                  for _ in range(n)]
        assert alignment.align([None] * n, [None] * m, scores) == _full_alignment(scores, m)


@pytest.mark.parametrize("template", ["gb2014", "gb2014_hubei", "gb2019", "gb2021"])
def test_table_readers_get_the_full_alignment(template: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The columns that count, read from the score array, give the alignment of the whole score matrix."""
    from corpusgen.render import to_text
    from ingestion.extract import read_report

    aligned = alignment._align
    calls = []

    def checked(scores, counted, m):
        pairs = aligned(scores, counted, m)
        calls.append(pairs)
        assert pairs == _full_alignment(scores, m)
        return pairs

    monkeypatch.setattr(alignment, "_align", checked)
    read_report(to_text(generate(template, seed=3).document))
    assert any(calls)
