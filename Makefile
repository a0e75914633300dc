# Two commands a user needs: `make run` (install, ingest if empty, start the chat) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install lint evals bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The app: no torch, no test tools.
$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[llm]'
	touch $(RUN_STAMP)

# Tests also cover the optional sentence-transformers backend (CPU torch) and the browser.
$(TEST_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,llm,st]'
	touch $(TEST_STAMP) $(RUN_STAMP)

install: $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m assistant chat

lint: $(TEST_STAMP)
	$(BIN)/ruff check assistant ingest vectorstore prompts tests evals benchmarks
	$(BIN)/ruff format --check assistant ingest vectorstore prompts tests evals benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest tests evals -q -rsx --thresholds=report

evals: $(TEST_STAMP)
	$(BIN)/python -m pytest evals -q

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .assistant .pytest_cache .mypy_cache .ruff_cache
