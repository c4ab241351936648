#!/usr/bin/env bash
# Regenerates tests/fixtures/pool_simulated.json: every dedicated option of
# every bundled workload run through the seeded pool simulation
# (`infercost simulate`, release build, seed 7), with enough days that the
# billed figure's 95% CI is within about ±1% (days per workload below: about
# 3 million arrivals, at most the command's 1,000 days; Fireworks, whose
# 3,600 s idle window makes days vary more, ten times as many, at most what
# `simulate` runs in all). tests/it/pool_bill.rs compares the report's bills
# with it, and the closed form's cold-start wait share with the simulated
# share and its 95% CI. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/infercost
out=tests/fixtures/pool_simulated.json
days() {
  case "$1" in
    agent-rl-rollouts) echo 40 ;;
    batch-enrichment) echo 32 ;;
    bursty-10k) echo 300 ;;
    bursty-prototype) echo 1000 ;;
    internal-tool) echo 150 ;;
    lora-finetune) echo 6 ;;
    regulated-health) echo 50 ;;
    support-chat) echo 4 ;;
    voice-agent) echo 20 ;;
  esac
}
{
  echo '['
  first=1
  for w in agent-rl-rollouts batch-enrichment bursty-10k bursty-prototype internal-tool lora-finetune regulated-health support-chat voice-agent; do
    [ $first = 1 ] || echo ','
    first=0
    d=$(days "$w")
    fd=$((d * 10 > 1000 ? 1000 : d * 10))
    {
      "$bin" simulate "$w" --as-of 2026-12-01 --days "$d" --seed 7 --format json
      "$bin" simulate "$w" --as-of 2026-12-01 --days "$fd" --seed 7 --vendor fireworks --format json
    } | jq -s -c --arg w "$w" '{workload: $w, seed: 7, options: ([.[0].options[] | select(.option | startswith("fireworks ") | not)] + .[1].options | map({option, days: .simulated.days, simulated: .simulated.billed_replica_hours_per_day, ci95: .simulated.billed_ci95, wait_share: .simulated.cold_start_wait_share, wait_ci95: .simulated.cold_start_wait_share_ci95}))}'
  done
  echo ']'
} > "$out.tmp"
mv "$out.tmp" "$out"
