import { httpAuthHeaders } from '../src/config/credentials';
import type { HttpAccess } from '../src/domain/access';
import type { MetricCheck } from '../src/domain/report';
import { drillMetricChecks, judgeCheck, type DrillMetricsSubject } from '../src/monitoring/drill-checks';
import { promQuery } from '../src/monitoring/prometheus';
import { sleep } from '../src/util/sleep';
import { withHeartbeat } from './heartbeat';

export interface MetricsInput extends DrillMetricsSubject {
  prometheusUrl: string;
  timeoutSeconds?: number;
  access?: HttpAccess;
}

/**
 * Evaluates the drill's metric checks against Prometheus. Checks that fail are evaluated again
 * until the deadline, since metrics trail by a scrape; every check comes back with its query,
 * expectation and observed value, passed or not.
 */
export async function checkMetrics(input: MetricsInput): Promise<MetricCheck[]> {
  const headers = httpAuthHeaders(input.access, 'Prometheus');
  return withHeartbeat(async (progress, signal) => {
    const deadline = Date.now() + (input.timeoutSeconds ?? 90) * 1000;
    for (;;) {
      const results: MetricCheck[] = [];
      for (const c of drillMetricChecks(input, Date.now())) {
        const now = await promQuery(input.prometheusUrl, c.query, { headers });
        const before =
          c.baselineAtMs === undefined ? undefined : await promQuery(input.prometheusUrl, c.query, { headers, atMs: c.baselineAtMs });
        results.push(judgeCheck(c, now, before));
      }
      const failing = results.filter((r) => r.verdict === 'failed');
      progress({ failing: failing.map((f) => `${f.name}: ${f.observed}`) });
      if (failing.length === 0 || Date.now() > deadline) return results;
      await sleep(3000, signal);
    }
  });
}
