"""OCR of PDF pages without a usable text layer (scans of the signed paper copy, fonts that decode to nothing).

Engine: rapidocr-onnxruntime (PP-OCRv4 detection and recognition, ONNX models inside the wheel, nothing
downloaded at run time), imported only when a page needs it, so the other readers never load it. A page image is
deskewed (the angle whose horizontal projection is sharpest), recognised into boxes of text with a confidence
each, and read like a PDF page:

- a table with ruling lines (found with morphological opening) becomes rows of cells with pdfplumber's own
  grid code, the same that reads ruled PDF tables: edges → intersections → cells → tables; every recognised box
  falls into the cell under its centre;
- boxes outside a ruled table are joined into visual lines by their vertical centres, which the PDF reader then
  reads like pdfium's text lines (prose, or a borderless table with the line reader of ingestion.readers.cells).

Every cell and line carries the lowest confidence of the boxes it was made of (Block.confidence), so a fact read
from it can say how sure the recognition was; `ingestion.extract` marks such facts `extraction_method = 'ocr'`.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from ingestion.document import Block, BlockKind
from ingestion.printed import PRINTED_UNITS
from ingestion.readers.cells import clean_cell

ENGINE = "rapidocr-onnxruntime"
_lock = threading.Lock()


class OcrUnavailable(Exception):
    """The OCR engine cannot be loaded; the message says why in one line."""


@dataclass(frozen=True)
class Word:
    """One recognised box, in pixels of the deskewed page image."""

    text: str
    score: float
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class OcrPage:
    words: list[Word]
    width: int
    height: int
    angle: float  # degrees the scan was turned (corrected before recognition)
    edges: list[dict] = field(default_factory=list)  # ruling lines, as pdfplumber edges, in pixels
    image: object = None  # the deskewed greyscale page (numpy), for reading single cells again
    threshold: float = 128.0  # grey level between ink and paper on this page (Otsu)
    rulings: object = None  # the ruling lines' ink (numpy mask, non-zero on a line), painted over in cell crops


@cache
def _engine():
    """The recogniser, loaded once per process (about 0.5 s); one inference thread, since documents are read in
    parallel worker processes (GONGKAI_OCR_THREADS overrides)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except Exception as error:  # ImportError, or a native library missing on the host
        raise OcrUnavailable(f"OCR engine {ENGINE} not available ({type(error).__name__}: {error})") from None
    threads = int(os.environ.get("GONGKAI_OCR_THREADS", "1"))
    engine = RapidOCR(
        intra_op_num_threads=threads, inter_op_num_threads=1, rec_batch_num=1, print_verbose=False, use_cls=False
    )
    for name in ("RapidOCR", "OrtInferSession"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return engine


def available() -> str | None:
    """None when OCR can run here, else the one-line reason it cannot."""
    try:
        _engine()
    except OcrUnavailable as error:
        return str(error)
    return None


def _skew(gray) -> float:
    """The angle (degrees) that makes text lines and ruling lines horizontal: the rotation of a small binary copy
    whose row profile has the largest variance, searched coarse then fine within ±3°."""
    import cv2
    import numpy as np

    scale = min(1.0, 800 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    height, width = binary.shape
    centre = (width / 2, height / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(binary, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-3.0, 3.01, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.26, 0.05), key=sharpness)
    return float(round(best, 2))


def _rotate(gray, angle: float):
    import cv2

    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _ruling_lines(gray) -> tuple[list[dict], object]:
    """Horizontal and vertical ruling lines as pdfplumber edges (pixels), and their ink as a mask: ink runs far
    longer than any stroke of a character, kept by a morphological opening with a long thin kernel."""
    import cv2
    import numpy as np

    height, width = gray.shape
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 20)
    edges: list[dict] = []
    mask = np.zeros_like(binary)
    for orientation, size in (("h", (max(40, width // 30), 1)), ("v", (1, max(30, height // 60)))):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
        lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
        mask |= lines
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for x, y, w, h, _area in stats[1:count]:
            if orientation == "h":
                middle = y + h / 2
                edges.append({"x0": float(x), "x1": float(x + w), "top": middle, "bottom": middle,
                              "width": float(w), "height": 0.0, "orientation": "h", "object_type": "line"})
            else:
                middle = x + w / 2
                edges.append({"x0": middle, "x1": middle, "top": float(y), "bottom": float(y + h),
                              "width": 0.0, "height": float(h), "orientation": "v", "object_type": "line"})
    # the grey fringe of a blurred line is ink to a cell's threshold too: the mask covers it
    return edges, cv2.dilate(mask, np.ones((5, 5), np.uint8))


def prepare(gray) -> OcrPage:
    """A page image (greyscale numpy array) deskewed, with its ruling lines and ink threshold, no text yet: what
    the cells are cut from (`read_cells`)."""
    import cv2

    angle = _skew(gray)
    if abs(angle) >= 0.05:
        gray = _rotate(gray, angle)
    height, width = gray.shape
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    edges, rulings = _ruling_lines(gray)
    return OcrPage([], width, height, angle, edges, gray, float(threshold), rulings)


def recognise(gray) -> OcrPage:
    """Recognise one page image (greyscale numpy array): deskew, ruling lines, boxes of text."""
    import numpy as np

    engine = _engine()
    page = prepare(gray)
    with _lock:  # one recognition at a time per process (the engine is not re-entrant)
        result, _ = engine(np.ascontiguousarray(np.stack([page.image] * 3, axis=-1)))
    for box, text, score in result or []:
        text = str(text).strip()
        if not text:
            continue
        xs = [point[0] for point in box]
        ys = [point[1] for point in box]
        page.words.append(Word(text, float(score), min(xs), min(ys), max(xs), max(ys)))
    return page


# ---- from boxes to the document model -------------------------------------------------------------------------


def _lines(words: list[Word]) -> list[list[Word]]:
    """Boxes joined into visual lines: a box belongs to the line whose vertical centre is within half a box height
    of its own and that has no box overlapping it; lines come top to bottom, boxes left to right."""
    lines: list[list[Word]] = []
    centres: list[float] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        tolerance = (word.bottom - word.top) * 0.5
        for index in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            if abs(centres[index] - word.middle) <= tolerance and not any(
                min(word.x1, other.x1) - max(word.x0, other.x0) > 0.3 * (word.x1 - word.x0) for other in lines[index]
            ):
                lines[index].append(word)
                centres[index] = sum(w.middle for w in lines[index]) / len(lines[index])
                break
        else:
            lines.append([word])
            centres.append(word.middle)
    order = sorted(range(len(lines)), key=lambda i: centres[i])
    return [sorted(lines[i], key=lambda w: w.x0) for i in order]


def line_text(words: list[Word]) -> str:
    """A visual line as pdfium would give it: boxes separated by a space."""
    return fix_item_number(" ".join(word.text for word in words))


def _cell_text(words: list[Word]) -> tuple[str, float | None]:
    if not words:
        return "", None
    text = clean_cell("\n".join(line_text(line) for line in _lines(words)))
    return text, min(word.score for word in words)


@dataclass
class PageReading:
    """One OCR'd page as the PDF reader uses it: ruled tables as rows (with their top, for ordering), and the
    visual lines outside them (text as pdfium would give it, with each line's boxes)."""

    tables: list[tuple[float, list[Block]]]
    lines: list[list[Word]]


# Ruling lines closer than this (pixels at 200 dpi) are one line: pdfplumber's default snap tolerance, 3 pt. A
# report's frame around its prose and its table's frame drawn 1.5 pt apart otherwise leave a sliver column that
# shifts every cell below it.
_DOUBLE_LINE = 3 * 200 / 72


def _grid_tables(page: OcrPage) -> list[list[tuple[float, float, float, float]]]:
    """Cells of every ruled table (pdfplumber's edge merging, then the grid code the PDF layout shares: tolerances in
    pixels at ~200 dpi)."""
    from pdfplumber.table import merge_edges

    from ingestion.readers.pdf_layout import cells_to_tables, edges_to_intersections, intersections_to_cells

    if not page.edges:
        return []
    scale = page.width / 1654  # tolerances were tuned for an A4 page at 200 dpi
    snap, join, cross = 4 * scale, 10 * scale, 5 * scale
    edges = merge_edges(page.edges, snap, snap, join, join)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 20 * scale]
    # Only lines that meet two others can bound a cell; the rest (strokes of large characters) would otherwise be
    # snapped together with a ruling line beside them and move it.
    meets: dict[int, int] = {}
    for point in edges_to_intersections(edges, cross).values():
        for edge in {id(e): e for e in point["v"] + point["h"]}.values():
            meets[id(edge)] = meets.get(id(edge), 0) + 1
    edges = [e for e in edges if meets.get(id(e), 0) >= 2]
    double = _DOUBLE_LINE * scale
    edges = merge_edges(edges, double, double, join, join)
    return cells_to_tables(intersections_to_cells(edges_to_intersections(edges, cross)))  # tables of 2+ cells


# what a figure cell may hold (or nothing), and what the detector makes of a figure: letters for digits ('O.' for 0,
# 'l' for 1) and specks ('0°'), read again as a figure and never taken as they are
_FIGURE = re.compile(r"^[\d０-９.,，．·\-—－/%余多万约\s]*$|^[\dOoDlI|.,·:;'`°\"]{1,8}$")
# '2申请人…' for '2.申请人…': recognition drops the point after an item number; not before a unit or a date
_ITEM_NUMBER = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])(?![年月日号件个次条项人万元家份])")


def fix_item_number(text: str) -> str:
    return _ITEM_NUMBER.sub(r"\1.", text)


def _figure_reading(det: str, det_score: float | None, crop: tuple[str, float] | None) -> tuple[str, float | None]:
    """A figure cell from its two readings: the boxes the detector found in it, and the cell read on its own.

    Agreeing readings give the figure with the better score; a figure only the cell reading saw (the detector
    misses lone digits) takes that reading's score; readings that differ only by a stray mark ('509.' beside
    '509': dust) give the clean one; readings that disagree give the better-scored one with a confidence of at
    most 0.5, so the figure is reported, not published. A reading that is no figure as printed ('479%', '0°') is
    given without its stray marks and at most 0.5 too: the row keeps its shape, the value is reported."""
    text, score = _two_readings(det, det_score, crop)
    if text and score is not None and not _printed_figure(text):
        cleaned = text.strip(_STRAY)
        if _printed_figure(cleaned):
            return cleaned, min(score, 0.5)
    return text, score


def _printed_figure(text: str) -> bool:
    from ingestion.readers.pdf_lines import _NUMBER_TOKEN

    return bool(text.split()) and all(_NUMBER_TOKEN.match(t) for t in text.split())


def _two_readings(det: str, det_score: float | None, crop: tuple[str, float] | None) -> tuple[str, float | None]:
    if crop is None or not crop[0]:
        return det, det_score
    text, score = crop
    if not det:
        return text, score
    if det == text:
        return det, max(det_score or 0.0, score)
    if det.strip(_STRAY) == text:
        return text, score
    if (det_score is not None and det_score >= score and _printed_figure(det)) or not _printed_figure(text):
        return det, min(det_score or 0.0, score, 0.5)
    return text, min(det_score or 0.0, score, 0.5)


def read_page(page: OcrPage, page_label: str, table_number: int) -> tuple[PageReading, int]:
    """Rows of the ruled tables and the lines outside them. `page_label` starts every locator ('page 3 (OCR)');
    `table_number` is the last table number used in the document. Figure cells are read twice (see
    `_figure_reading`)."""
    from pdfplumber.table import Table

    tables: list[tuple[float, list[Block]]] = []
    used: set[int] = set()
    for cells in _grid_tables(page):
        table = Table(None, cells)
        x0, top, x1, bottom = table.bbox
        inside = [
            i for i, w in enumerate(page.words)
            if i not in used and x0 <= w.centre < x1 and top <= w.middle < bottom
        ]
        if not inside:
            continue
        grid: list[list[tuple[tuple | None, str, float | None]]] = []
        for row in table.rows:
            line = []
            for cell in row.cells:
                if cell is None:
                    line.append((None, "", None))
                    continue
                left, upper, right, lower = cell
                mine = [
                    i for i in inside
                    if left <= page.words[i].centre < right and upper <= page.words[i].middle < lower
                ]
                used.update(mine)
                text, score = _cell_text([page.words[i] for i in mine])
                line.append((cell, text, score))
            grid.append(line)
        figures = [(r, c) for r, line in enumerate(grid) for c, (cell, text, _) in enumerate(line)
                   if cell is not None and _FIGURE.match(text)]
        readings = read_cells(page, [grid[r][c][0] for r, c in figures])
        for (r, c), reading in zip(figures, readings, strict=True):
            cell, text, score = grid[r][c]
            grid[r][c] = (cell, *_figure_reading(text, score, reading))
        rows = []
        for line in grid:
            texts = [fix_item_number(text) if re.search(r"[\u4e00-\u9fff]", text) else text for _, text, _ in line]
            if any(texts):
                rows.append((texts, [score if text else None for (_, _, score), text in zip(line, texts, strict=True)]))
        if not rows or max(sum(1 for t in texts if t) for texts, _ in rows) <= 1:
            continue  # a boxed paragraph or an empty frame: its words are read as lines
        table_number += 1
        blocks = [
            Block(BlockKind.ROW, tuple(texts), f"{page_label}, table {table_number}, row {r}", table_number,
                  confidence=tuple(scores))
            for r, (texts, scores) in enumerate(rows, start=1)
        ]
        tables.append((top, blocks))
        used.update(inside)
    rest = [w for i, w in enumerate(page.words) if i not in used]
    return PageReading(tables, _lines(rest)), table_number


def attach_line_confidence(blocks: list[Block], lines: list[list[Word]], first_line: int = 1) -> list[Block]:
    """Confidence for blocks built from numbered visual lines ('… line 7'): each cell takes the lowest score of the
    boxes with its text among the lines from its block's line to the next block's (a figure is one box), a label
    the lowest of all those lines' boxes."""
    import re

    numbers = []
    for block in blocks:
        match = re.search(r"line (\d+)$", block.locator)
        numbers.append(int(match.group(1)) if match else None)
    out = []
    for index, block in enumerate(blocks):
        start = numbers[index]
        if start is None:
            out.append(block)
            continue
        end = next((n for n in numbers[index + 1 :] if n is not None and n > start), start + 1)
        span = [w for line in lines[start - first_line : max(start + 1, end) - first_line] for w in line]
        if not span:
            out.append(block)
            continue
        floor = min(w.score for w in span)
        scores = []
        for cell in block.cells:
            same = [w.score for w in span if w.text == cell]
            parts = [w.score for w in span if cell and w.text in cell.split()]
            scores.append(min(same) if same else min(parts) if parts else floor if cell else None)
        out.append(_with_confidence(block, tuple(scores)))
    return out


def _with_confidence(block: Block, scores: tuple) -> Block:
    from dataclasses import replace

    return replace(block, confidence=scores)


def page_pixels(width_points: float, height_points: float, dpi: float, max_pixels: int) -> float:
    """The render scale for a page: `dpi`, or less if the image would exceed `max_pixels`."""
    scale = dpi / 72
    pixels = width_points * scale * height_points * scale
    if pixels > max_pixels:
        scale *= math.sqrt(max_pixels / pixels) * 0.995  # pdfium rounds the bitmap's sides up
    return scale


def _text_only(crop, threshold: float):
    """A cell's text as a clean line: the largest blot of ink and the blots beside it on its line, everything else
    (dust, remnants of ruling lines) painted over with paper; None if the cell holds no text."""
    import cv2
    import numpy as np

    ink = (crop < threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blots = [i for i in range(1, count) if stats[i][4] >= 12 and stats[i][3] >= 5]
    if not blots:
        return None
    main = max(blots, key=lambda i: stats[i][3] * 1000 + stats[i][4])
    top, bottom = stats[main][1], stats[main][1] + stats[main][3]
    line = [
        i for i in blots
        if stats[i][1] < bottom and stats[i][1] + stats[i][3] > top and stats[i][3] >= stats[main][3] * 0.3
    ]
    # a decimal point ('7730.28'): a compact speck on the baseline between two characters of the line, too small
    # to count as a blot above; dust seldom falls just there, and a point only one reading sees is a disagreement
    size = stats[main][3]
    left = min(stats[i][0] for i in line)
    right = max(stats[i][0] + stats[i][2] for i in line)
    line += [
        i for i in range(1, count)
        if i not in line and left < stats[i][0] and stats[i][0] + stats[i][2] < right
        and 3 <= stats[i][2] <= size * 0.3 and 3 <= stats[i][3] <= size * 0.3 and stats[i][4] >= 6
        and abs(stats[i][1] + stats[i][3] - bottom) <= size * 0.15
    ]
    keep = cv2.dilate(np.isin(labels, line).astype(np.uint8), np.ones((5, 5), np.uint8))
    paper = np.uint8(np.median(crop))
    clean = np.where(keep > 0, crop, paper)
    x0 = min(stats[i][0] for i in line)
    y0 = min(stats[i][1] for i in line)
    x1 = max(stats[i][0] + stats[i][2] for i in line)
    y1 = max(stats[i][1] + stats[i][3] for i in line)
    pad = max(4, (y1 - y0) // 2)
    out = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), paper, np.uint8)
    out[pad : pad + y1 - y0, pad : pad + x1 - x0] = clean[y0:y1, x0:x1]
    return out


def read_cells(page: OcrPage, cells: list[tuple[float, float, float, float]]) -> list[tuple[str, float] | None]:
    """Each cell recognised on its own, as one line (no detection): None where the cell holds no ink."""
    import numpy as np

    gray = page.image
    margin = max(3, round(page.width / 400))
    crops, where = [], []
    for index, (x0, top, x1, bottom) in enumerate(cells):
        left, upper = int(x0) + margin, int(top) + margin
        right, lower = int(x1) - margin, int(bottom) - margin
        if right - left < 4 or lower - upper < 4:
            continue
        crop = gray[upper:lower, left:right]
        if page.rulings is not None:
            # a ruling line the margin did not clear (lines drawn double, a trace of skew) is no ink: painted over
            # near the cell's border only, where no figure stands, so a tall digit is never taken for a line
            line = page.rulings[upper:lower, left:right] > 0
            line[3 * margin : -3 * margin, 3 * margin : -3 * margin] = False
            crop = np.where(line, np.uint8(255), crop)
        crop = _text_only(crop, page.threshold)
        if crop is None:
            continue
        crops.append(np.ascontiguousarray(np.stack([crop] * 3, axis=-1)))
        where.append(index)
    out: list[tuple[str, float] | None] = [None] * len(cells)
    if not crops:
        return out
    recogniser = _engine().text_rec
    with _lock:
        saved, recogniser.rec_batch_num = recogniser.rec_batch_num, 8
        try:
            results, _ = recogniser(crops)
        finally:
            recogniser.rec_batch_num = saved
    for index, result in zip(where, results, strict=True):
        out[index] = (str(result[0]).strip(), float(result[1]))
    return out


# ---- borderless tables: rows from the boxes' positions ----------------------------------------------------------

_HEADER_WORDS = re.compile(
    r"^(第[一二三四五六七八九十百]+条|信息内容|统计指标|指标名称|本列数据|（本列数据|申请人情况)"
)


def _is_figure_word(word: Word) -> bool:
    """Figures as printed, and what recognition makes of them ('9:3' for 9.3: read again, never taken as is)."""
    from ingestion.readers.pdf_lines import _NUMBER_TOKEN

    tokens = word.text.split()
    return bool(tokens) and all(_NUMBER_TOKEN.match(t) or _ALMOST_FIGURE.fullmatch(t) for t in tokens)


# a figure as recognition may garble it: '9:3' for 9.3, '0°' or '`12' with a speck of dust, '479%' for 4796 (read
# again, never taken as it is)
_ALMOST_FIGURE = re.compile(r"[°'\"`·.,]*\d+(?:[:：;.,]\d+)?[°'\"`·.,%]*")
_STRAY = ".,·:;'`°%\""


def _split(line: list[Word]) -> tuple[list[Word], list[Word]]:
    """A visual line's label boxes and its trailing figure boxes."""
    cut = len(line)
    while cut > 0 and _is_figure_word(line[cut - 1]):
        cut -= 1
    return line[:cut], line[cut:]


def _missed(page: OcrPage, top: float, bottom: float, left: float, words: list[Word], height: float):
    """Ink on a line, right of `left`, that no recognised box covers (the detector misses lone digits): the
    regions, left to right, where a figure may stand unread."""
    import cv2
    import numpy as np

    y0, y1 = max(0, int(top)), min(page.height, int(bottom) + 1)
    x0 = max(0, int(left))
    if y1 - y0 < 4 or page.width - x0 < 4:
        return []
    band = (page.image[y0:y1, x0:] < page.threshold).astype(np.uint8)
    for word in words:
        band[:, max(0, int(word.x0) - x0 - 3) : max(0, int(word.x1) - x0 + 4)] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(band, connectivity=8)
    blots = sorted((int(s[0]), int(s[0] + s[2])) for s in stats[1:count] if s[3] >= height * 0.35 and s[4] >= 12)
    regions: list[list[int]] = []
    for a, b in blots:
        if regions and a - regions[-1][1] <= height * 0.5:
            regions[-1][1] = max(regions[-1][1], b)
        else:
            regions.append([a, b])
    pad = height * 0.4
    return [(x0 + a - pad, top, x0 + b + pad, bottom) for a, b in regions]


def _figures_checked(page: OcrPage, label: list[Word], figures: list[Word], height: float,
                     left_edge: float) -> list[Word]:
    """A line's figures read twice (each box's neighbourhood read on its own, as a ruled cell is), and figures the
    detector missed found where the line has ink but no box, right of `left_edge` (the row's labels)."""
    if page.image is None:
        return figures
    top = min(w.top for w in figures)
    bottom = max(w.bottom for w in figures)
    left_edge = max(left_edge, *(w.x1 for w in label)) if label else left_edge
    regions: list[tuple[float, float, float, float]] = []
    for i, word in enumerate(figures):
        before = figures[i - 1].x1 if i else left_edge
        after = figures[i + 1].x0 if i + 1 < len(figures) else float(page.width)
        regions.append((max(before + 1, word.x0 - height * 0.6), top, min(after - 1, word.x1 + height * 0.6), bottom))
    missed = _missed(page, top, bottom, left_edge + 2, [*label, *figures], height)
    readings = read_cells(page, [*regions, *missed])
    checked = []
    for word, reading in zip(figures, readings[: len(figures)], strict=True):
        text, score = _figure_reading(word.text, word.score, reading)
        checked.append(Word(text, score if score is not None else word.score, word.x0, word.top, word.x1, word.bottom))
    for (x0, _, x1, _), reading in zip(missed, readings[len(figures) :], strict=True):
        if (reading is not None and reading[1] >= 0.5 and re.search(r"\d", reading[0])
                and _is_figure_word(Word(reading[0], 0, 0, 0, 0, 0))):
            checked.append(Word(reading[0], reading[1], x0, top, x1, bottom))
    return sorted(checked, key=lambda w: w.x0)


def _columns(centres: list[float], tolerance: float) -> list[float]:
    """Centres of a table's figure columns: figure positions within `tolerance` of each other on 3 lines or more."""
    clusters: list[list[float]] = []
    for x in sorted(centres):
        if clusters and x - clusters[-1][-1] <= tolerance:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [sum(c) / len(c) for c in clusters if len(c) >= 3]


def _figures_by_column(page: OcrPage, label: list[Word], merged: Word, columns: list[float],
                       height: float) -> tuple[list[Word], list[Word]]:
    """A box that ran a row's label into its figures ('（七）总计1169689047561052847479%'): the label is the text
    before the first digit, the figures are read column by column under the box."""
    covered = [c for c in columns if merged.x0 <= c <= merged.x1]
    gaps = [b - a for a, b in pairwise(columns)] or [height * 3]
    half = max(height * 0.8, min(gaps) / 2)
    regions = [(c - half, merged.top, c + half, merged.bottom) for c in covered]
    readings = read_cells(page, regions)
    figures = [
        Word(reading[0], reading[1], c - half / 2, merged.top, c + half / 2, merged.bottom)
        for c, reading in zip(covered, readings, strict=True)
        if reading is not None and re.search(r"\d", reading[0]) and _is_figure_word(Word(reading[0], 0, 0, 0, 0, 0))
    ]
    text = re.split(r"\d", merged.text, maxsplit=1)[0].strip()
    head = [w for w in label if w is not merged]
    if text:
        head.append(Word(text, merged.score, merged.x0, merged.top, min(merged.x1, covered[0] - half), merged.bottom))
    return head, figures


def table_lines(page: OcrPage, lines: list[list[Word]]) -> list[list[Word]]:
    """The visual lines of a borderless table put in the order pdfium gives a borderless PDF table, so the same line
    reader reads both: every label fragment of a row (those above its figures up to the row's enumerated start,
    those below that continue its label columns) on a line of its own, column by column, then the row's figures
    alone on a line. Figures are read twice, and missed ones looked for in the figure columns."""
    if not lines:
        return lines
    heights = sorted(w.bottom - w.top for line in lines for w in line)
    height = heights[len(heights) // 2]
    split = [_split(line) for line in lines]
    anchors = [
        i for i, (label, figures) in enumerate(split)
        if figures and (label or len(figures) >= 2) and sum(len(w.text) for w in label) <= 40
    ]
    if not anchors:
        return lines
    columns = _columns([w.centre for i in anchors if len(split[i][1]) >= 3 for w in split[i][1]], height * 0.8)
    if columns:
        for i, (label, _) in enumerate(split):
            spanning = [w for w in label if sum(w.x0 <= c <= w.x1 for c in columns) >= 2 and re.search(r"\d", w.text)]
            if spanning:  # the detector ran a label and its figures into one box: read each column on its own
                split[i] = _figures_by_column(page, label, spanning[0], columns, height)
                if i not in anchors and split[i][1]:
                    anchors = sorted([*anchors, i])
    # nothing left of the table's first figure column is a figure, nothing right of it a label fragment
    first_column = min(columns) - height if columns else float(page.width)
    label_lefts = sorted(w.x0 for i, (label, _) in enumerate(split) for w in label)
    starts: list[float] = []
    for x in label_lefts:  # label columns: left edges within a character of each other
        if not starts or x - starts[-1] > height:
            starts.append(x)

    def column_of(word: Word) -> int:
        return max((k for k, x in enumerate(starts) if x <= word.x0 + height * 0.5), default=0)

    def fragment(i: int, anchor: int) -> bool:  # a label-only line that can be part of the anchor row's label
        label, figures = split[i]
        first_figure = min(first_column, *(w.x0 for w in split[anchor][1]))
        return (not figures and bool(label) and all(len(w.text) <= 20 and w.x1 <= first_figure for w in label)
                and not any(_HEADER_WORDS.match(w.text) for w in label)
                and label[-1].text not in PRINTED_UNITS)  # 'label 次' without a figure is a row of its own

    def starts_row(i: int) -> bool:
        from ingestion.printed import ENUMERATED_START

        return any(ENUMERATED_START.match(w.text) for w in split[i][0])

    def close(upper: int, lower: int) -> bool:
        return min(w.top for w in lines[lower]) - max(w.bottom for w in lines[upper]) <= height

    owner: dict[int, int] = {}  # line → the anchor whose row it belongs to
    for k, anchor in enumerate(anchors):
        owner[anchor] = anchor
        previous = anchors[k - 1] if k else -1
        i = anchor - 1
        while i > previous and i not in owner and fragment(i, anchor) and close(i, i + 1):
            owner[i] = anchor
            if starts_row(i):
                break
            i -= 1
        used = {column_of(w) for j, a in owner.items() if a == anchor for w in split[j][0]}
        following = anchors[k + 1] if k + 1 < len(anchors) else len(lines)
        i = anchor + 1
        while (i < following and fragment(i, anchor) and not starts_row(i) and close(i - 1, i)
               and all(column_of(w) in used for w in split[i][0])):
            owner[i] = anchor
            i += 1
    out: list[list[Word]] = []
    run: list[list[Word]] = []  # lines of no row: headers, in pdfium's cell order once the run ends

    def flush() -> None:
        out.extend(_by_column(run, height))
        run.clear()

    for i, line in enumerate(lines):
        if i not in owner:
            if split[i][1] or _heading(line) or any(len(w.text) > 20 for w in line) or (run and not close(i - 1, i)):
                flush()
                out.append(line)
            else:
                run.append(line)
            continue
        flush()
        if owner[i] != i:
            continue  # emitted with its anchor
        members = [j for j, a in owner.items() if a == i]
        label, figures = split[i]
        edge = min(first_column, max((w.x1 for j in members for w in split[j][0]), default=0.0))
        figures = _figures_checked(page, label, figures, height, edge)
        if len(members) == 1:  # a row on one line stays one line, as pdfium gives it
            out.append([*label, *figures])
            continue
        unit = [label[-1]] if label and label[-1].text in PRINTED_UNITS else []  # '次 227': the unit column
        words = sorted((w for j in members for w in split[j][0] if w not in unit),
                       key=lambda w: (column_of(w), w.top, w.x0))
        out.extend([w] for w in words)
        out.append([*unit, *figures])
    flush()
    return out


def _heading(line: list[Word]) -> bool:
    """A heading above a table ('二、主动公开政府信息情况', '第二十条第（一）项', '…情况统计表'): never part of its
    header cells."""
    from ingestion.printed import GROUP_START, TOP_START

    text = line[0].text if len(line) == 1 else ""
    return bool(
        TOP_START.match(text) or GROUP_START.match(text) or re.match(r"^第.{1,4}条", text)
        or re.search(r"(统计表|情况表|年度报告)$", text)
    )


def _by_column(lines: list[list[Word]], height: float) -> list[list[Word]]:
    """Header lines of a table (wrapped column headings: '本年制发件 本年废止件' over '数 数') as pdfium gives them:
    cell by cell, each column's fragments top to bottom, one fragment a line."""
    words = [w for line in lines for w in line]
    starts: list[float] = []
    for x in sorted(w.x0 for w in words):
        if not starts or x - starts[-1] > height * 0.8:
            starts.append(x)

    def column(word: Word) -> int:
        return max((k for k, x in enumerate(starts) if x <= word.x0 + height * 0.4), default=0)

    stacked = len({column(w) for w in words}) < len(words) and len(lines) >= 2
    if not stacked:  # no heading wrapped in its cell: the lines as they are
        return [list(line) for line in lines]
    return [[w] for w in sorted(words, key=lambda w: (column(w), w.top, w.x0))]
