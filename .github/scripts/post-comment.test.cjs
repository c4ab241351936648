// Tests of the posting script (`node --test .github/scripts/`): the checks
// that treat job 1's artifact as untrusted, and a whole run against a fake
// GitHub client.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const post = require('./post-comment.cjs');

test('the pull request number must be digits', () => {
  assert.strictEqual(post.prNumber('42\n'), 42);
  for (const bad of ['', '4 2', '42; rm -rf /', '-1', '1e3', '0x10', '1234567890']) {
    assert.throws(() => post.prNumber(bad), /not a pull request number/, bad);
  }
});

test('a body over the comment limit is refused', () => {
  assert.ok(post.commentBody('x').startsWith(`${post.MARKER}\n`));
  const room = post.MAX_COMMENT_CHARS - post.MARKER.length - 1;
  assert.strictEqual(post.commentBody('x'.repeat(room)).length, post.MAX_COMMENT_CHARS);
  assert.throws(() => post.commentBody('x'.repeat(room + 1)), /65537 characters/);
});

test('only our own account\'s comment that starts with the marker is updated', () => {
  const bot = { login: post.BOT, type: 'Bot' };
  const comments = [
    { id: 1, user: { login: 'mallory', type: 'User' }, body: post.MARKER },
    { id: 2, user: { login: 'other[bot]', type: 'Bot' }, body: post.MARKER },
    { id: 3, user: bot, body: `quoting ${post.MARKER}` },
    { id: 4, user: bot, body: `${post.MARKER}\nold diff` },
  ];
  assert.strictEqual(post.previousComment(comments).id, 4);
  assert.strictEqual(post.previousComment(comments.slice(0, 3)), undefined);
});

/** A fake client that records what the script did. */
function fakeGithub({ headSha, files, comments, changedFiles = files.length }) {
  const calls = [];
  const api = {
    pulls: {
      get: async () => ({ data: { state: 'open', head: { sha: headSha }, changed_files: changedFiles } }),
      listFiles: 'listFiles',
    },
    issues: {
      listComments: 'listComments',
      updateComment: async (args) => calls.push(['update', args]),
      createComment: async (args) => calls.push(['create', args]),
    },
  };
  const paginate = async (what) => (what === 'listFiles' ? files : comments);
  return { github: { rest: api, paginate }, calls };
}

function artifact(pr, markdown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'price-diff-'));
  fs.writeFileSync(path.join(dir, 'pr-number'), pr);
  fs.writeFileSync(path.join(dir, 'comment.md'), markdown);
  return dir;
}

const context = { repo: { owner: 'o', repo: 'r' } };
const core = { info: () => {} };

test('a run updates our comment, or refuses a pull request at another head', async () => {
  const dir = artifact('7\n', '### infercost diff: 1 pick changed\n');
  const bot = { login: post.BOT, type: 'Bot' };
  const { github, calls } = fakeGithub({
    headSha: 'abc', files: [{ filename: 'vendors/groq.yaml' }],
    comments: [{ id: 9, user: bot, body: `${post.MARKER}\nold` }],
  });
  await post.run({ github, context, core, dir, headSha: 'abc' });
  assert.deepStrictEqual(calls, [['update', {
    owner: 'o', repo: 'r', comment_id: 9, body: `${post.MARKER}\n### infercost diff: 1 pick changed\n`,
  }]]);
  await assert.rejects(post.run({ github, context, core, dir, headSha: 'other' }), /not the open pull request/);
});

test('a pull request that changes .github/ gets a fixed note, not its own body', async () => {
  const dir = artifact('7', 'anything the changed workflow wrote');
  const { github, calls } = fakeGithub({
    headSha: 'abc', files: [{ filename: '.github/workflows/price-diff.yml' }], comments: [],
  });
  await post.run({ github, context, core, dir, headSha: 'abc' });
  assert.strictEqual(calls[0][0], 'create');
  assert.strictEqual(calls[0][1].body, post.workflowsChangedBody());
});

test('a file list GitHub cut (3,000 of more files) is taken to change .github/', () => {
  const listed = Array.from({ length: 3000 }, (_, i) => ({ filename: `vendors/v${i}.yaml` }));
  assert.strictEqual(post.mayChangeWorkflows(listed, 3000), false);
  assert.strictEqual(post.mayChangeWorkflows(listed, 3001), true);
  assert.strictEqual(post.mayChangeWorkflows(listed, undefined), true);
  assert.strictEqual(post.mayChangeWorkflows(listed, '3000'), true);
  assert.strictEqual(post.mayChangeWorkflows([{ filename: '.github/x' }], 1), true);
  assert.strictEqual(post.mayChangeWorkflows([{}], 1), true);
});

test('a pull request with more files than the list holds gets the fixed note', async () => {
  const dir = artifact('7', 'anything the changed workflow wrote');
  const files = Array.from({ length: 3000 }, (_, i) => ({ filename: `vendors/v${i}.yaml` }));
  const { github, calls } = fakeGithub({ headSha: 'abc', files, changedFiles: 3001, comments: [] });
  await post.run({ github, context, core, dir, headSha: 'abc' });
  assert.strictEqual(calls[0][1].body, post.workflowsChangedBody());
});
