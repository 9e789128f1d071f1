import { describe, expect, it } from 'vitest';
import { latencyUnavailable } from '../../src/domain/accounting';
import type { DrillConfig } from '../../src/domain/drill-input';
import type { DrillReport } from '../../src/domain/report';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { renderHtmlTrend, renderTrend, trendChanges, trendJson, trendRow, trendRows, type TrendDrill } from '../../src/report/trend';
import { trendQuery } from '../../src/temporal/trend';

const config = resolveDrillInput({ labId: 'dr' }) as DrillConfig;
const latency = (p50Ms: number, p99Ms: number) => ({
  available: true,
  count: 1000,
  negative: 0,
  p50Ms,
  p99Ms,
  maxMs: p99Ms + 100,
  samples: [] as [number, number][],
});

function report(startedAt: string, extra: Partial<DrillReport>): DrillReport {
  return {
    drillId: 'd',
    runId: 'r',
    verdict: 'passed',
    config,
    steps: [],
    metrics: [],
    startedAt,
    finishedAt: startedAt,
    ...extra,
  };
}

const drill = (workflowId: string, status: string, startTime: string, extra: Partial<TrendDrill> = {}): TrendDrill => ({
  workflowId,
  status,
  startTime,
  target: 'lab:dr',
  ...extra,
});

/** As the visibility store lists them: newest first. */
const DRILLS: TrendDrill[] = [
  drill('running', 'RUNNING', '2026-01-05T02:00:00.000Z', { verdict: 'running' }),
  drill('cancelled', 'CANCELLED', '2026-01-04T02:00:00.000Z', { verdict: 'failed' }),
  // the report of a failed drill, as reportFromFailure reads it from the failure's details
  drill('failed-disaster', 'FAILED', '2026-01-03T02:00:00.000Z', {
    report: report('2026-01-03T02:00:05.000Z', {
      verdict: 'failed',
      latency: latency(300, 1200),
      disaster: {
        at: Date.parse('2026-01-03T02:00:35.000Z'),
        targets: ['up-kafka-1'],
        evidence: [],
        rpo: { records: 42, partitions: [], seconds: 3.5 },
        rto: { producersSeconds: 4.1, consumersSeconds: 9.8, unknown: ['no record written on the DR side reached the index'] },
      },
    }),
  }),
  drill('plain', 'COMPLETED', '2026-01-02T02:00:00.000Z', {
    report: report('2026-01-02T02:00:05.000Z', { latency: latencyUnavailable('CreateTime') }),
  }),
  drill('passed-disaster', 'COMPLETED', '2026-01-01T02:00:00.000Z', {
    report: report('2026-01-01T02:00:05.000Z', {
      latency: latency(200, 900),
      disaster: {
        at: Date.parse('2026-01-01T02:00:35.000Z'),
        targets: ['up-kafka-1'],
        evidence: [],
        rpo: { records: 0, partitions: [], seconds: 0 },
        rto: { producersSeconds: 3, consumersSeconds: 7.5, indexSeconds: 12.25, seconds: 12.25, unknown: [] },
      },
    }),
  }),
];

