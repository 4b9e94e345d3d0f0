"""Facts read from page images (OCR): marked as such, with the recognition's confidence, and never a number the
recogniser was unsure of published as certain.

The OCR reader gives every cell it recognised a confidence (Block.confidence: the lowest score of the boxes the
cell was made of). A fact whose locator points at such a block takes the confidence of the cell that holds its
printed figure. Below `LOW_CONFIDENCE` the figure is withheld (the fact keeps its raw text and no value, and an
`ocr_low_confidence` finding names the cell, so a person can look at the page), unless a sum of the template's
rules that it is part of holds exactly as read. A figure read with confidence
that breaks the table's arithmetic is caught by the identity rules (a hard `rule_violation`), as in any report; a
figure whose arithmetic cannot be checked because a figure it adds up with was withheld is withheld too
(`ocr_unverifiable`): a digit the recogniser dropped with confidence (10 read as 1) is caught only by the sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ingestion.catalogue.indicators import indicators
from ingestion.document import Block
from ingestion.results import Fact, Finding
from ingestion.rules import Key, sum_identities

OCR_MARK = "(OCR)"  # every locator of a block read by OCR starts 'page N (OCR)'
# Scores of PP-OCRv4 on figures of generated scans: right figures ≥ 0.97 almost always; a misread digit drags the
# box's mean score down. Below this a figure is reported, not published.
LOW_CONFIDENCE = 0.9


def ocr_cells(*block_lists: Iterable[Block]) -> dict[str, Block]:
    """Blocks read by OCR, by locator."""
    found: dict[str, Block] = {}
    for blocks in block_lists:
        for block in blocks:
            if OCR_MARK in block.locator:
                found.setdefault(block.locator, block)
    return found


def _block_of(fact: Fact, blocks: dict[str, Block]) -> Block | None:
    locator = fact.locator or ""
    if OCR_MARK not in locator:
        return None
    return blocks.get(locator) or blocks.get(locator.split(": ", 1)[0])


def confidence_of(fact: Fact, blocks: dict[str, Block]) -> float | None:
    """The confidence of the cell a fact was read from (None: not from an OCR block, or not known)."""
    block = _block_of(fact, blocks)
    if block is None or not block.confidence:
        return None
    pairs = [(cell, score) for cell, score in zip(block.cells, block.confidence, strict=False) if score is not None]
    if not pairs:
        return None
    raw = (fact.raw_value or "").strip()
    if raw:
        same = [score for cell, score in pairs if cell.strip() == raw]
        if same:
            return round(min(same), 4)
        within = [score for cell, score in pairs if raw in cell]
        if within:
            return round(min(within), 4)
    return round(min(score for _, score in pairs), 4)


def _identities(facts: Sequence[Fact], template: str | None) -> list[tuple[tuple[Key, ...], tuple[Key, ...]]]:
    return sum_identities(template, {f.requester_type for f in facts}, {f.indicator_code for f in facts})


def _holding(facts: Sequence[Fact], template: str | None) -> set[Key]:
    """Keys of the figures a complete sum of the template checks and finds right."""
    values = {(f.requester_type, f.indicator_code): f.value for f in facts}
    held: set[Key] = set()
    for lhs, rhs in _identities(facts, template):
        operands = [values.get(key) for key in (*lhs, *rhs)]
        if any(value is None for value in operands):
            continue
        if abs(sum(values[key] or 0.0 for key in lhs) - sum(values[key] or 0.0 for key in rhs)) <= 1e-6:
            held.update((*lhs, *rhs))
    return held


def withhold_uncertain(
    facts: Sequence[Fact], blocks: dict[str, Block], template: str | None = None
) -> tuple[list[Fact], list[Finding]]:
    """Figures recognised with a confidence below LOW_CONFIDENCE lose their value and become findings, unless a
    sum of the template's rules that they are part of holds exactly as read (then the sum confirms them)."""
    kept: list[Fact] = []
    findings: list[Finding] = []
    confirmed = _holding(facts, template) if template else set()
    for fact in facts:
        confidence = confidence_of(fact, blocks) if fact.value is not None else None
        key = (fact.requester_type, fact.indicator_code)
        if confidence is None or confidence >= LOW_CONFIDENCE or key in confirmed:
            kept.append(fact)
            continue
        withheld, finding = _withhold(
            fact, confidence, "ocr_low_confidence", f"置信度 {confidence:.2f} 偏低",
            f"with confidence {confidence:.2f}, below {LOW_CONFIDENCE}",
        )
        kept.append(withheld)
        findings.append(finding)
    return kept, findings


