#!/usr/bin/env bash
# The weekly price sync, run by .github/workflows/price-sync.yml and by hand:
# fetch the newest genai-prices data.json and LiteLLM price map, import both
# into vendors/, and write the pull-request body (the `infercost diff` of the
# change, then what each import did) into $OUT. Nothing here talks to GitHub;
# the workflow commits, pushes and opens or updates the pull request.
#
# Environment (all optional):
#   INFERCOST          the binary                [target/release/infercost]
#   GENAI_PRICES_URL   genai-prices data.json    [raw.githubusercontent.com, main]
#   LITELLM_URL        LiteLLM price map         [raw.githubusercontent.com, main]
#   AS_OF              prices in force on        [today, UTC]
#   OUT                folder for the results    [price-sync-out]
#
# Writes $OUT/genai-prices.json, $OUT/litellm.json, $OUT/import.txt,
# $OUT/body.md and $OUT/changed ("true" or "false").
# Exit status: 0 (changed or not), 2 when a map is refused (nothing written
# to vendors/ by that import), other non-zero when a download fails.
set -euo pipefail

INFERCOST=${INFERCOST:-target/release/infercost}
GENAI_PRICES_URL=${GENAI_PRICES_URL:-https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json}
LITELLM_URL=${LITELLM_URL:-https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json}
AS_OF=${AS_OF:-$(date -u +%F)}
OUT=${OUT:-price-sync-out}

mkdir -p "$OUT"
# --fail: an HTTP error is an error, not a saved error page; the importers
# refuse a truncated file anyway.
curl --fail --silent --show-error --location --max-time 120 -o "$OUT/genai-prices.json" "$GENAI_PRICES_URL"
curl --fail --silent --show-error --location --max-time 120 -o "$OUT/litellm.json" "$LITELLM_URL"

: > "$OUT/import.txt"
for map in genai-prices litellm; do
  # Exit status 2 (bad input) stops the sync; set -e does it.
  "$INFERCOST" import "$map" "$OUT/$map.json" --vendors vendors --as-of "$AS_OF" --verbose >> "$OUT/import.txt"
done

if git diff --quiet -- vendors; then
  echo false > "$OUT/changed"
  echo "price sync: the profiles already agree with both maps" > "$OUT/body.md"
  exit 0
fi
echo true > "$OUT/changed"

# The diff of the change: the committed profiles against the imported ones.
# Exit status 1 is diff's pick-change gate, which is not used here.
"$INFERCOST" diff --base HEAD --as-of "$AS_OF" > "$OUT/diff.md"
{
  echo "<!-- infercost-price-sync -->"
  echo "Weekly price sync: genai-prices and LiteLLM imported on $AS_OF (\`scripts/price-sync.sh\`)."
  echo
  cat "$OUT/diff.md"
  echo
  echo "<details><summary>What the imports did (changes, disagreements, unmapped map entries)</summary>"
  echo
  echo '```text'
  grep -v '^unmapped' "$OUT/import.txt" || true
  echo "$(grep -c '^unmapped' "$OUT/import.txt" || true) map entries have no canonical id (see the job log)"
  echo '```'
  echo
  echo "</details>"
} > "$OUT/body.md"
