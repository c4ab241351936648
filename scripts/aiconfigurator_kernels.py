#!/usr/bin/env python3
"""Reduce NVIDIA AIConfigurator's measured kernel tables to catalog/kernels.yaml.

Usage (one-off, not a runtime dependency of infercost):
    pip download --no-deps aiconfigurator-core==0.12.0 -d /tmp/aic
    unzip -q /tmp/aic/aiconfigurator_core-0.12.0-*.whl -d /tmp/aic/x
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pyarrow pyyaml
    /tmp/venv/bin/python scripts/aiconfigurator_kernels.py \
        /tmp/aic/x/aiconfigurator_core > catalog/kernels.yaml

Keeps, for the catalog's GPUs and each engine's "current" data version
(systems/query_versions.yaml), only what the step model needs: the
all-reduce latency by GPU count and message size, one MoE layer's grouped
GEMM latency for the catalog's MoE shapes by token count and routing
(balanced, power-law skew), decode attention (GQA and DeepSeek MLA) by
batch and context. Latencies are copied (ms in the tables, written in
microseconds, 4 significant digits); a value the tables lack is null.
"""
import os
import sys

import pyarrow.parquet as pq
import yaml

GPUS = {  # AIConfigurator system -> catalog GPU id
    "a100_sxm": "a100-80gb", "h100_sxm": "h100-80gb", "h200_sxm": "h200-141gb",
    "b200_sxm": "b200-180gb", "b300_sxm": "b300-288gb", "l40s": "l40s-48gb",
}
ENGINES = {"vllm": "vllm", "sglang": "sglang", "trtllm": "tensorrt-llm"}
AR_ELEMENTS = [8192, 65536, 524288, 4194304]
MOE_SHAPES = {  # (hidden, inter, topk, experts) -> the catalog models with it
    (7168, 2048, 8, 256): "deepseek-v3 / deepseek-r1",
    (4096, 1536, 8, 128): "qwen3-235b-a22b",
    (2048, 768, 8, 128): "qwen3-30b-a3b",
    (2880, 2880, 4, 128): "gpt-oss-120b (gpt-oss-20b has 32 experts)",
}
MOE_TOKENS = [1, 8, 32, 128, 512, 2048, 8192]
ROUTINGS = ["balanced", "power_law_1.2"]
GQA_SHAPES = [(64, 8, 128), (8, 1, 128)]
BATCHES = [1, 8, 32, 128, 512]
CONTEXT_STEPS = [1023, 4095, 16383, 65535]  # generation attention's `step`
MLA_CONTEXTS = [1024, 4096, 16384, 65536]  # MLA generation's `step`
MLA_HEADS = [128, 16]  # DeepSeek V3 per GPU at TP1 and TP8


def us(ms):
    return None if ms is None else float(f"{ms * 1000:.4g}")


def current_versions(root):
    q = yaml.safe_load(open(os.path.join(root, "systems/query_versions.yaml")))
    def version(system, engine):
        over = (q.get("overrides") or {}).get(system, {}).get(engine)
        return (over or q["defaults"][engine])["current"]
    return version


def table(root, system, op, engine, version, name):
    path = os.path.join(root, "systems/data", system, op, engine, version, name)
    return pq.read_table(path).to_pylist() if os.path.exists(path) else []


def all_reduce(root, version):
    out = []
    for system, gpu in GPUS.items():
        for engine, eid in ENGINES.items():
            v = version(system, engine)
            rows = [r for r in table(root, system, "comm", engine, v, "custom_allreduce_perf.parquet")
                    if r.get("allreduce_dtype") == "bfloat16"
                    and "eager" not in str(r.get("backend", "")) + str(r.get("kernel_source", ""))]
            for n in sorted({r["num_gpus"] for r in rows}):
                best = {}
                for r in rows:
                    if r["num_gpus"] == n:
                        m = r["message_size"]
                        best[m] = min(best.get(m, 1e9), r["latency"])
                out.append({"gpu": gpu, "engine": eid, "engine_version": v, "gpus": n,
                            "elements": AR_ELEMENTS,
                            "latency_us": [us(best.get(m)) for m in AR_ELEMENTS]})
    return out


def moe(root, version):
    out = []
    for system, gpu in GPUS.items():
        for engine, eid in ENGINES.items():
            v = version(system, engine)
            rows = table(root, system, "moe", engine, v, "moe_perf.parquet")
            index = {}
            for r in rows:
                if r["moe_tp_size"] != 1 or r["moe_ep_size"] != 1:
                    continue
                shape = (r["hidden_size"], r["inter_size"], r["topk"], r["num_experts"])
                if shape not in MOE_SHAPES or r["distribution"] not in ROUTINGS:
                    continue
                key = (r["moe_dtype"], shape, r["distribution"])
                slot = index.setdefault(key, {})
                t = r["num_tokens"]
                slot[t] = min(slot.get(t, 1e9), r["latency"])
            for dtype, shape in sorted({(d, s) for d, s, _ in index}):
                h, i, k, e = shape
                row = {"gpu": gpu, "engine": eid, "engine_version": v, "dtype": dtype,
                       "hidden": h, "inter": i, "experts": e, "topk": k, "tokens": MOE_TOKENS}
                for routing, name in zip(ROUTINGS, ["balanced_us", "skewed_us"]):
                    lat = index.get((dtype, shape, routing), {})
                    row[name] = [us(lat.get(t)) for t in MOE_TOKENS]
                out.append(row)
    return out