def _withhold(
    fact: Fact, confidence: float | None, rule: str, why_zh: str, why_en: str
) -> tuple[Fact, Finding]:
    """The fact without its value, and the soft finding that names the figure and why it is not published."""
    catalogue = indicators()
    label = catalogue[fact.indicator_code].label_zh if fact.indicator_code in catalogue else fact.indicator_code
    printed = fact.raw_value or f"{fact.value:g}"
    finding = Finding(
        rule, "soft",
        f"“{label}”的数值 {printed} 由文字识别读出，{why_zh}，未采用，请核对原件",
        f"The figure of {fact.indicator_code} ({printed}) was recognised from the page image {why_en}; it is not "
        "published, check the page",
        indicator_code=fact.indicator_code, actual=fact.value, locator=fact.locator,
        raw_label=fact.raw_label, raw_value=printed,
    )
    return replace(fact, value=None, confidence=confidence), finding


def _withheld(fact: Fact) -> bool:
    """Withheld by `withhold_uncertain` (a printed blank has no value and no confidence)."""
    return fact.value is None and fact.confidence is not None and fact.confidence < LOW_CONFIDENCE


def withhold_unverifiable(
    facts: Sequence[Fact], blocks: dict[str, Block], template: str | None
) -> tuple[list[Fact], list[Finding]]:
    """OCR figures that share an arithmetic rule with a withheld figure, and that no complete rule checks, lose
    their value and become findings. A figure in a rule whose operands are all present is checked by it (a broken
    sum is the rule's hard finding); one whose sums all miss a withheld partner cannot be told from a misreading."""
    by_key = {(f.requester_type, f.indicator_code): f for f in facts}
    checked: set[Key] = set()
    doubtful: set[Key] = set()
    for lhs, rhs in _identities(facts, template):
        keys = (*lhs, *rhs)
        members = [by_key.get(key) for key in keys]
        if any(member is None for member in members):
            continue  # the report does not print the whole sum: the rule is not judged
        if all(member.value is not None for member in members):
            checked.update(keys)  # right, or the rule's hard finding says it is not
        elif any(_withheld(member) for member in members):
            doubtful.update(keys)
    kept: list[Fact] = []
    findings: list[Finding] = []
    for fact in facts:
        key = (fact.requester_type, fact.indicator_code)
        if fact.value is None or key in checked or key not in doubtful or _block_of(fact, blocks) is None:
            kept.append(fact)
            continue
        withheld, finding = _withhold(
            fact, confidence_of(fact, blocks), "ocr_unverifiable", "与之相加的数值未能读出，无法核对",
            "but a figure it adds up with was not read, so the sum cannot confirm it",
        )
        kept.append(withheld)
        findings.append(finding)
    return kept, findings


def mark_ocr(facts: Sequence[Fact], blocks: dict[str, Block]) -> list[Fact]:
    """Facts read from OCR blocks say so (extraction_method 'ocr') and carry their confidence."""
    marked = []
    for fact in facts:
        if _block_of(fact, blocks) is None:
            marked.append(fact)
            continue
        confidence = fact.confidence if fact.confidence is not None else confidence_of(fact, blocks)
        marked.append(replace(fact, extraction_method="ocr", confidence=confidence))
    return marked
