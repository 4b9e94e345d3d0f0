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
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain, compress, pairwise, repeat
from operator import add, gt, itemgetter, mul, sub, truediv
from typing import NamedTuple

_TOLERANCE = 3.0  # pdfplumber's x/y tolerance for text and its snap/join/intersection tolerance for edges
_EDGE_MIN_LENGTH = 3.0  # pdfplumber's edge_min_length (after merging); 1 before (edge_min_length_prefilter)
_MARGIN = 1e-6  # points: far above float rounding on a page's coordinates, far below any distance that matters


# A character: (text, x0, x1, top, bottom). A tuple, built by zip over the page's columns (pages hold thousands).
Char = tuple[str, float, float, float, float]
_X0, _TOP, _TEXT_TOP_X0 = itemgetter(1), itemgetter(3), itemgetter(0, 3, 1)
_BOX = itemgetter("x0", "top", "x1", "bottom")  # an edge's box: edges are told apart by it
_BLANK = re.compile(r"\s")  # str.isspace's characters, one by one


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
    if chars is None or drawn_twice(map(_TEXT_TOP_X0, chars)):
        return None  # fake bold (glyphs drawn twice, a little apart) pdfium keeps: pdfplumber's dedupe_chars reads it
    return PageLayout(chars, edges)


def drawn_twice(chars: Iterable[tuple[Hashable, float, float]], tolerance: float = 1) -> bool:
    """Whether two characters of one key (text, or text with font and size) lie within `tolerance` in top and in
    x0, both chained as pdfplumber's `dedupe_chars` clusters them: glyphs drawn twice (fake bold). Linear, where
    `dedupe_chars` is quadratic (it restores the order with list.index per char)."""
    groups: defaultdict[Hashable, list[tuple[float, float]]] = defaultdict(list)
    for key, top, x0 in chars:
        groups[key].append((top, x0))
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
    font's ascent, higher in Latin fonts, which would pull a label's line up to the figures beside it).

    pdfium is asked once per character, by `map` over the page (no Python loop per character: a table page has
    ~800), its boxes written into one array; the characters are then assembled column by column."""
    total = pdfium_c.FPDFText_CountChars(raw_textpage)
    if total != len(text):
        return None  # characters outside the BMP: text indexes and character indexes part
    calls = _calls(pdfium_c)
    text_object, loose_box, is_generated = calls.text_object, calls.loose_box, calls.is_generated
    page = ctypes.cast(raw_textpage, ctypes.c_void_p).value
    # pdfium's line breaks, and spaces it inferred from gaps (pdfplumber infers its own), are left out
    keep = bytearray(b"\1") * total
    for blank in _BLANK.finditer(text):
        if blank.group() in "\r\n" or is_generated(page, blank.start()):
            keep[blank.start()] = 0
    kept = list(compress(range(total), keep))
    if not kept:
        return []
    objects = list(map(text_object, repeat(page), kept))
    sizes = _font_sizes(set(objects), pdfium_c)  # characters of one text object share its font size
    if None in sizes.values():
        return None  # rotated, skewed or mirrored text: pdfplumber reads it in another direction
    boxes = array("f", bytes(16 * len(kept)))  # FS_RECTF: left, top, right, bottom
    start = boxes.buffer_info()[0]
    deque(map(loose_box, repeat(page), kept, range(start, start + 16 * len(kept), 16)), maxlen=0)
    values = boxes.tolist()
    lefts, tops, rights, bottoms = values[0::4], values[1::4], values[2::4], values[3::4]
    char_sizes = list(map(sizes.__getitem__, objects))
    downs = list(map(sub, repeat(height), bottoms))  # top-down coordinates
    chars = list(zip(itemgetter(*kept)(text), lefts, rights,
                     map(sub, downs, char_sizes), downs, strict=True))
    heights = list(map(sub, tops, bottoms))
    if max(heights) <= 1.5 * min(sizes.values()):
        return chars  # no loose box taller than its font size allows (every page but a few)
    for n in compress(range(len(kept)), map(gt, heights, map(mul, repeat(1.5), char_sizes))):
        # pdfium's loose box of a vertical-writing CID font ignores the text matrix (a 10 pt character
        # gets a 199 pt box, on a real report's merged cell): the glyph box stands in
        left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDFText_GetCharBox(raw_textpage, kept[n], left, right, bottom, top)
        chars[n] = (chars[n][0], left.value, right.value, height - top.value, height - bottom.value)
    return chars


def _plain(function, result, *arguments):
    """A pdfium function taking and giving plain integers and addresses: ctypes converts nothing per call, and
    `map` can drive it over a page's characters or objects without a Python loop."""
    return ctypes.CFUNCTYPE(result, *arguments)(ctypes.cast(function, ctypes.c_void_p).value)


