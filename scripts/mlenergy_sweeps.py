#!/usr/bin/env python3
"""Reduce the ML.ENERGY Leaderboard's LLM batch sweeps to catalog/batch_sweeps.yaml.

Usage: git clone https://github.com/ml-energy/leaderboard && \
       python3 scripts/mlenergy_sweeps.py leaderboard > catalog/batch_sweeps.yaml

Reads public/data/tasks/{lm-arena-chat,gpqa,sourcegraph-fim}.json at the
checkout's HEAD (the commit is written into every source URL) and keeps the
configurations whose model has an entry in catalog/architectures.yaml
(MODELS below); the others are listed in the file's header as left out.
Every figure is copied from the leaderboard's JSON (rounded to 4 significant
digits); nothing is derived except the catalog ids (GPU, model, precision).
The vLLM version is not in the JSON; it is the one the benchmark's own
documentation names for this leaderboard (VLLM_VERSION below).
"""
import json
import subprocess
import sys
from collections import defaultdict

TASKS = ["lm-arena-chat", "gpqa", "sourcegraph-fim"]
# "For the ML.ENERGY Benchmark 3.0 and the corresponding leaderboard, we used
# the following runtime versions: LLM/MLLM | vLLM | 0.11.1"
# (ml-energy/benchmark docs/overview.md at 07e3bf0cd21a12d900daaebe3c274ccb58c0338e).
VLLM_VERSION = "v0.11.1"
GPUS = {"B200": "b200-180gb", "H100": "h100-80gb"}
PRECISIONS = {"bfloat16": "bf16", "fp8": "fp8", "mxfp4": "fp4"}
# Leaderboard checkpoint -> catalog model id. The 2507 Instruct/Thinking
# checkpoints share their base model's architecture (same sizes in config.json).
MODELS = {
    "Qwen/Qwen3-8B": "qwen3-8b",
    "Qwen/Qwen3-32B": "qwen3-32b",
    "Qwen/Qwen3-30B-A3B-Instruct-2507": "qwen3-30b-a3b",
    "Qwen/Qwen3-30B-A3B-Thinking-2507": "qwen3-30b-a3b",
    "Qwen/Qwen3-235B-A22B-Instruct-2507": "qwen3-235b-a22b",
    "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": "qwen3-235b-a22b",
    "Qwen/Qwen3-235B-A22B-Thinking-2507": "qwen3-235b-a22b",
    "Qwen/Qwen3-235B-A22B-Thinking-2507-FP8": "qwen3-235b-a22b",
    "deepseek-ai/DeepSeek-V3.1": "deepseek-v3.1",
    "deepseek-ai/DeepSeek-R1-0528": "deepseek-r1",
    "meta-llama/Llama-3.1-8B-Instruct": "llama-3.1-8b",
    "meta-llama/Llama-3.1-70B-Instruct": "llama-3.1-70b",
    "meta-llama/Llama-3.3-70B-Instruct": "llama-3.3-70b",
    "meta-llama/Llama-3.1-405B-Instruct": "llama-3.1-405b",
    "meta-llama/Llama-3.1-405B-Instruct-FP8": "llama-3.1-405b",
    "meta-llama/Llama-4-Scout-17B-16E-Instruct": "llama-4-scout",
    "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8": "llama-4-maverick",
    "openai/gpt-oss-120b": "gpt-oss-120b",
    "openai/gpt-oss-20b": "gpt-oss-20b",
}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True,
                          capture_output=True, text=True).stdout


def sig(x):
    return float(f"{x:.4g}")


def parallelism(c):
    text = f"TP{c['tensor_parallel']}"
    if c.get("expert_parallel", 1) > 1:
        text += f",EP{c['expert_parallel']}"
    if c.get("data_parallel", 1) > 1:
        text += f",DP{c['data_parallel']}"
    return text


def slug(checkpoint):
    return checkpoint.split("/")[1].lower()


def main(repo):
    commit = git(repo, "rev-parse", "HEAD").strip()
    index = json.loads(git(repo, "show", "HEAD:public/data/index.json"))
    groups, left_out = defaultdict(list), set()
    for task in TASKS:
        data = json.loads(git(repo, "show", f"HEAD:public/data/tasks/{task}.json"))
        for c in data["configurations"]:
            if c["model_id"] not in MODELS or c["gpu_model"] not in GPUS:
                left_out.add(c["model_id"])
                continue
            key = (task, c["model_id"], c["gpu_model"], c["num_gpus"], parallelism(c))
            groups[key].append(c)
    out = [
        "# Batch sweeps: one model on one GPU setup under vLLM, served at a",
        "# fixed cap on running sequences (`max_num_seqs`), each point the",
        "# steady-state output tokens/s of the whole replica, the mean running",
        "# batch the server measured and the inter-token latency (ITL) median",
        "# and p90. These measure the decode step time against the batch",
        "# directly (ITL ~ step time). Written by scripts/mlenergy_sweeps.py",
        "# from the ML.ENERGY Leaderboard's published data; do not edit by hand.",
        "#",
        "# Input lengths are not in the published data (the prompts are the",
        "# task's dataset: LMArena chat, GPQA, Sourcegraph fill-in-the-middle);",
        "# `input_tokens` is therefore absent, not invented. The vLLM version",
        "# is not in the published data either; `engine_version` is the one the",
        "# benchmark's documentation names for this leaderboard (\"ML.ENERGY",
        "# Benchmark 3.0 and the corresponding leaderboard ... vLLM 0.11.1\",",
        "# ml-energy/benchmark docs/overview.md at 07e3bf0).",
        "# Checkpoints are mapped to the catalog architecture they share.",
        "#",
        "# Left out (no architecture in catalog/architectures.yaml): "
        + ", ".join(sorted(left_out)) + ".",
        f"as_of: {index.get('last_updated', 'unknown')}",
        "sweeps:",
    ]
    for (task, model, gpu, n, par), configs in sorted(groups.items()):
        c0 = configs[0]
        out += [
            f"  - id: mlenergy-{task}-{slug(model)}-{gpu.lower()}x{n}-{par.lower().replace(',', '-')}",
            f"    model: {MODELS[model]}",
            f"    checkpoint: {model}",
            f"    gpu: {GPUS[gpu]}",
            f"    gpus: {n}",
            f"    parallelism: {par}",
            f"    precision: {PRECISIONS[c0['weight_precision']]}",
            "    engine: vllm",
            f"    engine_version: {VLLM_VERSION}",
            f"    task: {task}",
            f"    source: https://github.com/ml-energy/leaderboard/blob/{commit}/public/data/tasks/{task}.json",
            f"    date: {index.get('last_updated')}",
            "    grade: A",
            "    points:",
        ]
        for c in sorted(configs, key=lambda c: c["max_num_seqs"]):
            out.append(
                "      - {"
                f"max_num_seqs: {c['max_num_seqs']}, "
                f"mean_batch: {sig(c['avg_batch_size'])}, "
                f"output_tokens: {sig(c['avg_output_len'])}, "
                f"output_tokens_per_s: {sig(c['output_throughput_tokens_per_sec'])}, "
                f"itl_median_ms: {sig(c['median_itl_ms'])}, "
                f"itl_p90_ms: {sig(c['p90_itl_ms'])}"
                "}"
            )
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
