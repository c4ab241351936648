#!/usr/bin/env python3
"""Turn GPUStack's DeepSeek and Qwen3 performance-lab pages into held-out series.

Usage: git clone https://github.com/gpustack/gpustack && \
       python3 scripts/gpustack_perflab.py gpustack >> catalog/holdout.yaml

Reads docs/performance-lab/<model>/<gpu>.md at the checkout's HEAD (the
commit goes into every source URL). Each "Serving script" followed by a
"Benchmark result" (vLLM bench CLI output) is one point; the points of one
serving script on one page form a series. Mean lengths are the totals
divided by the successful requests; throughput, mean TTFT and TPOT are
copied. Left out: runs with 4 output tokens (request scheduling, as in
benchmarks.yaml), speculative decoding, scripts that serve another
checkpoint than the page's model, pages whose model or GPU the catalog
lacks. These pages are held out: never put them in benchmarks.yaml.
"""
import re
import subprocess
import sys

PAGES = {  # page -> (catalog model, catalog GPU, checkpoint name the script must hold)
    "deepseek-r1/h200.md": ("deepseek-r1", "h200-141gb", "DeepSeek-R1"),
    "qwen3-235b-a22b/a100.md": ("qwen3-235b-a22b", "a100-80gb", "Qwen3-235B-A22B"),
    "qwen3-235b-a22b/h100.md": ("qwen3-235b-a22b", "h100-80gb", "Qwen3-235B-A22B"),
    "qwen3-32b/a100.md": ("qwen3-32b", "a100-80gb", "Qwen3-32B"),
    "qwen3-32b/h100.md": ("qwen3-32b", "h100-80gb", "Qwen3-32B"),
    "qwen3-8b/h100-latency.md": ("qwen3-8b", "h100-80gb", "Qwen3-8B"),
}
ENGINES = {"vllm": "vLLM", "sglang": "SGLang", "tensorrt-llm": "TensorRT-LLM"}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True,
                          capture_output=True, text=True).stdout


def engine_of(script):
    if "sglang" in script:
        return "sglang"
    if "trtllm-serve" in script:
        return "tensorrt-llm"
    return "vllm"


def gpus_of(script):
    """GPUs and the parallelism as the catalog writes it (src/capacity/layout.rs):
    TPn, with EPn for expert parallelism (`--ep_size n`, or vLLM's
    `--enable-expert-parallel`, whose expert ranks are the TP x DP ranks)
    and DPn for data parallelism or SGLang's DP attention (its DP size
    defaults to the TP size)."""
    tp = re.search(r"(?:-tp|--tp-size|--tp|--tensor-parallel-size|--tp_size)[ =](\d+)", script)
    dp = re.search(r"(?:-dp|--dp-size|--dp|--data-parallel-size)[ =](\d+)", script)
    ep = re.search(r"(?:--ep_size|--ep-size|--expert-parallel-size)[ =](\d+)", script)
    tp = int(tp.group(1)) if tp else 1
    n = tp
    if dp and "enable-dp-attention" not in script:
        n *= int(dp.group(1))
    par = f"TP{tp}"
    if ep:
        par += f",EP{ep.group(1)}"
    elif "--enable-expert-parallel" in script:
        par += f",EP{n}"
    if dp:
        par += f",DP{dp.group(1)}"
    elif "--enable-dp-attention" in script:
        par += f",DP{tp}"
    return n, par


def precision_of(script, model):
    if re.search(r"FP4|fp4|AWQ|GPTQ|INT4|int4", script):  # 4-bit weights, as the catalog counts them
        return "fp4"
    if re.search(r"FP8|fp8", script) or model.startswith("deepseek"):
        return "fp8"  # DeepSeek R1 publishes FP8 weights
    return "bf16"


def number(block, label):
    m = re.search(re.escape(label) + r"\s+([0-9.]+)", block)
    return float(m.group(1)) if m else None


def versions(text):
    out = {}
    for key, name in ENGINES.items():
        m = re.search(rf"- {re.escape(name)}: (v?[0-9][\w.]*)", text)
        if m:
            out[key] = m.group(1)
    return out


def runs(text):
    """(heading, serving script, result block) in page order."""
    heading, script = "", None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("# ").strip()
        if "Serving script" in line or "Serving Command" in line:
            body = []
            i += 1
            while i < len(lines) and "```" not in lines[i]:
                i += 1
            i += 1
            while i < len(lines) and "```" not in lines[i]:
                body.append(lines[i].strip().rstrip("\\").strip())
                i += 1
            script = " ".join(body)
        if "Serving Benchmark Result" in line and script:
            block = []
            i += 1
            while i < len(lines) and set(lines[i].strip()) != {"="}:
                block.append(lines[i])
                i += 1
            yield heading, script, "\n".join(block)
        i += 1


def scalar(v):
    """A point's value as YAML: strings quoted, booleans lower-case."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return quote(v) if isinstance(v, str) else v


def main(repo):
    commit = git(repo, "rev-parse", "HEAD").strip()
    for page, (model, gpu, checkpoint) in PAGES.items():
        path = f"docs/performance-lab/{page}"
        text = git(repo, "show", f"HEAD:{path}")
        date = git(repo, "log", "-1", "--format=%ad", "--date=short", "--", path).strip()
        vers = versions(text)
        series = {}
        for heading, script, block in runs(text):
            if "speculative" in script or checkpoint not in script:
                continue
            n = number(block, "Successful requests:")
            inp, out = number(block, "Total input tokens:"), number(block, "Total generated tokens:")
            tput = number(block, "Output token throughput (tok/s):")
            if not (n and inp and out and tput) or out / n < 10:
                continue
            point = {"input_tokens": round(inp / n, 1), "output_tokens": round(out / n, 1),
                     "output_tokens_per_s": tput}
            conc = number(block, "Maximum request concurrency:")
            if conc:
                point["concurrency"] = int(conc)
            else:
                # Every request queued at once: a burst of n, whose lengths
                # spread (ShareGPT, or the random dataset without
                # --ignore-eos stopping early), hence its drain tail.
                point["requests"] = int(n)
                point["varied_lengths"] = True
            for key, label in [("ttft_ms", "Mean TTFT (ms):"), ("tpot_ms", "Mean TPOT (ms):")]:
                v = number(block, label)
                if v:
                    point[key] = v
            point["note"] = heading
            series.setdefault(script, []).append(point)
        for k, (script, points) in enumerate(series.items()):
            engine = engine_of(script)
            count, par = gpus_of(script)
            slug = page.replace("/", "-").replace(".md", "")
            print(f"  - id: gpustack-{slug}-{engine}-{k + 1}")
            print(f"    model: {model}")
            print(f"    gpu: {gpu}")
            print(f"    gpus: {count}")
            print(f"    parallelism: {par}")
            print(f"    precision: {precision_of(script, model)}")
            print(f"    engine: {engine}")
            print(f"    engine_version: {vers.get(engine, 'unknown')}")
            print("    load: max-throughput")
            print(f"    source: https://github.com/gpustack/gpustack/blob/{commit}/{path}")
            print(f"    date: {date}")
            print("    grade: A")
            print(f"    quote: {quote(script)}")
            print("    points:")
            for p in points:
                fields = ", ".join(f"{k}: {scalar(v)}" for k, v in p.items())
                print(f"      - {{{fields}}}")


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    main(sys.argv[1])
