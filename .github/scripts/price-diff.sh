#!/usr/bin/env bash
# Job 1 of the price diff (.github/workflows/price-diff.yml): diff the pull
# request's profiles against the base's with an infercost built from the
# base, and leave in OUT_DIR what job 2 posts:
#   comment.md  the Markdown comment, cut below GitHub's 65,536-character limit
#   full.md     the whole diff (also appended to the job summary)
#   status      infercost's exit status (0, 1 for a tripped gate, 2 for errors)
#   pr-number   the pull request's number
# Runs the same on a laptop (README, "Review a price change"):
#   .github/scripts/price-diff.sh target/release/infercost BASE_DIR HEAD_DIR OUT_DIR PR [GATES...]
set -euo pipefail

if [ "$#" -lt 5 ]; then
  echo "usage: $0 INFERCOST BASE_DIR HEAD_DIR OUT_DIR PR_NUMBER [infercost diff flags...]" >&2
  exit 64
fi
infercost=$1 base=$2 head=$3 out=$4 pr=$5
shift 5
case "$pr" in
  '' | *[!0-9]*) echo "the pull request number must be digits, got '$pr'" >&2; exit 64 ;;
esac
mkdir -p "$out"

# A comment holds 65,536 characters; job 2 adds the marker line (25 bytes),
# and a byte limit is a character limit too.
max_bytes=60000
note="The whole diff is in the job summary of the \"price diff\" check and in its \`price-diff\` artifact."

set +e
"$infercost" diff --base-dir "$base" --head-dir "$head" "$@" >"$out/full.md" 2>"$out/diff.err"
status=$?
"$infercost" diff --base-dir "$base" --head-dir "$head" "$@" \
  --max-bytes "$max_bytes" --cut-note "$note" >"$out/comment.md" 2>/dev/null
set -e

if [ ! -s "$out/comment.md" ]; then
  # infercost itself failed to run (a usage error, a crash): say so plainly.
  printf '### infercost diff failed\n\ninfercost exited with status %s without a diff; see the log of the "price diff" check.\n' \
    "$status" >"$out/comment.md"
fi
echo "$status" >"$out/status"
echo "$pr" >"$out/pr-number"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  # The summary holds 1 MiB; past that, the artifact has the whole diff.
  head -c 1000000 "$out/full.md" >>"$GITHUB_STEP_SUMMARY"
fi
# Profile text could hold a line starting with `::` (a workflow command);
# infercost escapes line breaks in errors, and the log takes no commands
# while this token is in force.
token="price-diff-$RANDOM$RANDOM"
echo "::stop-commands::$token"
cat "$out/diff.err" >&2
echo "::$token::"
exit 0
