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

.PHONY: setup demo test lint ui clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The environment comes from the lock file, exactly; re-synced when the lock or pyproject changes.
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced

demo: setup
	$(VENV)/bin/gongkai refresh --inbox $(INBOX) --warehouse $(WAREHOUSE)
	@echo ""
	@echo "Published marts (open read-only in a BI tool): $(abspath $(WAREHOUSE))/serving.duckdb"
	@echo "Great Expectations Data Docs:                   $(abspath $(WAREHOUSE))/reports/data_docs/index.html"
	@echo "Dagster UI:                                     make ui, then http://127.0.0.1:3000"

lint: setup
	$(VENV)/bin/ruff check ingestion orchestration expectations tests

test: setup lint
	$(VENV)/bin/python -m pytest

ui: setup
	DAGSTER_HOME=$(abspath dagster_home) $(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

clean:
	rm -rf $(WAREHOUSE) dbt_project/target dbt_project/logs .pytest_cache
