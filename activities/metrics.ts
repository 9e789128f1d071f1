import { httpAuthHeaders } from '../src/config/credentials';
import type { MetricCheck } from '../src/domain/report';
import { drillMetricChecks, judgeCheck } from '../src/monitoring/drill-checks';
import { promQuery } from '../src/monitoring/prometheus';
import { pollUntil } from '../src/util/poll';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { MetricsInput } from '../src/contracts/metrics';
import { TimedOutError } from '../src/errors';

/**
 * Evaluates the drill's metric checks against Prometheus. Checks that fail are evaluated again
 * until the deadline, since metrics trail by a scrape; every check comes back with its query,
 * expectation and observed value, passed or not.
 */
export async function checkMetrics(input: MetricsInput): Promise<MetricCheck[]> {
  const headers = httpAuthHeaders(input.access, 'Prometheus');
  const timeoutMs = (input.timeoutSeconds ?? 90) * 1000;
  const deadline = Date.now() + timeoutMs;
  return withHeartbeat((progress, signal) =>
    // At the deadline the checks come back as they are, failed ones included: that is the verdict.
    pollUntil<MetricCheck[]>(
      async () => {
        const results: MetricCheck[] = [];
        for (const c of drillMetricChecks(input, Date.now())) {
          if (c.skipped) {
            results.push(judgeCheck(c, { ok: true, samples: [] }));
            continue;
          }
          const now = await promQuery(input.prometheusUrl, c.query, { headers });
          const before =
            c.baselineAtMs === undefined ? undefined : await promQuery(input.prometheusUrl, c.query, { headers, atMs: c.baselineAtMs });
          results.push(judgeCheck(c, now, before));
        }
        const failing = results.filter((r) => r.verdict === 'failed');
        if (failing.length === 0 || Date.now() > deadline) return { done: true, value: results };
        return { done: false, detail: failing.map((f) => `${f.name}: ${f.observed}`).join('; ') };
      },
      {
        timeoutMs: timeoutMs + 60_000,
        // the checks usually pass at the next scrape (the lab's interval is in src/lab/config/prometheus.ts):
        // look twice a second until then (a look is a dozen instant queries), so the step ends soon after it
        firstIntervalMs: 500,
        intervalMs: 500,
        signal,
        onProgress: progress,
        onTimeout: (last) => new TimedOutError('the metric checks', last, 'check Prometheus answers and scrapes the lab'),
      },
    ),
  );
}
