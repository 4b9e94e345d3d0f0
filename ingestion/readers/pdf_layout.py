"""A ruled table page's layout from pdfium: what pdfplumber's line strategy reads, without pdfminer.

pdfplumber spends 60–95 ms a page interpreting the content stream in Python (EXTRACTION.md); pdfium has already
done it in C++ when the text page is built. From pdfium come the characters with their boxes (x from the PDF's
own widths: pdfium's loose box starts at the glyph origin and spans the advance, as pdfminer's does) and the ruling
lines, read from the page's path objects as pdfminer turns paths into pdfplumber's lines, rectangles and curves.
pdfplumber's grid code then finds the tables (edges merged by pdfplumber; intersections, cells and tables by
this module's indexed versions of its functions, the same results in the same order), and cell text is
assembled as pdfplumber's `extract_text` assembles it (lines clustered by top within 3 pt, a word break at a blank
or a gap over 3 pt). A page whose drawing pdfium cannot give as pdfminer would (rotated, form XObjects, curves,
slanted lines, rotated text, glyphs drawn twice) gets no layout: the reader sends it to pdfplumber.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from operator import attrgetter, itemgetter

_TOLERANCE = 3.0  # pdfplumber's x/y tolerance for text and its snap/join/intersection tolerance for edges
_EDGE_MIN_LENGTH = 3.0  # pdfplumber's edge_min_length (after merging); 1 before (edge_min_length_prefilter)
_MARGIN = 1e-6  # points: far above float rounding on a page's coordinates, far below any distance that matters


@dataclass(slots=True)  # not frozen: a frozen dataclass is built three times slower, and pages hold thousands
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


_TOP, _X0 = attrgetter("top"), attrgetter("x0")


@dataclass
class PageLayout:
    chars: list[Char]
    edges: list[dict]  # pdfplumber edges (x0, x1, top, bottom, width, height, orientation), top-down coordinates


@dataclass
class RuledTable:
    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]  # None: a cell merged into its neighbour


def page_layout(page, textpage, text: str) -> PageLayout | None:
    """The characters and ruling lines of a page, or None when pdfium's data cannot stand for pdfplumber's."""
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() % 360:
        return None
    height = page.get_height()
    edges = _edges(page.raw, height, pdfium_c)
    if edges is None:
        return None
    chars = _chars(textpage.raw, text, height, pdfium_c)
    if chars is None or drawn_twice((ch.text, ch.top, ch.x0) for ch in chars):
        return None  # fake bold (glyphs drawn twice, a little apart) pdfium keeps: pdfplumber's dedupe_chars reads it
    return PageLayout(chars, edges)


def drawn_twice(chars: Iterable[tuple[Hashable, float, float]], tolerance: float = 1) -> bool:
    """Whether two characters of one key (text, or text with font and size) lie within `tolerance` in top and in
    x0, both chained as pdfplumber's `dedupe_chars` clusters them: glyphs drawn twice (fake bold). Linear, where
    `dedupe_chars` is quadratic (it restores the order with list.index per char)."""
    groups: dict[Hashable, list[tuple[float, float]]] = {}
    for key, top, x0 in chars:
        groups.setdefault(key, []).append((top, x0))
    for positions in groups.values():
        if len(positions) < 2:
            continue
        positions.sort()
        cluster = [positions[0][1]]
        last_top = positions[0][0]
        for top, x0 in positions[1:]:
            if top <= last_top + tolerance:
                cluster.append(x0)
            else:
                if len(cluster) > 1 and _x_clusters_merge(cluster, tolerance):
                    return True
                cluster = [x0]
            last_top = top
        if len(cluster) > 1 and _x_clusters_merge(cluster, tolerance):
            return True
    return False


def _x_clusters_merge(xs: list[float], tolerance: float) -> bool:
    xs = sorted(xs)
    return any(b <= a + tolerance for a, b in pairwise(xs))


def _chars(raw_textpage, text: str, height: float, pdfium_c) -> list[Char] | None:
    """The page's characters in pdfminer's geometry: x from the glyph origin over its advance (pdfium's loose
    box), bottom at the font's descent (the loose box's), top one font size above the bottom (pdfium's top is the
    font's ascent, higher in Latin fonts, which would pull a label's line up to the figures beside it)."""
    count = pdfium_c.FPDFText_CountChars(raw_textpage)
    if count != len(text):
        return None  # characters outside the BMP: text indexes and character indexes part
    box = pdfium_c.FS_RECTF()
    loose_box, is_generated = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_IsGenerated
    text_object = _text_object_address(pdfium_c)
    textpage = ctypes.cast(raw_textpage, ctypes.c_void_p)
    sizes: dict[int, float | None] = {}  # text object → its font size on the page (None: not upright)
    chars = []
    for index, ch in enumerate(text):
        if ch in "\r\n" or (ch.isspace() and is_generated(raw_textpage, index)):
            continue  # pdfium's line breaks, and spaces it inferred from gaps (pdfplumber infers its own)
        address = text_object(textpage, index)
        size = sizes.get(address, 0.0)
        if size == 0.0:
            size = sizes[address] = _font_size(address, pdfium_c)
        if size is None:
            return None  # rotated, skewed or mirrored text: pdfplumber reads it in another direction
        loose_box(raw_textpage, index, box)
        if box.top - box.bottom > 1.5 * size:
            # pdfium's loose box of a vertical-writing CID font ignores the text matrix (a 10 pt character
            # gets a 199 pt box, on a real report's merged cell): the glyph box stands in
            left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharBox(raw_textpage, index, left, right, bottom, top)
            chars.append(Char(ch, left.value, right.value, height - top.value, height - bottom.value))
        else:
            bottom = height - box.bottom
            chars.append(Char(ch, box.left, box.right, bottom - size, bottom))
    return chars


@cache
def _text_object_address(pdfium_c):
    """FPDFText_GetTextObject returning the object's address: characters of one text object share its font size
    and matrix, asked for once (ctypes' typed pointers cannot be compared or hashed by address)."""
    function = ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(function)


def _font_size(address: int | None, pdfium_c) -> float | None:
    """The font size of a text object on the page (pdfminer's character height), None unless upright."""
    if not address:
        return None
    obj = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
    matrix, size = pdfium_c.FS_MATRIX(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix) or not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
        return None
    if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6 or matrix.a <= 0 or matrix.d <= 0:
        return None
    return size.value * matrix.d


def _edges(raw_page, height: float, pdfium_c) -> list[dict] | None:
    """Horizontal and vertical edges as pdfplumber makes them from pdfminer's paths: every painted subpath's
    consecutive points (the close operator back to its start); None when a page draws what pdfminer would turn
    into something else (curves, a slanted two-point line pdfplumber takes for a vertical edge, form XObjects
    whose paths pdfium keeps in their own coordinates)."""
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    get_segment, get_point, get_type, get_close = (
        pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetType,
        pdfium_c.FPDFPathSegment_GetClose,
    )
    edges: list[dict] = []
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        subpaths: list[list[tuple[float, float]]] = []
        for number in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = get_segment(obj, number)
            kind = get_type(segment)
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                return None
            get_point(segment, x, y)
            point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([point])
            else:
                subpaths[-1].append(point)
            if get_close(segment):
                subpaths[-1].append(subpaths[-1][0])
        for points in subpaths:
            for (x0, y0), (x1, y1) in pairwise(points):
                if x0 == x1:
                    top, bottom = min(y0, y1), max(y0, y1)
                    if bottom - top >= 1:  # edge_min_length_prefilter
                        edges.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0,
                                      "height": bottom - top, "orientation": "v"})
                elif y0 == y1:
                    left, right = min(x0, x1), max(x0, x1)
                    if right - left >= 1:
                        edges.append({"x0": left, "x1": right, "top": y0, "bottom": y0, "width": right - left,
                                      "height": 0, "orientation": "h"})
                elif len(points) == 2:
                    return None  # pdfplumber makes a slanted line a vertical edge over its box
    return edges


