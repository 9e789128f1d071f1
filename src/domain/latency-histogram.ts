import type { LatencyFigures } from './report';

/**
 * Latency percentiles in constant memory, whatever the number of messages: whole milliseconds up
 * to 1 s exactly, then buckets 1/64 wide relative to their value (under 1.6% error), the same for
 * negative samples (clock skew), which are kept and counted. The exact maximum is kept too. Over
 * time, each interval keeps its count and worst sample, for the chart; the interval widens as the
 * run gets longer so there are never more than `maxIntervals`. Pure and workflow-safe.
 */
export class LatencyHistogram {
  private buckets = new Map<number, number>();
  private n = 0;
  private negatives = 0;
  private max = -Infinity;
  private intervalMs = 1000;
  private intervals = new Map<number, { count: number; maxMs: number }>();

  constructor(private readonly maxIntervals = 300) {}

  add(producedAt: number, latencyMs: number): void {
    // A record without a readable produce time (a damaged header) gives no latency sample.
    if (!Number.isFinite(producedAt) || !Number.isFinite(latencyMs)) return;
    const v = Math.round(latencyMs);
    const b = bucketOf(v);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
    this.n++;
    if (v < 0) this.negatives++;
    if (v > this.max) this.max = v;
    const t = Math.floor(producedAt / this.intervalMs) * this.intervalMs;
    const slot = this.intervals.get(t);
    if (slot) {
      slot.count++;
      slot.maxMs = Math.max(slot.maxMs, v);
    } else {
      this.intervals.set(t, { count: 1, maxMs: v });
      if (this.intervals.size > this.maxIntervals) this.widen();
    }
  }

  private widen(): void {
    this.intervalMs *= 2;
    const merged = new Map<number, { count: number; maxMs: number }>();
    for (const [t, s] of this.intervals) {
      const k = Math.floor(t / this.intervalMs) * this.intervalMs;
      const m = merged.get(k);
      merged.set(k, m ? { count: m.count + s.count, maxMs: Math.max(m.maxMs, s.maxMs) } : { ...s });
    }
    this.intervals = merged;
  }

  get count(): number {
    return this.n;
  }

  /** The q-quantile, as the upper edge of its bucket (exact below 1 s). */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (const b of [...this.buckets.keys()].sort((x, y) => x - y)) {
      seen += this.buckets.get(b)!;
      if (seen >= rank) return Math.min(valueOf(b), this.max);
    }
    return this.max;
  }

  figures(): LatencyFigures {
    return {
      available: true,
      count: this.n,
      negative: this.negatives,
      p50Ms: this.quantile(0.5),
      p99Ms: this.quantile(0.99),
      maxMs: this.n ? this.max : 0,
      intervalMs: this.intervalMs,
      samples: [...this.intervals].sort((a, b) => a[0] - b[0]).map(([t, s]) => [t, s.maxMs]),
    };
  }

  toJSON(): HistogramState {
    return {
      buckets: [...this.buckets],
      n: this.n,
      negatives: this.negatives,
      max: this.max,
      intervalMs: this.intervalMs,
      intervals: [...this.intervals],
    };
  }

  static from(s: HistogramState, maxIntervals = 300): LatencyHistogram {
    const h = new LatencyHistogram(maxIntervals);
    h.buckets = new Map(s.buckets);
    Object.assign(h, { n: s.n, negatives: s.negatives, max: s.max, intervalMs: s.intervalMs, intervals: new Map(s.intervals) });
    return h;
  }
}

export interface HistogramState {
  buckets: [number, number][];
  n: number;
  negatives: number;
  max: number;
  intervalMs: number;
  intervals: [number, { count: number; maxMs: number }][];
}

const EXACT = 1024;
const SUB = 64;

/** Bucket index: exact below EXACT ms, then SUB buckets per power of two; negative mirrors positive. */
function bucketOf(v: number): number {
  if (v < 0) return -1 - bucketOf(-v);
  if (v < EXACT) return v;
  const e = Math.floor(Math.log2(v)); // >= 10
  const m = Math.floor((v / 2 ** e - 1) * SUB); // 0..SUB-1
  return EXACT + (e - 10) * SUB + m;
}

/** The largest value a bucket holds (its upper edge), so a percentile never understates. */
function valueOf(b: number): number {
  if (b < 0) return -valueOfLower(-1 - b);
  if (b < EXACT) return b;
  const e = 10 + Math.floor((b - EXACT) / SUB);
  const m = (b - EXACT) % SUB;
  return Math.ceil(2 ** e * (1 + (m + 1) / SUB)) - 1;
}

function valueOfLower(b: number): number {
  if (b < EXACT) return b;
  const e = 10 + Math.floor((b - EXACT) / SUB);
  const m = (b - EXACT) % SUB;
  return Math.ceil(2 ** e * (1 + m / SUB));
}
