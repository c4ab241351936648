#!/usr/bin/env python3
"""Turn dstack's benchmark CSVs (DeepSeek-R1; Llama 3.1 405B FP8) into held-out series.

Usage: git clone https://github.com/dstackai/benchmarks && \
       python3 scripts/dstack_deepseek.py benchmarks >> catalog/holdout.yaml

Reads Deepseek-R1/raw_data/{offline,online}_results.csv at the commit
below (the folder is gone from the repository's newest tree). Offline rows
(every request queued at once): output tokens/s is total_output_tokens /
elapsed_time, mean lengths the totals over the requests. Online rows (a
client-side concurrency cap): output_throughput, mean TTFT and TPOT copied.
Engine versions from the folder's README. Also the Llama 3.1 405B FP8
comparison (comparison/h100sxm5_vs_mi300x/csv_data/throughput_comparsion.csv
at LLAMA_COMMIT): every request queued at once, output tokens/s is
num_requests x output_len / elapsed_time; only the rows of Meta's FP8
checkpoint on 8 GPUs. These are held out: never put them in benchmarks.yaml.
"""
import csv
import io
import subprocess
import sys

COMMIT = "7f37e6697725e58dd09b9ef190b62ce19f01d45e"
DATE = "2025-03-18"
GPUS = {"h200": "h200-141gb", "mi300": "mi300x-192gb", "mi300x": "mi300x-192gb"}
ENGINES = {"vllm": "vllm", "sglang": "sglang", "trt-llm": "tensorrt-llm"}
VERSIONS = {  # (GPU, engine) -> version, as the README lists them
    ("h200-141gb", "sglang"): "0.4.3.post2",
    ("h200-141gb", "vllm"): "0.7.4.dev181+gf35f8e22",
    ("h200-141gb", "tensorrt-llm"): "0.17.post1.dev",
    ("mi300x-192gb", "sglang"): "0.4.2.post4",
    ("mi300x-192gb", "vllm"): "0.7.3.dev138+g21f6ca217",
}
URL = f"https://github.com/dstackai/benchmarks/blob/{COMMIT}/Deepseek-R1"


def rows(repo, name):
    text = subprocess.run(["git", "-C", repo, "show", f"{COMMIT}:Deepseek-R1/raw_data/{name}"],
                          check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def offline_point(r):
    n = float(r["num_requests"])
    return {"input_tokens": round(float(r["total_input_tokens"]) / n, 1),
            "output_tokens": round(float(r["total_output_tokens"]) / n, 1),
            "output_tokens_per_s": round(float(r["total_output_tokens"]) / float(r["elapsed_time"]), 2),
            "requests": int(n),
            "note": f"offline, {int(n)} requests"}


def online_point(r):
    n = float(r["completed"])
    return {"input_tokens": round(float(r["total_input_tokens"]) / n, 1),
            "output_tokens": round(float(r["total_output_tokens"]) / n, 1),
            "output_tokens_per_s": round(float(r["output_throughput"]), 2),
            "concurrency": int(float(r["max_concurrency"])),
            "ttft_ms": round(float(r["mean_ttft_ms"]), 1),
            "tpot_ms": round(float(r["mean_tpot_ms"]), 2)}


LLAMA_COMMIT = "85a2fe177aabe8a5556ce75e791dcd74b1cd8187"
LLAMA_PATH = "comparison/h100sxm5_vs_mi300x/csv_data/throughput_comparsion.csv"
LLAMA_SETUPS = {  # CSV label -> (GPU, vLLM version from the README)
    "8xH100 1FP8-meta": ("h100-80gb", "0.6.3.post2.dev308+gb489fc3c"),
    "8xMi300x 1FP8-meta": ("mi300x-192gb", "0.6.3.dev109+gcb3b2b9b.d20241010"),
}


def llama(repo):
    text = subprocess.run(["git", "-C", repo, "show", f"{LLAMA_COMMIT}:{LLAMA_PATH}"],
                          check=True, capture_output=True, text=True).stdout
    for label, (gpu, version) in LLAMA_SETUPS.items():
        rows = [r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))) if r["gpu"] == label]
        print(f"  - id: dstack-llama-3.1-405b-{gpu}-x8-vllm")
        print("    model: llama-3.1-405b")
        print(f"    gpu: {gpu}")
        print("    gpus: 8")
        print("    parallelism: TP8")
        print("    precision: fp8")
        print("    engine: vllm")
        print(f"    engine_version: {version}")
        print("    load: max-throughput")
        print(f"    source: https://github.com/dstackai/benchmarks/blob/{LLAMA_COMMIT}/{LLAMA_PATH}")
        print("    date: 2024-12-05")
        print("    grade: A")
        print(f'    quote: "{label}: meta-llama/Llama-3.1-405B-Instruct-FP8, vLLM offline throughput"')
        print("    points:")
        for r in rows:
            n, out = float(r["num_requests"]), float(r["output_len"])
            tput = round(n * out / float(r["elapsed_time"]), 2)
            print(f"      - {{input_tokens: {float(r['input_len'])}, output_tokens: {out}, "
                  f"output_tokens_per_s: {tput}, requests: {int(n)}, "
                  f"note: \"offline, {int(n)} requests\"}}")


def main(repo):
    series = {}
    for name, make in [("offline_results.csv", offline_point), ("online_results.csv", online_point)]:
        for r in rows(repo, name):
            key = (GPUS[r["GPU"].strip().lower()], ENGINES[r["backend"].strip()], name)
            series.setdefault(key, []).append(make(r))
    for (gpu, engine, name), points in series.items():
        kind = name.split("_")[0]
        print(f"  - id: dstack-deepseek-r1-{gpu}-x8-{engine}-{kind}")
        print("    model: deepseek-r1")
        print(f"    gpu: {gpu}")
        print("    gpus: 8")
        print("    parallelism: TP8")
        print("    precision: fp8")
        print(f"    engine: {engine}")
        print(f"    engine_version: {VERSIONS[(gpu, engine)]}")
        print("    load: max-throughput")
        print(f"    source: {URL}/raw_data/{name}")
        print(f"    date: {DATE}")
        print("    grade: A")
        print(f'    quote: "dstack DeepSeek-R1 {kind} benchmark, 8 GPUs, {engine}; README: {URL}/README.md"')
        print("    points:")
        for p in points:
            fields = ", ".join(f'{k}: "{v}"' if isinstance(v, str) else f"{k}: {v}" for k, v in p.items())
            print(f"      - {{{fields}}}")


if __name__ == "__main__":
    main(sys.argv[1])
    llama(sys.argv[1])
