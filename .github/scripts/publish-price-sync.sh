#!/usr/bin/env bash
# Job 2 of the weekly price sync (.github/workflows/price-sync.yml): the job
# that holds the write token. It builds nothing and runs no infercost; it
# takes job 1's artifact (scripts/price-sync.sh's vendors.patch, body.md and
# changed) as untrusted data and
#   1. checks it: `changed` is true or false, the body starts with the
#      sync's marker and fits a pull request (65,536 characters with
#      the line naming the commit), the patch
#      is at most 8 MiB, only modifies existing vendors/*.yaml files (no new,
#      deleted, renamed, binary or mode-changed file) and applies cleanly;
#   2. applies it and commits it on the `price-sync` branch;
#   3. publishes in an order where the pull request never shows a body that
#      describes other commits than its branch: an open pull request's body
#      is first replaced by a note that it is being updated, then the branch
#      is pushed, then the new body (naming the commit) is set; without an
#      open pull request, the branch is pushed and the pull request opened
#      with its body.
# Usage: publish-price-sync.sh ARTIFACT_DIR
# Environment: REPO (owner/name), GH_TOKEN (for gh and the push);
# PUSH_URL overrides where the branch goes (tests push to a local folder).
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 ARTIFACT_DIR" >&2
  exit 64
fi
dir=$1
branch=price-sync
marker='<!-- infercost-price-sync -->'
# GitHub's 65,536 characters, less room for the line naming the commit.
max_body=$((65536 - 128))
max_patch=$((8 * 1024 * 1024))

fail() {
  echo "price sync not published: $*" >&2
  exit 1
}

# The size of file $1 in bytes, refused past $2.
small_file() {
  [ -f "$1" ] && [ ! -L "$1" ] || fail "$(basename "$1") is missing from the artifact"
  local size
  size=$(wc -c <"$1")
  [ "$size" -le "$2" ] || fail "$(basename "$1") is $size bytes, over $2"
}

small_file "$dir/changed" 16
case "$(cat "$dir/changed")" in
  false) echo "no price changed"; exit 0 ;;
  true) ;;
  *) fail "changed is neither true nor false" ;;
esac
small_file "$dir/body.md" "$max_body"
[ "$(head -n 1 "$dir/body.md")" = "$marker" ] || fail "body.md does not start with $marker"
small_file "$dir/vendors.patch" "$max_patch"
patch=$dir/vendors.patch

# Every path the patch touches, one a line: vendors/<name>.yaml only. A new,
# deleted or renamed file, a mode change or a binary patch is refused.
summary=$(git apply --summary "$patch") || fail "vendors.patch is not a patch git applies"
[ -z "$summary" ] || fail "vendors.patch creates, deletes, renames or changes the mode of files: $(printf '%s' "$summary" | head -c 300 | tr -c '[:print:]\n' '?')"
while IFS= read -r -d '' entry; do
  case "$entry" in
    -*) fail "vendors.patch holds a binary change" ;;
  esac
  path=${entry#*$'\t'}
  path=${path#*$'\t'}
  if ! printf '%s' "$path" | LC_ALL=C grep -Eqx 'vendors/[a-z0-9][a-z0-9_-]*\.yaml'; then
    fail "vendors.patch touches $(printf '%s' "$path" | head -c 200 | tr -c '[:print:]' '?'), not a vendors/*.yaml file"
  fi
done < <(git apply --numstat -z "$patch")
[ -n "$(git apply --numstat "$patch")" ] || fail "vendors.patch changes nothing"
git apply --check "$patch" || fail "vendors.patch does not apply to this commit"
git apply "$patch"
# What git says changed, checked again after applying.
while IFS= read -r -d '' entry; do
  if ! printf '%s' "$entry" | LC_ALL=C grep -Eqx ' M vendors/[a-z0-9][a-z0-9_-]*\.yaml'; then
    fail "after applying, the work tree has an unexpected change: $(printf '%s' "$entry" | head -c 200 | tr -c '[:print:]' '?')"
  fi
done < <(git status --porcelain=v1 -z --untracked-files=all)

git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git switch -q -C "$branch"
git commit -q -am "Price sync: genai-prices and LiteLLM imported"
commit=$(git rev-parse HEAD)
body=$(mktemp)
updating=$(mktemp)
trap 'rm -f "$body" "$updating"' EXIT
{ cat "$dir/body.md"; printf '\nThis body describes commit %s.\n' "$commit"; } >"$body"
printf '%s\n%s\n' "$marker" "The price sync is pushing a new commit to this branch; this body is replaced by its diff once the push is done. If it stays, the push failed: see the workflow run." >"$updating"
push_url=${PUSH_URL:-https://x-access-token:${GH_TOKEN}@github.com/${REPO}.git}

# The open pull request of the branch, if any; a failed query stops here
# (taking it for "none" would push under an open pull request's old body).
open_pr=$(gh pr list --repo "$REPO" --head "$branch" --state open --json number --jq '.[0].number // empty')
case "$open_pr" in
  *[!0-9]*) fail "gh pr list answered '$open_pr', not a pull request number" ;;
esac
if [ -n "$open_pr" ]; then
  gh pr edit "$open_pr" --repo "$REPO" --body-file "$updating"
  git push -q --force "$push_url" "$branch"
  gh pr edit "$open_pr" --repo "$REPO" --body-file "$body"
else
  git push -q --force "$push_url" "$branch"
  gh pr create --repo "$REPO" --head "$branch" --title "Price sync" --body-file "$body"
fi
echo "price sync published: $commit"
