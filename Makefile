# Gongkai: `make demo` and `make test` do all set-up from nothing (Python 3.11, pip and make).
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
WAREHOUSE ?= warehouse
INBOX ?= sample_corpus

export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := False
export UV_PYTHON_DOWNLOADS := never

.PHONY: setup demo docs test test-fast lint ui clean bench

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# A DuckDB client of the release line serving.duckdb is written for (SERVING_STORAGE_VERSION in
# orchestration/publish/serving.py): BI tools bundle an older DuckDB than the one that builds the warehouse, and
# a test opens the published file with this one. Kept apart from .venv, which has DuckDB 2.
DUCKDB_COMPAT_VERSION := 1.5.6
DUCKDB_COMPAT := $(TOOLS)/duckdb-compat
$(DUCKDB_COMPAT)/.installed: | $(UV)
	rm -rf $(DUCKDB_COMPAT)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --target $(DUCKDB_COMPAT) \
		duckdb==$(DUCKDB_COMPAT_VERSION)
	touch $@

# The environment comes from the lock file, exactly; re-synced when the lock or pyproject changes. Compiled to
# bytecode here, once: every `gongkai` and dbt process imports ~1,300 modules, and a host that does not write
# .pyc files (PYTHONDONTWRITEBYTECODE) would otherwise compile them from source at each start (≈ 2 s each).
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --extra dev --compile-bytecode --python $(PYTHON)
	touch $@

# The dbt manifest (the asset graph's dbt half) is prepared here, at set-up, and again whenever the dbt project
# changes; loading the Dagster definitions never parses dbt. dagster-dbt's preparer calls `dbt` from PATH.
DBT_MANIFEST := dbt_project/target/manifest.json
DBT_PROJECT_FILES := dbt_project/dbt_project.yml dbt_project/profiles.yml dbt_project/selectors.yml \
	$(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f 2>/dev/null)

# dagster-dbt's preparer then marks the seeds changed in partial_parse.msgpack (for a manifest built elsewhere
# and moved); this one stays where it was built, so a second `dbt parse` records them as they are, and every
# refresh's dbt starts from a parse with nothing left to do (dbt runs in the warehouse folder: the same text
# for every warehouse, see orchestration/dbt/project.py).
# ingestion/__init__.py holds PARSER_VERSION, a var of every dbt invocation (the parse is prepared with it).
$(DBT_MANIFEST): $(VENV)/.synced $(DBT_PROJECT_FILES) ingestion/__init__.py
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/dagster-dbt project prepare-and-package \
		--file orchestration/dbt/project.py
	$(VENV)/bin/dbt --quiet parse --project-dir $(abspath dbt_project) --profiles-dir $(abspath dbt_project) \
		--vars "$$($(VENV)/bin/python -m orchestration.dbt.project)"
	touch $@

# Great Expectations Data Docs load Bootstrap, jQuery, Font Awesome and Vega from CDNs: the same files come from
# their npm packages (pinned in expectations/data_docs.py, fetched with `npm pack`), and every site a refresh
# builds points at copies of them, so the pages open offline.
DATA_DOCS_ASSETS := $(TOOLS)/data-docs-assets
$(DATA_DOCS_ASSETS)/.installed: expectations/data_docs.py | $(VENV)/.synced
	$(VENV)/bin/python -m expectations.data_docs
	touch $@

setup: $(VENV)/.synced $(DBT_MANIFEST) $(DUCKDB_COMPAT)/.installed $(DATA_DOCS_ASSETS)/.installed

demo: setup
	$(VENV)/bin/gongkai refresh --inbox $(INBOX) --warehouse $(WAREHOUSE)
	$(MAKE) --no-print-directory docs WAREHOUSE=$(WAREHOUSE)
	@echo ""
	@echo "Published marts (open read-only in a BI tool): $(abspath $(WAREHOUSE))/serving.duckdb"
	@echo "Quality report (one file, works offline):       $(abspath $(WAREHOUSE))/reports/quality_report.html"
	@echo "The marts as Parquet (no DuckDB driver needed): $(abspath $(WAREHOUSE))/parquet/"
	@echo "dbt docs (one file, works offline):             $(abspath $(WAREHOUSE))/reports/dbt_docs/static_index.html"
	@echo "Great Expectations Data Docs:                   $(abspath $(WAREHOUSE))/reports/data_docs/index.html"
	@echo "Dagster UI:                                     make ui, then http://127.0.0.1:3000"

# dbt's documentation site (models, columns in Chinese and English, lineage, exposures) into the warehouse
# folder; static_index.html embeds manifest and catalog, so it opens from disk without a server or network.
# Needs a refreshed warehouse (the catalog reads column types from its build.duckdb); `make demo` runs it.
docs:
	$(VENV)/bin/gongkai-dbt --warehouse $(abspath $(WAREHOUSE)) --quiet docs generate --static \
		--profiles-dir $(abspath dbt_project) --project-dir $(abspath dbt_project) \
		--vars "$$($(VENV)/bin/python -m orchestration.dbt.project)" \
		--target-path $(abspath $(WAREHOUSE))/reports/dbt_docs

# ruff, then the layering contracts of pyproject.toml ([tool.importlinter]).
lint: setup
	$(VENV)/bin/ruff check ingestion orchestration expectations corpusgen benchmarks tests
	$(VENV)/bin/lint-imports --no-cache

# Everything: unit, component and end-to-end tests (refreshes, the Dagster UI, a browser). What .ci/run calls.
test: setup lint
	$(VENV)/bin/python -m pytest

# Unit and component tests only (no refresh, no UI, no browser): under two minutes on 2 cores.
test-fast: setup lint
	$(VENV)/bin/python -m pytest -m "not e2e"

# Benchmarks on a generated corpus (about 10 minutes; BENCH_QUICK=1 for a few): prints a table, writes
# benchmarks/results.json and renders docs/benchmarks.md from it. Not part of `make test`.
bench: setup
	$(VENV)/bin/python -m benchmarks.run
	$(VENV)/bin/python -m benchmarks.report

# `dg dev` (Dagster 1.13's successor of `dagster dev`) on the warehouse's own Dagster instance,
# $(WAREHOUSE)/dagster_home (settings from dagster_home/dagster.yaml): the runs `gongkai refresh` made show there.
ui: setup
	$(VENV)/bin/gongkai ui --inbox $(INBOX) --warehouse $(WAREHOUSE)

clean:
	rm -rf $(WAREHOUSE) dbt_project/target dbt_project/logs .pytest_cache
