"""Template readers: from a document's blocks to catalogue facts, whatever form its statistics take.

Every reader returns the same `TemplateReading`. `read_statistics` tries them in order (the 2019/2021 forms by
their markers, then single-value tables of any form) and falls back to the prose; the prose beside a table only
adds what the table does not print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingestion.document import Block
from ingestion.results import Fact, Finding


@dataclass
class TemplateReading:
    """What a template reader found in a document's tables."""

    template: str | None = None  # None: this reader found no table of its kind
    variant: str | None = None
    evidence: str = ""
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    table_count: int = 0
    matched_rows: int = 0  # rows matched to the catalogue: how sure the reader is that the table is its kind
    table_figures: int = 0  # figures printed in the tables (a table printed twice counted once)
    printed_codes: set[str] = field(default_factory=set)  # indicators the tables print, read or not


@dataclass(frozen=True)
class TemplateReader:
    name: str
    read: Callable[[Sequence[Block], dict[str, float]], TemplateReading]
    min_rows: int  # fewer matched rows, and the document is not of this kind


def _readers() -> tuple[TemplateReader, ...]:
    from ingestion.templates.gb2019_2021 import read_modern
    from ingestion.templates.single_value import read_single_value

    return (
        TemplateReader("gb2019/gb2021", lambda blocks, stated: read_modern(blocks), min_rows=5),
        TemplateReader("single-value tables", read_single_value, min_rows=2),
    )


def read_figures(blocks: Sequence[Block]) -> TemplateReading:
    """The report's figures: its statistics tables read by the first template reader that finds enough rows,
    and its prose. Without a table the prose's figures are the facts (template `narrative`); beside a table the
    table is the value of record and the prose adds only what the table does not print."""
    from ingestion.templates.narrative import read_narrative, reconcile

    prose = read_narrative(blocks)
    stated = {f.indicator_code: f.value for f in prose.facts if f.value is not None}
    for reader in _readers():
        reading = reader.read(blocks, stated)
        if reading.template is not None and reading.matched_rows >= reader.min_rows:
            facts, findings = reconcile(prose.facts, reading.facts, reading.printed_codes, reading.template)
            reading.facts.extend(facts)
            reading.findings.extend(findings)
            return reading
    evidence = "no statistics table found; figures only in prose"
    if prose.facts:
        evidence += f"; {len(prose.facts)} figures stated in the text"
    return TemplateReading("narrative", evidence=evidence, facts=prose.facts, findings=prose.findings)
