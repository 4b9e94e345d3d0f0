"""Data Docs page views that compile GX's page templates once per process.

GX makes a new Jinja environment for every page view, so every Data Docs build (one per gate, three per refresh)
compiled its ~50 page templates again, most of each build's time. These views share one in-memory bytecode cache:
a template is compiled once per process (Jinja checks every cached entry against its template's source). Named in
the site's configuration (`expectations.runner`), so GX imports this module itself, when it builds a site.
"""

from __future__ import annotations

from typing import Any

import jinja2
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView


class _CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _CompiledOnce:
    env: jinja2.Environment

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env.bytecode_cache = _COMPILED


class PageView(_CompiledOnce, DefaultJinjaPageView):
    """GX's page view (validation results, expectation suites)."""


class IndexPageView(_CompiledOnce, DefaultJinjaIndexPageView):
    """GX's index page view."""
