"""Figures stated in prose: for reports without a table, and to check the prose against the table.

The patterns are data (dbt_project/seeds/narrative_patterns.csv). Precision first: a pattern names
its indicator, its number and its unit together, and a negation (无/没有/未…行政复议) gives 0 only when
its clause states no number. A wrong number is worse than a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from ingestion.catalogue.indicators import indicators, narrative_patterns, same_measure
from ingestion.document import Block
from ingestion.results import Fact, Finding
from ingestion.templates.values import parse_value

_NUMBER = r"(?P<n>(?:约|近)?\s*(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s*(?:余|多)?\s*万?)"
_NEGATION = re.compile(r"(?:^|[^不])(?:无|没有|未发生|未接到|未收到|未出现|未有)")
_SENTENCE_END = re.compile(r"(?<=[。；！？!?])")
_CLAUSE = re.compile(r"[，,;；]")
# Asked of every line or sentence of the prose: compiled once (re's own cache is a lookup per call).
_LINE_END = re.compile(r"[。；！？!?:：]$")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class NarrativeReading:
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@cache
def _compiled() -> tuple[tuple[str, str, str, re.Pattern], ...]:
    compiled = []
    for pattern in narrative_patterns():
        source = pattern.pattern.replace("{N}", _NUMBER)
        compiled.append((pattern.pattern_id, pattern.code, pattern.kind, re.compile(source)))
    return tuple(compiled)


_UNIT_ALTERNATIVES = re.compile(r"\(\?:([^()|]+(?:\|[^()|]+)*)\)")


@cache
def _any_figure() -> re.Pattern | None:
    """A cheap regex that matches wherever some figure pattern could: a number followed by a unit that a
    pattern puts after its {N}. Most prose states no figure, and its sentences then skip the patterns.
    None (no shortcut) when a pattern's {N} is not followed by a plain unit."""
    units: set[str] = set()
    for pattern in narrative_patterns():
        if pattern.kind != "figure":
            continue
        tail = pattern.pattern.split("{N}", 1)[1] if "{N}" in pattern.pattern else ""
        if (group := _UNIT_ALTERNATIVES.match(tail)) and all(len(u) == 1 for u in group.group(1).split("|")):
            units.update(group.group(1).split("|"))
        elif tail[:1] and re.fullmatch(r"[\u4e00-\u9fff]", tail[:1]):
            units.add(tail[:1])
        else:
            return None
    if not units:
        return None
    # the end of _NUMBER: a digit or numeral, then 余/多 and 万, then the unit
    return re.compile(rf"[\d零〇一二两三四五六七八九十百千]\s*(?:余|多)?\s*万?[{''.join(sorted(units))}]")


