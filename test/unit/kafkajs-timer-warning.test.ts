import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Node warns of the first negative timer of a process only, so each case runs in a fresh one.
const FILTER = resolve(__dirname, '../../src/clients/kafkajs-timer-warning.ts');
const KAFKAJS_TIMER = `
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');
  const noop = () => undefined;
  const queue = new RequestQueue({ logger: { debug: noop, info: noop, warn: noop, error: noop }, broker: 'b:9092' });
  queue.scheduleCheckPendingRequests(); // not throttled: setTimeout(..., -Date.now())
  clearTimeout(queue.throttleCheckTimeoutId);`;
const OWN_TIMER = 'clearTimeout(setTimeout(() => undefined, -5));';
const FILTERED = `require(${JSON.stringify(FILTER)}).dropKafkajsNegativeTimerWarning();`;

function stderrOf(code: string): string {
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { encoding: 'utf8', cwd: resolve(__dirname, '../..') });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

// Older Nodes clamp a negative timer to 1 ms without a warning: nothing to filter there.
const warnsOfNegativeTimers = Number(process.versions.node.split('.')[0]) >= 23;

describe.skipIf(!warnsOfNegativeTimers)("kafkajs' negative timer on Node >= 23 (skipped on older Nodes: they do not warn)", () => {
  it('warns without the filter (the warning this is about)', () => {
    expect(stderrOf(KAFKAJS_TIMER)).toContain('TimeoutNegativeWarning');
  });
  it('is dropped with the filter', () => {
    expect(stderrOf(FILTERED + KAFKAJS_TIMER)).not.toContain('TimeoutNegativeWarning');
  });
  it("still warns for a negative timer of the project's own", () => {
    expect(stderrOf(FILTERED + OWN_TIMER)).toContain('TimeoutNegativeWarning: -5 is a negative number');
  });
});
