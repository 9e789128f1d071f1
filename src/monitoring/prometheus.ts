import { httpJson } from '../clients/http';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface QueryResult {
  /** The query ran (Prometheus answered "success"); `samples` may still be empty. */
  ok: boolean;
  samples: Sample[];
  error?: string;
}

/** One instant query, now or at `atMs` (epoch milliseconds). */
export async function promQuery(
  prometheusUrl: string,
  expr: string,
  opts: { atMs?: number; headers?: Record<string, string> } = {},
): Promise<QueryResult> {
  const at = opts.atMs === undefined ? '' : `&time=${(opts.atMs / 1000).toFixed(3)}`;
  const res = await httpJson<{ status: string; error?: string; data?: { result?: Sample[] } }>(
    'Prometheus',
    `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}${at}`,
    { headers: opts.headers },
  );
  if (res.body?.status !== 'success') return { ok: false, samples: [], error: res.body?.error ?? `HTTP ${res.status}` };
  return { ok: true, samples: res.body.data?.result ?? [] };
}
