import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../src/clients/kafka';
import type { DisasterAccounting, RpoFigures, RtoFigures } from '../../src/domain/disaster';
import { readLabHeaders } from '../../src/domain/lab-headers';
import { kafkaHostPort } from '../../src/domain/ports';
import { readToEnd } from '../../src/kafka/topic-reader';
import { teardownLab } from '../../src/lab/teardown';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

// The disaster a second data center exists for, for real on a lite lab: the whole primary site
// SIGKILLed mid-load and cut off, the group and the producers failing over to the DR side for the
// outage, the primary's disks read afterwards. The test reads the primary's log and the mirror
// itself, and its count of records the primary holds that never crossed must be the drill's.
const LAB_ID = 'it-disaster';
const OFFSET = PORT_OFFSETS.disaster;
const LAB = ['--lab-id', LAB_ID, '--port-offset', String(OFFSET)];
const RATE = 500;

let docker: Docker;
beforeAll(async () => {
  docker = await connectDocker();
});
afterAll(async () => {
  await teardownLab(docker, LAB_ID);
});

type Report = {
  runId: string;
  verdict: string;
  failedStep?: string;
  config: { topic: string; mirroredTopic: string };
  steps: { name: string; verdict: string; summary: string; startedAt: string }[];
  disaster: { at: number; targets: string[]; rpo: RpoFigures; rto: RtoFigures; accounting: DisasterAccounting };
  latency: { available: boolean; count: number; p50Ms: number; p99Ms: number };
};

/** Per partition, the sequence numbers of this run's records in a topic, read by the test itself. */
async function seqsOf(dc: 'upstream' | 'downstream', topic: string, runId: string): Promise<Map<number, Set<number>>> {
  const kafka = kafkaClient([`127.0.0.1:${kafkaHostPort(dc, 0, OFFSET)}`], `it-disaster-${dc}`);
  const out = new Map<number, Set<number>>();
  await readToEnd(kafka, topic, {}, (partition, m) => {
    const h = readLabHeaders(m.headers);
    if (h.runId !== runId) return;
    if (!out.has(partition)) out.set(partition, new Set());
    out.get(partition)!.add(Number(h.seq));
  });
  return out;
}