def ruled_tables(layout: PageLayout) -> list[RuledTable]:
    """The tables pdfplumber's line strategy finds (its default settings), with pdfplumber's cell text."""
    from pdfplumber.table import Table, merge_edges

    if not layout.edges:
        return []
    edges = merge_edges(layout.edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE)
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= _EDGE_MIN_LENGTH]
    cells = intersections_to_cells(edges_to_intersections(edges, _TOLERANCE))
    tables = [Table(None, group) for group in cells_to_tables(cells)]
    # every character's middle, sorted by height: a row takes its band by bisection
    middles = sorted(((ch.top + ch.bottom) / 2, (ch.x0 + ch.x1) / 2, i) for i, ch in enumerate(layout.chars))
    return [RuledTable(table.bbox, _cell_texts(table, layout.chars, middles)) for table in tables]


def edges_to_intersections(edges: list[dict], tolerance: float) -> dict:
    """pdfplumber's `edges_to_intersections`, the same points holding the same edges in the same order: a vertical
    edge is tested only against the horizontal edges whose height lies within its span (found by bisection; the
    margin takes in any rounding), where pdfplumber tests every pair and sorts the horizontal edges for each."""
    vertical = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontal]
    intersections: dict = {}
    for v in vertical:
        x, top, bottom = v["x0"], v["top"], v["bottom"]
        start = bisect_left(tops, top - tolerance - _MARGIN)
        end = bisect_right(tops, bottom + tolerance + _MARGIN)
        for h in horizontal[start:end]:
            if (top <= h["top"] + tolerance and bottom >= h["top"] - tolerance
                    and h["x0"] - tolerance <= x <= h["x1"] + tolerance):
                vertex = (x, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's `intersections_to_cells`, the same cells in the same order: for each intersection (in sorted
    order) the smallest cell whose four corners are intersections joined by common edges. pdfplumber looks for the
    points below and to the right of each point among all later points and compares sets of edge boxes it builds
    anew for every pair (quadratic, 12 ms a table page); here both are indexed once."""
    points = sorted(intersections)
    vertical = {pt: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[pt]["v"]} for pt in points}
    horizontal = {pt: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[pt]["h"]} for pt in points}
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for pt in points:  # sorted by x, then y: each list is in the order pdfplumber meets its points
        by_x.setdefault(pt[0], []).append(pt)
        by_y.setdefault(pt[1], []).append(pt)
    cells = []
    for pt in points:
        column, row = by_x[pt[0]], by_y[pt[1]]
        if column[-1] == pt or row[-1] == pt:
            continue  # the last point of its column or of its row: no cell has it as its top left corner
        below = column[column.index(pt) + 1 :]
        right = row[row.index(pt) + 1 :]
        cell = None
        for below_pt in below:
            if vertical[pt].isdisjoint(vertical[below_pt]):
                continue
            for right_pt in right:
                if horizontal[pt].isdisjoint(horizontal[right_pt]):
                    continue
                corner = (right_pt[0], below_pt[1])
                if (
                    corner in intersections
                    and not vertical[corner].isdisjoint(vertical[right_pt])
                    and not horizontal[corner].isdisjoint(horizontal[below_pt])
                ):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def cells_to_tables(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's `cells_to_tables`, the same tables of the same cells in the same order: cells gathered in passes
    over the rest, each joining the table when it shares a corner with a cell already in it, until a pass adds
    none. pdfplumber removes each cell from its list by value (a search of the list per cell); cells are distinct
    (one per top-left intersection), so the pass keeps the others instead."""
    remaining = list(cells)
    tables: list[list[tuple[float, float, float, float]]] = []
    while remaining:
        corners: set[tuple[float, float]] = set()
        table: list[tuple[float, float, float, float]] = []
        added = True
        while added:
            added = False
            rest = []
            for cell in remaining:
                x0, top, x1, bottom = cell
                cell_corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
                if not table or any(corner in corners for corner in cell_corners):
                    corners.update(cell_corners)
                    table.append(cell)
                    added = True
                else:
                    rest.append(cell)
            remaining = rest
        tables.append(table)
    tables.sort(key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [table for table in tables if len(table) > 1]


def _cell_texts(table, chars: list[Char], middles: list[tuple[float, float, int]]) -> list[list[str | None]]:
    """pdfplumber's `Table.extract()`: a character belongs to the cell holding its middle."""
    keys = [y for y, _, _ in middles]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = sorted((i, y, x) for y, x, i in middles[bisect_left(keys, top) : bisect_left(keys, bottom)]
                      if x0 <= x < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            left, upper, right, lower = cell
            cells.append(_cell_text([chars[i] for i, y, x in band if left <= x < right and upper <= y < lower]))
        rows.append(cells)
    return rows


def _cell_text(chars: list[Char]) -> str:
    """A cell's text (`extract_text`): its lines joined by line breaks."""
    if len(chars) < 2:  # half the cells of a statistics table: blank, or one digit
        return chars[0].text if chars and not chars[0].text.isspace() else ""
    return "\n".join(text for _, _, text in text_lines(chars, in_reading_order=False))


def text_lines(chars: list[Char], in_reading_order: bool = True) -> list[tuple[float, float, str]]:
    """Visual lines (top, bottom, text) as pdfplumber gives them: characters clustered by top (each within 3 pt
    of the one above) and ordered by x; a blank, a step back, a jump of over 3 pt in top or a gap of over 3 pt
    starts a word; words joined by one space. The words of one such line are then clustered by their own tops:
    a page's lines (`extract_text_lines`) take each run of words of one cluster, left to right, as a line; a
    cell's text (`extract_text`, `in_reading_order=False`) takes each cluster as a line."""
    lines: list[tuple[float, float, str]] = []
    for cluster in _clusters(sorted(chars, key=_TOP), _TOP):
        cluster.sort(key=_X0)
        words = _words(cluster)
        if len(words) < 2:  # most cells: one word, one line
            lines.extend(words)
            continue
        tops = [top for top, _, _ in words]
        cluster_of = {top: n for n, group in enumerate(_clusters(sorted(set(tops)), float)) for top in group}
        ids = [cluster_of[top] for top in tops]
        if in_reading_order:
            runs: list[list[int]] = []
            for i, cid in enumerate(ids):
                if runs and ids[runs[-1][-1]] == cid:
                    runs[-1].append(i)
                else:
                    runs.append([i])
        else:
            runs = [[i for i in range(len(words)) if ids[i] == cid] for cid in sorted(set(ids))]
        for run in runs:
            lines.append((min(words[i][0] for i in run), max(words[i][1] for i in run),
                          " ".join(words[i][2] for i in run)))
    return lines


def _words(line: list[Char]) -> list[tuple[float, float, str]]:
    """The words (top, bottom, text) of one visual line's characters, ordered by x: a blank, a step back, a jump
    of over 3 pt in top or a gap of over 3 pt after the previous character starts a word. Each word's extent is
    kept as it grows (no pass over its characters again)."""
    words: list[tuple[float, float, str]] = []
    texts: list[str] = []
    top = bottom = 0.0
    last = line[0]
    for ch in line:
        if ch.text.isspace():
            if texts:
                words.append((top, bottom, "".join(texts)))
                texts = []
            continue
        if texts and (ch.x0 < last.x0 or ch.x0 > last.x1 + _TOLERANCE or abs(ch.top - last.top) > _TOLERANCE):
            words.append((top, bottom, "".join(texts)))
            texts = []
        if texts:
            top, bottom = min(top, ch.top), max(bottom, ch.bottom)
        else:
            top, bottom = ch.top, ch.bottom
        texts.append(ch.text)
        last = ch
    if texts:
        words.append((top, bottom, "".join(texts)))
    return words


def _clusters(items: list, key) -> list[list]:
    """Items sorted by `key` in chains whose neighbours lie within the tolerance (pdfplumber's `cluster_list`)."""
    clusters: list[list] = []
    for item in items:
        if clusters and key(item) <= key(clusters[-1][-1]) + _TOLERANCE:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    return clusters