def _font_sizes(addresses: Iterable[int | None], pdfium_c) -> dict[int | None, float | None]:
    """The font size of each text object on the page (pdfminer's character height), None unless upright."""
    calls = _calls(pdfium_c)
    get_matrix, get_size = calls.get_matrix, calls.font_size
    values = array("f", bytes(28))  # FS_MATRIX (a, b, c, d, e, f), then the font size
    matrix = values.buffer_info()[0]
    sizes: dict[int | None, float | None] = {}
    for address in addresses:
        if not address or not get_matrix(address, matrix) or not get_size(address, matrix + 24):
            sizes[address] = None
            continue
        a, b, c, d, _, _, size = values
        sizes[address] = None if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0 else size * d
    return sizes


def _edges(raw_page, height: float, pdfium_c) -> list[dict] | None:
    """Horizontal and vertical edges as pdfplumber makes them from pdfminer's paths: every painted subpath's
    consecutive points (the close operator back to its start); None when a page draws what pdfminer would turn
    into something else (curves, a slanted two-point line pdfplumber takes for a vertical edge, form XObjects
    whose paths pdfium keeps in their own coordinates)."""
    calls = _calls(pdfium_c)
    get_matrix, count_segments, get_segment = calls.get_matrix, calls.count_segments, calls.get_segment
    segment_type, get_point, get_close = calls.segment_type, calls.get_point, calls.get_close
    objects, kinds = page_objects(raw_page, pdfium_c)
    if pdfium_c.FPDF_PAGEOBJ_FORM in kinds:
        return None
    # every path's matrix and segments (type, point, close), each asked for by one map over the page
    paths = list(compress(objects, map(pdfium_c.FPDF_PAGEOBJ_PATH.__eq__, kinds)))
    counts = [max(count, 0) for count in map(count_segments, paths)]
    segments = list(map(get_segment, chain.from_iterable(map(repeat, paths, counts)),
                        chain.from_iterable(map(range, counts))))
    types = list(map(segment_type, segments))
    if pdfium_c.FPDF_SEGMENT_BEZIERTO in types:
        return None
    matrices = array("f", bytes(24 * len(paths)))  # FS_MATRIX (a, b, c, d, e, f) of each path
    start = matrices.buffer_info()[0]
    deque(map(get_matrix, paths, range(start, start + 24 * len(paths), 24)), maxlen=0)
    coordinates = array("f", bytes(8 * len(segments)))  # each segment's x and y
    start = coordinates.buffer_info()[0]
    deque(map(get_point, segments, range(start, start + 8 * len(segments), 8),
              range(start + 4, start + 8 * len(segments), 8)), maxlen=0)
    values, xy, closing = matrices.tolist(), coordinates.tolist(), list(map(get_close, segments))
    edges: list[dict] = []
    first = 0
    for number, count in enumerate(counts):
        a, b, c, d, e, f = values[6 * number : 6 * number + 6]
        last = first + count
        subpaths: list[list[tuple[float, float]]] = []
        for kind, x, y, closes in zip(types[first:last], xy[2 * first : 2 * last : 2], xy[2 * first + 1 : 2 * last : 2],
                                      closing[first:last], strict=True):
            point = (a * x + c * y + e, height - (b * x + d * y + f))
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([point])
            else:
                subpaths[-1].append(point)
            if closes:
                subpaths[-1].append(subpaths[-1][0])
        first = last
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


