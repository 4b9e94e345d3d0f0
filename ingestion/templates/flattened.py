"""Statistics tables flattened into one line of text, recovered as table rows.

Text renderings of web pages often put a whole table on one line of space-separated cells:

    指 标 名 称 单位 2014年度 历年累计 主动公开信息数 条 360 805 其中：1.政府网站公开数 条 360 805 …
    信息内容 本年新制作数量 本年新公开数量 对外公开总数量 规章 0 0 0 规范性文件 6 6 6 …
    申请人情况 自然人 法人或其他组织 总计 商业企业 … 一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0 …

A table's header names its value columns; after it, every row is a run of label words, an optional unit and
exactly one figure per value column. The rows come back as row blocks (`exact=False`: the cells were
inferred), so the template readers read them like any other table. A row with fewer figures than columns lost
blank cells and cannot be placed: it is emitted with the figures it has, and the readers report it instead of
guessing which columns were blank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ingestion.catalogue.enums import requester_labels
from ingestion.catalogue.indicators import column_headers
from ingestion.document import Block, BlockKind
from ingestion.printed import ENUMERATED_START, PRINTED_UNITS
from ingestion.templates.gb2019_2021 import item_column_names, split_headers
from ingestion.templates.values import parse_value

# Table 四 of the 2019/2021 forms: its header words, then fifteen figures without a row label.
_TABLE4_WORDS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
                 "复议后起诉")
TABLE4_LABEL = "四、行政复议、行政诉讼"
#: The words a header must hold: the first cell of the items and matrix headers, both groups of table 四.
_ITEMS_FIRST, _MATRIX_FIRST, _TABLE4_GROUPS = "信息内容", "申请人情况", ("行政复议", "行政诉讼")
_PARENTHETICAL = re.compile(r"[(（][^()（）]*[)）]")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_MAX_LABEL_CHARS = 60  # a run of label words longer than this is running text: the table has ended


@dataclass(frozen=True)
class _Header:
    start: int  # character offsets of the header in the text
    end: int
    columns: int  # value columns: figures per row
    unit_column: bool  # single-value forms print a unit column between label and figures
    cells: tuple[str, ...]  # the header as a row block's cells
    kind: str  # form | items | matrix | table4


def _spaced(word: str) -> str:
    """A regex for a word whose characters may be printed apart ('指 标 名 称')."""
    return r"\s*".join(re.escape(ch) for ch in word)


@cache
def _form_header() -> tuple[re.Pattern, re.Pattern]:
    """The header of a single-value table, and the pattern of one value-column header."""
    by_role: dict[str, list[str]] = {}
    for column in column_headers():
        pattern = _spaced(column.header).replace(_spaced("{year}"), r"(?:19|20)\d\d")
        by_role.setdefault(column.role, []).append(pattern)

    def alternatives(role: str) -> str:
        return "(?:" + "|".join(sorted(by_role[role], key=len, reverse=True)) + ")"

    value = alternatives("this_year") + "|" + alternatives("cumulative")
    # a short label-column word ('指标', '项目') must not be the end of another word ('主要指标', '采购项目')
    label = "|".join(
        pattern if len(pattern) > 12 else rf"(?<![\u4e00-\u9fff]){pattern}"
        for pattern in sorted(by_role["label"], key=len, reverse=True)
    )
    return re.compile(
        rf"(?P<label>{label})\s*(?P<unit>{alternatives('unit')}\s*)?"
        rf"(?P<values>(?:(?:{value})\s*)+)"
    ), re.compile(value)


@cache
def _items_header() -> re.Pattern:
    names = "|".join(_spaced(name) for name in item_column_names())
    return re.compile(rf"{_spaced(_ITEMS_FIRST)}\s*(?P<values>(?:(?:{names})\s*(?:[(（][^)）]{{0,12}}[)）])?\s*)+)")


@cache
def _matrix_header() -> re.Pattern:
    words = sorted({*requester_labels().values(), "法人或其他组织"}, key=len, reverse=True)
    return re.compile(rf"{_spaced(_MATRIX_FIRST)}\s*(?P<values>(?:(?:{'|'.join(map(_spaced, words))})\s*)+)")


@cache
def _table4_header() -> re.Pattern:
    words = "|".join(_spaced(word) for word in sorted(_TABLE4_WORDS, key=len, reverse=True))
    return re.compile(rf"(?P<values>(?:(?:{words})\s*){{8,}})")


@cache
def _label_words() -> tuple[str, ...]:
    """The label-column headers' words, one of which every single-value table header holds."""
    return tuple(column.header.split("{year}")[0] for column in column_headers() if column.role == "label")


