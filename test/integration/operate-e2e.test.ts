import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { kafkaClient } from '../../src/clients/kafka';
import { readToEnd } from '../../src/kafka/topic-reader';
import { LAB_VERDICT } from '../../src/domain/search-attributes';
import { execIn } from '../../src/docker/exec';
import { ALERTS_PATH } from '../../src/lab/config/prometheus';
import { plannedSteps } from '../../src/domain/steps';
import { teardownLab } from '../../src/lab/teardown';
import { loadAlertRules } from '../../src/monitoring/assets';
import { evaluateMonitoring } from '../../src/monitoring/evaluate';
import { connectTemporal } from '../../src/temporal/dev-server';
import { pollUntil } from '../../src/util/poll';
import { sleep } from '../../src/util/sleep';
import { createDrillWorker } from '../../workers/create-worker';
import { runLab, type CliRun, jsonOf } from '../helpers/cli';
import { connectDocker, leftovers } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';
import { HOST_PORT_BASE } from '../../src/domain/ports';

// Daily use against the real lab and the real Temporal dev server: a nightly schedule that keeps
// its lab up, then a drill made to fail for real (Elasticsearch stopped) and retried from the
// failed step once Elasticsearch is back.
const LAB_ID = 'it-ops';
const LAB = ['--lab-id', LAB_ID, '--port-offset', String(PORT_OFFSETS.operate)];
const hostPort = (base: keyof typeof HOST_PORT_BASE) => HOST_PORT_BASE[base] + PORT_OFFSETS.operate;
const SCHEDULE = `it-nightly-${Date.now()}`;

