// Job 2 of the price diff (.github/workflows/price-diff-comment.yml): post or
// update the pull-request comment from job 1's artifact. The artifact was made
// by a job that a pull request can change (its workflow file is the pull
// request's own), so everything in it is untrusted data: the number must be
// digits and name an open pull request whose head is the commit job 1 ran on,
// the body must fit a comment, a pull request that changes `.github/` (or
// more files than GitHub's list holds) gets a fixed note, and only a comment written by this workflow's
// own account and starting with the marker is ever updated. The pure checks
// are exported for `node --test .github/scripts/` (run by .ci/run).
'use strict';

const fs = require('fs');
const path = require('path');

const MARKER = '<!-- infercost-diff -->';
// What GitHub accepts in one comment, in characters.
const MAX_COMMENT_CHARS = 65536;
// The account that GITHUB_TOKEN posts as.
const BOT = 'github-actions[bot]';

/** The pull request number in the artifact's `pr-number` text, or an error. */
function prNumber(text) {
  const trimmed = String(text).trim();
  if (!/^[0-9]{1,9}$/.test(trimmed)) {
    throw new Error(`pr-number is not a pull request number: ${JSON.stringify(trimmed.slice(0, 40))}`);
  }
  return Number(trimmed);
}

/** The comment's body: the marker, then the artifact's Markdown, size-checked. */
function commentBody(markdown) {
  const body = `${MARKER}\n${markdown}`;
  if (body.length > MAX_COMMENT_CHARS) {
    throw new Error(`the comment is ${body.length} characters; GitHub takes at most ${MAX_COMMENT_CHARS}`);
  }
  return body;
}

/** The body posted instead of the diff when the pull request changes the workflows (or may: its file list is cut). */
function workflowsChangedBody() {
  return `${MARKER}\n### infercost diff not posted\n\nThis pull request changes files under \`.github/\` (or more files than GitHub lists, which could), which job 1 of the price diff runs; its comment is not posted automatically. A maintainer can run \`infercost diff\` locally (README, "Review a price change").\n`;
}

/**
 * Whether the pull request may change `.github/`: a listed file is under it,
 * or the list is not whole. GitHub lists at most 3,000 files of a pull
 * request; when `changed_files` says there are more (or is not a count),
 * the unlisted ones could be workflows, so the answer is yes.
 */
function mayChangeWorkflows(files, changedFiles) {
  const whole = Number.isSafeInteger(changedFiles) && changedFiles >= 0 && files.length >= changedFiles;
  return !whole || files.some((f) => typeof f.filename !== 'string' || f.filename.startsWith('.github/'));
}

/** Our previous comment: written by this workflow's account and starting with the marker. */
function previousComment(comments) {
  return comments.find((c) => c.user && c.user.login === BOT && c.user.type === 'Bot'
    && typeof c.body === 'string' && c.body.startsWith(MARKER));
}

async function run({ github, context, core, dir, headSha }) {
  const { owner, repo } = context.repo;
  const read = (name) => {
    const file = path.join(dir, name);
    const size = fs.statSync(file).size;
    if (size > 4 * MAX_COMMENT_CHARS) {
      throw new Error(`${name} is ${size} bytes; expected a comment`);
    }
    return fs.readFileSync(file, 'utf8');
  };
  const issue_number = prNumber(read('pr-number'));
  const { data: pull } = await github.rest.pulls.get({ owner, repo, pull_number: issue_number });
  if (pull.state !== 'open' || pull.head.sha !== headSha) {
    throw new Error(`pull request #${issue_number} is not the open pull request at ${headSha}; not commenting`);
  }
  const files = await github.paginate(github.rest.pulls.listFiles, {
    owner, repo, pull_number: issue_number, per_page: 100,
  });
  const body = mayChangeWorkflows(files, pull.changed_files)
    ? workflowsChangedBody()
    : commentBody(read('comment.md'));
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner, repo, issue_number, per_page: 100,
  });
  const previous = previousComment(comments);
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    core.info(`updated comment ${previous.id} on #${issue_number}`);
  } else {
    await github.rest.issues.createComment({ owner, repo, issue_number, body });
    core.info(`commented on #${issue_number}`);
  }
}

module.exports = {
  MARKER, MAX_COMMENT_CHARS, BOT, prNumber, commentBody, workflowsChangedBody, mayChangeWorkflows,
  previousComment, run,
};
