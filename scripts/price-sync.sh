#!/usr/bin/env bash
# The weekly price sync, job 1 of .github/workflows/price-sync.yml (read-only
# token), also run by hand: fetch the newest genai-prices data.json and
# LiteLLM price map, import both into vendors/, and leave in $OUT what job 2
# (.github/scripts/publish-price-sync.sh, write token, no build) publishes:
# the patch of vendors/ and the pull-request body (the `infercost diff` of
# the change, then what each import did). Nothing here talks to GitHub.
#
# The maps are third-party data: everything the imports and the diff print
# goes to the log between `::stop-commands::` and its random token (the log
# runs no workflow command a map's text spells), with control characters
# replaced by `?`; in the body it sits in a fence longer than any backtick
# run it holds, and the body is cut below GitHub's 65,536 characters as the
# price-diff comment is (`infercost diff --max-bytes`).
#
# Environment (all optional):
#   INFERCOST          the binary                [target/release/infercost]
#   GENAI_PRICES_URL   genai-prices data.json    [raw.githubusercontent.com, main]
#   LITELLM_URL        LiteLLM price map         [raw.githubusercontent.com, main]
#   AS_OF              prices in force on        [today, UTC]
#   OUT                folder for the results    [price-sync-out]
#   MAX_BYTES          the body's size limit     [60000]
#
# Writes $OUT/genai-prices.json, $OUT/litellm.json, $OUT/import.txt (what
# the imports printed), $OUT/diff.md (the whole diff), $OUT/vendors.patch,
# $OUT/body.md and $OUT/changed ("true" or "false").
# Exit status: 0 (changed or not), 2 when a map is refused (nothing written
# to vendors/ by that import), other non-zero when a download fails.
set -euo pipefail

INFERCOST=${INFERCOST:-target/release/infercost}
GENAI_PRICES_URL=${GENAI_PRICES_URL:-https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json}
LITELLM_URL=${LITELLM_URL:-https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json}
AS_OF=${AS_OF:-$(date -u +%F)}
OUT=${OUT:-price-sync-out}
# A body holds 65,536 characters, and a byte limit is a character limit too.
MAX_BYTES=${MAX_BYTES:-60000}
case "$MAX_BYTES" in
  '' | *[!0-9]*) echo "MAX_BYTES must be digits, got '$MAX_BYTES'" >&2; exit 64 ;;
esac

# Control characters other than tab and line feed become `?` (a carriage
# return ends a line in Markdown, an escape sequence colours a terminal).
inert() { LC_ALL=C tr '\000-\010\013-\037\177' '?'; }

# The longest run of backticks in file $1 (0 when none).
longest_backtick_run() {
  { LC_ALL=C grep -a -o '`\+' "$1" || true; } | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'
}

# A fence for the text of file $1: more backticks than any run in it, at least 3.
fence_for() {
  local n
  n=$(longest_backtick_run "$1")
  n=$((n < 3 ? 3 : n + 1))
  printf '%*s' "$n" '' | tr ' ' '`'
}

# File $1 cut to at most $2 bytes at a line end (whole lines only).
cut_at_line() {
  if [ "$(wc -c <"$1")" -le "$2" ]; then
    cat "$1"
  else
    head -c "$2" "$1" | sed '$d'
  fi
}

mkdir -p "$OUT"
# --fail: an HTTP error is an error, not a saved error page; the importers
# refuse a truncated file anyway.
curl --fail --silent --show-error --location --max-time 120 -o "$OUT/genai-prices.json" "$GENAI_PRICES_URL"
curl --fail --silent --show-error --location --max-time 120 -o "$OUT/litellm.json" "$LITELLM_URL"

# From here on the log carries the maps' text: no workflow commands until
# the token (random, so a map cannot spell it) ends the pause at exit.
token="price-sync-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo "::stop-commands::$token"
trap 'echo "::$token::"' EXIT

: >"$OUT/import.txt"
for map in genai-prices litellm; do
  status=0
  "$INFERCOST" import "$map" "$OUT/$map.json" --vendors vendors --as-of "$AS_OF" --verbose \
    >"$OUT/$map.out" 2>"$OUT/$map.err" || status=$?
  inert <"$OUT/$map.out" | tee -a "$OUT/import.txt"
  inert <"$OUT/$map.err" >&2
  # Exit status 2 (bad input) stops the sync.
  [ "$status" = 0 ] || exit "$status"
done

git diff --no-ext-diff --no-textconv --no-color -- vendors >"$OUT/vendors.patch"
if [ ! -s "$OUT/vendors.patch" ]; then
  echo false >"$OUT/changed"
  echo "price sync: the profiles already agree with both maps" >"$OUT/body.md"
  exit 0
fi
echo true >"$OUT/changed"

# What the imports did, without the unmapped entries (the log lists them),
# cut to a quarter of the body; the rest of the body is the diff's.
grep -v '^unmapped' "$OUT/import.txt" >"$OUT/import-shown.txt" || true
lines=$(wc -l <"$OUT/import-shown.txt")
cut_at_line "$OUT/import-shown.txt" $((MAX_BYTES / 4)) >"$OUT/import-cut.txt"
shown=$(wc -l <"$OUT/import-cut.txt")
if [ "$shown" -lt "$lines" ]; then
  echo "(the first $shown of $lines lines; the job log and the price-sync artifact have all)" >>"$OUT/import-cut.txt"
fi
echo "$(grep -c '^unmapped' "$OUT/import.txt" || true) map entries have no canonical id (see the job log)" >>"$OUT/import-cut.txt"
fence=$(fence_for "$OUT/import-cut.txt")
{
  echo
  echo "<details><summary>What the imports did (changes, disagreements, unmapped map entries)</summary>"
  echo
  echo "${fence}text"
  cat "$OUT/import-cut.txt"
  echo "$fence"
  echo
  echo "</details>"
} >"$OUT/imports.md"
{
  echo "<!-- infercost-price-sync -->"
  echo "Weekly price sync: genai-prices and LiteLLM imported on $AS_OF (\`scripts/price-sync.sh\`)."
  echo
} >"$OUT/head.md"

# The diff of the change: the committed profiles against the imported ones,
# whole (artifact, job summary) and cut to the room the body has left.
# Exit status 1 is diff's pick-change gate, which is not used here.
"$INFERCOST" diff --base HEAD --as-of "$AS_OF" >"$OUT/diff.md"
room=$((MAX_BYTES - $(wc -c <"$OUT/head.md") - $(wc -c <"$OUT/imports.md")))
"$INFERCOST" diff --base HEAD --as-of "$AS_OF" --max-bytes "$room" \
  --cut-note "The whole diff is in the job summary and the \`price-sync\` artifact of the workflow run." \
  >"$OUT/diff-cut.md"
cat "$OUT/head.md" "$OUT/diff-cut.md" "$OUT/imports.md" >"$OUT/body.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  # The summary holds 1 MiB; past that, the artifact has the whole diff.
  head -c 1000000 "$OUT/diff.md" >>"$GITHUB_STEP_SUMMARY"
fi
size=$(wc -c <"$OUT/body.md")
if [ "$size" -gt "$MAX_BYTES" ]; then
  echo "the pull-request body is $size bytes, over the $MAX_BYTES-byte limit" >&2
  exit 1
fi
