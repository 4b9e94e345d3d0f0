"""PDF reports: pypdfium2 for every page's text and the ruled tables' layout, pdfplumber only where pdfium's cannot
stand in.

Measured here (EXTRACTION.md): pypdfium2 text ≈ 2 ms/page, pdfplumber text + tables ≈ 60–95 ms/page, so a cheap
keyword triage decides which pages are table pages; a ruled one is read from pdfium's characters and path objects
(pdf_layout.py: pdfplumber's line strategy without pdfminer), a borderless one from pdfium's text lines
(pdf_lines.py). pdfplumber's pages are closed one by one (it keeps every parsed page otherwise).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace

from ingestion.document import Block, BlockKind, Document, UnreadableDocument
from ingestion.limits import ReadLimits
from ingestion.readers.cells import clean_cell
from ingestion.readers.pdf_layout import (
    PageLayout,
    RuledTable,
    drawn_twice,
    page_layout,
    page_objects,
    ruled_tables,
    text_lines,
)
from ingestion.readers.pdf_lines import row_from_line, rows_from_lines
from ingestion.readers.pdf_pages import page_handles

# Words that appear on a statistics-table page of any template.
_TABLE_WORDS = (
    "统计指标", "统计数", "计量单位", "申请人情况", "本年新收", "信息内容", "第二十条", "行政复议", "本年制发",
    "勾稽关系",
)
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d+\s*页?)?[\s\-—–－·]*$")
_CID = re.compile(r"\(cid:\d+\)")
_FIGURES_LINE = re.compile(r"[\d\s.,，]+")  # a line of bare figures: table cells as pdfium gives them
_CJK_RUN = re.compile("[\u4e00-\u9fff]+")  # counted by runs: a page of ~2,000 characters has a few hundred


@dataclass
class _Item:
    top: float
    blocks: list[Block]


def _cjk_share(text: str) -> float:
    letters = len("".join(text.split()))  # str.split's whitespace is str.isspace
    if not letters:
        return 0.0
    return sum(map(len, _CJK_RUN.findall(text))) / letters


def _text_is_usable(text: str) -> bool:
    """Text a person could read: not (cid:N) junk, and Chinese where a Chinese report is expected."""
    if len(_CID.findall(text)) > 5:
        return False
    return len(text.strip()) < 40 or _cjk_share(text) > 0.2


def _is_running_text(line: str) -> bool:
    """A line of a paragraph: as wide as the page, or the end of a sentence. Table cells are short."""
    return len(line) >= 30 or line.endswith(("。", "；", ";"))


def _looks_like_table_page(text: str) -> bool:
    """Cheap triage on pdfium text: table keywords in a line that is not running text (prose talks about
    统计数据 and 行政复议 too), or several 'label [unit] number' lines (a table continued from the
    previous page carries no keywords)."""
    lines = [line.strip() for line in text.split("\n")]
    if any(word in text for word in _TABLE_WORDS) and any(  # most prose pages print none of the words
        word in line for line in lines if not _is_running_text(line) for word in _TABLE_WORDS
    ):
        return True
    rows = numbers = 0
    for line in lines:
        if _FIGURES_LINE.fullmatch(line):
            numbers += 1  # table cells drawn one by one come out of pdfium as lines of bare numbers
        elif row_from_line(line, "") is not None:
            rows += 1
        if rows >= 4 or numbers >= 6:
            return True
    return False


def _bare_figures(text: str) -> int:
    """Figures standing on lines of their own (table cells as pdfium gives them), page numbers aside."""
    count = 0
    for line in text.split("\n"):
        line = line.strip()
        if line and _FIGURES_LINE.fullmatch(line) and not _PAGE_NUMBER.match(line):
            count += len(re.findall(r"\d+(?:\.\d+)?", line))
    return count


def _has_wide_rows(text: str) -> bool:
    wide = 0
    for line in text.split("\n"):
        tokens = line.split()
        trailing = 0
        while trailing < len(tokens) and re.fullmatch(r"[\d.,]+", tokens[-1 - trailing]):
            trailing += 1
        wide += trailing >= 5
    return wide >= 3


def _is_prose_row(row: list[str]) -> bool:
    text = "".join(row)
    if not re.search(r"[，。；,;]", text) or re.search(r"\s\d+$", " ".join(row)):
        return False
    return len(text) > 24 or sum(1 for cell in row if cell) == 1


def _prose_blocks(lines: list[str], page_number: int) -> list[Block]:
    blocks = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or _PAGE_NUMBER.match(line):
            continue
        blocks.append(Block("prose", (line,), f"page {page_number}, line {number}"))
    return blocks


def _open_pdfium(data: bytes):
    import pypdfium2 as pdfium

    from ingestion.readers.fonts import use_metric_fonts

    use_metric_fonts()  # the same glyph boxes on every host (see fonts.py)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message:
            raise UnreadableDocument("PDF is encrypted with a password") from None
        raise UnreadableDocument(f"corrupt PDF: {error}") from None


def _has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _has_paths(page) -> bool:
    """Whether the page draws any line, rectangle or curve (pdfplumber's table edges come from these), inside form
    XObjects too. The page's own objects are looked at through plain pdfium calls (no wrapper object each)."""
    import pypdfium2.raw as pdfium_c

    _, kinds = page_objects(page.raw, pdfium_c)
    if pdfium_c.FPDF_PAGEOBJ_PATH in kinds:
        return True
    return pdfium_c.FPDF_PAGEOBJ_FORM in kinds and any(
        True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=15)
    )


