"""Run sqlfluff with a deeper Python stack.

The compiled name normalisation nests one replace() per multi-letter transliteration, and
sqlfluff's recursive parser runs out of Python's default 1,000 frames on it: sqlfluff then
reports "Unable to lint ... due to an internal error", skips the file and still exits 0. With a
deeper stack every model is parsed and linted. Arguments are sqlfluff's own.
"""

from __future__ import annotations

import sys

from sqlfluff.cli.commands import cli

if __name__ == "__main__":
    sys.setrecursionlimit(20_000)
    cli(prog_name="sqlfluff")
