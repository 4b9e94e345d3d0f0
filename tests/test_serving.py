"""serving.duckdb as a BI tool opens it: in a storage format the previous DuckDB release line reads, with every
table's and column's description (English · 中文) as DuckDB comments, and the marts' NOT NULL constraints.

The older client is a real DuckDB of that line, installed by `make setup` into `.tools/duckdb-compat` (apart from
.venv's DuckDB 2); the tests run it in a subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.serving import SERVING_STORAGE_VERSION, publish
from tests.conftest import REPO, Published

COMPAT_CLIENT = REPO / ".tools" / "duckdb-compat"
TOOLS_PYTHON = REPO / ".tools" / "bin" / "python"
CJK = re.compile(r"[\u4e00-\u9fff]")

#: What the older client reports about a database file: its version, the marts' row counts and comments.
READ_WITH_COMPAT_CLIENT = """
import json, sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
tables = [row[0] for row in connection.execute(
    "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
print(json.dumps({
    "version": duckdb.__version__,
    "rows": {t: connection.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables},
    "columns": connection.execute("select count(*), count(comment) from duckdb_columns() "
                                  "where schema_name = 'marts'").fetchone(),
}))
"""


def read_with_compat_client(database: Path) -> subprocess.CompletedProcess[str]:
    assert (COMPAT_CLIENT / "duckdb").is_dir(), f"no DuckDB client in {COMPAT_CLIENT}: run `make setup`"
    return subprocess.run(
        [str(TOOLS_PYTHON), "-c", READ_WITH_COMPAT_CLIENT, str(database)],
        capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(COMPAT_CLIENT)},
    )


def _build_database(path: Path) -> None:
    """A build database as dbt leaves it: a marts table with a NOT NULL column and persisted comments, and a
    staging table that must not be published."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts; create schema staging")
        connection.execute("create table marts.dim_thing (thing_id varchar not null, label varchar)")
        connection.execute("insert into marts.dim_thing values ('a', '甲'), ('b', null)")
        connection.execute("comment on table marts.dim_thing is 'One row per thing · 每个事物一行'")
        connection.execute("comment on column marts.dim_thing.thing_id is 'Thing key · 事物标识'")
        connection.execute("comment on column marts.dim_thing.label is 'The agency''s label · 机构的标签'")
        connection.execute("create table staging.stg_thing as select 1 as x")


def test_publish_writes_the_older_format_with_comments_and_constraints(tmp_path):
    _build_database(tmp_path / "build.duckdb")
    counts = publish(tmp_path / "build.duckdb", tmp_path / "serving.duckdb", tmp_path / "parquet")
    assert counts == {"dim_thing": 2}
    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as connection:
        (tags,) = connection.execute(
            "select tags from duckdb_databases() where database_name = 'serving'"
        ).fetchone()
        assert tags["storage_version"] == f"{SERVING_STORAGE_VERSION}+"
        assert connection.execute(
            "select schema_name, table_name, comment from duckdb_tables() where not internal"
        ).fetchall() == [("marts", "dim_thing", "One row per thing · 每个事物一行")]
        assert connection.execute(
            "select column_name, comment, is_nullable from duckdb_columns() where table_name = 'dim_thing' "
            "order by column_index"
        ).fetchall() == [
            ("thing_id", "Thing key · 事物标识", False), ("label", "The agency's label · 机构的标签", True),
        ]
    completed = read_with_compat_client(tmp_path / "serving.duckdb")
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert json.loads(completed.stdout)["rows"] == {"dim_thing": 2}


def test_the_compat_client_is_of_the_serving_line_and_refuses_the_newer_format(tmp_path):
    """The check above can fail: the same client cannot open a file in DuckDB 2's own format."""
    newer = tmp_path / "newer.duckdb"
    with duckdb.connect(str(newer)) as connection:
        connection.execute("create table t as select 1 as x")
    completed = read_with_compat_client(newer)
    assert completed.returncode != 0 and "newer version of DuckDB" in completed.stderr
    client_version = subprocess.run(
        [str(TOOLS_PYTHON), "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True, text=True, timeout=60, env={"PYTHONPATH": str(COMPAT_CLIENT)},
    ).stdout.strip()
    assert client_version.split(".")[:2] == SERVING_STORAGE_VERSION.removeprefix("v").split(".")[:2]


@pytest.mark.e2e
def test_published_marts_open_in_the_older_client_with_every_column_described(published: Published):
    completed = read_with_compat_client(published.serving)
    assert completed.returncode == 0, completed.stderr[-2000:]
    seen = json.loads(completed.stdout)
    with duckdb.connect(str(published.serving), read_only=True) as connection:
        rows = {
            table: connection.execute(f"select count(*) from marts.{table}").fetchone()[0]
            for (table,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
        undescribed = connection.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
            "and (comment is null or comment = '')"
        ).fetchall()
        comments = connection.execute(
            "select comment from duckdb_columns() where schema_name = 'marts' union all "
            "select comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    assert seen["rows"] == rows and rows["fact_disclosure"] > 0
    assert undescribed == []
    assert seen["columns"][0] == seen["columns"][1] >= 190
    # Every comment has its Chinese half (the YAML descriptions are "English · 中文").
    assert [c for (c,) in comments if not CJK.search(c)] == []