describe('operating drills', { timeout: 900_000 }, () => {
  let docker: Docker;
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, LAB_ID);
    connection = await connectTemporal();
    client = new Client({ connection });
    worker = await createDrillWorker(); // what `npm run worker` runs, serving scheduled drills
    running = worker.run();
  });
  afterAll(async () => {
    await runLab(['schedule', 'delete', SCHEDULE]).catch(() => undefined);
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection?.close();
  });

  it('creates a schedule, refuses a duplicate and a bad cron, triggers it, and the drill keeps its lab', async () => {
    const created = await runLab([
      'schedule',
      'create',
      '--name',
      SCHEDULE,
      '--cron',
      '0 2 * * *',
      '--timezone',
      'Europe/Berlin',
      ...LAB,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(jsonOf(created).schedule).toMatchObject({
      name: SCHEDULE,
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      paused: false,
      input: { labId: LAB_ID, keepLab: true },
    });

    const again = await runLab(['schedule', 'create', '--name', SCHEDULE, '--cron', '0 2 * * *']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/schedule "it-nightly-\d+" exists already \(fix: /);
    const badCron = await runLab(['schedule', 'create', '--name', `${SCHEDULE}-bad`, '--cron', 'every night at two']);
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toMatch(/^error: .*(cron|invalid|parse).*\(fix: /im);
    expect((await runLab(['schedule', 'trigger', 'no-such-schedule'])).code).toBe(2);

    expect((await runLab(['schedule', 'trigger', SCHEDULE])).code).toBe(0);
    let workflowId: string | undefined;
    for (let i = 0; i < 60 && !workflowId; i++) {
      await sleep(1000);
      const list = JSON.parse((await runLab(['schedule', 'list', '--json'])).stdout);
      workflowId = list.schedules.find((s: { name: string }) => s.name === SCHEDULE)?.recent.at(-1)?.workflowId;
    }
    expect(workflowId).toBeDefined();
    const report = await client.workflow.getHandle(workflowId!).result();
    expect(report.verdict).toBe('passed');
    expect(report.steps.map((s: { name: string }) => s.name)).not.toContain('teardown');
    const status = JSON.parse((await runLab(['status', '--lab-id', LAB_ID, '--json'])).stdout);
    expect(status.state).toBe('up');
    expect(status.schedules.map((s: { name: string }) => s.name)).toContain(SCHEDULE);
    expect(status.drills.map((d: { workflowId: string }) => d.workflowId)).toContain(workflowId);

    for (const step of ['pause', 'unpause', 'delete']) expect((await runLab(['schedule', step, SCHEDULE])).code).toBe(0);
    expect(JSON.parse((await runLab(['schedule', 'list', '--json'])).stdout).schedules.map((s: { name: string }) => s.name)).not.toContain(
      SCHEDULE,
    );
  });

  it('warns when no worker polls, and a scheduled drill no worker runs ends timed out with LabVerdict "no worker"', async () => {
    const nobody = { LAB_TASK_QUEUE: `it-nobody-${Date.now()}` };
    const name = `${SCHEDULE}-noworker`;
    const created = await runLab(
      ['schedule', 'create', '--name', name, '--cron', '0 3 * * *', '--timeout', '0.25', '--lab-id', 'it-noworker', '--json'],
      nobody,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/warning: no worker polls task queue it-nobody-\d+/);
    expect(jsonOf(created).workerPolling).toBe(false);
    const triggered = await runLab(['schedule', 'trigger', name], nobody);
    expect(triggered.stderr).toMatch(/warning: no worker polls task queue/);
    const status = await runLab(['status', '--lab-id', 'it-noworker', '--json'], nobody);
    expect(jsonOf(status).workerPolling).toBe(false);
    let drill: { status: string; verdict?: string } | undefined;
    for (let i = 0; i < 90 && drill?.status !== 'TIMED_OUT'; i++) {
      await sleep(1000);
      for await (const w of client.workflow.list({ query: `WorkflowId STARTS_WITH "drill-scheduled-${name}"` })) {
        drill = { status: w.status.name, verdict: w.typedSearchAttributes.get(LAB_VERDICT) };
      }
    }
    expect(drill).toEqual({ status: 'TIMED_OUT', verdict: 'no worker' });
    expect((await runLab(['schedule', 'delete', name], nobody)).code).toBe(0);
  });

  it("every dashboard panel and alert rule finds data in the lab's Prometheus, and promtool accepts the rules", async () => {
    const { variables, results } = await evaluateMonitoring(`http://127.0.0.1:${hostPort('prometheus')}`);
    expect(variables.cluster?.sort()).toEqual(['downstream', 'upstream']);
    expect(variables.topic).toContain('src.peter-avro01-kafka1');
    const failing = results.filter((r) => !r.ok).map((r) => `${r.source}: ${r.error} [${r.expr}]`);
    expect(failing).toEqual([]);
    expect(results.filter((r) => r.source.includes('/')).length).toBe(14); // panels of both dashboards
    const check = await execIn(docker, `kafka-lab-${LAB_ID}-prometheus`, ['promtool', 'check', 'rules', ALERTS_PATH]);
    expect(check.output).toMatch(/SUCCESS: 6 rules found/);
    expect(check.code).toBe(0);
    const rules = (await fetch(`http://127.0.0.1:${hostPort('prometheus')}/api/v1/rules`).then((r) => r.json())) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((g: { rules: { name: string; health: string }[] }) => g.rules);
    expect(loaded.map((r: { name: string }) => r.name).sort()).toEqual(
      loadAlertRules()
        .map((r) => r.alert)
        .sort(),
    );
    expect(loaded.every((r: { health: string }) => r.health === 'ok')).toBe(true);
  });

  it('retries a drill that failed for real from the failed step, once the cause is gone', async () => {
    await worker.shutdown(); // the CLI runs its own worker from here on
    await running;
    const workflowId = `it-retry-${Date.now()}`;
    const drill = runLabInBackground(['drill', ...LAB, '--keep', '--json', '--verify-timeout', '20', '--workflow-id', workflowId]);
    // Stop Elasticsearch once v1 is produced: consumer-2 cannot index, verification runs out of attempts.
    const handle = client.workflow.getHandle(workflowId);
    for (let i = 0; i < 300; i++) {
      const p = await handle.query<{ completed: string[] }>('progress').catch(() => undefined);
      if (p?.completed.includes('start-apps')) break;
      await sleep(500);
    }
    await docker.getContainer(`kafka-lab-${LAB_ID}-elasticsearch`).stop();
    const failed = await drill;
    const failedReport = jsonOf(failed);
    // Elasticsearch did not answer: a service, not a verdict on the mirror
    expect(failed.code, failed.stderr.slice(-1500)).toBe(3);
    expect(failedReport.failedStep).toMatch(/^verify-v[12]$/);

    await docker.getContainer(`kafka-lab-${LAB_ID}-elasticsearch`).start();
    const r = await runLab(['retry', workflowId, '--json']);
    const retried = jsonOf(r);
    expect(r.stderr).toMatch(new RegExp(`retrying ${workflowId} from the failed step ${failedReport.failedStep}`));
    expect(retried.retry).toMatchObject({ mode: 'from-failed-step', failedStep: failedReport.failedStep, workflowId });
    expect(retried.verdict, r.stderr.slice(-1500)).toBe('passed');
    expect(r.code).toBe(0);
    expect(retried.accounting).toMatchObject({ lost: 0, produced: 200 });

    const passed = await runLab(['retry', workflowId]);
    expect(passed.code).toBe(2);
    expect(passed.stderr).toMatch(/passed; there is nothing to retry/);
    const unknown = await runLab(['report', 'no-such-drill']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no drill with workflow id "no-such-drill"/);
  });
});

describe('a drill against a target file', { timeout: 600_000 }, () => {
  afterAll(async () => teardownLab(await connectDocker(), LAB_ID));
  const TARGET = [
    'name: it-target',
    `upstream: { bootstrap: ["127.0.0.1:${hostPort('upstreamKafka')}"] }`,
    `downstream: { bootstrap: ["127.0.0.1:${hostPort('downstreamKafka')}"] }`,
    `connect: { url: "http://127.0.0.1:${hostPort('connect')}" }`,
    `schemaRegistry: { url: "http://127.0.0.1:${hostPort('schemaRegistry')}/apis/ccompat/v7" }`,
    `elasticsearch: { url: "http://127.0.0.1:${hostPort('elasticsearch')}" }`,
    `prometheus: { url: "http://127.0.0.1:${hostPort('prometheus')}" }`,
  ];
  const CONNECT = `kafka-lab-${LAB_ID}-connect-1`;
  // The lab of the tests above stands in for clusters the drill did not create.
  it('runs against the target without provisioning or tearing it down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-target-'));
    const target = join(dir, 'it-target.yaml');
    writeFileSync(target, TARGET.join('\n'));
    const r = await runLab(['drill', '--target', target, '--json']);
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-1500)).toBe('passed');
    expect(report.config).toMatchObject({ mode: 'attach', labId: 'target-it-target' });
    expect(report.steps[0].summary).toMatch(/attached to it-target/);
    expect(report.steps.find((s: { name: string }) => s.name === 'register-mirror').summary).toMatch(/unchanged/);
    expect(report.accounting).toMatchObject({ produced: 200, lost: 0 });
    const docker = await connectDocker();
    expect(JSON.parse((await runLab(['status', '--lab-id', LAB_ID, '--json'])).stdout).state).toBe('up');
    expect(await leftovers(docker, 'target-it-target')).toEqual({ containers: 0, networks: 0, volumes: 0 });

    // Verifying the flow without writing to it: mirror lag, index freshness, metrics.
    const observed = await runLab(['drill', '--target', target, '--no-produce', '--json']);
    const obs = jsonOf(observed);
    expect(obs.verdict, observed.stderr.slice(-1500)).toBe('passed');
    expect(obs.steps.map((s: { name: string }) => s.name)).toEqual(plannedSteps(obs.config));
    expect(obs.steps.find((s: { name: string }) => s.name === 'observe-flow').summary).toMatch(
      /mirror lag \d+ ms .* newest document \d+ s old/,
    );

    writeFileSync(target, `name: broken\nupstream: { bootstrap: ["127.0.0.1:${hostPort('upstreamKafka')}"] }\n`);
    const broken = await runLab(['drill', '--target', target]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/target file .* is missing downstream\.bootstrap, connect\.url/);
  });

  it('--no-produce names a stalled partition: the source connector paused while one partition receives records', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'lab-target-')), 'it-target.yaml');
    writeFileSync(target, TARGET.join('\n'));
    const connect = `http://127.0.0.1:${hostPort('connect')}/connectors/mm2-source-src`;
    const put = (verb: string) => fetch(`${connect}/${verb}`, { method: 'PUT' });
    expect((await put('pause')).status).toBe(202);
    try {
      // PUT pause only asks; a task still running would copy the record written below.
      await pollUntil(
        async () => {
          const st = (await (await fetch(`${connect}/status`)).json()) as { connector: { state: string }; tasks: { state: string }[] };
          const states = [st.connector.state, ...st.tasks.map((t) => t.state)];
          return states.every((s) => s === 'PAUSED') ? { done: true, value: undefined } : { done: false, detail: states.join(',') };
        },
        { timeoutMs: 30_000, intervalMs: 250, onTimeout: (d) => new Error(`mm2-source-src did not pause: ${d}`) },
      );
      // MirrorMaker 2 copies nothing now; the other partitions' newest records are downstream already.
      // Partition 1 gets its last record's value again (a valid Avro Student, so the apps read it).
      const kafka = kafkaClient([`127.0.0.1:${hostPort('upstreamKafka')}`], 'it-stalled');
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets('peter-avro01-kafka1');
      await admin.disconnect();
      const from = Object.fromEntries(ends.map((p) => [p.partition, p.partition === 1 ? String(BigInt(p.high) - 1n) : p.high]));
      let last: KafkaMessage | undefined;
      await readToEnd(kafka, 'peter-avro01-kafka1', from, (p, m) => void (p === 1 && (last = m)));
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'peter-avro01-kafka1',
        // a key of its own: a record the same as one already mirrored would be found downstream as its copy
        messages: [{ partition: 1, key: `stalled-${Date.now()}`, value: last!.value, headers: last!.headers }],
      });
      await producer.disconnect();
      const started = Date.now();
      const r = await runLab(['drill', '--target', target, '--no-produce', '--max-mirror-lag', '20', '--json']);
      const report = jsonOf(r);
      expect(r.code, r.stderr.slice(-1500)).toBe(1);
      expect(report.failedStep).toBe('observe-flow');
      const step = report.steps.find((s: { name: string }) => s.name === 'observe-flow');
      expect(step.error.message).toMatch(/partition 1: upstream offset \d+ \(produced .*\) is not downstream after 20 s/);
      expect(step.error.message).not.toMatch(/partition [02]/);
      expect(step.summary).toMatch(/p0 caught up, p1 not arrived, p2 caught up/);
      // failed within its bound (plus the drill's own steps), not after the default five minutes
      expect(Date.now() - started).toBeLessThan(150_000);
    } finally {
      expect((await put('resume')).status).toBe(202);
    }
  });

  it('kills the Connect worker only when the target file allows it, starts it again, and accounts for every message', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lab-target-')), 'it-target.yaml');
    writeFileSync(file, [...TARGET, 'faults: { allow: false }'].join('\n'));
    const refused = await runLab(['drill', '--target', file, '--fault', 'connect-kill:5']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: faults touch a target only when its file allows them/m);

    writeFileSync(file, [...TARGET, 'faults: { allow: true, connectWorkers: [kafka-lab-no-such-worker] }'].join('\n'));
    const missing = await runLab(['drill', '--target', file, '--fault', 'connect-kill:5']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/container kafka-lab-no-such-worker named for a fault is not on this Docker host/);

    // a container that is there but not running: the kill would hit nothing, so the step fails
    const docker = await connectDocker();
    const idle = await docker.createContainer({ name: 'kafka-lab-it-idle-worker', Image: 'kafka-lab/debian:bookworm', Cmd: ['true'] });
    try {
      writeFileSync(file, [...TARGET, 'faults: { allow: true, connectWorkers: [kafka-lab-it-idle-worker] }'].join('\n'));
      const idleRun = await runLab(['drill', '--target', file, '--json', '--fault', 'connect-kill:5'], {}, 600_000);
      const idleReport = jsonOf(idleRun);
      expect(idleRun.code, idleRun.stderr.slice(-2000)).toBe(1);
      expect(idleReport.failedStep).toBe('connect-kill');
      expect(idleReport.steps.find((s: { name: string }) => s.name === 'connect-kill').error.message).toMatch(
        /^SIGKILL to kafka-lab-it-idle-worker hit nothing: the container was not running/,
      );
    } finally {
      await idle.remove({ force: true });
    }

    writeFileSync(file, [...TARGET, `faults: { allow: true, connectWorkers: [${CONNECT}] }`].join('\n'));
    const r = await runLab(['drill', '--target', file, '--json', '--fault', 'connect-kill:5'], {}, 600_000);
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(report.steps.find((s: { name: string }) => s.name === 'connect-kill').verdict).toBe('passed');
    const { produced } = report.accounting;
    expect(produced).toBeGreaterThan(0);
    expect(report.accounting).toMatchObject({ mirrored: produced, indexed: produced, lost: 0, altered: 0 });
    const [fault] = report.faults;
    expect(fault).toMatchObject({ kind: 'connect-kill', targets: [CONNECT] });
    const connect = await docker.getContainer(CONNECT).inspect();
    expect(connect.State.Running).toBe(true);
    expect(Date.parse(connect.State.StartedAt)).toBeGreaterThan(fault.from);
    expect(await leftovers(docker, 'target-it-target')).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});

function runLabInBackground(args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(__dirname, '../../bin/lab.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}
