import { PRODUCER_ENGINES } from '../../src/domain/producer-engine';
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { Client } from '@temporalio/client';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { KafkaMessage } from 'kafkajs';
import { verifyDelivery } from '../../activities/verify';
import type { VerifyInput, VerifyOutput } from '../../src/contracts/verify';
import { kafkaClient } from '../../src/clients/kafka';
import { readToEnd } from '../../src/kafka/topic-reader';
import { readLabHeaders } from '../../src/domain/lab-headers';
import { kafkaHostPort } from '../../src/domain/ports';
import { teardownLab } from '../../src/lab/teardown';
import { connectTemporal, tryConnect } from '../../src/temporal/dev-server';
import { largestHistoryEvent } from '../../src/temporal/history-size';
import { sleep } from '../../src/util/sleep';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker, leftovers } from '../helpers/lab';
import { devServerProcess, killHard, startDrill, startWorker } from '../helpers/processes';
import { PORT_OFFSETS } from '../helpers/ports';

// Crashes in the middle of a drill, for real: the worker process SIGKILLed while it produces or
// verifies (a second worker takes over), and the Temporal dev server stopped and started again.
// The drill must reach the verdict that is true of the data: nothing lost, and exactly the
// duplicates Kafka really holds counted.
const LAB_ID = 'it-crash';
const OFFSET = PORT_OFFSETS.crash;
const QUEUE = `it-crash-${process.pid}`;
const ENV = { LAB_WORKER: 'external', LAB_TASK_QUEUE: QUEUE };
const LAB = ['--lab-id', LAB_ID, '--port-offset', String(OFFSET)];
const DRILL = [...LAB, '--keep', '--json', '--messages', '2000', '--rate', '500'];

let docker: Docker;
let client: Client;
let largeDrill = '';
const workers: ChildProcess[] = [];
const worker = () => {
  const w = startWorker(ENV);
  workers.push(w);
  return w;
};

/** Waits until the drill has `activity` running (or scheduled), polling the server. */
async function whenRunning(workflowId: string, activity: string, cli?: ChildProcess, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cli && cli.exitCode !== null) throw new Error(`the drill's CLI exited (${cli.exitCode}) before ${activity} ran`);
    const d = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    const p = d?.raw.pendingActivities?.find((a) => a.activityType?.name === activity);
    if (p) return p;
    await sleep(100);
  }
  throw new Error(`${activity} never ran in ${workflowId}`);
}

/** How many attempts of an activity the history shows started. */
async function attemptsOf(workflowId: string, activity: string): Promise<number[]> {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, string>();
  const attempts: number[] = [];
  for (const e of h.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '');
    const st = e.activityTaskStartedEventAttributes;
    if (st && scheduled.get(String(st.scheduledEventId)) === activity) attempts.push(st.attempt ?? 1);
  }
  return attempts;
}

/** Waits until `count` more records than now sit in the drill's upstream topic. */
async function whenWritten(count: number, topic = 'peter-avro01-kafka1', timeoutMs = 120_000) {
  const admin = kafkaClient([`127.0.0.1:${kafkaHostPort('upstream', 0, OFFSET)}`], 'it-crash-written').admin();
  await admin.connect();
  try {
    const total = async () => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    const base = await total();
    const deadline = Date.now() + timeoutMs;
    while ((await total()) < base + count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} records reached ${topic} in ${timeoutMs} ms`);
      await sleep(50);
    }
  } finally {
    await admin.disconnect();
  }
}

/** The truth, read from upstream: how many copies of each of this run's messages Kafka holds. */
async function upstreamCopies(runId: string, topic = 'peter-avro01-kafka1') {
  const kafka = kafkaClient([`127.0.0.1:${kafkaHostPort('upstream', 0, OFFSET)}`], 'it-crash-truth');
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  const copies = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `it-crash-truth-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Set<number>();
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const h = readLabHeaders(message.headers as Record<string, unknown>);
      if (h.runId === runId) copies.set(Number(h.seq), (copies.get(Number(h.seq)) ?? 0) + 1);
      const end = ends.find((e) => e.partition === partition)!;
      if (BigInt(message.offset) + 1n >= BigInt(end.high)) done.add(partition);
    },
  });
  const deadline = Date.now() + 60_000;
  while (done.size < ends.filter((e) => e.high !== e.low).length && Date.now() < deadline) await sleep(200);
  await consumer.disconnect();
  await admin.disconnect();
  const total = [...copies.values()].reduce((a, b) => a + b, 0);
  return { distinct: copies.size, duplicates: total - copies.size };
}

