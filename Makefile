# Two commands do all set-up on a fresh machine:  make demo  and  make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEVSTAMP:= $(VENV)/.installed-dev
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install install-dev demo test lint typecheck pytest bench clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: a looser spec pulls a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -r requirements.txt
	# schema-constrained decoding for local_llm; --no-deps: its declared deps pull a 1 GB triton not needed on CPU
	$(BIN)/pip install -q --no-deps xgrammar==0.2.8 apache-tvm-ffi==0.1.15.post2
	touch $@

$(DEVSTAMP): $(STAMP) requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(STAMP)

install-dev: $(DEVSTAMP)

demo: install
	$(BIN)/python app.py

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy $(wildcard aurora engine)

pytest: install-dev
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: install-dev
	$(BIN)/python bench/parser_eval.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
