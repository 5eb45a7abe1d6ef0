# hrd-warehouse: `make run` (install + nightly sync on the demo sources), `make test`.
# Everything installs into .venv from the pinned requirements.lock; nothing else by hand.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
LOCK_HASH := $(shell sha256sum requirements.lock pyproject.toml 2>/dev/null | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)

.PHONY: install browser run airflow docs freshness shell check-source test test-fast lint dbt-generate new-source demo-data bench bench-matching bench-splink bench-calibrate clean help

help:
	@echo "make run        install, then run the whole nightly sync through Airflow on the demo sources"
	@echo "make airflow    install, then run the scheduler deployment on this machine (UI on 127.0.0.1:8080; Ctrl-C stops it)"
	@echo "make docs       install, then write dbt's documentation site (one HTML file) to .hrdw/docs/index.html"
	@echo "make freshness  dbt source freshness: when each source's newest good batch loaded (warn after 36 h, error after 84 h)"
	@echo "make shell      a read-only SQL shell on the latest snapshot (ARGS=--public: its public variant); docs/analysts.md"
	@echo "make test       install, then run the test suite (unit, DAG integrity, dbt, end to end)"
	@echo "make test-fast  the test suite without the end-to-end runs"
	@echo "make lint       ruff and sqlfluff (CI runs make test, then make lint)"
	@echo "make bench-matching  matching benchmark at 100,000 then 10,000 reports (last line: the 10k summary)"
	@echo "make bench-splink    the same mentions matched by a Splink 5 model estimated on them, side by side with ours"
	@echo "make bench-calibrate re-estimate match weights and thresholds on generator seed 1"
	@echo "make dbt-generate  write the per-source dbt files into dbt_project/generated_* (git-ignored; for sqlfluff, an editor) and docs/staging-contract.md's table"
	@echo "make new-source NAME=x KIND=y  write the starting files for a new source, as a draft (see docs/adding-a-source.md)"
	@echo "make check-source NAME=x  check a source against its files, in a scratch folder (the warehouse is not touched)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or pass PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "error: Python 3.11 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# The report test renders report.html in a real headless Chromium: Debian's, installed when missing.
browser:
	@scripts/install-browser.sh

run: install
	$(BIN)/python -m orchestration.sync

# The long-running deployment without Docker: api-server, scheduler, DAG processor, triggerer
# (LocalExecutor), the pool and the metadata database prepared; Ctrl-C stops every process.
airflow: install
	$(BIN)/python -m orchestration.serve

docs: install
	$(BIN)/python -m orchestration.docs

freshness: install
	@$(BIN)/python -m orchestration.freshness

shell: install
	@$(BIN)/python -m orchestration.shell $(ARGS)

# Three workers on two cores (pytest-xdist), one test file each at a time: a file's fixtures run once.
# The end-to-end files wait on their subprocesses part of the time (Airflow's scheduler loop, dbt's
# start, retry waits); a third worker uses those waits (8 min 14 s with two workers, clean clone).
# --durations: the slowest tests and fixtures are printed at the end, to keep the suite within 8 minutes.
test: install browser
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder -m "not lint" --durations=15

test-fast: install
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder -m "not e2e and not lint"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -m lint tests/test_lint.py

dbt-generate: install
	$(BIN)/python -c "from orchestration import dbt; dbt.generate_in_place()"

bench-matching: install
	$(BIN)/python bench/matching.py run --reports 100000 --seed 2
	$(BIN)/python bench/matching.py run --reports 10000 --seed 2

bench-calibrate: install
	$(BIN)/python bench/matching.py calibrate --reports 10000 --seed 1

bench-splink: install
	$(BIN)/python bench/matching.py run --reports 10000 --seed 2 --keep --work-dir $(CURDIR)/.hrdw/bench-splink
	$(BIN)/python bench/splink_side_by_side.py --home $(CURDIR)/.hrdw/bench-splink/home --truth $(CURDIR)/.hrdw/bench-splink/sources

bench: bench-matching bench-splink

new-source: install
	@test -n "$(NAME)" -a -n "$(KIND)" || { echo "usage: make new-source NAME=<source name> KIND=<connector kind>"; exit 2; }
	$(BIN)/python -m orchestration.scaffold $(NAME) $(KIND)

check-source: install
	@test -n "$(NAME)" || { echo "usage: make check-source NAME=<source name>"; exit 2; }
	$(BIN)/python -m orchestration.check_source $(NAME)

demo-data: install
	$(BIN)/python scripts/make_demo_data.py ../shared/real-samples

clean:
	rm -rf .hrdw .pytest_cache .ruff_cache
