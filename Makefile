# One place for every command a person runs. Each target sets up .venv by itself on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve check test test-fast new lint clean screenshots audit lock bench

# Every package comes pinned with its hashes (`make lock` writes the two files from
# pyproject.toml): first the build tools, which then build the packages that ship no wheel; then
# everything else; then the project itself, with nothing more.
$(STAMP): pyproject.toml requirements.txt requirements-build.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-build.txt
	$(PY) -m pip install --quiet --require-hashes --no-build-isolation -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Test-only npm tools (axe-core for the browser tests), exactly as package-lock.json pins them.
# Without npm the browser tests skip their accessibility checks loudly (and fail in CI).
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NPM_STAMP); \
	else echo 'warning: npm not found: axe-core not installed, accessibility tests will skip'; fi

## build: validate data/, generate pages, build site/ with mkdocs --strict
build: $(STAMP) $(NPM_STAMP)
	$(PY) -m scripts build

## serve: build, serve on 127.0.0.1:8000, regenerate on edits in data/
serve: $(STAMP) $(NPM_STAMP)
	$(PY) -m scripts serve

## check: validate data/ only (what contributors run)
check: $(STAMP)
	@$(PY) -m scripts check

## new: scaffold a statement file (ID=… TITLE="…" DATE=YYYY[-MM[-DD]] or DATE=undated)
new: $(STAMP)
	@$(PY) -m scripts new $(if $(ID),--id "$(ID)") $(if $(TITLE),--title "$(TITLE)") $(if $(DATE),--date "$(DATE)")

## test: the whole test suite, with lint, type checks and the layers contract, on every CPU
## (each test module in one worker)
test: $(STAMP) $(NPM_STAMP)
	$(PY) -m ruff check scripts tests
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n auto --dist loadfile

## test-fast: every unit-level test, no site build and no browser (seconds: the loop to run
## while editing)
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not browser"

## audit: build, then check that every statement and section reached every page, hub, search
## index, download and feed it belongs to
audit: build
	@$(PY) -m scripts audit

## lock: write requirements.txt (dependencies and dev tools) and requirements-build.txt (build
## tools) from pyproject.toml, every package pinned with its hashes. Run it with Python 3.11 on
## Linux, as CI; UPGRADE=1 also moves the packages that pyproject.toml does not pin.
LOCK_OPTIONS = --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-trusted-host --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	$(PYTHON) -m venv .build/lock
	.build/lock/bin/python -m pip install --quiet pip-tools==7.5.2
	CUSTOM_COMPILE_COMMAND="make lock" .build/lock/bin/pip-compile $(LOCK_OPTIONS) \
		--extra dev --output-file requirements.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" .build/lock/bin/pip-compile $(LOCK_OPTIONS) \
		--only-build-deps --all-build-deps --output-file requirements-build.txt pyproject.toml

## bench: build N synthetic statements (default 1000) beside a stock Material site and time both
## (REPEAT=3: fastest of three each; JSON=file: figures as JSON); see BENCHMARKS.md
bench: $(STAMP)
	$(PY) -m scripts.dev.bench --n $(or $(N),1000) --repeat $(or $(REPEAT),1) $(if $(JSON),--json "$(JSON)")

## screenshots: photograph the built site/ (run `make build` first) into docs/assets/screenshots/
screenshots: $(STAMP)
	$(PY) -m scripts.dev.screenshots

clean:
	rm -rf site .build docs/statements docs/countries docs/forums docs/topics docs/actors docs/series docs/timeline docs/data docs/compare docs/feed.xml docs/index.md