def page_objects(raw_page, pdfium_c) -> tuple[list[int], list[int]]:
    """The addresses and types of a page's own objects (form XObjects' not looked into)."""
    calls = _calls(pdfium_c)
    get_object, get_type = calls.get_object, calls.get_type
    page = ctypes.cast(raw_page, ctypes.c_void_p).value
    objects = list(map(get_object, repeat(page), range(pdfium_c.FPDFPage_CountObjects(raw_page))))
    return objects, list(map(get_type, objects))


class _Calls(NamedTuple):
    """The pdfium calls the layout makes per character, object and path segment, on plain integers and addresses
    (`_plain`): a text object comes back as its address (ctypes' typed pointers cannot be compared or hashed by
    address), and nothing is converted per call."""

    text_object: Callable
    loose_box: Callable
    is_generated: Callable
    font_size: Callable
    get_object: Callable
    get_type: Callable
    get_matrix: Callable
    count_segments: Callable
    get_segment: Callable
    segment_type: Callable
    get_point: Callable
    get_close: Callable


@cache
def _calls(pdfium_c) -> _Calls:
    address, number = ctypes.c_void_p, ctypes.c_int
    return _Calls(
        text_object=_plain(pdfium_c.FPDFText_GetTextObject, address, address, number),
        loose_box=_plain(pdfium_c.FPDFText_GetLooseCharBox, number, address, number, address),
        is_generated=_plain(pdfium_c.FPDFText_IsGenerated, number, address, number),
        font_size=_plain(pdfium_c.FPDFTextObj_GetFontSize, number, address, address),
        get_object=_plain(pdfium_c.FPDFPage_GetObject, address, address, number),
        get_type=_plain(pdfium_c.FPDFPageObj_GetType, number, address),
        get_matrix=_plain(pdfium_c.FPDFPageObj_GetMatrix, number, address, address),
        count_segments=_plain(pdfium_c.FPDFPath_CountSegments, number, address),
        get_segment=_plain(pdfium_c.FPDFPath_GetPathSegment, address, address, number),
        segment_type=_plain(pdfium_c.FPDFPathSegment_GetType, number, address),
        get_point=_plain(pdfium_c.FPDFPathSegment_GetPoint, number, address, address, address),
        get_close=_plain(pdfium_c.FPDFPathSegment_GetClose, number, address),
    )


def ruled_tables(layout: PageLayout) -> list[RuledTable]:
    """The tables pdfplumber's line strategy finds (its default settings), with pdfplumber's cell text."""
    from pdfplumber.table import Table, merge_edges

    if not layout.edges:
        return []
    edges = merge_edges(layout.edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE)
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= _EDGE_MIN_LENGTH]
    cells = intersections_to_cells(edges_to_intersections(edges, _TOLERANCE))
    tables = [Table(None, group) for group in cells_to_tables(cells)]
    if not tables:
        return []
    # every character's middle; their order by height, in which a row takes its band by bisection
    _, x0s, x1s, tops, bottoms = zip(*layout.chars, strict=True) if layout.chars else ((),) * 5
    xs = list(map(truediv, map(add, x0s, x1s), repeat(2)))
    ys = list(map(truediv, map(add, tops, bottoms), repeat(2)))
    by_height = sorted(range(len(ys)), key=ys.__getitem__)
    middles = _Middles(xs, ys, by_height, [ys[i] for i in by_height])
    return [RuledTable(table.bbox, _cell_texts(table, layout.chars, middles)) for table in tables]


class _Middles(NamedTuple):
    xs: list[float]  # each character's middle
    ys: list[float]
    by_height: list[int]  # the characters in the order of their ys
    heights: list[float]  # their ys in that order


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
    vertical = {pt: set(map(_BOX, intersections[pt]["v"])) for pt in points}
    horizontal = {pt: set(map(_BOX, intersections[pt]["h"])) for pt in points}
    by_x: defaultdict[float, list[tuple[float, float]]] = defaultdict(list)
    by_y: defaultdict[float, list[tuple[float, float]]] = defaultdict(list)
    places = []  # each point's place in its column and in its row
    for pt in points:  # sorted by x, then y: each list is in the order pdfplumber meets its points
        column, row = by_x[pt[0]], by_y[pt[1]]
        places.append((len(column), len(row)))
        column.append(pt)
        row.append(pt)
    cells = []
    for pt, (in_column, in_row) in zip(points, places, strict=True):
        column, row = by_x[pt[0]], by_y[pt[1]]
        if column[-1] == pt or row[-1] == pt:
            continue  # the last point of its column or of its row: no cell has it as its top left corner
        below = column[in_column + 1 :]
        right = row[in_row + 1 :]
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


