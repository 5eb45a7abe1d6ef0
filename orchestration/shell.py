"""``make shell``: a read-only SQL shell on the latest published snapshot.

    python -m orchestration.shell [--public] [--snapshot DIR] [-c SQL]

Opens the snapshot's ``warehouse.duckdb`` read-only (a published snapshot never changes; the live
warehouse, which a sync may be writing, is not opened), with every mart as a table of ``main``.
Statements end with ``;`` and may span lines. ``.tables`` lists the tables with their row counts
and descriptions, ``.describe <table>`` its columns with theirs, ``.quit`` (or Ctrl-D) leaves.
``-c`` runs the given SQL and exits (for scripts); ``--public`` opens the public variant.
Worked queries: ``docs/analysts.md``.
"""

from __future__ import annotations

import argparse
import cmd
import sys
from pathlib import Path

import duckdb

from hrdw import settings
from publish.snapshot import latest_snapshot

MAX_ROWS = 40
MAX_WIDTH = 200
MAX_COLUMN_WIDTH = 90  # a long description wraps within this width


def snapshot_database(snapshot: Path | None, public: bool) -> Path:
    """The DuckDB file of ``snapshot`` (default: the one ``LATEST`` names) or of its public variant."""
    snapshot = snapshot or latest_snapshot()
    if snapshot is None:
        raise FileNotFoundError(f"no snapshot published yet in {settings.snapshots_dir()}: run `make run` first")
    database = snapshot / ("public" if public else "") / "warehouse.duckdb"
    if not database.is_file():
        raise FileNotFoundError(f"{database} does not exist")
    return database


def run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run one or more statements; show the rows of the last one (the first MAX_ROWS, and how many)."""
    relation = con.sql(sql)
    if relation is not None:
        relation.show(max_width=MAX_WIDTH, max_rows=MAX_ROWS, max_col_width=MAX_COLUMN_WIDTH)


class Shell(cmd.Cmd):
    intro = "Read-only SQL on the snapshot. End statements with ';'. .tables, .describe <table>, .quit"
    prompt = "hrdw> "

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        super().__init__()
        self.con = con
        self.pending: list[str] = []

    def precmd(self, line: str) -> str:
        stripped = line.strip()
        if stripped.startswith(".") and not self.pending:
            return stripped[1:]  # .tables -> do_tables
        self.pending.append(line)
        if not stripped.endswith(";"):
            self.prompt = "  ...> "
            return ""
        sql, self.pending, self.prompt = "\n".join(self.pending), [], "hrdw> "
        return "sql " + sql

    def emptyline(self) -> bool:
        return False

    def do_sql(self, sql: str) -> None:
        try:
            run(self.con, sql)
        except duckdb.Error as error:
            print(f"error: {error}")

    def do_tables(self, _: str) -> None:
        self.do_sql(
            "select t.table_name, t.estimated_size as rows, t.comment as description from duckdb_tables() t "
            "where t.database_name = current_database() order by 1;"
        )

    def do_describe(self, table: str) -> None:
        try:  # parameterised: the name typed is never SQL
            self.con.sql(
                "select column_name, data_type, comment as description from duckdb_columns() "
                "where database_name = current_database() and table_name = $name order by column_index",
                params={"name": table.strip().rstrip(";")},
            ).show(max_width=MAX_WIDTH, max_rows=500, max_col_width=MAX_COLUMN_WIDTH)
        except duckdb.Error as error:
            print(f"error: {error}")

    def do_quit(self, _: str) -> bool:
        return True

    do_exit = do_quit

    def do_EOF(self, _: str) -> bool:  # cmd's name for Ctrl-D
        print()
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", action="store_true", help="open the public variant")
    parser.add_argument("--snapshot", type=Path, default=None, help="a snapshot folder (default: the latest)")
    parser.add_argument("-c", "--command", default=None, help="run this SQL and exit")
    args = parser.parse_args(argv)
    try:
        database = snapshot_database(args.snapshot, args.public)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    con = duckdb.connect(str(database), read_only=True)
    try:
        if args.command is not None:
            try:
                run(con, args.command)
            except duckdb.Error as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            return 0
        print(f"snapshot: {database.parent}")
        Shell(con).cmdloop()
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
