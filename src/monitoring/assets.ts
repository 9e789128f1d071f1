import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const MONITORING_DIR = resolve(__dirname, '../../infra/monitoring');

export interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

export interface TemplateVariable {
  name: string;
  query: string;
}

export interface AlertRule {
  group: string;
  alert: string;
  expr: string;
  series: string;
}

interface Dashboard {
  title: string;
  panels: { title: string; targets?: { expr?: string }[] }[];
  templating?: { list: { name: string; type: string; query?: string }[] };
}

export function loadDashboards(dir = join(MONITORING_DIR, 'grafana')): { queries: PanelQuery[]; variables: TemplateVariable[] } {
  const queries: PanelQuery[] = [];
  const variables: TemplateVariable[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Dashboard;
    for (const p of d.panels)
      for (const t of p.targets ?? []) if (t.expr) queries.push({ dashboard: d.title, panel: p.title, expr: t.expr });
    for (const v of d.templating?.list ?? []) if (v.type === 'query' && v.query) variables.push({ name: v.name, query: v.query });
  }
  return { queries, variables };
}

export function loadAlertRules(file = join(MONITORING_DIR, 'prometheus/alerts.yml')): AlertRule[] {
  const doc = parse(readFileSync(file, 'utf8')) as {
    groups: { name: string; rules: { alert: string; expr: string; annotations?: { series?: string } }[] }[];
  };
  return doc.groups.flatMap((g) =>
    g.rules.map((r) => ({ group: g.name, alert: r.alert, expr: r.expr, series: r.annotations?.series ?? '' })),
  );
}

/** `label_values(selector, label)` as Grafana runs it, against Prometheus's series API. */
export function parseLabelValues(query: string): { match: string; label: string } | undefined {
  const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query.trim());
  return m ? { match: m[1], label: m[2] } : undefined;
}

/**
 * What Grafana would send: `$__rate_interval`/`$__interval` become a fixed window, and each
 * template variable becomes the regex of its values (as a multi-value "All" selection does).
 */
export function substitute(expr: string, values: Record<string, string[]>, window = '1m'): string {
  let out = expr.replace(/\$__rate_interval|\$__interval|\$\{__rate_interval\}/g, window);
  for (const [name, vals] of Object.entries(values)) {
    const regex = vals.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');
    out = out.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), regex || '.*');
  }
  return out;
}