def gqa(root, version):
    out = []
    for system, gpu in GPUS.items():
        for engine, eid in ENGINES.items():
            v = version(system, engine)
            rows = table(root, system, "attention", engine, v, "generation_attention_perf.parquet")
            index = {}
            for r in rows:
                shape = (r["num_heads"], r["num_key_value_heads"], r["head_dim"])
                if shape not in GQA_SHAPES or r.get("window_size", 0) != 0 or r["batch_size"] not in BATCHES:
                    continue
                key = (shape, r["kv_cache_dtype"], r["batch_size"])
                slot = index.setdefault(key, {})
                slot[r["step"]] = min(slot.get(r["step"], 1e9), r["latency"])
            for (q, kv, d), dtype in sorted({(sh, dt) for sh, dt, _ in index}):
                out.append({"gpu": gpu, "engine": eid, "engine_version": v, "q_heads": q,
                            "kv_heads": kv, "head_dim": d, "kv_dtype": dtype,
                            "batch": BATCHES, "context": [s + 1 for s in CONTEXT_STEPS],
                            "latency_us": [[us(index.get(((q, kv, d), dtype, b), {}).get(s))
                                            for s in CONTEXT_STEPS] for b in BATCHES]})
    return out


def mla(root, version):
    out = []
    for system, gpu in GPUS.items():
        for engine, eid in ENGINES.items():
            v = version(system, engine)
            rows = table(root, system, "mla", engine, v, "mla_generation_module_perf.parquet")
            index = {}
            for r in rows:
                if (r["num_heads"] not in MLA_HEADS or r["batch_size"] not in BATCHES
                        or r.get("tp_size", 1) != 1 or r["mla_dtype"] != "bfloat16"
                        or "DeepSeek-V3" not in str(r.get("model"))):
                    continue
                key = (r["num_heads"], r["kv_cache_dtype"], r["batch_size"])
                slot = index.setdefault(key, {})
                slot[r["step"]] = min(slot.get(r["step"], 1e9), r["latency"])
            for heads, dtype in sorted({(h, d) for h, d, _ in index}):
                out.append({"gpu": gpu, "engine": eid, "engine_version": v, "heads": heads,
                            "kv_dtype": dtype, "batch": BATCHES, "context": MLA_CONTEXTS,
                            "latency_us": [[us(index.get((heads, dtype, b), {}).get(s))
                                            for s in MLA_CONTEXTS] for b in BATCHES]})
    return out


def flow(rows):
    return "\n".join("  - " + yaml.safe_dump(r, default_flow_style=True, width=10000, sort_keys=False).strip()
                     for r in rows)


HEADER = """\
# Measured kernel latencies for the step model (src/capacity/), reduced from
# NVIDIA AIConfigurator's tables by scripts/aiconfigurator_kernels.py; do not
# edit by hand. Each engine's data is the version AIConfigurator queries as
# `current` for that GPU. Latencies in microseconds, null where the tables
# have no row; nothing is interpolated or derived.
#
# all_reduce: one BF16 all-reduce of `elements` elements across `gpus` GPUs
#   (the engine's own CUDA-graph kernel, fastest implementation per size;
#   decode sends hidden_size x batch elements, twice per layer under TP).
# moe: one MoE layer's expert GEMMs (router, grouped GEMMs; no all-to-all)
#   on ONE GPU holding all `experts` (TP1, EP1), at `tokens` tokens, routed
#   balanced (`balanced_us`) or power-law skewed, exponent 1.2 (`skewed_us`);
#   `dtype` as
#   AIConfigurator names it (fp8_block: DeepSeek-style block scales; nvfp4;
#   w4a16_mxfp4 ...). The catalog models with each shape are:
#   {shapes}.
# gqa_decode: one layer's decode attention per GPU, `q_heads`/`kv_heads`/
#   `head_dim` per GPU (64/8/128 is a Llama 70B at TP1, 8/1/128 at TP8),
#   `latency_us[i][j]`: `batch[i]` sequences each holding `context[j]` tokens.
# mla_decode: DeepSeek V3's MLA generation module (attention with its
#   projections) per layer, `heads` per GPU (128: TP1, 16: TP8), the same
#   batch x context matrix.
source: https://pypi.org/project/aiconfigurator-core/0.12.0/
package: aiconfigurator-core 0.12.0 (systems/data/<gpu>/<op>/<engine>/<version>/*.parquet)
read: 2026-12-06
grade: A
"""


def main(root):
    version = current_versions(root)
    shapes = "; ".join(f"{h}/{i}/top{k}/{e} {m}" for (h, i, k, e), m in MOE_SHAPES.items())
    print(HEADER.format(shapes=shapes), end="")
    for name, rows in [("all_reduce", all_reduce(root, version)), ("moe", moe(root, version)),
                       ("gqa_decode", gqa(root, version)), ("mla_decode", mla(root, version))]:
        print(f"{name}:")
        print(flow(rows) if rows else "  []")


if __name__ == "__main__":
    main(sys.argv[1])