def _paragraphs(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    """Prose as paragraphs with the locator of the block each starts in; lines a PDF wrapped are joined."""
    pieces: list[tuple[str, str]] = []
    buffer, locator = "", ""
    for block in blocks:
        if block.kind != "prose":
            if buffer:
                pieces.append((buffer, locator))
                buffer = ""
            continue
        text = block.text.strip()
        if not buffer:
            locator = block.locator
        buffer += text
        # Only PDF lines are visual lines that wrap a paragraph; other formats give whole paragraphs.
        wrapped = block.locator.startswith("page ") and not _LINE_END.search(text) and len(text) >= 20
        if not wrapped:
            pieces.append((buffer, locator))
            buffer = ""
    if buffer:
        pieces.append((buffer, locator))
    return pieces


def _split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences that hold Chinese."""
    result = []
    for sentence in _SENTENCE_END.split(paragraph):
        sentence = sentence.strip()
        if sentence and _CHINESE.search(sentence):
            result.append(sentence)
    return result


def sentences(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    """Prose as sentences with the locator of the block each starts in; lines a PDF wrapped are joined."""
    return [(sentence, where) for text, where in _paragraphs(blocks) for sentence in _split_sentences(text)]


def _compact(text: str) -> str:
    """`text` without whitespace (str.split's whitespace is re's \\s: the same characters, at a third of the cost)."""
    return "".join(text.split())


def _may_negate(compact: str) -> bool:
    """Whether `compact` holds a word every _NEGATION match holds (a substring test costs a tenth of the regex)."""
    return "无" in compact or "没有" in compact or "未" in compact


_DATE = re.compile(r"(?:19|20)\d\d\s*年(?:度|\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日")


def _clause_has_number(clause: str) -> bool:
    """Whether a clause states a figure (a year or a date is not one: '2013年度，未收到…申请')."""
    return bool(re.search(r"\d|[一二两三四五六七八九十百千]+(?:件|起|次|条|个)", _DATE.sub("", clause)))


def _candidate_sentences(blocks: Sequence[Block], any_figure: re.Pattern | None) -> Iterator[tuple[str, str]]:
    """`sentences(blocks)` less those of paragraphs where no pattern can match: a sentence without whitespace is
    a stretch of its paragraph's, so a paragraph without a figure or a negation word has no sentence with one.
    Nearly all prose states none, and is then asked once a paragraph instead of once a sentence."""
    for paragraph, where in _paragraphs(blocks):
        compact = _compact(paragraph)
        if any_figure is not None and any_figure.search(compact) is None and not _may_negate(compact):
            continue
        for sentence in _split_sentences(paragraph):
            yield sentence, where


def read_narrative(blocks: Sequence[Block]) -> NarrativeReading:
    reading = NarrativeReading()
    seen: dict[str, Fact] = {}
    catalogue = indicators()
    any_figure = _any_figure()
    for sentence, where in _candidate_sentences(blocks, any_figure):
        compact = _compact(sentence)
        if len(compact) > 600:  # a list of rules or OCR debris, not a statement of figures
            continue
        # Shortcuts that skip no match: a figure needs a number with a pattern's unit, a negation
        # pattern needs a negation in some clause and so in the sentence.
        figures = any_figure is None or any_figure.search(compact) is not None
        negated = _may_negate(compact) and _NEGATION.search(compact) is not None
        if not figures and not negated:
            continue
        clauses = _CLAUSE.split(compact) if negated else []
        for pattern_id, code, kind, regex in _compiled():
            value: float | None = None
            approximate = False
            if kind == "figure":
                if not figures:
                    continue
                match = regex.search(compact)
                if not match:
                    continue
                raw = match.group("n")
                cell = parse_value(raw.replace("约", "").replace("近", ""))
                if cell.kind != "number":
                    continue
                value, approximate = cell.value, cell.is_approximate or raw.startswith(("约", "近"))
            else:
                if not negated:
                    continue
                clause = next((c for c in clauses if regex.search(c) and _NEGATION.search(c)), None)
                if clause is None or _clause_has_number(clause):
                    continue
                value = 0.0
            if code in seen:
                if seen[code].value != value:
                    reading.findings.append(
                        Finding("narrative_conflict", "info",
                                f"正文对“{catalogue[code].label_zh}”给出不同数字：{seen[code].value:g} 与 {value:g}",
                                f"The text states {code} twice with different figures: {seen[code].value:g} "
                                f"and {value:g}; the first is kept", indicator_code=code, locator=sentence[:120])
                    )
                continue
            fact = Fact(code, value, approximate, catalogue[code].unit, extraction_method="narrative",
                        raw_label=sentence[:200], raw_value=None, locator=f"{where}: {sentence[:120]}",
                        match_method=f"pattern:{pattern_id}")
            seen[code] = fact
            reading.facts.append(fact)
    return reading


def reconcile(
    narrative: Sequence[Fact], table: Sequence[Fact], printed: set[str], template: str | None
) -> tuple[list[Fact], list[Finding]]:
    """Prose beside a table. The table is the value of record: a figure the prose states for an indicator the
    table prints (under its own code or the crosswalk's, read or not) is only compared with it, and a
    disagreement is a finding; a figure for an indicator the table does not print is kept as a fact."""
    table_values = {f.indicator_code: f.value for f in table if f.requester_type == "total"}
    facts: list[Fact] = []
    findings: list[Finding] = []
    for fact in narrative:
        related, exact = same_measure(fact.indicator_code, template)
        if not related & (printed | set(table_values)):
            facts.append(fact)
            continue
        printed_value = table_values.get(exact) if exact else None
        if fact.value is None or printed_value is None:
            continue
        if abs(fact.value - printed_value) < 1e-9 or (fact.is_approximate and fact.value <= printed_value):
            continue
        label = indicators()[fact.indicator_code].label_zh
        findings.append(
            Finding("text_table_mismatch", "soft",
                    f"正文与统计表不一致：“{label}”正文为 {fact.value:g}，表中为 {printed_value:g}（以表为准）",
                    f"Text and table disagree on {fact.indicator_code}: text {fact.value:g}, table {printed_value:g} "
                    "(the table is the value of record)",
                    indicator_code=exact, expected=printed_value, actual=fact.value,
                    locator=fact.locator, raw_label=fact.raw_label)
        )
    return facts, findings