def _may_hold_header(text: str) -> bool:
    """Whether some table header could be in `text`: each names words that are then in its text with its
    spaces taken out. A cheap test that skips the header searches for nearly every paragraph of prose."""
    compact = "".join(text.split())
    return (
        any(word in compact for word in _label_words())
        or _ITEMS_FIRST in compact
        or _MATRIX_FIRST in compact
        or all(word in compact for word in _TABLE4_GROUPS)
    )


def _headers(text: str, start: int) -> list[_Header]:
    """Every table header in `text` from `start`, earliest first."""
    found: list[_Header] = []
    form, value = _form_header()
    if match := form.search(text, start):
        values = ["".join(v.group(0).split()) for v in value.finditer(match.group("values"))]
        unit = ["".join(match.group("unit").split())] if match.group("unit") else []
        cells = ("".join(match.group("label").split()), *unit, *values)
        found.append(_Header(match.start(), match.end(), len(values), bool(unit), cells, "form"))
    if match := _items_header().search(text, start):
        names = split_headers("".join(match.group("values").split()))
        found.append(_Header(match.start(), match.end(), len(names), False, (_ITEMS_FIRST, *names), "items"))
    if match := _matrix_header().search(text, start):
        words = sorted({*requester_labels().values(), "法人或其他组织"}, key=len, reverse=True)
        cells = (_MATRIX_FIRST, *re.findall("|".join(words), "".join(match.group("values").split())))
        found.append(_Header(match.start(), match.end(), 7, False, cells, "matrix"))
    if match := _table4_header().search(text, start):
        names = "|".join(sorted(_TABLE4_WORDS, key=len, reverse=True))
        words = re.findall(names, "".join(match.group("values").split()))
        if all(word in words for word in _TABLE4_GROUPS):
            found.append(_Header(match.start(), match.end(), 15, False, tuple(words), "table4"))
    return sorted(found, key=lambda header: header.start)


def _is_figure(token: str) -> bool:
    """A cell holding a figure (or a blank marker). Two figures joined by a dash ('1-10': 1 | -1 | 0, or 1 | - | 10)
    count as a figure too, so that the row ends there; the reader cannot place them and reports the row."""
    if re.fullmatch(r"\d+|\d+[-－—]\d+", token) or token in {"是", "否"}:  # 是/否 answers are values too
        return True  # digits, however many: figures run together are still figures
    return parse_value(token).kind in {"number", "blank"} and not token.endswith(("、", ".", "．"))


# Where a glued label holds a section or group and its item ('三、本年度办理结果（一）予以公开').
_INNER_START = re.compile(
    r"(?<=.)(?=[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.、．][\u4e00-\u9fff])"
)


def _label_segments(words: Sequence[str]) -> list[list[str]]:
    """Label words split where an enumerated label starts ('一、…', '（二）…', '3.…', '其中…'): the run
    '一、主动公开情况 （一）主动公开政府信息数' holds a section header and a row label."""
    segments: list[list[str]] = []
    for word in words:
        if not segments or ENUMERATED_START.match(word):
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


@dataclass(frozen=True)
class _Run:
    """One row as the token stream prints it: its label words, then its figures."""

    words: list[str]
    figures: list[str]
    glued: bool  # a figure was cut out of a longer word: its digits may hold several cells
    end: int  # the token after the run


def _next_run(tokens: Sequence[_Token], start: int, columns: int) -> _Run | None:
    """The run of label words and (at most `columns`) figures from `start`, or None where running text begins
    (a sentence, an over-long label) or only words are left (prose after the table, such as 附件下载)."""
    j = start
    while j < len(tokens) and not _is_figure(tokens[j].text):
        j += 1
    words = [token.text for token in tokens[start:j]]
    label_text = _PARENTHETICAL.sub("", "".join(words))  # a note in brackets may hold commas
    if not words or len(label_text) > _MAX_LABEL_CHARS or _SENTENCE.search(label_text):
        return None
    figures_start = j
    while j < len(tokens) and _is_figure(tokens[j].text) and j - figures_start < columns:
        j += 1
    if j == figures_start and j >= len(tokens):
        return None
    figures = tokens[figures_start:j]
    return _Run(words, [t.text for t in figures], any(t.glued for t in figures), j)


