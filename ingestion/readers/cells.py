"""Small helpers shared by the readers: cell text clean-up and the line-pattern table fallback."""

from __future__ import annotations

import re

from ingestion.document import Block

_WRAP = re.compile(r"\s*\n\s*")
_NUMBER_TOKEN = re.compile(r"^(?:[\d０-９][\d０-９,，.．]*(?:余|多)?万?|[—\-－/]|约\d+)$")
_UNIT_TOKEN = {"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "通", "项", "家", "份", "场"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。；！？,;]")


def clean_cell(text: str | None) -> str:
    """Cell text with wrapped lines joined: PDF and Word cells keep '\\n' where text wraps."""
    if text is None:
        return ""
    parts = [part for part in _WRAP.split(text.strip()) if part]
    joined = ""
    for part in parts:  # Chinese joins without a space, Latin words with one
        if joined and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            joined += " "
        joined += part
    return joined


def row_from_line(line: str, locator: str, table: int | None = None) -> Block | None:
    """A text line that looks like a statistics row ('label [unit] n n n') as a row block.

    The fallback for PDFs whose tables have no ruling lines or whose table extraction failed.
    """
    tokens = line.split()
    if len(tokens) < 2:
        return None
    numbers: list[str] = []
    while tokens and _NUMBER_TOKEN.match(tokens[-1]):
        numbers.insert(0, tokens.pop())
    if not numbers or not tokens:
        return None
    unit = tokens.pop() if tokens and tokens[-1] in _UNIT_TOKEN else None
    label = "".join(tokens)
    if not _CJK.search(label) or _SENTENCE.search(label):
        return None  # running text that happens to end in a number is prose, not a statistics row
    cells = (label, unit, *numbers) if unit else (label, *numbers)
    return Block("row", tuple(cells), locator, table)
