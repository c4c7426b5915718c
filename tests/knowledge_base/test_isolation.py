"""The dependency rule behind the shared vocabulary: knowledge_base imports neither layer (nor numpy or torch),
and the engine never imports aurora. Checked in a fresh interpreter, where nothing else is loaded yet."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return {name.split(".")[0] for name in json.loads(out.stdout.strip().splitlines()[-1])}


def test_knowledge_base_imports_neither_layer() -> None:
    loaded = _loaded_after("import knowledge_base, knowledge_base.layout, knowledge_base.theory, "
                           "knowledge_base.limits; knowledge_base.load()")
    assert not loaded & {"aurora", "engine", "numpy", "torch"}


def test_engine_never_imports_aurora() -> None:
    loaded = _loaded_after("import engine; from engine import Engine; import engine.facade, engine.export")
    assert "engine" in loaded and "aurora" not in loaded
