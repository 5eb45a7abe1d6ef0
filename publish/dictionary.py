"""The data dictionary that travels with every snapshot: what each table and column holds.

The descriptions are written once, in ``dbt_project/models/marts/_marts__models.yml``. A publish
reads them from the manifest dbt wrote for the build it publishes (``read_manifest``; dbt's
``persist_docs`` would write them into the warehouse too, at 2-5 s a build) and
- sets them as comments on the snapshot's DuckDB tables and columns (``duckdb_columns().comment``,
  ``COMMENT ON``), so any SQL client shows them;
- adds ``description`` to every table and column of ``manifest.json``;
- writes ``dictionary.html``, one page readable offline: every table with its rows and columns.
The public variant gets its own, of what it holds only, saying which columns the publication
policy coarsened or replaced.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from publish.tables import quote, sql_text, table_columns


@dataclass
class TableDoc:
    description: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)


def _text(comment: str | None) -> str | None:
    """A comment without the newline a YAML block scalar ends with; None when empty."""
    return (comment or "").strip() or None


def read_manifest(path: Path, schema: str) -> dict[str, TableDoc]:
    """The descriptions of the models of ``schema`` in dbt's ``manifest.json``; none when it is missing."""
    if not path.is_file():
        return {}
    nodes = json.loads(path.read_text(encoding="utf-8")).get("nodes", {})
    return {
        node["alias"]: TableDoc(
            _text(node.get("description")),
            {name: _text(column.get("description")) for name, column in node.get("columns", {}).items()},
        )
        for node in nodes.values()
        if node.get("resource_type") == "model" and node.get("schema") == schema
    }


def public_docs(docs: dict[str, TableDoc], table_rules: dict[str, dict[str, Any]], grid: Any) -> dict[str, TableDoc]:
    """The descriptions of what the public variant holds, with what the policy did to each column."""
    public: dict[str, TableDoc] = {}
    for table, rule in table_rules.items():
        if not rule.get("published") or table not in docs:
            continue
        notes = {name: f"Public variant: rounded to a grid of {grid} degrees." for name in rule["coarsened_columns"]}
        notes |= {
            name: f"Public variant: recomputed over what it holds (publication policy, rows {rule['rows']})."
            for name in rule["recomputed_columns"]
        }
        columns = {
            name: " ".join(part for part in (description, notes.get(name)) if part) or None
            for name, description in docs[table].columns.items()
            if name not in rule["withheld_columns"]
        }
        public[table] = TableDoc(docs[table].description, columns)
    return public


def apply(con: duckdb.DuckDBPyConnection, database: str, schema: str, docs: dict[str, TableDoc]) -> None:
    """Comment every table and column of ``database.schema`` that ``docs`` describes."""
    for table, doc in docs.items():
        present = {column.name for column in table_columns(con, database, schema, table)}
        if not present:
            continue
        relation = f"{quote(database)}.{quote(schema)}.{quote(table)}"
        if doc.description:
            con.execute(f"comment on table {relation} is {sql_text(doc.description)}")
        for column, description in doc.columns.items():
            if description and column in present:
                con.execute(f"comment on column {relation}.{quote(column)} is {sql_text(description)}")


def annotate(entry: dict[str, Any], doc: TableDoc | None) -> dict[str, Any]:
    """A table's manifest entry with the table's and each column's description (None when undocumented)."""
    doc = doc or TableDoc()
    described = {**entry, "description": doc.description}
    described["columns"] = [{**column, "description": doc.columns.get(column["name"])} for column in entry["columns"]]
    if "run_metadata" in entry:
        described["run_metadata"] = {
            **entry["run_metadata"],
            "columns": [
                {**column, "description": doc.columns.get(column["name"])}
                for column in entry["run_metadata"]["columns"]
            ],
        }
    return described


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
code {{ font-size: 90%; }} .missing {{ color: #a00; }}
</style></head>
<body>
<h1>{title}</h1>
<p>{intro}</p>
<ul>{toc}</ul>
{sections}
</body></html>
"""


def render_html(title: str, intro: str, tables: dict[str, dict[str, Any]]) -> str:
    """One self-contained page from annotated manifest entries (``annotate``): no script, no network."""
    toc, sections = [], []
    for name, entry in sorted(tables.items()):
        toc.append(f'<li><a href="#{name}"><code>{name}</code></a> ({entry["rows"]} rows)</li>')
        rows = []
        columns = [*entry["columns"], *entry.get("run_metadata", {}).get("columns", [])]
        for column in columns:
            description = column.get("description")
            text = html.escape(description) if description else '<span class="missing">not documented</span>'
            rows.append(f"<tr><td><code>{column['name']}</code></td><td>{column['type']}</td><td>{text}</td></tr>")
        about = html.escape(entry.get("description") or "")
        sections.append(
            f'<h2 id="{name}"><code>{name}</code></h2><p>{about}</p><p>{entry["rows"]} rows; files '
            f"<code>{entry['file']}</code>, <code>{entry['csv']['file']}</code>.</p>"
            "<table><tr><th>column</th><th>type</th><th>what it holds</th></tr>" + "".join(rows) + "</table>"
        )
    return PAGE.format(title=html.escape(title), intro=html.escape(intro), toc="".join(toc), sections="".join(sections))
