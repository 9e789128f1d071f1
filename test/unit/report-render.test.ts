import { describe, expect, it } from 'vitest';
import { latencyUnavailable } from '../../src/domain/accounting';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import type { DrillConfig } from '../../src/domain/drill-input';
import type { DrillReport } from '../../src/domain/report';
import { reportExitCode } from '../../src/report/exit-code';
import { renderHtmlReport } from '../../src/report/render-html';
import { renderReport, reportJson } from '../../src/report/render-text';

const config = resolveDrillInput({}) as DrillConfig;
const failedMetrics: DrillReport = {
  drillId: 'd1',
  runId: 'r1',
  verdict: 'failed',
  failedStep: 'check-metrics',
  config,
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:01:00Z',
  steps: [
    {
      name: 'check-metrics',
      verdict: 'failed',
      startedAt: '2026-01-01T00:00:10Z',
      durationMs: 90_000,
      summary: '5/6 metric checks passed',
      error: { type: 'VerificationFailed', message: 'x' },
    },
  ],
  metrics: [
    { name: 'up', query: 'up{job=~"kafka"}', verdict: 'passed', observed: '5 up', expectation: '5 up' },
    {
      name: "upstream topic received this run's messages",
      query: 'kafka_server_brokertopicmetrics_messagesinpersec_total{topic="t"}',
      verdict: 'failed',
      observed: 'grew by 150 across 1 broker(s)',
      expectation: 'grew by >= 200 messages since the run started',
    },
  ],
  latency: latencyUnavailable('the mirrored topic uses message.timestamp.type=CreateTime, not LogAppendTime'),
  leftBehind: { containers: ['kafka-lab-default-up-kafka-1'], networks: [], volumes: [] },
};

describe('a failed drill report carries its evidence', () => {
  it('keeps every metric check with query, expectation and observed value in JSON, text and HTML', () => {
    expect(isInputProblem(config)).toBe(false);
    expect(reportJson(failedMetrics).metrics).toHaveLength(2);
    const text = renderReport(failedMetrics);
    expect(text).toContain('grew by 150 across 1 broker(s)');
    const html = renderHtmlReport(failedMetrics);
    expect(html).toContain('kafka_server_brokertopicmetrics_messagesinpersec_total{topic=&quot;t&quot;}');
    expect(html).toContain('grew by &gt;= 200 messages since the run started');
  });

  it('says latency is unavailable and why, never 0 ms', () => {
    expect(reportJson(failedMetrics).latency).toEqual({ available: false, reason: expect.stringContaining('CreateTime') });
    expect(renderReport(failedMetrics)).toMatch(/replication latency unavailable: .*CreateTime/);
    expect(renderHtmlReport(failedMetrics)).not.toContain('latency-chart');
  });

  it('names what a failed teardown left behind', () => {
    expect(renderReport(failedMetrics)).toContain('left behind by the failed teardown: container kafka-lab-default-up-kafka-1');
    expect(renderHtmlReport(failedMetrics)).toContain('id="left-behind"');
  });

  it("shows a failback's figures, its stranded records per partition and the group's reverse translation, in JSON, text and HTML", () => {
    const failback: NonNullable<DrillReport['failback']> = {
      seconds: 20.3,
      producersSeconds: 10.2,
      consumersSeconds: 20.3,
      totalSeconds: 30.3,
      reverseCatchUpSeconds: 7.2,
      unknown: [],
      accounting: {
        stranded: {
          action: 'republish',
          records: 2414,
          partitions: [{ partition: 1, count: 816, firstOffset: 2431, lastOffset: 3246 }],
          republished: 2414,
          republishedTwice: 0,
          leaked: 0,
        },
        reverse: { expected: 12414, movedBack: 12414, missing: 0, copiedTwice: 0 },
        forward: { written: 10000, onPrimary: 10000, mirrored: 10000, missing: 0 },
        group: {
          expected: 12414,
          processed: 12414,
          skipped: 0,
          twiceByReverseTranslation: 97,
          partitions: [
            {
              partition: 1,
              checkpoint: { upstreamOffset: 4149, downstreamOffset: 4052 },
              syncs: { nearest: 4148, bestDownstream: 4149, used: 4051 },
              resumedAt: 4052,
              skipped: 0,
              twice: 97,
              twiceBound: 98,
            },
          ],
        },
        index: { expected: 12414, indexed: 12414, missing: 0 },
        examples: { missingBack: [], missingForward: [], skipped: [], leaked: [], notIndexed: [] },
      },
    };
    const r = { ...failedMetrics, verdict: 'passed' as const, failedStep: undefined, failback };
    const text = renderReport(r);
    expect(text).toContain(
      "failback: 20.3 s from the primary back to serving (producers 10.2 s, consumers 20.3 s), 30.3 s from the forward mirror's stop",
    );
    expect(text).toContain('stranded: 2414 record(s), 2414 republished on the DR side');
    expect(text).toMatch(/1\s+816\s+2431\.\.3246/);
    expect(text).toMatch(/1\s+4149 -> 4052\s+4051 \/ 4148\s+4052\s+0\s+97\s+98/);
    expect(reportJson(r).failback).toEqual(failback);
    const html = renderHtmlReport(r);
    expect(html).toContain('<h2>Failback</h2>');
    expect(html).toContain('id="failback-stranded"');
    expect(html).toContain('id="failback-group"');
  });

  it('exits 1 on a failed verdict, 3 when a service did not answer, 0 when passed', () => {
    expect(reportExitCode(failedMetrics)).toBe(1);
    const unreachable = {
      ...failedMetrics,
      failedStep: 'check-metrics' as const,
      steps: [{ ...failedMetrics.steps[0], error: { type: 'ServiceUnreachable', message: 'Prometheus not reachable' } }],
    };
    expect(reportExitCode(unreachable)).toBe(3);
    expect(reportExitCode({ ...failedMetrics, verdict: 'passed' })).toBe(0);
  });
});