/** The input of an activity the drill scheduled (`index` -1: its last one), as recorded in history. */
async function scheduledInput(workflowId: string, activity: string, index: number) {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const inputs = events
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a?.activityType?.name === activity)
    .map((a) => defaultPayloadConverter.fromPayload(a!.input!.payloads![0]));
  return inputs.at(index) as VerifyInput;
}

/** Appends a copy of the last record of partition 0 to the topic (same key, value and headers); returns its seq. */
async function copyLastRecord(bootstrap: string[], topic: string): Promise<number> {
  const kafka = kafkaClient(bootstrap, 'it-crash-copy');
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  // partition 0 from its last record, the others from their ends (nothing to read there)
  const from = Object.fromEntries(ends.map((p) => [p.partition, p.partition === 0 ? String(BigInt(p.high) - 1n) : p.high]));
  let last: KafkaMessage | undefined;
  await readToEnd(kafka, topic, from, (p, m) => void (p === 0 && (last = m)));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ partition: 0, key: last!.key, value: last!.value, headers: last!.headers }] });
  await producer.disconnect();
  return Number(readLabHeaders(last!.headers as Record<string, unknown>).seq);
}

describe('a drill survives crashes and still tells the truth', { timeout: 900_000 }, () => {
  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, LAB_ID);
    client = new Client({ connection: await connectTemporal() });
    // a drill an interrupted earlier run left on this lab would own it: end it first
    for await (const w of client.workflow.list({ query: `ExecutionStatus = "Running" AND LabTarget = "lab:${LAB_ID}"` })) {
      await client.workflow.getHandle(w.workflowId, w.runId).terminate('left by an earlier test run');
    }
  });
  afterAll(async () => {
    for (const w of workers) await killHard(w);
    await client?.connection.close();
    await teardownLab(docker, LAB_ID);
  });

  for (const [step, activity, engine] of [
    ['produce-v1', 'produceStudents', 'kafkajs'],
    ['produce-v1', 'produceStudents', 'librdkafka'],
    ['produce-v1', 'produceStudents', 'platformatic'],
    ['verify-v1', 'verifyDelivery', 'kafkajs'],
  ] as const) {
    it(`kills the worker during ${step} (--producer ${engine}); a new worker finishes the drill with the true accounting`, async () => {
      // only this worker serves the queue: the kill must hit the one running the activity
      for (const w of workers.splice(0)) await killHard(w);
      const workflowId = `it-crash-${step}-${Date.now()}`;
      const first = worker();
      const drill = startDrill([...DRILL, '--producer', engine, '--workflow-id', workflowId], ENV);
      const pending = await whenRunning(workflowId, activity, drill.cli);
      // produce: let it write a part before the kill, so the retry has something to find (waiting
      // for records, not for a time: a fixed 1.5 s once passed before a loaded machine wrote any)
      if (activity === 'produceStudents') await whenWritten(200);
      await killHard(first);
      worker();
      const r = await drill.done;
      const report = jsonOf(r);
      expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
      expect(r.code).toBe(0);
      // the activity really was cut off and run again by the second worker
      expect(Math.max(...(await attemptsOf(workflowId, activity))), JSON.stringify(pending)).toBeGreaterThanOrEqual(2);
      const truth = await upstreamCopies(report.runId);
      expect(truth.distinct).toBe(4000);
      expect(report.accounting).toMatchObject({
        produced: 4000,
        mirrored: 4000,
        indexed: 4000,
        lost: 0,
        reordered: 0,
        altered: 0,
        duplicated: truth.duplicates,
      });
      if (activity === 'produceStudents') {
        expect(report.steps.find((s: { name: string }) => s.name === 'produce-v1').summary).toMatch(/\d+ from an earlier attempt/);
      }
    });
  }

  it.each(PRODUCER_ENGINES)(
    'a message acknowledged (--producer %s), then lost upstream before the retry, is reported lost upstream, not sent again',
    async (engine) => {
      for (const w of workers.splice(0)) await killHard(w);
      const workflowId = `it-acked-lost-${Date.now()}`;
      const first = worker();
      const drill = startDrill(
        [...LAB, '--keep', '--json', '--messages', '2000', '--rate', '100', '--producer', engine, '--workflow-id', workflowId],
        ENV,
      );
      await whenRunning(workflowId, 'produceStudents', drill.cli);
      // the worker is killed once its heartbeat says partition 0 has acknowledged messages
      const marks = async () => {
        const p = (await client.workflow.getHandle(workflowId).describe()).raw.pendingActivities?.find(
          (a) => a.activityType?.name === 'produceStudents',
        );
        const details = p?.heartbeatDetails?.payloads?.[0];
        // the first heartbeat carries no details yet
        return ((details && defaultPayloadConverter.fromPayload(details)) ?? {}) as { ackedBelow?: Record<number, number> };
      };
      // a failure below must not leave the drill running: it owns the lab the next tests use
      const ends = () =>
        client.workflow
          .getHandle(workflowId)
          .terminate('test failed')
          .catch(() => undefined);
      try {
        const deadline = Date.now() + 60_000;
        while (!((await marks()).ackedBelow?.[0] ?? 0) && Date.now() < deadline) await sleep(200);
        await killHard(first);
        const ackedBelow0 = (await marks()).ackedBelow?.[0] ?? 0;
        expect(ackedBelow0, 'partition 0 had acknowledged messages before the kill').toBeGreaterThan(0);
        // Kafka loses what it acknowledged in partition 0 (its records deleted), before another attempt runs
        const admin = kafkaClient([`127.0.0.1:${kafkaHostPort('upstream', 0, OFFSET)}`], 'it-crash-delete').admin();
        await admin.connect();
        await admin.fetchTopicMetadata({ topics: ['peter-avro01-kafka1'] }); // deleteTopicRecords needs it loaded
        await admin.deleteTopicRecords({ topic: 'peter-avro01-kafka1', partitions: [{ partition: 0, offset: '-1' }] });
        await admin.disconnect();
        worker();
        const r = await drill.done;
        const report = jsonOf(r);
        expect(r.code, r.stderr.slice(-2000)).toBe(1);
        expect(report.failedStep).toBe('produce-v1');
        // every seq of partition 0 (seq % 3 === 0) below the mark was acknowledged and is gone
        const expected = Math.ceil(ackedBelow0 / 3);
        const step = report.steps.find((s: { name: string }) => s.name === 'produce-v1');
        expect(step.error.message).toMatch(
          new RegExp(`${expected} acknowledged by an earlier attempt are missing upstream \\(e\\.g\\. seq 0, 3, 6`),
        );
      } finally {
        await ends();
      }
    },
  );

  it('runs 60,000 messages per generation (past the old 2 MB history limit) with exact accounting and a small history', async () => {
    // Record lists in history used to pass Temporal's 2 MB payload limit near 24,000 messages.
    const workflowId = (largeDrill = `it-large-${Date.now()}`);
    const r = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--messages', '60000', '--mirror-tuning', 'throughput', '--workflow-id', workflowId],
      { LAB_LOG_LEVEL: 'INFO' },
      900_000,
    );
    const report = jsonOf(r); // throws if anything else reached stdout
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(report.accounting).toMatchObject({
      produced: 120_000,
      mirrored: 120_000,
      indexed: 120_000,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      altered: 0,
      missingInIndex: 0,
      alteredInIndex: 0,
    });
    expect(report.latency.count).toBe(120_000);
    // a few bits per message: 7 bit sets over 120,000 sequence numbers
    expect(report.verifier.stateBytes).toBeLessThan(120_000);
    expect(r.stderr).not.toMatch(/TMPRL1103/);
    const largest = await largestHistoryEvent(client, workflowId);
    expect(largest.bytes, largest.event).toBeLessThan(64 * 1024);
  });

  it('a verifier behind at its deadline reads on to the end: the backlog is downstream, not lost; a late copy is counted', async () => {
    // verify-v2's own input, from the 60,000-message drill's history, with a deadline already
    // passed: the verifier stops waiting at its first look, when its reader has barely started on
    // 120,000 records. (A one-second deadline was not enough: a quiet machine read them all in it.)
    const input = await scheduledInput(largeDrill, 'verifyDelivery', -1);
    const env = new MockActivityEnvironment();
    const out = (await env.run(verifyDelivery, { ...input, deadlineSeconds: 0 })) as VerifyOutput;
    expect(out.readOn, 'records downstream but unread at the deadline').toBeGreaterThan(0);
    expect(out.problems).toEqual([]);
    expect(out.accounting).toMatchObject({ produced: 120_000, mirrored: 120_000, lost: 0, duplicated: 0 });

    // A copy of one of the run's records appended downstream: with --fail-on-duplicates the verifier
    // reads to the end of the log before judging, so the copy behind the last distinct message counts.
    const copied = await copyLastRecord(input.downstreamBootstrap, input.mirroredTopic);
    const strict = (await env.run(verifyDelivery, { ...input, failOnDuplicates: true })) as VerifyOutput;
    expect(strict.accounting.duplicated).toBe(1);
    expect(strict.problems.join('; ')).toMatch(new RegExp(`1 duplicated \\(e\\.g\\. seq ${copied}`));
  });

  it('a drill whose CLI was killed does not come back to life: the next drill on the lab ends it and runs', async () => {
    const abandonedId = `it-walked-away-${Date.now()}`;
    const abandoned = startDrill([...LAB, '--keep', '--json', '--messages', '2000', '--rate', '200', '--workflow-id', abandonedId], {});
    await whenRunning(abandonedId, 'produceStudents', abandoned.cli);
    await killHard(abandoned.cli);
    await abandoned.done;
    const r = await runLab(['drill', ...LAB, '--keep', '--json'], {});
    expect(r.stderr).toContain(`drill ${abandonedId} was abandoned by its CLI: terminating it`);
    expect(jsonOf(r).verdict, r.stderr.slice(-2000)).toBe('passed');
    expect((await client.workflow.getHandle(abandonedId).describe()).status.name).toBe('TERMINATED');
  });

  it('refuses a second drill on a lab that a running drill owns, with exit 2 and its id', async () => {
    const ownerId = `it-owner-${Date.now()}`;
    worker();
    const owner = startDrill([...DRILL, '--workflow-id', ownerId], ENV);
    await whenRunning(ownerId, 'produceStudents', owner.cli);
    const second = await runLab(['drill', ...LAB, '--json'], ENV);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`lab ${LAB_ID} is in use by running drill ${ownerId}`);
    expect(JSON.parse((await owner.done).stdout).verdict).toBe('passed');
  });

  it('stops and starts the Temporal dev server mid-drill; the drill resumes from its history and passes', async () => {
    const server = devServerProcess();
    expect(server, 'a dev server started by the suite with --db-filename').toBeDefined();
    const workflowId = `it-crash-server-${Date.now()}`;
    worker();
    const drill = startDrill([...DRILL, '--workflow-id', workflowId], ENV);
    await whenRunning(workflowId, 'produceStudents', drill.cli);
    await client.connection.close();
    process.kill(server!.pid, 'SIGTERM');
    for (let i = 0; i < 50 && (await tryConnect('127.0.0.1:7233').then((c) => (c ? (void c.close(), true) : false))); i++) await sleep(200);
    await sleep(3000); // down for a while: producing goes on, heartbeats and completions wait
    const restarted = spawn(server!.argv[0], server!.argv.slice(1), {
      detached: true,
      stdio: ['ignore', openSync('/dev/null', 'w'), openSync('/dev/null', 'w')],
    });
    restarted.unref();
    // the same server, started again from its db file (connectTemporal would start a second one)
    let connection = await tryConnect('127.0.0.1:7233');
    for (let i = 0; i < 120 && !connection; i++) connection = await sleep(500).then(() => tryConnect('127.0.0.1:7233'));
    expect(connection, 'the dev server answers again').toBeDefined();
    client = new Client({ connection: connection! });
    const r = await drill.done;
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    const truth = await upstreamCopies(report.runId);
    expect(report.accounting).toMatchObject({ produced: 4000, lost: 0, duplicated: truth.duplicates });
  });

  it('cancelling a drill during verify stops the verifier within seconds', async () => {
    const workflowId = `it-cancel-verify-${Date.now()}`;
    for (const w of workers.splice(0)) await killHard(w);
    worker();
    const drill = startDrill([...DRILL, '--verify-timeout', '150', '--workflow-id', workflowId], ENV);
    await whenRunning(workflowId, 'produceStudents', drill.cli);
    // consumer-2 stopped: nothing reaches Elasticsearch, so the verifier waits for its deadline
    const consumer2 = docker.getContainer(`kafka-lab-${LAB_ID}-consumer-2`);
    await consumer2.stop();
    try {
      await whenRunning(workflowId, 'verifyDelivery', drill.cli);
      await sleep(3000);
      await client.workflow.getHandle(workflowId).cancel();
      await drill.done;
      const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const at = (e: (typeof events)[number]) => Number(e.eventTime!.seconds) * 1000 + Math.round((e.eventTime!.nanos ?? 0) / 1e6);
      const requested = events.find((e) => e.activityTaskCancelRequestedEventAttributes);
      const cancelled = events.find((e) => e.activityTaskCanceledEventAttributes);
      expect(requested && cancelled, 'the verify activity was asked to stop, and stopped').toBeTruthy();
      expect(at(cancelled!) - at(requested!)).toBeLessThan(20_000);
    } finally {
      await consumer2.start();
    }
  });

  it('Ctrl-C cancels the drill, tears its lab down and exits 130', async () => {
    const workflowId = `it-ctrl-c-${Date.now()}`;
    const drill = startDrill([...LAB, '--json', '--messages', '2000', '--rate', '200', '--workflow-id', workflowId], {});
    await whenRunning(workflowId, 'produceStudents', drill.cli);
    drill.cli.kill('SIGINT');
    const r = await drill.done;
    expect(r.code, r.stderr.slice(-1500)).toBe(130);
    expect(r.stderr).toContain(`interrupted: cancelling drill ${workflowId}`);
    expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('CANCELLED');
    expect(await leftovers(docker, LAB_ID)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('Ctrl-C while the lab is being provisioned stops provisioning first, then leaves nothing behind', async () => {
    const workflowId = `it-ctrl-c-provision-${Date.now()}`;
    const drill = startDrill([...LAB, '--json', '--workflow-id', workflowId], {});
    await whenRunning(workflowId, 'provisionDrillLab', drill.cli);
    await sleep(3000); // containers are being created or started
    drill.cli.kill('SIGINT');
    const r = await drill.done;
    expect(r.code, r.stderr.slice(-1500)).toBe(130);
    expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('CANCELLED');
    expect(await leftovers(docker, LAB_ID)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
