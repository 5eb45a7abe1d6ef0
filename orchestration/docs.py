"""``make docs``: dbt's documentation site of this project, one HTML file readable offline.

    python -m orchestration.docs

Every model and column with its description, the tests, the lineage graph and the SQL, for the
sources of ``HRDW_SOURCES_DIR`` (drafts left out). It is generated in a scratch folder from the
project's files alone, so it works on a fresh clone and never touches the warehouse or a running
build (the catalog, column types and row counts, is left empty). The result is written to
``HRDW_HOME/docs/index.html``.

Every snapshot already carries the site of the build it publishes, catalog included
(``docs/index.html``), and a data dictionary of what it holds (``dictionary.html``; the public
variant has its own).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hrdw import privacy, settings
from hrdw.sources import scan_specs
from orchestration import dbt


def build_site(target: Path) -> Path:
    """Generate the site in a scratch ``HRDW_HOME`` and copy it to ``target``."""
    specs, _ = scan_specs()
    with tempfile.TemporaryDirectory(prefix="hrdw-docs-") as scratch, settings.home_at(Path(scratch)):
        project = dbt.prepare_work_dir([spec for spec in specs if not spec.draft])
        site = dbt.generate_docs_site(project)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site, target)
    return target


def main() -> int:
    privacy.make_private()
    try:
        site = build_site(settings.home() / "docs" / "index.html")
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"dbt documentation site: {site}\nopen it in a browser (no server needed): file://{site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
