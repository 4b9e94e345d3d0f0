"""The data a parse returns: one document record, its facts and its findings.

These dataclasses are also the landing schema: `ingestion.landing` writes them as Parquet with the
Arrow schemas below, and dbt reads those files as its sources.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any

import pyarrow as pa


@dataclass
class DocumentRecord:
    sha256: str
    parser_version: str
    parsed_at: str  # ISO-8601 UTC
    size_bytes: int
    source_format: str  # text | pdf | docx | html | doc | zip | unknown | empty
    encoding: str | None = None
    parse_status: str = "parsed"  # parsed | quarantined
    reason: str | None = None  # one line, set when quarantined
    template: str | None = None  # gb2014 | narrative | ...
    template_variant: str | None = None  # hubei | inner_mongolia | fujian
    template_evidence: str | None = None
    agency_name: str | None = None
    agency_name_evidence: str | None = None
    agency_id: str | None = None
    admin_level: str | None = None
    province: str | None = None
    prefecture: str | None = None
    division_code: str | None = None
    agency_evidence: str | None = None
    report_year: int | None = None
    report_year_evidence: str | None = None
    table_count: int = 0
    text_chars: int = 0
    # How much of what the statistics tables print became facts: the figures printed in them, those placed on a
    # catalogue or extension code, and their ratio (NULL without a table). A gap is explained by findings.
    table_figures: int = 0
    placed_figures: int = 0
    figure_coverage: float | None = None


@dataclass
class Fact:
    indicator_code: str
    value: float | None
    is_approximate: bool
    unit: str
    requester_type: str = "total"
    extraction_method: str = "table"
    raw_label: str | None = None
    raw_value: str | None = None
    raw_unit: str | None = None
    locator: str | None = None
    match_method: str | None = None  # exact | fuzzy | position
    match_score: float | None = None
    # Read by OCR (extraction_method 'ocr'): the recognition's confidence in the figure (0–1, the lowest score of
    # the boxes it was read from). None for printed text.
    confidence: float | None = None


@dataclass
class Finding:
    finding_type: str  # rule_violation | unmatched_row | header_value | label_by_position | ...
    severity: str  # hard | soft | info
    message_zh: str
    message_en: str
    rule_id: str | None = None
    indicator_code: str | None = None
    expected: float | None = None
    actual: float | None = None
    locator: str | None = None
    raw_label: str | None = None
    raw_value: str | None = None


@dataclass
class ParseResult:
    document: DocumentRecord
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        return {
            "document": asdict(self.document),
            "facts": [asdict(f) for f in self.facts],
            "findings": [asdict(f) for f in self.findings],
        }


# A result as plain tuples, to cross from a worker process to its parent: a dataclass instance pickles as its
# class and a dict of its state, and unpickling a report's hundred facts so cost its parent more than the worker
# spent pickling them. Tuples of field values take a quarter of that both ways.
PackedResult = tuple[tuple, list, list]
_DOCUMENT_VALUES = attrgetter(*(f.name for f in fields(DocumentRecord)))
_FACT_VALUES = attrgetter(*(f.name for f in fields(Fact)))
_FINDING_VALUES = attrgetter(*(f.name for f in fields(Finding)))


def _packed(item: Any, cls: type, values: attrgetter) -> Any:
    """An instance's field values; the instance itself (pickled as usual) when it is of a subclass or holds
    attributes beyond its fields, which the tuple would lose."""
    if type(item) is cls and len(item.__dict__) == len(cls.__dataclass_fields__):
        return values(item)
    return item


def _unpacked(item: Any, cls: type) -> Any:
    return cls(*item) if type(item) is tuple else item


def pack_result(result: ParseResult) -> PackedResult:
    """`result` as tuples of field values (see `unpack_result`)."""
    return (
        _packed(result.document, DocumentRecord, _DOCUMENT_VALUES),
        [_packed(fact, Fact, _FACT_VALUES) for fact in result.facts],
        [_packed(finding, Finding, _FINDING_VALUES) for finding in result.findings],
    )


def unpack_result(packed: PackedResult) -> ParseResult:
    """The ParseResult `pack_result` packed: equal field by field."""
    document, facts, findings = packed
    return ParseResult(
        _unpacked(document, DocumentRecord),
        [_unpacked(fact, Fact) for fact in facts],
        [_unpacked(finding, Finding) for finding in findings],
    )


def _arrow_type(annotation: str) -> pa.DataType:
    base = annotation.replace(" | None", "").strip()
    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}[base]


def arrow_schema(cls: type) -> pa.Schema:
    """The Parquet schema of a landing table, derived from its dataclass so the two never drift."""
    return pa.schema([pa.field(f.name, _arrow_type(str(f.type))) for f in cls.__dataclass_fields__.values()])


DOCUMENT_SCHEMA = arrow_schema(DocumentRecord)
FACT_SCHEMA = pa.schema([pa.field("sha256", pa.string()), *arrow_schema(Fact)])
FINDING_SCHEMA = pa.schema([pa.field("sha256", pa.string()), *arrow_schema(Finding)])
