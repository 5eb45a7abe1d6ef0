"""Write the starting files for a new source: ``make new-source NAME=<name> KIND=<kind>``.

- An existing kind (e.g. ``spreadsheet``): ``sources/<name>.yml`` (with every option commented)
  and, for spreadsheets, an example data file in ``data/<name>/example/``, outside the delivery
  glob (an example is never ingested as data).

Every YAML starts as a draft (``draft: true``): its DAG is paused and unscheduled, the build and
the sync leave it out, until the engineer deletes the line.
- A new kind: also ``extract/connectors/<kind>.py`` (a working JSON API connector following
  next links), ``dbt_project/macros/staging/hrdw_stage_<kind>.sql``, example recorded pages in
  ``tests/fixtures/<kind>/`` and ``tests/test_connector_<kind>.py``.

Existing files are never overwritten. Nothing else in the codebase needs editing: the DAG
factory and the dbt staging generation pick the source up from its YAML.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrdw import settings
from hrdw.kinds import available_kinds
from hrdw.sources import NAME_PATTERN

TEMPLATES = Path(__file__).resolve().parent / "templates"


class ScaffoldError(ValueError):
    pass


def _render(template: str, **values: str) -> str:
    return (TEMPLATES / template).read_text(encoding="utf-8").format(**values)


def plan(name: str, kind: str, root: Path, sources_dir: Path) -> dict[Path, str]:
    """The files to write (path -> content) for a source ``name`` of connector ``kind``."""
    for label, value in (("NAME", name), ("KIND", kind)):
        if not NAME_PATTERN.match(value):
            raise ScaffoldError(f"{label} {value!r} must match {NAME_PATTERN.pattern}")
    files: dict[Path, str] = {}
    if kind == "spreadsheet":
        files[sources_dir / f"{name}.yml"] = _render("source_spreadsheet.yml.tmpl", name=name)
        # outside the delivery glob (data/<name>/*.csv): an example must never be ingested as data
        files[sources_dir / "data" / name / "example" / "example.csv"] = _render("example_data.csv.tmpl")
    elif kind in available_kinds():
        files[sources_dir / f"{name}.yml"] = (
            f"# Source {name} of kind {kind}: see the docstring of extract/connectors/{kind}.py for its options.\n"
            f"name: {name}\nkind: {kind}\ndescription: >\n  <what it is>\nlocation:\n  url: <url or path>\n"
        )
    else:
        files[sources_dir / f"{name}.yml"] = _render("source_api.yml.tmpl", name=name, kind=kind)
        files[root / "extract" / "connectors" / f"{kind}.py"] = _render("connector.py.tmpl", kind=kind)
        files[root / "dbt_project" / "macros" / "staging" / f"hrdw_stage_{kind}.sql"] = _render(
            "staging_macro.sql.tmpl", kind=kind
        )
        files[root / "tests" / "fixtures" / kind / "page-1.json"] = _render("page-1.json.tmpl")
        files[root / "tests" / "fixtures" / kind / "page-2.json"] = _render("page-2.json.tmpl")
        files[root / "tests" / f"test_connector_{kind}.py"] = _render("test_connector.py.tmpl", kind=kind, name=name)
    # every source starts as a draft (templates/draft.yml.tmpl says what that means)
    spec_path = sources_dir / f"{name}.yml"
    files[spec_path] = _render("draft.yml.tmpl", name=name) + files[spec_path]
    return files


def write(name: str, kind: str, root: Path | None = None, sources_dir: Path | None = None) -> list[Path]:
    root = root or settings.REPO_ROOT
    files = plan(name, kind, root, sources_dir or root / "sources")
    existing = [path for path in files if path.exists()]
    if existing:
        raise ScaffoldError("refusing to overwrite: " + ", ".join(str(path) for path in existing))
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return list(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the starting files for a new source.")
    parser.add_argument("name", help="source name, e.g. partner_tj")
    parser.add_argument("kind", help=f"connector kind: one of {', '.join(available_kinds())}, or a new one")
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: this repository)")
    parser.add_argument("--sources-dir", type=Path, default=None, help="default: <root>/sources")
    args = parser.parse_args(argv)
    try:
        written = write(args.name, args.kind, args.root, args.sources_dir)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("wrote:\n  " + "\n  ".join(str(path) for path in written))
    print(
        "next: edit the YAML (description, location, columns), check it with `make check-source NAME=<name>`,\n"
        "then delete its `draft: true` line: until then it is never scheduled, built or published.\n"
        "Its records go public only once the owner of config/publication_policy.yml also lists it there\n"
        "(docs/adding-a-source.md, 'Publishing'); until then every run summary names it as withheld."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
