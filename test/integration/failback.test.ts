import type Docker from 'dockerode';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IHeaders } from 'kafkajs';
import { kafkaClient } from '../../src/clients/kafka';
import type { DisasterAccounting, RpoFigures } from '../../src/domain/disaster';
import type { FailbackAccounting, FailbackFigures } from '../../src/domain/failback';
import { readLabHeaders, REPUBLISHED_HEADER } from '../../src/domain/lab-headers';
import { kafkaHostPort } from '../../src/domain/ports';
import { readToEnd } from '../../src/kafka/topic-reader';
import { teardownLab } from '../../src/lab/teardown';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';
import { MATRIX_PORT_STEP } from '../../src/domain/kafka-matrix';

// Coming back after a disaster, for real on a lite lab: the primary lost mid-load with its mirror
// paused 10 s before (a planted stranding), the DR side serving for the outage, then the failback:
// the primary returns, a reverse mirror brings back what the DR side took, the group and the
// producers move back and the forward mirror resumes. The test reads both clusters itself: the
// stranded records it finds must be the drill's, and each record must be where the setting says.
// One test per replication policy (DefaultReplicationPolicy with republish, IdentityReplicationPolicy
// with report), each lab of its own: the policy names the lab's topics.
const LABS = {
  default: { id: 'it-failback', offset: PORT_OFFSETS.failback },
  identity: { id: 'it-failback-identity', offset: PORT_OFFSETS.failback + MATRIX_PORT_STEP },
} as const;
type Policy = keyof typeof LABS;
const RATE = 500;

let docker: Docker;
beforeAll(async () => {
  docker = await connectDocker();
});
// each lab goes when its test is done: two idle labs would slow the other's drill on a small machine
afterEach(async () => {
  for (const lab of Object.values(LABS)) await teardownLab(docker, lab.id);
});

type Report = {
  runId: string;
  verdict: string;
  failedStep?: string;
  config: { topic: string; mirroredTopic: string; messages: number };
  steps: { name: string; verdict: string; summary: string; startedAt: string; error?: { message: string } }[];
  disaster: { rpo: RpoFigures; accounting: DisasterAccounting };
  failback: FailbackFigures & { accounting: FailbackAccounting };
};

const RUNBOOK = [
  'verify-disaster',
  'primary-returns',
  'reconcile-stranded',
  'reverse-mirror',
  'failback-consumers',
  'failback-producers',
  'resume-mirror',
  'verify-failback',
];

/** This run's records in a topic, read by the test itself: seq -> copies, and the republished seqs. */
async function recordsOf(policy: Policy, dc: 'upstream' | 'downstream', topic: string, runId: string) {
  const kafka = kafkaClient([`127.0.0.1:${kafkaHostPort(dc, 0, LABS[policy].offset)}`], `it-failback-${dc}`);
  const copies = new Map<number, number>();
  const republished = new Set<number>();
  await readToEnd(kafka, topic, {}, (_p, m) => {
    const h = readLabHeaders(m.headers as IHeaders);
    if (h.runId !== runId) return;
    const seq = Number(h.seq);
    copies.set(seq, (copies.get(seq) ?? 0) + 1);
    if (m.headers?.[REPUBLISHED_HEADER] !== undefined) republished.add(seq);
  });
  return { copies, republished };
}

async function drill(policy: Policy, stranded: 'report' | 'republish', extra: string[] = []) {
  const r = await runLab(
    [
      'drill',
      '--lab-id',
      LABS[policy].id,
      '--port-offset',
      String(LABS[policy].offset),
      '--replication-policy',
      policy,
      '--keep',
      '--json',
      '--disaster',
      '--disaster-after',
      '25',
      '--outage',
      '20',
      '--rate',
      String(RATE),
      '--pause-mirror-before-disaster',
      '10',
      '--failback',
      '--stranded',
      stranded,
      ...extra,
    ],
    {},
    900_000,
  );
  return { r, report: jsonOf(r) as Report };
}

/** What the test finds on both sides: the stranded (on the primary, acknowledged per the drill, never in the forward mirror before it stopped). */
async function bothSides(policy: Policy, report: Report) {
  const { topic, mirroredTopic, messages } = report.config;
  const id = report.runId;
  // under IdentityReplicationPolicy the reverse mirror's copies are in the primary's own topic
  const [primary, mirror, drTopic, back] = await Promise.all([
    recordsOf(policy, 'upstream', topic, id),
    recordsOf(policy, 'downstream', mirroredTopic, id),
    recordsOf(policy, 'downstream', topic, id),
    recordsOf(policy, 'upstream', policy === 'identity' ? topic : `dst.${topic}`, id),
  ]);
  const upstreamSeqs = [...primary.copies.keys()].filter((s) => s < messages);
  const neverMirrored = upstreamSeqs.filter((s) => !mirror.copies.has(s));
  return { primary, mirror, drTopic, back, neverMirrored };
}

function expectPassedRunbook(report: Report) {
  const began = (n: string) => Date.parse(report.steps.find((s) => s.name === n)?.startedAt ?? '');
  const names = RUNBOOK.filter((n) => report.steps.some((s) => s.name === n));
  // consumers and producers move back together: their order among themselves is the runbook's
  names.sort((x, y) => began(x) - began(y) || RUNBOOK.indexOf(x) - RUNBOOK.indexOf(y));
  expect(names).toEqual(RUNBOOK);
}

