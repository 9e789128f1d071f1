import { httpJson } from '../src/clients/http';
import { httpAuthHeaders } from '../src/config/credentials';
import type { HttpAccess } from '../src/domain/access';
import type { MetricCheck } from '../src/domain/report';
import { sleep } from '../src/util/sleep';
import { withHeartbeat } from './heartbeat';

export interface MetricsInput {
  prometheusUrl: string;
  topic: string;
  mirroredTopic: string;
  /** Scrape jobs of the brokers and Connect workers, with how many targets each must have up; empty: every target up. */
  jobs: Record<string, number>;
  latencyThresholdMs: number;
  /** The lab's apps publish consumer lag; against other clusters that series does not exist. */
  checkAppLag: boolean;
  timeoutSeconds?: number;
  access?: HttpAccess;
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

type Judge = (samples: Sample[]) => { ok: boolean; observed: string };

const escape = (s: string) => s.replace(/[.\\]/g, (c) => `\\\\${c}`);
const values = (s: Sample[]) => s.map((x) => Number(x.value[1]));

/**
 * The chapter's "look at the dashboards", as checks: each PromQL query must return data that meets
 * its expectation. Checks that fail are retried until the deadline, since metrics trail by a scrape.
 */
export function metricChecks(i: MetricsInput): { name: string; query: string; expectation: string; judge: Judge }[] {
  const jobRe = Object.keys(i.jobs).join('|') || '.+';
  const checks = [
    {
      name: 'every broker and Connect worker is an up target',
      query: `up{job=~"${jobRe}"}`,
      expectation: Object.entries(i.jobs).map(([j, n]) => `${n} up in ${j}`).join(', '),
      judge: ((s) => {
        const ok = s.length > 0 && s.every((x) => x.value[1] === '1') && Object.entries(i.jobs).every(([j, n]) => s.filter((x) => x.metric.job === j && x.value[1] === '1').length >= n);
        const down = s.filter((x) => x.value[1] !== '1').map((x) => x.metric.instance);
        return { ok, observed: `${s.filter((x) => x.value[1] === '1').length} up${down.length ? `, down: ${down.join(', ')}` : ''}` };
      }) as Judge,
    },
    {
      name: 'upstream topic message rate is above zero',
      query: `sum(rate(kafka_server_brokertopicmetrics_messagesinpersec_total{topic="${i.topic}"}[5m]))`,
      expectation: '> 0 messages/s',
      judge: ((s) => ({ ok: values(s).some((v) => v > 0), observed: `${values(s)[0]?.toFixed(3) ?? 'no data'} messages/s` })) as Judge,
    },
    {
      name: 'mirrored topic message rate is above zero',
      query: `sum(rate(kafka_server_brokertopicmetrics_messagesinpersec_total{topic="${i.mirroredTopic}"}[5m]))`,
      expectation: '> 0 messages/s',
      judge: ((s) => ({ ok: values(s).some((v) => v > 0), observed: `${values(s)[0]?.toFixed(3) ?? 'no data'} messages/s` })) as Judge,
    },
    {
      name: 'MirrorMaker 2 replication latency is under the threshold',
      query: `max(max_over_time(kafka_connect_mirror_source_connector_replication_latency_ms_max{topic=~"(${escape(i.mirroredTopic)}|${escape(i.topic)})"}[10m]))`,
      expectation: `exists and < ${i.latencyThresholdMs} ms`,
      judge: ((s) => {
        const v = values(s).filter((x) => Number.isFinite(x));
        return { ok: v.length > 0 && v.every((x) => x < i.latencyThresholdMs), observed: v.length ? `${Math.max(...v)} ms` : 'no data' };
      }) as Judge,
    },
    {
      name: 'MirrorMaker 2 record age is reported',
      query: `max(max_over_time(kafka_connect_mirror_source_connector_record_age_ms_max{topic=~"(${escape(i.mirroredTopic)}|${escape(i.topic)})"}[10m]))`,
      expectation: 'exists',
      judge: ((s) => ({ ok: values(s).some((x) => Number.isFinite(x)), observed: values(s).length ? `${values(s)[0]} ms` : 'no data' })) as Judge,
    },
  ];
  if (i.checkAppLag) {
    checks.push({
      name: "the consumers' lag is zero",
      query: 'max by (app) (kafka_lab_consumergroup_lag)',
      expectation: 'consumer-1 and consumer-2 at 0',
      judge: ((s) => ({
        ok: s.length >= 2 && values(s).every((v) => v === 0),
        observed: s.map((x) => `${x.metric.app}=${x.value[1]}`).join(', ') || 'no data',
      })) as Judge,
    });
  }
  return checks;
}

export async function checkMetrics(input: MetricsInput): Promise<MetricCheck[]> {
  const checks = metricChecks(input);
  const headers = httpAuthHeaders(input.access, 'Prometheus');
  return withHeartbeat(async (progress) => {
    const deadline = Date.now() + (input.timeoutSeconds ?? 90) * 1000;
    for (;;) {
      const results: MetricCheck[] = [];
      for (const c of checks) {
        const res = await httpJson<{ status: string; data?: { result: Sample[] }; error?: string }>(
          'Prometheus', `${input.prometheusUrl}/api/v1/query?query=${encodeURIComponent(c.query)}`, { headers });
        const samples = res.body?.data?.result ?? [];
        const j = res.body?.status === 'success' ? c.judge(samples) : { ok: false, observed: `query failed: ${res.body?.error ?? res.status}` };
        results.push({ name: c.name, query: c.query, expectation: c.expectation, observed: j.observed, verdict: j.ok ? 'passed' : 'failed' });
      }
      const failing = results.filter((r) => r.verdict === 'failed');
      progress({ failing: failing.map((f) => f.name) });
      if (failing.length === 0 || Date.now() > deadline) return results;
      await sleep(3000);
    }
  });
}