def _run_cells(run: _Run, header: _Header) -> list[tuple[list[str], bool]]:
    """The row cells a run holds. A unit inside the run ends a row whose figures were all blank ('主动公开信息数 条
    其中：…'); the last unit belongs to the row with the figures; section headers before a row label become rows
    without figures. The matrix keeps group and item as cells of their own: its reader joins them."""
    pieces: list[list[str]] = [[]]
    for word in run.words:
        pieces[-1].append(word)
        if header.unit_column and word in PRINTED_UNITS:
            pieces.append([])
    if not pieces[-1]:
        pieces.pop()
    rows: list[tuple[list[str], bool]] = []
    for number, piece in enumerate(pieces, start=1):
        last = number == len(pieces)
        figures = run.figures if last else [""] * header.columns
        if header.kind == "matrix":
            parts = [part for segment in _label_segments(piece)
                     for part in _INNER_START.split("".join(segment)) if part]
            rows.append(([*parts, *(run.figures if last else [])], run.glued and last))
            continue
        unit = piece.pop() if header.unit_column and piece and piece[-1] in PRINTED_UNITS else ""
        segments = _label_segments(piece)
        rows.extend((["".join(segment)], False) for segment in segments[:-1])
        label = "".join(segments[-1]) if segments else ""
        rows.append(([label, *([unit] if header.unit_column else []), *figures], run.glued and last))
    return rows


def _rows(tokens: Sequence[_Token], header: _Header, locator: str) -> tuple[list[Block], int]:
    """Rows after a header: (row blocks, number of tokens consumed). Stops at running text.

    Where a row's figures were printed without separators one digit string may hold several of them
    ('条346085376' for 3460 | 85376): the row keeps its digit strings as they are, marked `glued`, for the template
    reader to split where the table allows one way only. Where they were printed apart, fewer figures than
    columns means blank cells were lost, and the row is kept with what it has (the reader reports it)."""
    blocks: list[Block] = []

    def row(cells: Sequence[str], glued: bool) -> None:
        figures = sum(1 for cell in cells if _is_figure(cell))
        blocks.append(Block(BlockKind.ROW, tuple(cells), f"{locator}, flattened table row {len(blocks) + 1}",
                            exact=False, glued=glued and 0 < figures < header.columns))

    if header.kind == "table4":  # fifteen figures, no row label
        run = _next_run([_Token(TABLE4_LABEL, False, -1), *tokens], 0, header.columns)
        if run is None or not run.figures or (len(run.figures) < header.columns and not run.glued):
            return [], 0
        row((TABLE4_LABEL, *run.figures), run.glued)
        return blocks, run.end - 1
    position = 0
    while (run := _next_run(tokens, position, header.columns)) is not None:
        for cells, glued in _run_cells(run, header):
            row(cells, glued)
        position = run.end
    return blocks, position


def _recover(block: Block) -> list[Block] | None:
    """The block split into prose and recovered table rows, or None when it holds no flattened table."""
    text = block.cells[0] if block.cells else ""
    if not _may_hold_header(text):
        return None
    out: list[Block] = []
    position = 0
    found = False
    while True:
        headers = _headers(text, position)
        if not headers:
            break
        header = headers[0]
        following = _headers(text, header.end)
        rest = text[header.end : following[0].start if following else len(text)]  # up to the next table
        tokens = _tokens(rest)
        rows, used = _rows(tokens, header, block.locator)
        if not rows:
            # a header that no row follows: keep looking after it
            position = header.end
            continue
        found = True
        before = text[position : header.start].strip()
        if before:
            out.append(Block(BlockKind.PROSE, (before,), block.locator))
        out.append(Block(BlockKind.ROW, header.cells, f"{block.locator}, flattened table header", exact=False))
        out.extend(rows)
        left = " ".join(token.text for token in tokens[used:] if token.source == tokens[used - 1].source)
        if left:  # the rest of a token the table's last row was cut from: prose after the table
            out.append(Block(BlockKind.PROSE, (left,), block.locator))
        position = header.end + _offset_after(rest, tokens[used - 1].source + 1)
    if not found:
        return None
    after = text[position:].strip()
    if after:
        out.append(Block(BlockKind.PROSE, (after,), block.locator))
    return out


