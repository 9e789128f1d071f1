import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { teardownLab } from '../../src/lab/teardown';
import { sleep } from '../../src/util/sleep';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker, leftovers, testLog } from '../helpers/lab';
import { killHard, startDrill, startWorker } from '../helpers/processes';
import { PORT_OFFSETS } from '../helpers/ports';

// A real Temporal deployment, on this machine: the Temporal server built from go.temporal.io/server
// (not the dev server) on its own PostgreSQL cluster, two standalone worker processes on one task
// queue, the CLI and the workers configured through the SDK's environment settings alone. The
// worker running the drill's current activity is SIGKILLed; the other one must finish the drill.
const ROOT = resolve(__dirname, '../..');
const SCRIPT = resolve(ROOT, 'infra/temporal-server.sh');
const ADDRESS = `127.0.0.1:${process.env.LAB_TEMPORAL_SERVER_PORT ?? 7300}`;
const QUEUE = `it-temporal-${process.pid}`;
const TEMPORAL = { TEMPORAL_ADDRESS: ADDRESS, TEMPORAL_NAMESPACE: 'default' };
const ENV = { ...TEMPORAL, LAB_WORKER: 'external', LAB_TASK_QUEUE: QUEUE };
const LAB_ID = 'it-temporal';
const LAB = ['--lab-id', LAB_ID, '--port-offset', String(PORT_OFFSETS.temporal)];
const run = promisify(execFile);

let docker: Docker;
let client: Client;
let connection: Connection;
const workers: { name: string; process: ChildProcess; health: number; metrics: number }[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function health(port: number, path = '/healthz'): Promise<{ status: number; body?: { state: string; identity: string } }> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: r.status, body: (await r.json()) as { state: string; identity: string } };
  } catch {
    return { status: 0 };
  }
}

async function startLabWorker(name: string) {
  const port = await freePort();
  const metrics = await freePort();
  const w = startWorker({
    ...ENV,
    LAB_WORKER_IDENTITY: name,
    LAB_WORKER_HEALTH_PORT: String(port),
    LAB_WORKER_METRICS_ADDRESS: `127.0.0.1:${metrics}`,
  });
  workers.push({ name, process: w, health: port, metrics });
  // Bundling the workflows takes a few seconds on 2 cores.
  for (let i = 0; i < 240 && (await health(port)).status !== 200; i++) {
    if (w.exitCode !== null) throw new Error(`worker ${name} exited with ${w.exitCode}`);
    await sleep(500);
  }
  expect((await health(port)).body).toMatchObject({ state: 'RUNNING', identity: name });
  return workers.at(-1)!;
}

/** The drill's `activity` once a worker has started it: its attempt and the worker that runs it. */
async function runningActivity(workflowId: string, activity: string, cli: ChildProcess, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cli.exitCode !== null) throw new Error(`the drill's CLI exited (${cli.exitCode}) before ${activity} ran`);
    const d = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    const p = d?.raw.pendingActivities?.find((a) => a.activityType?.name === activity);
    if (p?.lastWorkerIdentity && p.lastStartedTime) return p;
    await sleep(100);
  }
  throw new Error(`${activity} never started in ${workflowId}`);
}

/** The identity and attempt of each completed start of `activity` in the drill's history. */
async function startsOf(workflowId: string, activity: string) {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, string>();
  const starts: { identity: string; attempt: number }[] = [];
  for (const e of h.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '');
    const st = e.activityTaskStartedEventAttributes;
    if (st && scheduled.get(String(st.scheduledEventId)) === activity)
      starts.push({ identity: st.identity ?? '', attempt: st.attempt ?? 1 });
  }
  return starts;
}

