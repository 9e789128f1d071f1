import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedSteps } from '../../src/domain/steps';
import { teardownLab } from '../../src/lab/teardown';
import { temporalUiUrl } from '../../src/temporal/config';
import { launchChromium } from '../helpers/browser';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker, leftovers } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';
import { killHard, startWorker } from '../helpers/processes';

// The real path a user takes: `lab drill` with its embedded Temporal dev server and in-process
// worker, against a real lite lab (kept between the first two drills to save minutes).
const LAB = ['--lab-id', 'it-drill', '--port-offset', String(PORT_OFFSETS.drill)];
const ARTIFACTS = resolve(__dirname, '../../test-results');
let passedDrill = '';

describe('the chapter drill on a real lite lab', { timeout: 600_000 }, () => {
  let docker: Docker;
  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, 'it-drill');
  });
  afterAll(() => teardownLab(docker, 'it-drill'));

  it('passes every step with every message accounted for', async () => {
    const r = await runLab(['drill', ...LAB, '--keep', '--json']);
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(r.code).toBe(0);
    // every step of the plan (kept lab: no teardown), in order, each passed
    expect(report.steps.map((s: { name: string; verdict: string }) => `${s.name}:${s.verdict}`)).toEqual(
      plannedSteps(report.config).map((s) => `${s}:passed`),
    );
    expect(report.accounting).toMatchObject({
      produced: 200,
      mirrored: 200,
      indexed: 200,
      lost: 0,
      reordered: 0,
      altered: 0,
      missingInIndex: 0,
    });
    expect(report.latency.count).toBeGreaterThanOrEqual(200);
    expect(report.latency.p99Ms).toBeGreaterThan(0);
    expect(report.schema.versions.length).toBeGreaterThanOrEqual(2);
    expect(report.metrics.every((m: { verdict: string }) => m.verdict === 'passed')).toBe(true);
    expect(report.consumer1Lag).toBe(0);
    passedDrill = report.drillId;
  });

  it('shows the drill and its steps in the Temporal UI, and its HTML report shows the verdict and the chart', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const html = resolve(ARTIFACTS, 'drill-report.html');
    const r = await runLab(['report', passedDrill, '--html', html, '--json']);
    expect(r.code).toBe(0);
    expect(jsonOf(r).verdict).toBe('passed');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      // The list finds it among the drills; its page shows the steps (activities, each with its step's
      // name as summary on the timeline) and the verdict.
      await page.goto(`${temporalUiUrl()}/namespaces/default/workflows`);
      await page.getByText(passedDrill).first().waitFor({ timeout: 30_000 });
      await page.goto(`${temporalUiUrl()}/namespaces/default/workflows/${passedDrill}`);
      for (const text of [
        'provisionDrillLab',
        'registerMirror',
        'verifyDelivery',
        'evolveSchema',
        'checkMetrics',
        '"verdict": "passed"',
        'verifyDelivery • verify-v1',
        'verifyDelivery • verify-v2',
      ]) {
        await expect.poll(async () => (await page.innerText('body')).includes(text), { timeout: 30_000, message: text }).toBe(true);
      }
      expect(await page.innerText('body')).toMatch(/Completed/);
      await page.screenshot({ path: resolve(ARTIFACTS, 'temporal-ui-drill.png'), fullPage: true });

      const report = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      await report.goto(pathToFileURL(html).href);
      expect(await report.innerText('#verdict')).toBe('PASSED');
      // a point per interval of produce time, at least one per generation, and no line across the gap between them
      expect(await report.locator('#latency-chart circle').count()).toBeGreaterThanOrEqual(2);
      const line = await report.locator('#latency-chart path.line').getAttribute('d');
      expect(line!.match(/M/g)!.length).toBeGreaterThanOrEqual(2);
      expect(await report.locator('#steps tbody tr').count()).toBe(10);
      expect(await report.innerText('#accounting')).toMatch(/200\s+200\s+200\s+0/);
      await report.screenshot({ path: resolve(ARTIFACTS, 'drill-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('a second drill on the kept lab proves its own v1 -> v2 evolution: a v2 that cannot read v1 fails', async () => {
    // The subject's latest version is the first drill's v2 (phone and age, defaulted). A v2 that adds
    // them without defaults reads that v2 fine, but not the v1 records this run writes first.
    const r = await runLab(['drill', ...LAB, '--keep', '--json', '--schema-v2', 'test/fixtures/student-v2-incompatible.avsc']);
    const report = jsonOf(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(1);
    expect(report.failedStep).toBe('evolve-schema');
    const step = report.steps.find((s: { name: string }) => s.name === 'evolve-schema');
    expect(step.error.type).toBe('SchemaIncompatible');
    expect(step.error.message).toMatch(/field "phone" was added without a default/);
  });

  it('fails at evolve-schema with the offending fields when v2 is not BACKWARD compatible', async () => {
    // A topic of its own, so the subject holds only v1 and both added fields are compared with it.
    const r = await runLab([
      'drill',
      ...LAB,
      '--keep',
      '--json',
      '--topic',
      'it-incompatible',
      '--schema-v2',
      'test/fixtures/student-v2-incompatible.avsc',
    ]);
    const report = jsonOf(r);
    expect(r.code).toBe(1);
    expect(report.failedStep).toBe('evolve-schema');
    const step = report.steps.find((s: { name: string }) => s.name === 'evolve-schema');
    expect(step.error.type).toBe('SchemaIncompatible');
    expect(step.error.message).toMatch(
      /not BACKWARD compatible: field "phone" was added without a default; field "age" was added without a default/,
    );
    expect(report.steps.map((s: { name: string }) => s.name)).not.toContain('produce-v2');
  });

  it('exits 4 (a bug, not a verdict) and names the step when an activity has a programming error', async () => {
    // A worker whose createTopic reads a property of undefined; the drill runs on it alone.
    const queue = `it-planted-bug-${process.pid}`;
    const env = { LAB_WORKER: 'external', LAB_TASK_QUEUE: queue };
    const worker = startWorker(env, 'test/helpers/planted-bug-worker.ts');
    try {
      const r = await runLab(['drill', ...LAB, '--keep', '--json', '--topic', 'it-planted-bug'], env);
      const report = jsonOf(r);
      expect(r.code, r.stderr.slice(-2000)).toBe(4);
      expect(report.failedStep).toBe('create-topic');
      const step = report.steps.find((s: { name: string }) => s.name === 'create-topic');
      expect(step.error.type).toBe('TypeError');
      expect(step.error.message).toMatch(/Cannot read properties of undefined \(reading 'partitions'\)/);
    } finally {
      await killHard(worker);
    }
  });

  it('reports a real loss when mirrored records are deleted before verification, then tears the lab down', async () => {
    const r = await runLab(['drill', ...LAB, '--json', '--delete-mirrored', '5', '--verify-timeout', '45']);
    const report = jsonOf(r);
    expect(r.code).toBe(1);
    expect(report.failedStep).toBe('verify-v1');
    expect(report.accounting.lost).toBe(5);
    expect(report.accounting.mirrored).toBe(95);
    // consumer-2 may have indexed them before they were deleted: the index is a separate account
    // the upstream topic still holds them: the verdict says the mirror's side lost them
    expect(report.accounting.lostUpstream).toBe(0);
    expect(report.steps.find((s: { name: string }) => s.name === 'verify-v1').error.message).toMatch(
      /5 lost \(e\.g\. seq 0, 3, 6, 9, 12\): all of them are in the upstream topic, so the mirror lost them/,
    );
    expect(report.steps.at(-1)).toMatchObject({ name: 'teardown', verdict: 'passed' });
    expect(await leftovers(docker, 'it-drill')).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
