import { httpJson } from '../clients/http';
import { promQuery } from './prometheus';
import { loadAlertRules, loadDashboards, parseLabelValues, substitute } from './assets';

export interface Evaluation {
  source: string;
  expr: string;
  ok: boolean;
  series: number;
  error?: string;
}

async function query(prometheusUrl: string, expr: string): Promise<{ ok: boolean; series: number; error?: string }> {
  const r = await promQuery(prometheusUrl, expr);
  if (!r.ok) return { ok: false, series: 0, error: r.error };
  return { ok: r.samples.length > 0, series: r.samples.length, error: r.samples.length ? undefined : 'no data' };
}

/** Resolves each dashboard variable through Prometheus, as Grafana does when the dashboard loads. */
export async function variableValues(prometheusUrl: string): Promise<Record<string, string[]>> {
  const values: Record<string, string[]> = {};
  for (const v of loadDashboards().variables) {
    const lv = parseLabelValues(v.query);
    if (!lv) continue;
    const res = await httpJson<{ data?: string[] }>(
      'Prometheus',
      `${prometheusUrl}/api/v1/label/${lv.label}/values?match[]=${encodeURIComponent(lv.match)}`,
    );
    values[v.name] = res.body?.data ?? [];
  }
  return values;
}

/**
 * Every panel query of every dashboard, and every alert rule (its expression must evaluate, and
 * the series it watches must exist), run against a real Prometheus.
 */
export async function evaluateMonitoring(prometheusUrl: string): Promise<{ variables: Record<string, string[]>; results: Evaluation[] }> {
  const variables = await variableValues(prometheusUrl);
  const results: Evaluation[] = [];
  for (const q of loadDashboards().queries) {
    const expr = substitute(q.expr, variables);
    results.push({ source: `${q.dashboard} / ${q.panel}`, expr, ...(await query(prometheusUrl, expr)) });
  }
  for (const r of loadAlertRules()) {
    const rule = await query(prometheusUrl, r.expr);
    // A healthy lab fires no alert: the expression only has to evaluate; the watched series must exist.
    results.push({
      source: `alert ${r.alert} (expression)`,
      expr: r.expr,
      ok: !rule.error || rule.error === 'no data',
      series: rule.series,
      error: rule.error === 'no data' ? undefined : rule.error,
    });
    results.push({ source: `alert ${r.alert} (series)`, expr: r.series, ...(await query(prometheusUrl, r.series)) });
  }
  return { variables, results };
}
