# Two commands a user needs: `make run` (install, ingest if empty, start the chat) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint evals bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,llm]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m assistant chat

test: $(STAMP)
	$(BIN)/python -m playwright --version >/dev/null
	$(BIN)/ruff check assistant ingest vectorstore prompts tests evals benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest tests evals -q -rsx --thresholds=report

evals: $(STAMP)
	$(BIN)/python -m pytest evals -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .assistant .pytest_cache .mypy_cache .ruff_cache
