"""Gongkai ingestion: read disclosure reports and return documents, facts and findings.

Plain Python with no Dagster imports, so it can be used from the CLI, tests and notebooks alike.
"""

# Bump when parsing output changes: landing files are keyed by content hash + this version, so a new
# version re-parses every document deliberately and an unchanged one re-parses nothing.
# 0.5: PDF text independent of the host's fonts, OCR; 0.5.1: ruled PDF tables read by pdfium; 0.5.2: rule messages
# name indicators and requester types in words; 0.5.3: OCR figures no sum can confirm are withheld; 0.5.4: OCR
# grids join ruling lines drawn double, cell crops lose ruling-line remnants and keep decimal points.
PARSER_VERSION = "0.5.4"