describe('lab trend', () => {
  const rows = trendRows(DRILLS);

  it('lists the drills oldest first, each with its verdict', () => {
    expect(rows.map((r) => [r.workflowId, r.verdict])).toEqual([
      ['passed-disaster', 'passed'],
      ['plain', 'passed'],
      ['failed-disaster', 'failed'],
      // stopped from outside: its status, not the "failed" LabVerdict its cleanup set
      ['cancelled', 'cancelled'],
      ['running', 'running'],
    ]);
  });

  it("takes a failed disaster drill's figures from its report, an unobserved RTO part as null", () => {
    expect(rows[2]).toMatchObject({
      startedAt: '2026-01-03T02:00:05.000Z',
      rpoRecords: 42,
      rpoSeconds: 3.5,
      rtoSeconds: null,
      rtoProducersSeconds: 4.1,
      rtoConsumersSeconds: 9.8,
      rtoIndexSeconds: null,
      latencyP50Ms: 300,
      latencyP99Ms: 1200,
    });
  });

  it('keeps 0 stranded records as 0, and every figure a drill did not measure as null', () => {
    expect(rows[0]).toMatchObject({ rpoRecords: 0, rpoSeconds: 0, rtoSeconds: 12.25 });
    const unmeasured = {
      rpoRecords: null,
      rpoSeconds: null,
      rtoSeconds: null,
      rtoProducersSeconds: null,
      rtoConsumersSeconds: null,
      rtoIndexSeconds: null,
      latencyP50Ms: null,
      latencyP99Ms: null,
      failbackSeconds: null,
    };
    // not a disaster drill, and latency unavailable (no arrival times): nothing measured
    expect(rows[1]).toMatchObject(unmeasured);
    expect(rows[4]).toMatchObject({ status: 'RUNNING', ...unmeasured });
    expect(trendJson(rows, {}, 30).drills[1]).toMatchObject(unmeasured);
  });

  it('shows unmeasured figures as "-" in the text table, never 0', () => {
    const lines = renderTrend(rows, { labId: 'dr' }, 30).split('\n');
    expect(lines[0]).toBe('5 drills of lab "dr", oldest first:');
    const line = (id: string) => lines.find((l) => l.includes(` ${id} `))!.split(/\s{2,}/);
    expect(line('plain')).toEqual(['2026-01-02 02:00', 'plain', 'lab:dr', 'passed', '-', '-', '-', '-', '-', '-', '-']);
    expect(line('failed-disaster')).toEqual([
      '2026-01-03 02:00',
      'failed-disaster',
      'lab:dr',
      'failed',
      '42',
      '3.5',
      '-',
      '4.1/9.8/-',
      '300',
      '1200',
      '-',
    ]);
    expect(line('passed-disaster')).toEqual([
      '2026-01-01 02:00',
      'passed-disaster',
      'lab:dr',
      'passed',
      '0',
      '0',
      '12.25',
      '3/7.5/12.25',
      '200',
      '900',
      '-',
    ]);
    expect(lines.find((l) => l.includes(' running '))).toMatch(/running(\s+-){7}$/);
  });

  it("follows a failback's duration, from the primary back to serving from it", () => {
    const d = DRILLS[0];
    const withFailback = { ...d, report: { ...d.report!, failback: { seconds: 25.7 } as NonNullable<DrillReport['failback']> } };
    expect(trendRow(withFailback).failbackSeconds).toBe(25.7);
    expect(
      trendChanges(
        trendRows([
          withFailback,
          {
            ...withFailback,
            report: {
              ...withFailback.report,
              startedAt: '2026-02-01T00:00:00Z',
              failback: { seconds: 30 } as NonNullable<DrillReport['failback']>,
            },
          },
        ]),
      ).find((c) => c.figure === 'failbackSeconds'),
    ).toEqual({ figure: 'failbackSeconds', previous: 25.7, latest: 30, direction: 'worse' });
  });

  it('compares the latest measurement of RPO, RTO and p99 with the one before', () => {
    expect(trendChanges(rows)).toEqual([
      { figure: 'rpoRecords', previous: 0, latest: 42, direction: 'worse' },
      { figure: 'latencyP99Ms', previous: 900, latest: 1200, direction: 'worse' },
    ]);
    expect(renderTrend(rows, {}, 30)).toContain(
      'latest against the one before: RPO 42 records (was 0: worse); p99 latency 1200 ms (was 900: worse)',
    );
  });

  it("says when --limit cut the list, and where a schedule's drills are when it found none", () => {
    expect(renderTrend(rows, { schedule: 'nightly' }, 5)).toMatch(
      /^5 drills of schedule "nightly", oldest first \(the newest 5; --limit N for more\):/,
    );
    expect(renderTrend([], { schedule: 'nightly', labId: 'dr' }, 30)).toMatch(/^no drills of schedule "nightly" on lab "dr"\n.*--lab-id/);
  });

  it('writes a self-contained HTML page with the table and an SVG chart of RPO, RTO and p99 latency', () => {
    const html = renderHtmlTrend(
      trendRows([...DRILLS, drill('<b>x</b>', 'FAILED', '2025-12-31T02:00:00.000Z')]),
      { schedule: 'nightly' },
      30,
    );
    expect(html).toContain('<title>Disaster-recovery trend: schedule &quot;nightly&quot;</title>');
    expect(html).toMatch(/<svg [^>]*id="trend-chart"/);
    for (const title of ['RPO (records)', 'RTO (s)', 'p99 latency (ms)']) expect(html).toContain(`class="title">${title}</text>`);
    // one line per figure, broken where a drill did not measure it: RPO is a point, a gap, a point
    expect(html).toMatch(/<path d="M[\d.,]+ M[\d.,]+" class="line rpo"\/>/);
    expect(html).toMatch(/<path d="M[\d.,]+" class="line rto"\/>/);
    expect(html).toContain('<title>failed-disaster: 42 records, failed</title>');
    expect(html).toContain('<table id="trend">');
    expect(html).toContain('<td>4.1</td><td>9.8</td><td>-</td>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toMatch(/<script|<link|\bsrc=|href=/);
  });

  it('says so in the chart when no drill measured a figure', () => {
    const html = renderHtmlTrend(trendRows([DRILLS[3]]), {}, 30);
    expect(html.match(/not measured by any of these drills/g)).toHaveLength(4);
    expect(html).not.toContain('<path');
  });

  it('selects drills by schedule id and lab, quoting the values', () => {
    expect(trendQuery({})).toBe('WorkflowType = "chapterDrillWorkflow"');
    expect(trendQuery({ schedule: 'night"ly', labId: 'dr' })).toBe(
      'WorkflowType = "chapterDrillWorkflow" AND TemporalScheduledById = "night\\"ly" AND LabTarget = "lab:dr"',
    );
  });
});
