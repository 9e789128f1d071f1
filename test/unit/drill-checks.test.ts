import { describe, expect, it } from 'vitest';
import { counterGrowth, drillMetricChecks, judgeCheck } from '../../src/monitoring/drill-checks';
import type { Sample } from '../../src/monitoring/prometheus';

const sample = (instance: string, v: number): Sample => ({ metric: { job: 'kafka-upstream', instance }, value: [0, String(v)] });
const subject = { topic: 't', mirroredTopic: 'src.t', jobs: { 'kafka-upstream': 1 }, latencyThresholdMs: 30_000, checkAppLag: false };
const ran = { ...subject, run: { sinceMs: 1_000_000, produced: 200 } };
const grewCheck = (s = ran) => drillMetricChecks(s, 1_060_000).find((c) => c.name === "upstream topic received this run's messages")!;

describe("metric checks bound to the run's own writes", () => {
  it('passes when the per-topic counter was born between two scrapes at its final value (no rate, no earlier series)', () => {
    // the failure that cried wolf: both generations written between scrapes, so rate() was 0
    const c = grewCheck();
    expect(judgeCheck(c, { ok: true, samples: [sample('b1', 200)] }, { ok: true, samples: [] })).toMatchObject({
      verdict: 'passed',
      observed: 'grew by 200 across 1 broker(s)',
    });
  });

  it('fails when the counter grew by less than the run produced', () => {
    expect(judgeCheck(grewCheck(), { ok: true, samples: [sample('b1', 1150)] }, { ok: true, samples: [sample('b1', 1000)] }).verdict).toBe(
      'failed',
    );
  });

  it('queries the baseline at the run start, and sums growth across brokers', () => {
    const c = grewCheck();
    expect(c.baselineAtMs).toBe(1_000_000);
    expect(counterGrowth([sample('b1', 150), sample('b2', 90)], [sample('b1', 50)])).toBe(190);
  });

  it('does not count a broker restart (counter reset) as growth beyond what it saw since', () => {
    expect(counterGrowth([sample('b1', 30)], [sample('b1', 500)])).toBe(30);
  });

  it('reports the counter check skipped, never passed, for a cluster whose brokers the drill restarted', () => {
    const restarted = { ...subject, run: { sinceMs: 1_000_000, produced: 200, restarted: ['upstream' as const] } };
    const c = grewCheck(restarted);
    expect(c.skipped).toMatch(/upstream brokers were restarted during the run/);
    // whatever the samples say: the counter started over, so it is no evidence either way
    expect(judgeCheck(c, { ok: true, samples: [sample('b1', 5000)] }, { ok: true, samples: [] })).toMatchObject({ verdict: 'skipped' });
    const mirrored = drillMetricChecks(restarted, 1_060_000).find((x) => x.name === "mirrored topic received this run's messages")!;
    expect(mirrored.skipped).toBeUndefined();
  });

  it('fails, never passes, when Prometheus has no data or the query failed', () => {
    const c = grewCheck();
    expect(judgeCheck(c, { ok: true, samples: [] }, { ok: true, samples: [] })).toMatchObject({ verdict: 'failed', observed: 'no data' });
    expect(judgeCheck(c, { ok: false, samples: [], error: 'HTTP 503' }, { ok: true, samples: [] })).toMatchObject({
      verdict: 'failed',
      observed: 'query failed: HTTP 503',
    });
    expect(judgeCheck(c, { ok: true, samples: [sample('b1', 500)] }, { ok: false, samples: [], error: 'timeout' }).verdict).toBe('failed');
  });

  it("bounds MirrorMaker 2's latency window to the run, not to earlier runs", () => {
    const latency = drillMetricChecks(ran, 1_060_000).find((c) => c.name.startsWith('MirrorMaker 2 replication latency'))!;
    expect(latency.query).toContain('[90s]');
  });

  it('observes the traffic that flows when the drill does not produce', () => {
    expect(drillMetricChecks(subject, 0).map((c) => c.name)).toContain('upstream topic message rate is above zero');
  });
});
