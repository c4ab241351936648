//! The two examples that end each command's `--help` (clap's `after_help`):
//! real command lines that run on the bundled profiles.

pub(super) const REPORT: &str = "\
Examples:
  infercost report --only support-chat,voice-agent --out out
  infercost report --shortlist baseten,fireworks,together --format md";

pub(super) const COMPARE: &str = "\
Examples:
  infercost compare support-chat
  infercost compare batch-enrichment --exclude groq --wide";

pub(super) const QUOTE: &str = "\
Examples:
  infercost quote --model llama-3.3-70b --requests-per-day 200000 --input-tokens 1000 \\
    --output-tokens 300 --shape business-hours --shortlist baseten,fireworks
  infercost quote --model gpt-oss-120b --episodes-per-day 5000 --turns 8 \\
    --initial-prompt-tokens 3000 --context-growth-per-turn 800 --generation-tokens 400 \\
    --save workloads/agent.yaml";

pub(super) const VALIDATE: &str = "\
Examples:
  infercost validate
  infercost validate --vendors vendors --workloads workloads --max-age-days 30";

pub(super) const DIFF: &str = "\
Examples:
  infercost diff --base-rev main
  infercost diff --base dir:base --head dir:head --fail-on-cost-increase 10";

pub(super) const SCHEMA: &str = "\
Examples:
  infercost schema --kind vendor > vendor.schema.json
  infercost schema --kind workload";

pub(super) const CATALOG: &str = "\
Examples:
  infercost catalog
  infercost catalog --markdown";

pub(super) const IMPORT: &str = "\
Examples:
  infercost import genai-prices genai-prices.json --check
  infercost import litellm litellm.json --verbose";

pub(super) const CAPACITY: &str = "\
Examples:
  infercost capacity llama-3.3-70b --gpu h100-80gb
  infercost capacity meta-llama/Llama-3.3-70B-Instruct --gpu h200-141gb --input-tokens 1200 \\
    --output-tokens 250 --concurrency 8";

pub(super) const SIMULATE: &str = "\
Examples:
  infercost simulate support-chat --vendor modal
  infercost simulate bursty-prototype --days 2 --seed 7 --format json";

pub(super) const COMPLETIONS: &str = "\
Examples:
  infercost completions bash > ~/.local/share/bash-completion/completions/infercost
  infercost completions zsh > ~/.zfunc/_infercost";

pub(super) const MAN: &str = "\
Examples:
  infercost man > infercost.1 && man ./infercost.1
  infercost man quote > infercost-quote.1";

pub(super) const FIT: &str = "\
Examples:
  infercost fit requests.csv --model llama-3.3-70b --out workloads/my-traffic.yaml
  infercost fit traces/*.jsonl --format mooncake --model gpt-oss-120b";

pub(super) const REPLAY: &str = "\
Examples:
  infercost replay requests.csv --workload workloads/my-traffic.yaml
  infercost replay requests.csv --workload support-chat --format json";
