"""OCR of ruled tables on scans of the real district reports (../shared/corpus/real rendered by corpusgen.scans):
the grid of cells as printed, and each figure cell read on its own to the hand-read truth. Only the page image,
its ruling lines and the recogniser's reading of single cells are used, no text detection, so these stay fast."""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from corpusgen.scans import to_scan
from ingestion.limits import ReadLimits
from ingestion.ocr_facts import LOW_CONFIDENCE
from ingestion.readers import ocr
from tests.conftest import REAL


@cache
def _scan(name: str, seed: int) -> bytes:
    return to_scan((REAL / name).read_bytes(), seed=seed)


def _page(name: str, seed: int, number: int) -> ocr.OcrPage:
    """Page `number` of a scan of a real report, as the PDF reader renders it for OCR, deskewed, without text."""
    import numpy as np
    import pypdfium2

    limits = ReadLimits()
    document = pypdfium2.PdfDocument(_scan(name, seed))
    try:
        page = document[number - 1]
        width, height = page.get_size()
        bitmap = page.render(scale=ocr.page_pixels(width, height, limits.ocr_dpi, limits.max_page_pixels),
                             grayscale=True)
        gray = np.array(bitmap.to_numpy(), dtype=np.uint8)
    finally:
        document.close()
    return ocr.prepare(gray[..., 0] if gray.ndim == 3 else gray)


def _truth(name: str) -> dict:
    return yaml.safe_load((REAL / "truth.yaml").read_text(encoding="utf-8"))[name]["facts"]


def _columns(cells: list[tuple[float, float, float, float]]) -> list[float]:
    return sorted({cell[0] for cell in cells})


def test_a_frame_drawn_a_point_beside_the_table_makes_no_column() -> None:
    """洪泽区 2023, page 2: the frame around the prose is drawn 1.5 pt left of table 二's frame, in one grid. The
    table has four columns (信息内容, 本年制发件数, 本年废止件数, 现行有效件数); a sliver fifth one before them
    shifted every cell, and table 二 was not read at all."""
    for seed in (0, 1):
        (table,) = ocr._grid_tables(_page("hongzequ_2023.pdf", seed, 2))
        assert len(_columns(table)) == 4, seed


def test_a_large_character_does_not_move_a_ruling_line() -> None:
    """洪泽区 2024, page 4: a stroke of '四' (四、结转下年度继续办理) stands a few pixels from the line that bounds
    the label column of （五）不予处理, （六）其他处理, （七）总计; snapped together they moved the line, and the
    column's cells ran into one ('（五）不予处理（六）其他处理（七）总计'). The column keeps its four cells (the end of
    （四）, then （五）, （六）, （七））."""
    tables = ocr._grid_tables(_page("hongzequ_2024.pdf", 0, 4))
    matrix = min(tables, key=lambda table: min(cell[1] for cell in table))  # table 三 runs on at the top
    labels = _columns(matrix)[1]
    assert len([cell for cell in matrix if cell[0] == labels]) == 4


def test_figure_cells_are_read_without_the_ruling_lines_around_them() -> None:
    """洪泽区 2023, table 四 (page 4): each of the fifteen figure cells read on its own gives the printed figure,
    sure of it; remnants of lines drawn double were read as digits ('1 0', '0l', '10' for 0)."""
    truth = _truth("hongzequ_2023.pdf")
    order = [f"review_{part}" for part in ("upheld", "corrected", "other", "pending", "total")]
    order += [f"litigation_{kind}_{part}" for kind in ("direct", "after_review")
              for part in ("upheld", "corrected", "other", "pending", "total")]
    from pdfplumber.table import Table

    for seed in (0, 1):
        page = _page("hongzequ_2023.pdf", seed, 4)
        rows = [row.cells for table in ocr._grid_tables(page) for row in Table(None, table).rows]
        (figures,) = [row for row in rows if len(row) == len(order) and all(row)]
        readings = ocr.read_cells(page, figures)
        assert [reading[0] for reading in readings] == [f"{truth[code]:g}" for code in order], seed
        assert min(reading[1] for reading in readings) >= LOW_CONFIDENCE, seed


@pytest.mark.parametrize("seed", [0, 1])
def test_a_decimal_point_is_not_cleaned_away_as_dust(seed: int) -> None:
    """洪泽区 2023, 行政事业性收费 7730.28 (page 3): the cell read on its own keeps its point."""
    page = _page("hongzequ_2023.pdf", seed, 3)
    cells = [cell for table in ocr._grid_tables(page) for cell in table]
    readings = [reading for reading in ocr.read_cells(page, cells) if reading]
    assert f"{_truth('hongzequ_2023.pdf')['admin_fees_amount']:.2f}" in [text for text, _ in readings]
    assert not [text for text, _ in readings if text.startswith("7730 ")]


def test_a_figure_the_detector_reads_as_letters_is_read_again() -> None:
    """'O.' for 0 (a scan of 淮安市 2024, 上年结转): read again as a figure cell; the readings disagree, so the figure
    is withheld unless a sum confirms it, and the row keeps its shape."""
    assert ocr._FIGURE.match("O.") and ocr._FIGURE.match("l") and not ocr._FIGURE.match("行政复议")
    text, score = ocr._figure_reading("O.", 0.50, ("0", 0.986))
    assert text == "0" and score <= 0.5 < LOW_CONFIDENCE
