/**
 * Repeat benchmark: runs the lite drill N times in a row, each on a fresh lab (provisioned and torn
 * down by the drill, as a user's `lab drill` does), and prints the pass rate and each step's median
 * and worst duration. Not a test: it prints a table.
 *
 *   npm run bench:repeat -- [--runs 10] [--keep] [drill flags, e.g. --messages 1000]
 *
 * --keep reuses one lab across runs (quicker; it no longer tests a fresh lab's first scrapes).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { renderTable } from '../src/cli/table';

const args = process.argv.slice(2);
const take = (flag: string) => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const [v] = args.splice(i, 2).slice(1);
  return v;
};
const runs = Number(take('--runs') ?? 10);
const keep = args.includes('--keep');
const lab = ['--lab-id', 'bench-repeat', '--port-offset', '7000'];

interface Step {
  name: string;
  verdict: string;
  durationMs: number;
  summary: string;
}
const results: { run: number; code: number; verdict: string; failedStep?: string; seconds: number; steps: Step[] }[] = [];
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [resolve(__dirname, '../bin/lab.js'), 'drill', ...lab, '--json', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  let report: { verdict: string; failedStep?: string; steps: Step[] } = { verdict: 'no report', steps: [] };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    process.stderr.write(r.stderr.slice(-2000));
  }
  const seconds = (Date.now() - started) / 1000;
  results.push({ run, code: r.status ?? -1, verdict: report.verdict, failedStep: report.failedStep, seconds, steps: report.steps ?? [] });
  const failed = report.steps?.find((s) => s.name === report.failedStep);
  process.stderr.write(
    `run ${run}/${runs}: ${report.verdict} (exit ${r.status}) in ${seconds.toFixed(0)} s${failed ? ` at ${failed.name}: ${failed.summary}` : ''}\n`,
  );
}
if (keep) spawnSync(process.execPath, [resolve(__dirname, '../bin/lab.js'), 'down', '--lab-id', 'bench-repeat'], { stdio: 'inherit' });

const passed = results.filter((r) => r.verdict === 'passed' && r.code === 0).length;
const names = [...new Set(results.flatMap((r) => r.steps.map((s) => s.name)))];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const rows = names.map((n) => {
  const ds = results.flatMap((r) => r.steps.filter((s) => s.name === n).map((s) => s.durationMs / 1000));
  const fails = results.filter((r) => r.steps.some((s) => s.name === n && s.verdict === 'failed')).length;
  return [n, ds.length, fails, median(ds).toFixed(1), Math.max(...ds).toFixed(1)];
});
rows.push([
  '(whole drill)',
  results.length,
  results.length - passed,
  median(results.map((r) => r.seconds)).toFixed(1),
  Math.max(...results.map((r) => r.seconds)).toFixed(1),
]);
process.stdout.write(
  `\nlite drill x ${runs}${keep ? ' (one kept lab)' : ' (fresh lab each run)'}${args.length ? ` with ${args.join(' ')}` : ''}: ${passed}/${runs} passed\n\n`,
);
process.stdout.write(`${renderTable(['step', 'runs', 'failed', 'median s', 'worst s'], rows)}\n`);
process.exitCode = passed === runs ? 0 : 1;