def _reads_as_text_lines(pdfium_text: str, usable: bool) -> bool:
    """Whether pdfium's text of a page without edges can stand for its table: readable text (`usable`: the text's
    `_text_is_usable`; else pdfminer may still decode the fonts, see _read_page)."""
    return usable and bool(pdfium_text.strip())


def _is_header_repeat(row: list[str], header_rows: list[list[str]]) -> bool:
    return any(row == header for header in header_rows)


def read_pdf(data: bytes, limits: ReadLimits | None = None) -> Document:
    import time

    started = time.monotonic()
    limits = limits or ReadLimits()
    pdf = _open_pdfium(data)
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise UnreadableDocument("PDF has no pages")
        if page_count > limits.max_pages:
            raise UnreadableDocument(f"over the page limit: {page_count} pages > {limits.max_pages}")
        texts: list[str] = []
        usable: list[bool] = []  # each page's _text_is_usable, asked once (it counts every character)
        scanned: list[int] = []
        table_pages: list[int] = []
        unruled: set[int] = set()  # table pages without a single path object: no ruling lines
        layouts: dict[int, PageLayout | None] = {}  # ruled table pages: characters and ruling lines from pdfium
        for index in range(page_count):
            with page_handles(pdf, index) as (page, textpage):
                raw_text = textpage.get_text_range()  # one character per pdfium character index
                text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
                usable.append(_text_is_usable(text))
                if len(text.strip()) < 5 and _has_images(page):
                    scanned.append(index + 1)
                table_like = _looks_like_table_page(text)
                if table_like or _bare_figures(text) >= 5:
                    # a page of figures is a table even when its header cells wrap every keyword apart
                    # (行政 / 复议 in narrow columns) and its figures come out of pdfium a few to a line
                    table_pages.append(index)
                    if not _has_paths(page):
                        unruled.add(index)
                    elif _reads_as_text_lines(text, usable[index]):
                        layouts[index] = page_layout(page, textpage, raw_text)
                texts.append(text)
    finally:
        pdf.close()
    notes: list[str] = []
    problems: list[tuple[str, str, str]] = []
    # Pages read by OCR: scans (no text layer), and pages whose fonts decode to junk that no table reader takes.
    ocr_wanted = sorted(
        {p - 1 for p in scanned}
        | {i for i, text in enumerate(texts) if text.strip() and not usable[i] and i not in table_pages}
    )
    items_by_page: dict[int, list[_Item]] = {}
    # A table page without a single ruling line is read from pdfium's text lines: pdfium gives each visual row
    # with its figures in order, where pdfplumber's text strategy guesses columns (and cuts wrapped header
    # cells and labels apart); pdfminer need not interpret the page at all.
    for index in [i for i in table_pages if i in unruled and _reads_as_text_lines(texts[i], usable[i])]:
        items_by_page[index] = [_Item(0, _fallback_rows(texts[index], index + 1))]
    table_pages = [i for i in table_pages if i not in items_by_page]
    if table_pages:
        items_by_page |= _read_table_pages(data, table_pages, texts, layouts, notes)
    ocr = _OcrRun()
    if ocr_wanted:
        last_table = max((b.table or 0 for items in items_by_page.values() for i in items for b in i.blocks), default=0)
        ocr = _read_by_ocr(data, ocr_wanted, limits, started, last_table)
        items_by_page |= ocr.items
        notes.extend(ocr.notes)
        problems.extend(ocr.problems)
        if not ocr.items and len(scanned) == page_count:
            raise UnreadableDocument(
                f"scanned PDF without a text layer ({page_count} pages); {ocr.reason or 'OCR read nothing'}"
            )
    blocks: list[Block] = []
    for index, text in enumerate(texts):
        if index in items_by_page:
            for item in sorted(items_by_page[index], key=lambda item: item.top):
                blocks.extend(item.blocks)
        elif index + 1 in scanned:
            continue  # said in a finding: the page was not read by OCR, and why
        elif usable[index]:
            blocks.extend(_prose_blocks(text.split("\n"), index + 1))
        elif index not in ocr_wanted:
            notes.append(f"page {index + 1}: fonts do not decode to readable text; its figures are not used")
    if not any(block.text.strip() for block in blocks):
        raise UnreadableDocument("PDF has no readable text (fonts without a usable text encoding)")
    document = Document(blocks, "pdf", pages=page_count, notes=notes, problems=problems)
    document.ocr_pages, document.ocr_seconds = len(ocr.items), round(ocr.seconds, 3)
    return _merge_continued_tables(document)


