import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translationAllows, type FailoverAccounting } from '../../src/domain/failover';
import { teardownLab } from '../../src/lab/teardown';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

// The failover a second data center exists for, for real on a lite lab: a consumer group works
// half-way through the run upstream and commits; the upstream brokers are SIGKILLed; the group is
// moved to src.<topic> downstream at the offsets MirrorMaker 2's checkpoints translated; upstream
// comes back; every message of the run must have been processed, none skipped.
const LAB_ID = 'it-failover';
const LAB = ['--lab-id', LAB_ID, '--port-offset', String(PORT_OFFSETS.failover)];
const MESSAGES = 3000;

let docker: Docker;
beforeAll(async () => {
  docker = await connectDocker();
});
afterAll(async () => {
  await teardownLab(docker, LAB_ID);
});

type Report = {
  verdict: string;
  failedStep?: string;
  steps: { name: string; verdict: string; summary: string }[];
  failover: { targets: string[]; from: number; to: number; accounting: FailoverAccounting };
};

describe('failover drill', () => {
  it('moves the group downstream at the translated offsets, skips nothing, and bounds what it processes twice', async () => {
    const r = await runLab(['drill', ...LAB, '--keep', '--json', '--failover', '--messages', String(MESSAGES)], {}, 900_000);
    const report = jsonOf(r) as Report;
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(r.code).toBe(0);
    const steps = Object.fromEntries(report.steps.map((s) => [s.name, s.verdict]));
    expect(steps).toMatchObject({ 'consume-upstream': 'passed', failover: 'passed', 'verify-failover': 'passed', 'verify-v2': 'passed' });

    const f = report.failover;
    expect(f.targets).toEqual([`kafka-lab-${LAB_ID}-up-kafka-1`]);
    expect(f.to).toBeGreaterThan(f.from);
    const a = f.accounting;
    expect(a).toMatchObject({ expected: MESSAGES, skipped: 0 });
    // half of each partition was processed upstream, and everything else downstream
    expect(a.processedUpstream).toBe(3 * Math.ceil(MESSAGES / 3 / 2));
    expect(a.processedUpstream + a.processedDownstream - a.twice).toBe(MESSAGES);
    expect(a.twice).toBe(a.twiceAfterCheckpoint + a.twiceByTranslation);
    for (const p of a.partitions) {
      // the translated starting offsets: the group's last checkpoint, as MirrorMaker 2's own store translates it
      expect(p.checkpoint, `partition ${p.partition}`).toBeDefined();
      expect(p.checkpoint!.upstreamOffset).toBe(p.committed);
      expect(p.resumedAt).toBe(p.checkpoint!.downstreamOffset);
      expect(p.startedAt).toBe(p.resumedAt);
      // never past the nearest offset sync, and through a sync that was written
      expect(p.syncs, `partition ${p.partition}: offset syncs read`).toBeDefined();
      expect(p.checkpoint!.downstreamOffset).toBeLessThanOrEqual(p.syncs!.bestDownstream);
      expect(p.syncs!.used).toBeDefined();
      expect(p.twiceByTranslation).toBeLessThanOrEqual(translationAllows(p, a.bounds)!);
    }
    // upstream is back: its broker runs, and the second generation went through it and the mirror
    expect((await docker.getContainer(`kafka-lab-${LAB_ID}-up-kafka-1`).inspect()).State.Running).toBe(true);
  }, 900_000);

  it('fails verify-failover and names the partitions when the group resumes past messages it never processed', async () => {
    // planted: the moved group resumes 2,000 records past the translated offsets, beyond what it processed upstream
    const r = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--failover', '--messages', String(MESSAGES), '--skew-translated', '2000'],
      {},
      900_000,
    );
    const report = jsonOf(r) as Report;
    expect(report.verdict).toBe('failed');
    expect(report.failedStep).toBe('verify-failover');
    expect(r.code).toBe(1);
    const a = report.failover.accounting;
    expect(a.skipped).toBeGreaterThan(0);
    expect(a.skipped).toBe(a.partitions.reduce((n, p) => n + p.skipped, 0));
    const summary = report.steps.find((s) => s.name === 'verify-failover')!.summary;
    expect(summary).toMatch(new RegExp(`skipped ${a.skipped}`));
    expect(r.stderr).toMatch(
      /src\.peter-avro01-kafka1\[\d\]: \d+ message\(s\) the group had not processed upstream were skipped: it resumed at offset \d+, past them/,
    );
  }, 900_000);
});
