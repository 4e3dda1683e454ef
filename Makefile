# One place for every command a person runs. Each target sets up .venv by itself on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve check test new lint clean screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Test-only npm tools (axe-core for the browser tests), exactly as package-lock.json pins them.
# Without npm the browser tests skip their accessibility checks loudly (and fail in CI).
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NPM_STAMP); \
	else echo 'warning: npm not found: axe-core not installed, accessibility tests will skip'; fi

## build: validate data/, generate pages, build site/ with mkdocs --strict
build: $(STAMP)
	$(PY) -m scripts build

## serve: build, serve on 127.0.0.1:8000, regenerate on edits in data/
serve: $(STAMP)
	$(PY) -m scripts serve

## check: validate data/ only (what contributors run)
check: $(STAMP)
	@$(PY) -m scripts check

## new: scaffold a statement file (ID=… TITLE="…" DATE=YYYY[-MM[-DD]])
new: $(STAMP)
	$(PY) -m scripts new $(if $(ID),--id "$(ID)") $(if $(TITLE),--title "$(TITLE)") $(if $(DATE),--date "$(DATE)")

## test: the whole test suite, with lint and type checks
test: $(STAMP) $(NPM_STAMP)
	$(PY) -m ruff check scripts tests
	$(PY) -m mypy
	$(PY) -m pytest

## screenshots: photograph the built site/ (run `make build` first) into docs/assets/screenshots/
screenshots: $(STAMP)
	$(PY) -m scripts.screenshots

clean:
	rm -rf site .build docs/statements docs/countries docs/forums docs/topics docs/timeline docs/data docs/feed.xml docs/index.md
