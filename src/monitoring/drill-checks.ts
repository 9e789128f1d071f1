import type { MetricCheck } from '../domain/report';
import type { Sample } from './prometheus';

/** What the drill's metric checks are about; pure data, so the checks are unit-tested. */
export interface DrillMetricsSubject {
  topic: string;
  mirroredTopic: string;
  /** Scrape jobs of the brokers and Connect workers, with how many targets each must have up; empty: every target up. */
  jobs: Record<string, number>;
  latencyThresholdMs: number;
  /** The lab's apps publish consumer lag; against other clusters that series does not exist. */
  checkAppLag: boolean;
  /**
   * This run's writes: when its first produce started and how many distinct records it wrote.
   * Absent when the drill only observes (then the checks look at the traffic that flows).
   */
  run?: { sinceMs: number; produced: number; restarted?: ('upstream' | 'downstream')[] };
}

/** One check: a query evaluated now and, for checks bound to the run, also at the run's start. */
export interface DrillMetricCheck {
  name: string;
  query: string;
  /** Also evaluate `query` at this time (epoch ms); a series absent then counts as 0. */
  baselineAtMs?: number;
  /** Why this check cannot observe what it is about in this run: it is reported skipped, never passed. */
  skipped?: string;
  expectation: string;
  judge: (now: Sample[], before: Sample[]) => { ok: boolean; observed: string };
}

const MESSAGES_IN = 'kafka_server_brokertopicmetrics_messagesinpersec_total';
const escape = (s: string) => s.replace(/[.\\]/g, (c) => `\\\\${c}`);
const values = (s: Sample[]) => s.map((x) => Number(x.value[1]));
const seriesKey = (s: Sample) => `${s.metric.job ?? ''}/${s.metric.instance ?? ''}`;

/**
 * How much a counter grew across every series (one per broker) between two instant queries. A
 * series absent before counts from 0 (Kafka creates per-topic counters at the first write); one
 * that went down (a restarted broker) counts from its reset, so a restart never adds growth.
 */
export function counterGrowth(now: Sample[], before: Sample[]): number {
  const start = new Map(before.map((s) => [seriesKey(s), Number(s.value[1])]));
  return now.reduce((sum, s) => {
    const v = Number(s.value[1]);
    const b = start.get(seriesKey(s)) ?? 0;
    return sum + (v >= b ? v - b : v);
  }, 0);
}

/**
 * The chapter's "look at the dashboards", as checks. Topic traffic is checked against this run's
 * own writes (the counter grew by at least what the run produced), not against a rate that scrape
 * timing or other traffic can make zero or non-zero.
 */
export function drillMetricChecks(i: DrillMetricsSubject, nowMs: number): DrillMetricCheck[] {
  const jobRe = Object.keys(i.jobs).join('|') || '.+';
  // Windows reach back to the run's start (plus a scrape or two), never into earlier runs.
  const window = i.run ? `${Math.max(30, Math.ceil((nowMs - i.run.sinceMs) / 1000) + 30)}s` : '10m';
  const topics = `topic=~"(${escape(i.mirroredTopic)}|${escape(i.topic)})"`;
  const checks: DrillMetricCheck[] = [
    {
      name: 'every broker and Connect worker is an up target',
      query: `up{job=~"${jobRe}"}`,
      expectation:
        Object.entries(i.jobs)
          .map(([j, n]) => `${n} up in ${j}`)
          .join(', ') || 'every target up',
      judge: (s) => {
        const up = s.filter((x) => x.value[1] === '1');
        const ok =
          s.length > 0 &&
          up.length === s.length &&
          Object.entries(i.jobs).every(([j, n]) => up.filter((x) => x.metric.job === j).length >= n);
        const down = s.filter((x) => x.value[1] !== '1').map((x) => x.metric.instance);
        return { ok, observed: s.length ? `${up.length} up${down.length ? `, down: ${down.join(', ')}` : ''}` : 'no data' };
      },
    },
  ];
  for (const [side, topic] of [
    ['upstream', i.topic],
    ['mirrored', i.mirroredTopic],
  ] as const) {
    if (i.run) {
      const run = i.run;
      const cluster = side === 'upstream' ? 'upstream' : 'downstream';
      checks.push({
        // A broker killed during the run takes its in-memory counters with it, and what it counted
        // since the last scrape is gone: the counter cannot account for the run, the ledger does.
        ...(run.restarted?.includes(cluster)
          ? {
              skipped: `the ${cluster} brokers were restarted during the run, so their counters started over; the per-message accounting covers this run`,
            }
          : {}),
        name: `${side} topic received this run's messages`,
        query: `${MESSAGES_IN}{topic="${topic}"}`,
        baselineAtMs: run.sinceMs,
        expectation: `grew by >= ${run.produced} messages since the run started`,
        judge: (now, before) => {
          if (now.length === 0) return { ok: false, observed: 'no data' };
          const grew = counterGrowth(now, before);
          return { ok: grew >= run.produced, observed: `grew by ${grew} across ${now.length} broker(s)` };
        },
      });
    } else {
      checks.push({
        name: `${side} topic message rate is above zero`,
        query: `sum(rate(${MESSAGES_IN}{topic="${topic}"}[5m]))`,
        expectation: '> 0 messages/s',
        judge: (s) => ({ ok: values(s).some((v) => v > 0), observed: `${values(s)[0]?.toFixed(3) ?? 'no data'} messages/s` }),
      });
    }
  }
  checks.push(
    {
      name: 'MirrorMaker 2 replication latency is under the threshold',
      query: `max(max_over_time(kafka_connect_mirror_source_connector_replication_latency_ms_max{${topics}}[${window}]))`,
      expectation: `exists and < ${i.latencyThresholdMs} ms`,
      judge: (s) => {
        const v = values(s).filter((x) => Number.isFinite(x));
        return { ok: v.length > 0 && v.every((x) => x < i.latencyThresholdMs), observed: v.length ? `${Math.max(...v)} ms` : 'no data' };
      },
    },
    {
      name: 'MirrorMaker 2 record age is reported',
      query: `max(max_over_time(kafka_connect_mirror_source_connector_record_age_ms_max{${topics}}[${window}]))`,
      expectation: 'exists',
      judge: (s) => ({ ok: values(s).some((x) => Number.isFinite(x)), observed: values(s).length ? `${values(s)[0]} ms` : 'no data' }),
    },
  );
  if (i.checkAppLag) {
    checks.push({
      name: "the consumers' lag is zero",
      query: 'max by (app) (kafka_lab_consumergroup_lag)',
      expectation: 'consumer-1 and consumer-2 at 0',
      judge: (s) => ({
        ok: s.length >= 2 && values(s).every((v) => v === 0),
        observed: s.map((x) => `${x.metric.app}=${x.value[1]}`).join(', ') || 'no data',
      }),
    });
  }
  return checks;
}

/** A check that could not be evaluated fails with why; it never passes by default. */
export function judgeCheck(
  c: DrillMetricCheck,
  now: { ok: boolean; samples: Sample[]; error?: string },
  before?: { ok: boolean; samples: Sample[]; error?: string },
): MetricCheck {
  if (c.skipped) return { name: c.name, query: c.query, expectation: c.expectation, observed: c.skipped, verdict: 'skipped' };
  const failed = [now, before].find((r) => r && !r.ok);
  const j = failed ? { ok: false, observed: `query failed: ${failed.error}` } : c.judge(now.samples, before?.samples ?? []);
  return { name: c.name, query: c.query, expectation: c.expectation, observed: j.observed, verdict: j.ok ? 'passed' : 'failed' };
}