OCR_SECONDS_PER_PAGE = 10.0  # a report page on a busy 2-core machine (benchmarks: ocr_seconds_per_page)


@dataclass
class _OcrRun:
    items: dict[int, list[_Item]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    reason: str | None = None  # why no page could be read


def _largest_image(page) -> int:
    """Pixels of the largest image drawn on the page, from the image headers (nothing is decoded)."""
    import pypdfium2.raw as pdfium_c

    largest = 0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            width, height = image.get_px_size()
        except Exception:
            continue
        largest = max(largest, width * height)
    return largest


def _read_by_ocr(data: bytes, indexes: list[int], limits: ReadLimits, started: float, table_number: int) -> _OcrRun:
    """Pages without a usable text layer, rendered and recognised (ingestion.readers.ocr), within the limits:
    at most `limits.ocr_pages` pages, no embedded image over `limits.max_image_pixels` decoded, page images of
    at most `limits.max_page_pixels`, and no page begun that would not end within the document's time limit."""
    import time

    from ingestion.readers import ocr

    run = _OcrRun()
    reason = ocr.available()
    if reason is not None:
        run.reason = reason
        for index in indexes:
            run.problems.append(
                ("page_not_read", "soft", f"page {index + 1}: no usable text layer and no OCR: {reason}")
            )
        return run
    # Each page to read is granted `ocr_seconds_per_page` beyond the document's time limit (the worker's parent is
    # told); a page is begun only when it can end within that (the worker is killed there): the expected cost is
    # what the pages so far took, and before the first one a page of a busy 2-core machine.
    from ingestion import limits as limits_module

    extra = min(len(indexes), limits.ocr_pages) * limits.ocr_seconds_per_page
    limits_module.request_time(extra)
    budget = (limits.timeout_seconds + extra) * 0.9
    expected = OCR_SECONDS_PER_PAGE
    done = 0
    pdf = _open_pdfium(data)
    try:
        for count, index in enumerate(indexes):
            number = index + 1
            if count >= limits.ocr_pages:
                run.problems.append(("page_not_read", "soft",
                                     f"page {number}: not read by OCR (over the limit of {limits.ocr_pages} pages)"))
                continue
            elapsed = time.monotonic() - started
            if elapsed + expected > budget:
                run.problems.append(("page_not_read", "soft",
                                     f"page {number}: not read by OCR (about {expected:.0f} s a page would pass the "
                                     f"document's time limit of {limits.timeout_seconds + extra:g} s)"))
                continue
            began = time.monotonic()
            page = pdf[index]
            try:
                largest = _largest_image(page)
                if largest > limits.max_image_pixels:
                    run.problems.append(("page_not_read", "soft",
                                         f"page {number}: not read by OCR (its image of {largest / 1e6:.0f} megapixels "
                                         f"is over the limit of {limits.max_image_pixels / 1e6:.0f})"))
                    continue
                width, height = page.get_size()
                scale = ocr.page_pixels(width, height, limits.ocr_dpi, limits.max_page_pixels)
                bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
                import numpy as np

                gray = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
                bitmap.close()
                if gray.ndim == 3:
                    gray = gray[..., 0]
            finally:
                page.close()
            recognised = ocr.recognise(gray)
            if recognised.words:
                label = f"page {number} (OCR)"
                reading, table_number = ocr.read_page(recognised, label, table_number)
                run.items[index] = _ocr_items(reading, recognised, label, number)
                run.notes.append(
                    f"page {number}: read by OCR ({len(recognised.words)} boxes, turned {recognised.angle:+.2f}°, "
                    f"{time.monotonic() - began:.1f} s)"
                )
            else:
                run.problems.append(("page_not_read", "info", f"page {number}: OCR found no text on the page image"))
            run.seconds += time.monotonic() - began
            done += 1
            expected = run.seconds / done
    finally:
        pdf.close()
    if not run.items:
        run.reason = run.problems[0][2] if run.problems else "OCR found no text"
    return run


def _ocr_items(reading, page, label: str, page_number: int) -> list[_Item]:
    """An OCR'd page as items: its ruled tables' rows, and the lines outside them read like pdfium's text lines
    (a borderless table by the line reader, in the order pdfium gives one; else prose), each line's confidence the
    lowest of its boxes."""
    from ingestion.readers.ocr import attach_line_confidence, line_text, table_lines

    items = [_Item(top, blocks) for top, blocks in reading.tables]
    lines = reading.lines
    if not lines:
        return items
    text = "\n".join(line_text(line) for line in lines)
    if _looks_like_table_page(text) or _bare_figures(text) >= 5:
        lines = table_lines(page, lines)
        text = "\n".join(line_text(line) for line in lines)
        blocks = attach_line_confidence(_fallback_rows(text, page_number, label), lines)
    else:
        blocks = [
            Block("prose", (line_text(line),), f"{label}, line {n}", confidence=(min(w.score for w in line),))
            for n, line in enumerate(lines, start=1)
            if line_text(line).strip() and not _PAGE_NUMBER.match(line_text(line).strip())
        ]
    tops = [min(word.top for word in line) for line in lines]
    for block in blocks:
        match = re.search(r"line (\d+)$", block.locator)
        top = tops[int(match.group(1)) - 1] if match else 0.0
        items.append(_Item(top, [block]))
    return items


def _read_table_pages(
    data: bytes, indexes: list[int], pdfium_texts: list[str], layouts: dict[int, PageLayout | None], notes: list[str]
) -> dict[int, list[_Item]]:
    """Ruled table pages, in page order (tables are numbered through the document): from pdfium's layout where
    there is one and it holds a ruled table, else by pdfplumber, opened only when a page needs it."""
    items: dict[int, list[_Item]] = {}
    table_number = 0
    plumber = _Pdfplumber(data, notes)
    try:
        for index in indexes:
            layout = layouts.get(index)
            read = _read_layout_page(layout, index + 1, table_number, pdfium_texts[index]) if layout else None
            if read is None:
                read = plumber.read_page(index, table_number, pdfium_texts[index])
            items[index], table_number = read
    finally:
        plumber.close()
    return items


class _Pdfplumber:
    """pdfplumber on the pages pdfium's layout cannot read: opened on the first such page, each page closed after
    use (pdfplumber keeps every parsed page otherwise)."""

    def __init__(self, data: bytes, notes: list[str]) -> None:
        self.data, self.notes = data, notes
        self.pdf = None
        self.failed = False

    def read_page(self, index: int, table_number: int, pdfium_text: str) -> tuple[list[_Item], int]:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfplumber.utils.exceptions import PdfminerException

        fallback = [_Item(0, _fallback_rows(pdfium_text, index + 1))], table_number
        if self.pdf is None and not self.failed:
            try:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            except (PdfminerException, PDFSyntaxError) as error:
                cause = error.args[0] if error.args else error
                self.notes.append(
                    f"pdfplumber could not open the file ({type(cause).__name__}); tables read from text lines"
                )
                self.failed = True
        if self.pdf is None:
            return fallback
        try:
            page = self.pdf.pages[index]
        except Exception:
            return fallback
        try:
            return _read_page(page, index + 1, table_number, pdfium_text, self.notes)
        except Exception as error:
            self.notes.append(f"page {index + 1}: table extraction failed ({type(error).__name__}); text lines used")
            return fallback
        finally:
            page.close()

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _fallback_rows(text: str, page_number: int, label: str | None = None) -> list[Block]:
    """Every line as a statistics row where it looks like one (wrapped labels joined), else as prose.
    Locators start with `label` ('page 3 (OCR)'), by default 'page N'."""
    label = label or f"page {page_number}"
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i in filled[:1] + filled[-1:]:  # a page number heads or ends the page; a lone figure elsewhere is a cell
        if _PAGE_NUMBER.match(lines[i].strip()):
            lines[i] = ""
    rows = rows_from_lines(lines, lambda number: f"{label}, line {number}")
    # cells recovered from a line's words: a blank cell left no trace
    return [replace(block, exact=False) if block.kind == BlockKind.ROW else block for block in rows]


def _has_duplicate_chars(chars: list[dict]) -> bool:
    """Whether pdfplumber's `dedupe_chars` would drop any char (its defaults: tolerance 1, same font and size)."""
    return drawn_twice(
        ((char["upright"], char["text"], char["fontname"], char["size"]), char["doctop"], char["x0"]) for char in chars
    )


def _read_layout_page(
    layout: PageLayout, page_number: int, table_number: int, pdfium_text: str
) -> tuple[list[_Item], int] | None:
    """A ruled page from pdfium's characters and path objects, as `_read_page` reads it with pdfplumber's line
    strategy; None when no ruled table is there (pdfplumber's text strategy then reads the page)."""
    tables = ruled_tables(layout)
    if not tables:
        if _has_wide_rows(pdfium_text):
            return [_Item(0, _fallback_rows(pdfium_text, page_number))], table_number
        return None
    return _table_items(tables, "lines", text_lines(layout.chars), page_number, table_number)


def _read_page(page, page_number: int, table_number: int, pdfium_text: str, notes: list[str]):
    if _has_duplicate_chars(page.chars):
        page = page.dedupe_chars()  # fake bold draws every glyph twice
    plumber_text = page.extract_text() or ""
    if not plumber_text.strip() or not _text_is_usable(plumber_text):
        # pdfminer reads nothing from some embedded CID fonts that pdfium reads fine (pdfminer.six #1072)
        if _text_is_usable(pdfium_text) and pdfium_text.strip():
            notes.append(f"page {page_number}: text re-read with pdfium (pdfminer could not decode its fonts)")
            return [_Item(0, _fallback_rows(pdfium_text, page_number))], table_number
        notes.append(f"page {page_number}: fonts do not decode to readable text; its figures are not used")
        return [], table_number
    tables = page.find_tables()
    strategy = "lines"
    if not tables:
        if _has_wide_rows(pdfium_text):
            # No ruling lines and rows of many figures (the outcome × requester matrix): pdfium's text
            # lines keep each row's figures in order, where pdfplumber's text strategy shifts them
            # between columns.
            return [_Item(0, _fallback_rows(pdfium_text, page_number))], table_number
        tables = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
        strategy = "text"
    found = [RuledTable(table.bbox, _extract(table)) for table in tables]
    lines = [(line["top"], line["bottom"], line["text"]) for line in page.extract_text_lines()]
    items, last_table = _table_items(found, strategy, lines, page_number, table_number)
    if strategy == "text" and last_table == table_number:  # no table taken
        return [_Item(0, _fallback_rows(pdfium_text, page_number))], table_number
    return items, last_table


def _table_items(
    tables: list[RuledTable], strategy: str, lines: list[tuple[float, float, str]], page_number: int,
    table_number: int,
) -> tuple[list[_Item], int]:
    """A page's tables as rows and its text lines (top, bottom, text) outside them as prose, whichever library found
    them; `strategy` is pdfplumber's ('lines': ruled cells, 'text': columns guessed from the words)."""
    items: list[_Item] = []
    boxes = []
    for table in tables:
        rows = [[clean_cell(cell) for cell in row] for row in table.rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            continue
        if max(sum(1 for cell in row if cell) for row in rows) <= 1:
            continue  # a boxed paragraph, not a table: its text comes through as prose
        if strategy == "text" and not any(re.search(r"\d", "".join(row)) for row in rows):
            continue
        table_number += 1
        boxes.append(table.bbox)
        blocks = []
        kind = "table" if strategy == "lines" else "borderless table"  # columns of the latter are a guess
        for r, row in enumerate(rows, start=1):
            locator = f"page {page_number}, {kind} {table_number}, row {r}"
            if strategy == "text" and _is_prose_row(row):
                # the text strategy also cuts running text into "cells": give it back as prose
                blocks.append(Block("prose", ("".join(row),), locator))
            else:
                blocks.append(Block(BlockKind.ROW, tuple(row), locator, table_number, exact=strategy == "lines"))
        items.append(_Item(table.bbox[1], blocks))

    def outside(top: float, bottom: float) -> bool:
        middle = (top + bottom) / 2
        return not any(box[1] - 1 <= middle <= box[3] + 1 for box in boxes)

    for number, (top, bottom, text) in enumerate(lines, start=1):
        text = text.strip()
        if text and outside(top, bottom) and not _PAGE_NUMBER.match(text):
            items.append(_Item(top, [Block("prose", (text,), f"page {page_number}, line {number}")]))
    return items, table_number


def _extract(table) -> list[list[str | None]]:
    """pdfplumber's `Table.extract()`, the same cells from the same chars, with the chars indexed once by
    their vertical middle instead of tested against every row and every cell (quadratic on big tables)."""
    from bisect import bisect_left

    from pdfplumber.utils import extract_text

    chars = table.page.chars
    middles = sorted(((char["top"] + char["bottom"]) / 2, i) for i, char in enumerate(chars))
    keys = [middle for middle, _ in middles]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        in_band = sorted(i for _, i in middles[bisect_left(keys, top) : bisect_left(keys, bottom)])
        row_chars = [chars[i] for i in in_band if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 < x1]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            left, upper, right, lower = cell
            cell_chars = [
                char for char in row_chars
                if left <= (char["x0"] + char["x1"]) / 2 < right and upper <= (char["top"] + char["bottom"]) / 2 < lower
            ]
            cells.append(extract_text(cell_chars) if cell_chars else "")
        rows.append(cells)
    return rows


def _merge_continued_tables(document: Document) -> Document:
    """A table that runs over a page break continues as one table: renumber the continuation and drop
    a repeated header. Only tables separated by nothing but page furniture are joined."""
    blocks = document.blocks
    merged: list[Block] = []
    renumber: dict[int, int] = {}
    header_rows: dict[int, list[list[str]]] = {}
    previous_table: int | None = None
    for block in blocks:
        if block.kind == "row" and block.table is not None:
            table = renumber.get(block.table, block.table)
            if (
                previous_table is not None
                and block.table != previous_table
                and block.table not in renumber
                and merged
                and merged[-1].kind == "row"
                and merged[-1].table == renumber.get(previous_table, previous_table)
                and len(block.cells) == len(merged[-1].cells)
            ):
                renumber[block.table] = renumber.get(previous_table, previous_table)
                table = renumber[block.table]
            if block.table in renumber and _is_header_repeat(list(block.cells), header_rows.get(table, [])):
                continue
            header_rows.setdefault(table, [])
            if len(header_rows[table]) < 3 and block.table == table:
                header_rows[table].append(list(block.cells))
            merged.append(block if block.table == table else replace(block, table=table))
            previous_table = block.table
        else:
            merged.append(block)
            if block.kind == "prose":
                previous_table = None
    document.blocks = merged
    return document