/** The run's records on the primary's disks that never reached the mirror, per partition. */
async function unmirrored(r: Report): Promise<{ onPrimary: number; mirrored: number; notMirrored: Map<number, number> }> {
  const primary = await seqsOf('upstream', r.config.topic, r.runId);
  const mirror = await seqsOf('downstream', r.config.mirroredTopic, r.runId);
  const mirrored = new Set([...mirror.values()].flatMap((s) => [...s]));
  const notMirrored = new Map([...primary].map(([p, seqs]) => [p, [...seqs].filter((s) => !mirrored.has(s)).length]));
  return { onPrimary: [...primary.values()].reduce((n, s) => n + s.size, 0), mirrored: mirrored.size, notMirrored };
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('disaster drill', () => {
  it('loses the primary mid-load, serves from the DR side through the outage, and accounts for every record', async () => {
    const r = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--disaster', '--disaster-after', '20', '--outage', '30', '--rate', String(RATE)],
      {},
      900_000,
    );
    const report = jsonOf(r) as Report;
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(r.code).toBe(0);
    // the runbook in the order its steps began (steps overlapping the load end after the disaster;
    // the group's and the producers' failovers begin together)
    const runbook = [
      'sync-registries',
      'produce-v1',
      'disaster',
      'failover-consumers',
      'failover-producers',
      'read-primary',
      'verify-disaster',
    ];
    const began = (n: string) => [Date.parse(report.steps.find((s) => s.name === n)?.startedAt ?? ''), runbook.indexOf(n)];
    const names = runbook.filter((n) => report.steps.some((s) => s.name === n));
    names.sort((x, y) => began(x)[0] - began(y)[0] || began(x)[1] - began(y)[1]);
    expect(names).toEqual(runbook);
    for (const s of report.steps.filter((s) => runbook.includes(s.name))) expect(s.verdict, s.name).toBe('passed');

    const d = report.disaster;
    expect(d.targets).toContain(`kafka-lab-${LAB_ID}-up-kafka-1`);
    const a = d.accounting;
    // about 20 s of load at the rate before the disaster, acknowledged and all on the primary's disks
    expect(a.upstream.acknowledged).toBeGreaterThan(RATE * 10);
    expect(a.upstream.lostAcknowledged).toBe(0);
    // in flight when the site died: at most one send per lane, well under a second of load, so the
    // split between stranded (acknowledged) and in flight (not) cannot hide an RPO
    expect(a.upstream.writtenUnacknowledged).toBeLessThanOrEqual(RATE);
    expect(a.dr).toMatchObject({ missing: 0 });
    expect(a.dr.written).toBeGreaterThan(RATE * 10);
    expect(a.group.skipped).toBe(0);
    expect(a.index.missing).toBe(0);
    expect(a.index.expected).toBe(a.upstream.mirrored + a.upstream.unacknowledgedMirrored + a.dr.written);

    // RTO: each mark after the disaster and inside the outage, the whole the slowest of them
    for (const k of ['producersSeconds', 'consumersSeconds', 'indexSeconds'] as const) {
      expect(d.rto[k], k).toBeGreaterThan(0);
      expect(d.rto[k], k).toBeLessThan(30);
    }
    // replication latency up to the disaster, over every mirrored record of the run
    expect(report.latency.available).toBe(true);
    expect(report.latency.count).toBe(a.upstream.mirrored + a.upstream.unacknowledgedMirrored + a.upstream.mirroredTwice);
    expect(report.latency.p50Ms).toBeGreaterThan(0);
    expect(d.rto.seconds).toBe(Math.max(d.rto.producersSeconds!, d.rto.consumersSeconds!, d.rto.indexSeconds!));

    // RPO, checked against the test's own read of the primary's log and of the mirror
    const own = await unmirrored(report);
    expect(own.onPrimary).toBe(a.upstream.acknowledged - a.upstream.lostAcknowledged + a.upstream.writtenUnacknowledged);
    expect(own.mirrored).toBe(a.upstream.mirrored + a.upstream.unacknowledgedMirrored);
    expect(sum(own.notMirrored)).toBe(a.upstream.stranded + a.upstream.writtenUnacknowledged - a.upstream.unacknowledgedMirrored);
  }, 900_000);

  it('reports exactly the records a mirror paused 20 s before the disaster stranded, and --max-rpo-records fails the drill', async () => {
    const r = await runLab(
      [
        'drill',
        ...LAB,
        '--keep',
        '--json',
        '--disaster',
        '--disaster-after',
        '30',
        '--outage',
        '30',
        '--rate',
        String(RATE),
        '--pause-mirror-before-disaster',
        '20',
        '--max-rpo-records',
        '100',
      ],
      {},
      900_000,
    );
    const report = jsonOf(r) as Report;
    expect(report.verdict).toBe('failed');
    expect(report.failedStep).toBe('verify-disaster');
    expect(r.code).toBe(1);
    expect(report.steps.find((s) => s.name === 'pause-mirror')?.verdict).toBe('passed');
    const { rpo, accounting: a } = report.disaster;
    // about the rate times the pause
    expect(rpo.records).toBeGreaterThan(RATE * 20 * 0.75);
    expect(rpo.records).toBeLessThan(RATE * 20 * 1.25);
    expect(rpo.seconds).toBeGreaterThan(15);
    expect(rpo.seconds).toBeLessThan(25);
    expect(r.stderr).toMatch(new RegExp(`RPO ${rpo.records} records stranded, over --max-rpo-records 100`));

    // exactly what the test finds on the primary's disks and not in the mirror
    const own = await unmirrored(report);
    expect(a.upstream.writtenUnacknowledged).toBeLessThanOrEqual(RATE);
    const unackedNotMirrored = a.upstream.writtenUnacknowledged - a.upstream.unacknowledgedMirrored;
    expect(sum(own.notMirrored)).toBe(rpo.records + unackedNotMirrored);
    for (const p of rpo.partitions) {
      const found = own.notMirrored.get(p.partition) ?? 0;
      expect(found, `partition ${p.partition}`).toBeGreaterThanOrEqual(p.count);
      expect(found - p.count, `partition ${p.partition}`).toBeLessThanOrEqual(unackedNotMirrored);
    }
  }, 900_000);
});