describe('a real Temporal server on PostgreSQL, two workers, one killed mid-drill', { timeout: 900_000 }, () => {
  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, LAB_ID);
    // Builds the server first when this machine has no binaries yet (`npm run setup` does it ahead).
    const started = Date.now();
    const { stderr } = await run('bash', [SCRIPT, 'start', '--fresh'], { cwd: ROOT, timeout: 45 * 60_000 });
    testLog(stderr.trim());
    testLog(`Temporal server started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    connection = await Connection.connect({ address: ADDRESS });
    client = new Client({ connection });
    // The subject here is the Temporal deployment, not provisioning (other tests cover that): on a
    // machine shared with other labs a broker can need longer than provisioning's health timeouts,
    // so the lab is brought up ahead, keeping what started between tries; the drills reuse it.
    for (let i = 1; ; i++) {
      const up = await runLab(['up', ...LAB, '--keep-on-failure', '--json'], {}, 600_000);
      if (up.code === 0) break;
      testLog(`lab up, try ${i}: ${up.stderr.trim().split('\n').at(-1)}`);
      if (i === 3) throw new Error(`the lab did not come up: ${up.stderr.slice(-500)}`);
    }
  }, 50 * 60_000);

  afterAll(async () => {
    for (const w of workers) await killHard(w.process);
    await connection?.close();
    if (docker) await teardownLab(docker, LAB_ID);
    await run('bash', [SCRIPT, 'stop', '--wipe'], { cwd: ROOT });
  });

  it('bad settings end in one line each: nothing listening (exit 3), an unknown namespace (exit 2)', async () => {
    const nobody = `127.0.0.1:${await freePort()}`;
    const unreachable = await runLab(['schedule', 'list'], { TEMPORAL_ADDRESS: nobody });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr.trim()).toBe(
      `error: Temporal server not reachable at ${nobody}: connection refused (fix: start the server or correct TEMPORAL_ADDRESS; without any Temporal settings the CLI starts its embedded dev server)`,
    );
    const namespace = await runLab(['schedule', 'list'], { ...TEMPORAL, TEMPORAL_NAMESPACE: 'no-such-namespace' });
    expect(namespace.code).toBe(2);
    expect(namespace.stderr.trim()).toBe(
      `error: Temporal namespace "no-such-namespace" does not exist on ${ADDRESS} (fix: create it (\`temporal operator namespace create --namespace no-such-namespace --address ${ADDRESS}\`) or set TEMPORAL_NAMESPACE to one that exists)`,
    );
    // The same settings reach the worker: it refuses to start, with the same line.
    const worker = startWorker({ ...TEMPORAL, TEMPORAL_NAMESPACE: 'no-such-namespace', LAB_TASK_QUEUE: QUEUE });
    const code = await new Promise((r) => worker.once('exit', r));
    expect(code).toBe(2);
  });

  it('TLS that does not fit ends in one line naming the setting: a CA that did not sign the server, a client certificate the server refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-tls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    for (const ca of ['ca', 'other-ca'])
      ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=${ca}`);
    for (const [name, ca] of [
      ['server', 'ca'],
      ['client', 'other-ca'],
    ]) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost');
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.pem`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '1',
      );
    }
    const file = (f: string) => join(dir, f);
    // A TLS listener that speaks HTTP/2 as a gRPC server does, and requires a client certificate from its CA.
    const server: Http2SecureServer = createSecureServer({
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.pem')),
      ca: readFileSync(file('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    });
    const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
    try {
      const tls = { TEMPORAL_ADDRESS: `localhost:${port}`, TEMPORAL_TLS_SERVER_NAME: 'localhost' };
      const wrongCa = await runLab(['schedule', 'list'], { ...tls, TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('other-ca.pem') });
      expect(wrongCa.code).toBe(2);
      expect(wrongCa.stderr.trim()).toMatch(
        /^error: TLS with the Temporal server at localhost:\d+ failed: .*\(the server's certificate is not signed by the CA we trust\) \(fix: set TEMPORAL_TLS_SERVER_CA_CERT_PATH .* to the CA that signed the server's certificate\)$/,
      );
      const refused = await runLab(['schedule', 'list'], {
        ...tls,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem'),
        TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem'),
        TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key'),
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toMatch(
        /^error: TLS with the Temporal server at localhost:\d+ failed: .* \(fix: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH to a pair signed by a CA the server trusts\)$/,
      );
      // no key material in what the user sees
      expect(wrongCa.stderr + refused.stderr).not.toMatch(/BEGIN|PRIVATE/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('registers the search attributes on the server (SQL visibility) and lists drills by them', async () => {
    const r = await runLab(['schedule', 'list', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const have = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const a of LAB_SEARCH_ATTRIBUTES) expect(Object.keys(have.customAttributes ?? {})).toContain(a.name);
  });

  let passedId: string;
  // The kill hits verify-v1: a kill during produce-v1 can land between the schema's registration
  // and the subject's compatibility setting, which no retry recovers from on Apicurio (see the report).
  it('SIGKILLs the worker running verify-v1; the other worker completes the drill, passed', async () => {
    const w1 = await startLabWorker('it-worker-1');
    const w2 = await startLabWorker('it-worker-2');
    passedId = `it-temporal-failover-${Date.now()}`;
    const drill = startDrill([...LAB, '--keep', '--json', '--messages', '2000', '--rate', '500', '--workflow-id', passedId], ENV);
    // A drill left running would fight the next tests over the lab: end it when this test fails early.
    const pending = await runningActivity(passedId, 'verifyDelivery', drill.cli).catch(async (e) => {
      await client.workflow
        .getHandle(passedId)
        .terminate('the test failed')
        .catch(() => undefined);
      await killHard(drill.cli);
      throw e;
    });
    const victim = [w1, w2].find((w) => w.name === pending.lastWorkerIdentity)!;
    const survivor = [w1, w2].find((w) => w !== victim)!;
    expect(victim, JSON.stringify(pending)).toBeDefined();
    const killedAt = Date.now();
    await killHard(victim.process);
    const r = await drill.done;
    testLog(`drill ended ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(r.code).toBe(0);
    expect(report.accounting).toMatchObject({ produced: 4000, mirrored: 4000, indexed: 4000, lost: 0, reordered: 0, altered: 0 });
    // verify-v1 really was cut off and run again, by the survivor
    const starts = await startsOf(passedId, 'verifyDelivery');
    expect(starts[0]).toEqual({ identity: survivor.name, attempt: expect.any(Number) });
    expect(starts[0].attempt).toBeGreaterThanOrEqual(2);
    expect((await health(survivor.health)).status).toBe(200);
    // lab status finds the drill through the search attributes, with its verdict
    const status = JSON.parse((await runLab(['status', '--lab-id', LAB_ID, '--json'], ENV)).stdout);
    expect(status.temporal).toBe('ok');
    expect(status.workerPolling).toBe(true);
    expect(status.drills.find((d: { workflowId: string }) => d.workflowId === passedId)).toMatchObject({
      verdict: 'passed',
      status: 'COMPLETED',
    });
    // the SDK's own metrics, from the worker that ran the activities
    const metrics = await (await fetch(`http://127.0.0.1:${survivor.metrics}/metrics`)).text();
    expect(metrics).toMatch(/^temporal_activity_execution_latency_count\{.*activity_type="verifyDelivery".*\} [1-9]/m);
  });

  it('schedules: create, trigger (the scheduled drill runs on the workers and passes), list, delete', async () => {
    const name = `it-temporal-${Date.now()}`;
    const created = await runLab(['schedule', 'create', '--name', name, '--cron', '0 3 * * *', ...LAB, '--json'], ENV);
    expect(created.code, created.stderr).toBe(0);
    expect(jsonOf(created)).toMatchObject({ workerPolling: true, schedule: { name, input: { labId: LAB_ID, keepLab: true } } });
    expect((await runLab(['schedule', 'trigger', name], ENV)).code).toBe(0);
    let workflowId: string | undefined;
    for (let i = 0; i < 60 && !workflowId; i++) {
      await sleep(1000);
      const list = JSON.parse((await runLab(['schedule', 'list', '--json'], ENV)).stdout);
      workflowId = list.schedules.find((s: { name: string }) => s.name === name)?.recent.at(-1)?.workflowId;
    }
    expect(workflowId).toBeDefined();
    const report = await client.workflow.getHandle(workflowId!).result();
    expect(report.verdict).toBe('passed');
    expect((await runLab(['schedule', 'delete', name], ENV)).code).toBe(0);
    const after = JSON.parse((await runLab(['schedule', 'list', '--json'], ENV)).stdout);
    expect(after.schedules.map((s: { name: string }) => s.name)).not.toContain(name);
  });

  it('lab retry: a failed drill is reset to its failed step on this server; a passed one is refused', async () => {
    const failedId = `it-temporal-incompatible-${Date.now()}`;
    const failed = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--schema-v2', 'test/fixtures/student-v2-incompatible.avsc', '--workflow-id', failedId],
      ENV,
    );
    expect(failed.code, failed.stderr.slice(-1500)).toBe(1);
    expect(jsonOf(failed).failedStep).toBe('evolve-schema');
    // The cause is still there, so the retried step fails again: what counts is that the reset ran.
    const retried = await runLab(['retry', failedId, '--json'], ENV);
    expect(retried.stderr).toContain(`retrying ${failedId} from the failed step evolve-schema`);
    const report = jsonOf(retried);
    expect(report.retry).toMatchObject({ mode: 'from-failed-step', failedStep: 'evolve-schema', workflowId: failedId });
    expect(report.failedStep).toBe('evolve-schema');
    expect(retried.code).toBe(1);
    const runs: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = "${failedId}"` })) runs.push(w.runId);
    expect(runs.length).toBe(2); // the original run and the reset one
    const passed = await runLab(['retry', passedId], ENV);
    expect(passed.code).toBe(2);
    expect(passed.stderr).toMatch(/passed; there is nothing to retry/);
  });

  it('SIGTERM: the surviving worker drains, reports 503 or stops answering, and exits 0', async () => {
    const w = workers.find((x) => x.process.exitCode === null && x.process.signalCode === null)!;
    const exited = new Promise<number | null>((r) => w.process.once('exit', (code) => r(code)));
    w.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await health(w.health)).status).not.toBe(200);
    expect(await leftovers(docker, LAB_ID)).not.toEqual({ containers: 0, networks: 0, volumes: 0 }); // kept for the afterAll teardown
  });
});
