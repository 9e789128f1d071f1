/**
 * Scale benchmark: the lite drill at 10^4, 10^5 and 10^6 messages per generation on one kept lab,
 * then Kafka's own ProducerPerformance and ConsumerPerformance on the same lab, side by side. Prints
 * per size: each step's wall time, the end-to-end verified rate (both generations, from the first
 * produce to the last verdict), the verifier's per-message state and the worker's memory while it
 * verified, the worker's peak memory, the largest event in the workflow history, and the lab's peak
 * memory. Not a test: it prints tables.
 *
 *   npm run bench:scale -- [--sizes 10000,100000,1000000] [--mirror-tuning chapter|throughput] [--producer ENGINE] [--keep]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { renderTable } from '../src/cli/table';
import { kafkaClient } from '../src/clients/kafka';
import { connectDocker } from '../src/docker/docker-client';
import { labHeader } from '../src/domain/lab-headers';
import { CHAPTER_TOPIC, mirroredTopicOf } from '../src/domain/names';
import { kafkaHostPort } from '../src/domain/ports';
import type { DrillReport } from '../src/domain/report';
import { STUDENT_SCHEMA_V1 } from '../src/domain/student-schema';
import { teardownLab } from '../src/lab/teardown';
import { schemaFields, studentFor } from '../src/scenario/students';
import { wireEncoder } from '../src/schema/wire';
import { connectTemporal } from '../src/temporal/dev-server';
import { largestHistoryEvent } from '../src/temporal/history-size';
import { kafkaTool, producerPerformance } from './kafka-tools';
import { sampleLabMemory } from './memory-sampler';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, 'mirror-tuning': { type: 'string' }, producer: { type: 'string' }, keep: { type: 'boolean' } },
});
const sizes = (values.sizes ?? '10000,100000,1000000').split(',').map(Number);
const tuning = values['mirror-tuning'] ?? 'throughput';
const LAB_ID = 'bench-scale';
const OFFSET = 3300;
const log = (s: string) => process.stderr.write(`  ${s}\n`);
const HEAP_CAP_MIB = 96;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Runs one drill through the CLI (its worker inside), sampling the process's peak resident memory. */
function drill(messages: number, workflowId: string): Promise<{ report: DrillReport; code: number; peakRssMiB: number }> {
  const args = ['drill', '--lab-id', LAB_ID, '--port-offset', String(OFFSET), '--keep', '--json'];
  args.push('--messages', String(messages), '--mirror-tuning', tuning, '--workflow-id', workflowId);
  if (values.producer) args.push('--producer', values.producer);
  const cli = spawn(process.execPath, [resolve(__dirname, '../bin/lab.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let peak = 0;
  cli.stdout.on('data', (d) => (out += d));
  // the drill's progress lines (count, rate, time left per step) go on to the bench's stderr
  cli.stderr.on('data', (d) => {
    err += d;
    process.stderr.write(d);
  });
  // VmHWM is the kernel's own high-water mark of the process's resident memory.
  const timer = setInterval(() => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${cli.pid}/status`, 'utf8').toString());
    if (m) peak = Math.max(peak, Number(m[1]) * 1024);
  }, 500);
  return new Promise((done, fail) =>
    cli.on('exit', (code) => {
      clearInterval(timer);
      try {
        done({ report: JSON.parse(out) as DrillReport, code: code ?? -1, peakRssMiB: mib(peak) });
      } catch {
        fail(new Error(`drill of ${messages} printed no report (exit ${code}): ${err.slice(-1500)}`));
      }
    }),
  );
}

/**
 * Verifies a finished drill again in a process of its own (bench/verify-alone.ts): the verifier's
 * own peak memory and rate, apart from the worker that also produced. It must find the same accounting.
 */
function verifyAlone(report: DrillReport, n: number, heapMiB?: number): { peakRssBytes: number; seconds: number } {
  const job = {
    config: report.config,
    runId: report.runId,
    sinceMs: Date.parse(report.steps.find((s) => s.name === 'produce-v1')!.startedAt),
    ranges: [
      { first: 0, count: n },
      { first: n, count: n },
    ],
  };
  const heap = heapMiB ? [`--max-old-space-size=${heapMiB}`] : [];
  if (process.env.BENCH_SAVE_JOB) writeFileSync(process.env.BENCH_SAVE_JOB, JSON.stringify(job));
  const r = spawnSync(process.execPath, [...heap, '--import', 'tsx', resolve(__dirname, 'verify-alone.ts')], {
    env: { ...process.env, BENCH_VERIFY: JSON.stringify(job) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`verify-alone failed: ${r.stderr.slice(0, 1500)}`);
  const out = JSON.parse(r.stdout) as { accounting: { lost: number; produced: number }; peakRssBytes: number; seconds: number };
  if (out.accounting.produced !== 2 * n || out.accounting.lost !== 0) log(`verify-alone disagrees: ${JSON.stringify(out.accounting)}`);
  return out;
}

/** The bytes one drill record puts on the wire (key, value, header), for a like-for-like ProducerPerformance run. */
function drillRecordBytes(): number {
  const schema = JSON.stringify(STUDENT_SCHEMA_V1);
  const value = wireEncoder(1, schema)(studentFor('abcd1234', 123456, schemaFields(schema)));
  const [[k, v]] = Object.entries(labHeader('abcd1234', 123456, 1, Date.now()));
  return 'abcd1234-123456'.length + value.length + k.length + v.length;
}

async function main() {
  const docker = await connectDocker();
  const temporal = new Client({ connection: await connectTemporal() });
  const sizeRows: (string | number)[][] = [];
  const stepNames = ['produce-v1', 'verify-v1', 'produce-v2', 'verify-v2'] as const;
  let drillProducerRate = 0;
  let e2eRate = 0;
  try {
    for (const n of sizes) {
      const workflowId = `bench-scale-${n}-${Date.now()}`;
      log(`drill with ${n} messages per generation (${tuning} mirror tuning)`);
      const labMemory = sampleLabMemory(docker, LAB_ID);
      const { report, code, peakRssMiB } = await drill(n, workflowId);
      const labPeak = await labMemory.stop();
      if (report.verdict !== 'passed') log(`drill of ${n} ${report.verdict} (exit ${code}) at ${report.failedStep}`);
      const step = (name: string) => report.steps.find((s) => s.name === name);
      const first = Date.parse(step('produce-v1')!.startedAt);
      const lastStep = step('verify-v2')!;
      const seconds = (Date.parse(lastStep.startedAt) + lastStep.durationMs - first) / 1000;
      const largest = await largestHistoryEvent(temporal, workflowId);
      const alone = verifyAlone(report, n);
      // With the old generation capped, a verifier whose state grew with N would run out of heap.
      const capped = verifyAlone(report, n, HEAP_CAP_MIB);
      e2eRate = Math.round((2 * n) / seconds);
      drillProducerRate = Math.round((2 * n) / ((step('produce-v1')!.durationMs + step('produce-v2')!.durationMs) / 1000));
      sizeRows.push([
        n,
        report.verdict,
        ...stepNames.map((s) => (step(s)!.durationMs / 1000).toFixed(1)),
        e2eRate,
        drillProducerRate,
        `${Math.round(report.verifier!.stateBytes / 1024)} KiB`,
        mib(alone.peakRssBytes),
        mib(capped.peakRssBytes),
        Math.round((2 * n) / alone.seconds),
        report.verifier!.peakRssMiB,
        peakRssMiB,
        `${(largest.bytes / 1024).toFixed(1)} KiB`,
        labPeak,
      ]);
    }
    process.stdout.write(
      `\nlite drill, ${tuning} mirror tuning, --producer ${values.producer ?? 'default'}; rates in messages/s over both generations\n\n` +
        renderTable(
          [
            'messages/gen',
            'verdict',
            ...stepNames.map((s) => `${s} s`),
            'end-to-end/s',
            'produce/s',
            'verifier state',
            'verifier alone MiB',
            `same, heap cap ${HEAP_CAP_MIB} MiB`,
            'verifier alone/s',
            'worker MiB in verify',
            'worker peak MiB',
            'largest history event',
            'lab peak MiB',
          ],
          sizeRows,
        ) +
        '\n',
    );

    // Kafka's own tools on the same lab, with records the size of the drill's.
    const records = Math.max(...sizes);
    const bytes = drillRecordBytes();
    const admin = kafkaClient([`127.0.0.1:${kafkaHostPort('upstream', 0, OFFSET)}`], 'bench').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench-scale-perf', numPartitions: 3, replicationFactor: 1 }] });
    await admin.disconnect();
    log(`ProducerPerformance: ${records} records of ${bytes} bytes`);
    const perf = await producerPerformance(docker, `kafka-lab-${LAB_ID}-up-kafka-1`, 'up-kafka-1:9092', 'bench-scale-perf', records, bytes);
    log(`ConsumerPerformance: ${2 * records} records of ${mirroredTopicOf(CHAPTER_TOPIC)} downstream`);
    const cperf = await kafkaTool(docker, `kafka-lab-${LAB_ID}-down-kafka-1`, 'ConsumerPerformance', [
      '--bootstrap-server',
      'down-kafka-1:9092',
      '--topic',
      mirroredTopicOf(CHAPTER_TOPIC),
      '--messages',
      String(2 * records),
      '--timeout',
      '60000',
    ]);
    const c = cperf
      .trim()
      .split('\n')
      .pop()!
      .split(',')
      .map((x) => x.trim());
    const consumerRate = Number(c[5]);
    if (!Number.isFinite(consumerRate)) throw new Error(`ConsumerPerformance printed no summary: ${cperf.slice(-300)}`);
    const producerRate = Math.round(perf.recordsPerSecond);
    process.stdout.write(
      `\nKafka's tools on the same lab (${records} records of ${bytes} bytes, acks=all, idempotent)\n\n` +
        renderTable(
          ['tool', 'records/s', 'drill against it'],
          [
            [
              'ProducerPerformance (upstream)',
              producerRate,
              `drill producer ${drillProducerRate}/s = ${(drillProducerRate / producerRate).toFixed(2)}`,
            ],
            [
              'ConsumerPerformance (mirrored topic)',
              Math.round(consumerRate),
              `end to end ${e2eRate}/s = ${(e2eRate / consumerRate).toFixed(2)}`,
            ],
          ],
        ) +
        '\n',
    );
  } finally {
    await temporal.connection.close();
    if (!values.keep) await teardownLab(docker, LAB_ID);
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
