#!/usr/bin/env node
'use strict';
// Stops on an older Node with the fix, before anything fails obscurely (the Temporal SDK, kafkajs'
// schema registry and the worker image, which copies this Node binary, all need engines.node).
const need = Number(/\d+/.exec(require('../package.json').engines.node)[0]);
if (Number(process.versions.node.split('.')[0]) < need) {
  process.stderr.write(
    `error: kafka-lab needs Node >= ${need}, and ${process.execPath} is ${process.version} ` +
      `(fix: npm run setup, which links Node ${need} as /usr/local/bin/node, or ~/.local/bin/node when not root)\n`,
  );
  process.exit(3);
}
// Runs the TypeScript CLI directly (tsx), so a fresh clone needs no build step.
require('tsx/cjs');
require('../src/cli/main.ts');
