"""The ingestion domain: inbox → landing (register the inbox, read new documents)."""

from __future__ import annotations

import dagster as dg

from orchestration.ingestion.assets import inbox_documents, parsed_documents


def definitions() -> dg.Definitions:
    return dg.Definitions(assets=[inbox_documents, parsed_documents])