def _cell_texts(table, chars: list[Char], middles: _Middles) -> list[list[str | None]]:
    """pdfplumber's `Table.extract()`: a character belongs to the cell holding its middle."""
    xs, ys, by_height, heights = middles
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = sorted(i for i in by_height[bisect_left(heights, top) : bisect_left(heights, bottom)]
                      if x0 <= xs[i] < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            left, upper, right, lower = cell
            cells.append(_cell_text([chars[i] for i in band if left <= xs[i] < right and upper <= ys[i] < lower]))
        rows.append(cells)
    return rows


def _cell_text(chars: list[Char]) -> str:
    """A cell's text (`extract_text`): its lines joined by line breaks."""
    if len(chars) < 2:  # half the cells of a statistics table: blank, or one digit
        return chars[0][0] if chars and not chars[0][0].isspace() else ""
    if len(set(map(_TOP, chars))) == 1:
        # most other cells: one line, whose words all have its top (one cluster), so text_lines joins them all
        return " ".join(text for _, _, text in _words(sorted(chars, key=_X0)))
    return "\n".join(text for _, _, text in text_lines(chars, in_reading_order=False))


def text_lines(chars: list[Char], in_reading_order: bool = True) -> list[tuple[float, float, str]]:
    """Visual lines (top, bottom, text) as pdfplumber gives them: characters clustered by top (each within 3 pt
    of the one above) and ordered by x; a blank, a step back, a jump of over 3 pt in top or a gap of over 3 pt
    starts a word; words joined by one space. The words of one such line are then clustered by their own tops:
    a page's lines (`extract_text_lines`) take each run of words of one cluster, left to right, as a line; a
    cell's text (`extract_text`, `in_reading_order=False`) takes each cluster as a line."""
    lines: list[tuple[float, float, str]] = []
    ordered = sorted(chars, key=_TOP)
    for cluster in _clusters(ordered, list(map(_TOP, ordered))):
        cluster.sort(key=_X0)
        words = _words(cluster)
        if len(words) < 2:  # most cells: one word, one line
            lines.extend(words)
            continue
        tops = [top for top, _, _ in words]
        distinct = sorted(set(tops))
        cluster_of = {top: n for n, group in enumerate(_clusters(distinct, distinct)) for top in group}
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
    top = bottom = last_x0 = last_x1 = last_top = 0.0  # the last ones are read only once a word has begun
    for text, x0, x1, char_top, char_bottom in line:
        if text.isspace():
            if texts:
                words.append((top, bottom, "".join(texts)))
                texts = []
            continue
        if texts and (x0 < last_x0 or x0 > last_x1 + _TOLERANCE or abs(char_top - last_top) > _TOLERANCE):
            words.append((top, bottom, "".join(texts)))
            texts = []
        if texts:  # min and max, without their calls
            if char_top < top:
                top = char_top
            if char_bottom > bottom:
                bottom = char_bottom
        else:
            top, bottom = char_top, char_bottom
        texts.append(text)
        last_x0, last_x1, last_top = x0, x1, char_top
    if texts:
        words.append((top, bottom, "".join(texts)))
    return words


def _clusters(items: list, keys: list[float]) -> list[list]:
    """Items sorted by their `keys` in chains whose neighbours lie within the tolerance (pdfplumber's
    `cluster_list`)."""
    clusters: list[list] = []
    current: list = []
    last = 0.0
    for item, key in zip(items, keys, strict=True):
        if clusters and key <= last + _TOLERANCE:
            current.append(item)
        else:
            current = [item]
            clusters.append(current)
        last = key
    return clusters