describe('failback after a disaster', () => {
  it('DefaultReplicationPolicy: republishes the stranded records on the DR side, each processed once and brought back with the rest; every record on both sides', async () => {
    const { r, report } = await drill('default', 'republish');
    expect(report.verdict, r.stderr.slice(-3000)).toBe('passed');
    expect(r.code).toBe(0);
    expectPassedRunbook(report);
    const a = report.failback.accounting;
    const own = await bothSides('default', report);
    expect(report.config.mirroredTopic).toBe(`src.${report.config.topic}`);

    // the planted stranding: about the rate times the pause, and exactly what the test finds
    expect(a.stranded.records).toBe(report.disaster.rpo.records);
    expect(a.stranded.records).toBeGreaterThan(RATE * 10 * 0.75);
    const unackedNotMirrored =
      report.disaster.accounting.upstream.writtenUnacknowledged - report.disaster.accounting.upstream.unacknowledgedMirrored;
    expect(own.neverMirrored.length).toBe(a.stranded.records + unackedNotMirrored);
    // republished once each on the DR topic, every one of them a record the mirror never got
    expect(own.drTopic.republished.size).toBe(a.stranded.records);
    for (const s of own.drTopic.republished) {
      expect(own.mirror.copies.has(s), `seq ${s}`).toBe(false);
      expect(own.drTopic.copies.get(s), `seq ${s}`).toBe(1);
    }
    // moved back: everything the DR topic holds is on the primary again, the republished among it
    for (const s of own.drTopic.copies.keys()) expect(own.back.copies.has(s), `seq ${s} back`).toBe(true);
    expect(a.reverse).toMatchObject({ missing: 0, expected: own.drTopic.copies.size });
    // written after failback: on the primary, and carried forward to the DR side
    const firstAfter = report.config.messages + report.disaster.accounting.dr.written;
    const after = [...own.primary.copies.keys()].filter((s) => s >= firstAfter);
    expect(after.length).toBe(a.forward.written);
    for (const s of after) expect(own.mirror.copies.has(s), `seq ${s} forward`).toBe(true);
    expect(a.group.skipped).toBe(0);
    expect(a.index.missing).toBe(0);
    expect(report.failback.seconds).toBeGreaterThan(0);
  }, 900_000);

  it('IdentityReplicationPolicy: reports the stranded records and leaves them on the primary only, brings back the rest into the same topic; --max-failback-seconds fails the drill', async () => {
    const { r, report } = await drill('identity', 'report', ['--max-failback-seconds', '1']);
    expect(report.verdict).toBe('failed');
    expect(report.failedStep).toBe('verify-failback');
    expect(r.code).toBe(1);
    // the gate is the only problem: the failback itself accounted for every record
    const failed = report.steps.find((s) => s.name === 'verify-failback')!;
    expect(failed.error!.message).toMatch(
      new RegExp(`^verify-failback: failback took ${report.failback.seconds} s, over --max-failback-seconds 1$`),
    );
    const a = report.failback.accounting;
    const own = await bothSides('identity', report);
    expect(report.config.mirroredTopic).toBe(report.config.topic);
    expect(a.stranded.action).toBe('report');
    expect(a.stranded.records).toBe(report.disaster.rpo.records);
    expect(a.stranded.records).toBeGreaterThan(RATE * 10 * 0.75);
    const unackedNotMirrored =
      report.disaster.accounting.upstream.writtenUnacknowledged - report.disaster.accounting.upstream.unacknowledgedMirrored;
    expect(own.neverMirrored.length).toBe(a.stranded.records + unackedNotMirrored);
    // on the primary only: neither mirrored forward after the failback nor written on the DR side
    for (const s of own.neverMirrored) {
      expect(own.mirror.copies.has(s), `seq ${s}`).toBe(false);
      expect(own.drTopic.copies.has(s), `seq ${s}`).toBe(false);
    }
    expect(own.drTopic.republished.size).toBe(0);
    // the per-partition list adds up, each at the offsets the primary holds them
    expect(a.stranded.partitions.reduce((n, p) => n + p.count, 0)).toBe(a.stranded.records);
    for (const p of a.stranded.partitions) expect(p.lastOffset - p.firstOffset + 1).toBeGreaterThanOrEqual(p.count);
    // the DR side's own records came back into the primary's topic, once each (the mirror's copies were not sent back)
    const firstDr = report.config.messages;
    const drWritten = report.disaster.accounting.dr.written;
    for (let s = firstDr; s < firstDr + drWritten; s++) {
      expect(own.back.copies.get(s), `seq ${s} back`).toBe(1);
      // and the resumed forward mirror did not send any of them over again
      expect(own.drTopic.copies.get(s), `seq ${s} on the DR side`).toBe(1);
    }
    for (const [s, n] of own.primary.copies) if (s < firstDr) expect(n, `seq ${s} on the primary`).toBe(1);
    // and what was written after failback crossed forward once
    for (const [s, n] of own.mirror.copies) if (s >= firstDr + drWritten) expect(n, `seq ${s} forward`).toBe(1);
    expect(a.reverse.missing).toBe(0);
    expect(a.forward.missing).toBe(0);
    expect(a.group.skipped).toBe(0);
  }, 900_000);
});