@cache
def _unit_pattern() -> str:
    return "|".join(re.escape(u) for u in sorted(PRINTED_UNITS, key=len, reverse=True))


# A label or unit printed straight before its figures ('条346', '规章000'): the table was flattened without
# separators.
_GLUED = re.compile(r"[\u4e00-\u9fff）)”’]\d|\d(?![年月日号时])[\u4e00-\u9fff（(]|\d\d[、.．][\u4e00-\u9fff]")


@dataclass(frozen=True)
class _Token:
    text: str
    glued: bool  # cut out of a longer word: it was printed without separators around it
    source: int  # which whitespace-separated word of the text it comes from


def _tokens(region: str) -> list[_Token]:
    """The region's words; a word in which labels, units and figures run together ('条346085376其中：…') is cut
    apart, its pieces marked as glued. A region that starts without a space started glued to its header."""
    tokens: list[_Token] = []
    for source, word in enumerate(region.split()):
        if _is_figure(word) or not _GLUED.search(_PARENTHETICAL.sub("", word)):
            # '00', '0494246': no figure starts with 0, so a digit string that does holds several figures
            glued = len(word) > 1 and word.isdigit() and word.startswith("0")
            tokens.append(_Token(word, glued or (source == 0 and not region[:1].isspace()), source))
            continue
        tokens.extend(_Token(piece, True, source) for piece in _unglue(word).split())
    return tokens


def _unglue(text: str) -> str:
    """Separators put back into a glued table: between a label and its unit, a unit and its figures, figures and
    the next label. An item number glued to the figures before it ('…26262、政府公报公开') is the last digit.
    Notes in brackets are left as they are; an approximation stays with its figure ('约80', '80余万')."""
    notes: list[str] = []

    def keep(match: re.Match) -> str:
        if not re.search(r"\d", match.group(0)):
            return match.group(0)  # an enumerator ('（一）') or a note without figures: nothing to protect
        notes.append(match.group(0))
        return f"\ue001{len(notes) - 1}\ue002"

    text = _PARENTHETICAL.sub(keep, text)
    text = re.sub(rf"(?<![\d.])({_unit_pattern()})(?=\d|[—/－-])", r" \1 ", text)
    text = re.sub(r"(?<=\d)(\d)([、.．])(?=\s*[\u4e00-\u9fff])", r" \1\2", text)
    text = re.sub(r"(?<=[^\s\d.．、,，:：+\-－—/约近\ue001])(?=\d)", " ", text)
    # figures and the next label apart; a date ('2019年1月') stays one word, a unit after its figure ('2笔'), an
    # approximation ('80余万') too, and an item number after 其中： ('其中：1同意公开答复数') belongs to its label
    text = re.sub(
        rf"(?<![:：]\d)(?<![:：]\d\d)(?<=\d)(?=[\u4e00-\u9fff（(])(?![年月日号时余多万千百亿])"
        rf"(?!(?:{_unit_pattern()})(?:\s|$|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第))",
        " ", text,
    )
    # a unit printed after its figure ('44351390元') ends the cell before a new section or group starts
    section = r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第"
    text = re.sub(rf"(\d(?:{_unit_pattern()}))(?={section})", r"\1 ", text)
    return re.sub("\ue001(\\d+)\ue002", lambda m: notes[int(m.group(1))], text)


def _offset_after(text: str, tokens: int) -> int:
    """The character offset in `text` just after its first `tokens` whitespace-separated tokens."""
    if tokens == 0:
        return 0
    matches = list(re.finditer(r"\S+", text))
    return matches[tokens - 1].end() if tokens <= len(matches) else len(text)


def recover_flattened_tables(blocks: Sequence[Block]) -> list[Block]:
    """Prose blocks that hold whole tables become prose plus table rows; every other block is kept as it is."""
    out: list[Block] = []
    for block in blocks:
        recovered = _recover(block) if block.kind == BlockKind.PROSE else None
        out.extend(recovered if recovered is not None else [block])
    return out
