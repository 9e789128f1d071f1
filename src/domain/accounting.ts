import type { Accounting, LatencyFigures } from './report';

/** A write the producer saw acknowledged: where it landed upstream. */
export interface AckedRecord {
  seq: number;
  partition: number;
  offset: number;
}

/** A record of this run found downstream, in partition/offset order as read. */
export interface ObservedRecord {
  seq: number;
  partition: number;
  offset: number;
  /** Decoded content differs from what was produced. */
  altered: boolean;
}

/** A document of this run found in Elasticsearch. */
export interface IndexedRecord {
  seq: number;
  altered: boolean;
}

const EXAMPLES = 10;
const first = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b).slice(0, EXAMPLES);

/**
 * Accounts for every acknowledged message: lost (never seen downstream), duplicated (seen more
 * than once), reordered (out of produce order within a partition, or in another partition),
 * altered (content changed), and the same for the Elasticsearch index. Pure.
 */
export function accountFor(acked: AckedRecord[], observed: ObservedRecord[], indexed: IndexedRecord[]): Accounting {
  const ackedBySeq = new Map(acked.map((a) => [a.seq, a]));
  const seen = new Map<number, number>();
  const altered = new Set<number>();
  const reordered = new Set<number>();
  const lastSeqInPartition = new Map<number, number>();

  // One record per (partition, offset): a verifier that reads part of the log again (after a
  // rebalance or a retry) sees the same records, not new copies. Copies Kafka really holds sit at
  // other offsets and still count as duplicates.
  const positions = new Map(observed.map((r) => [`${r.partition}:${r.offset}`, r]));
  const byPosition = [...positions.values()].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const r of byPosition) {
    const a = ackedBySeq.get(r.seq);
    seen.set(r.seq, (seen.get(r.seq) ?? 0) + 1);
    if (r.altered || !a) altered.add(r.seq);
    if (a && a.partition !== r.partition) reordered.add(r.seq);
    // Produce order within a partition is offset order upstream; a smaller seq after a larger one
    // means the pair was swapped (a redelivered duplicate is counted as a duplicate, not here).
    const last = lastSeqInPartition.get(r.partition);
    if (last !== undefined && a && r.seq < last && (seen.get(r.seq) ?? 0) === 1) reordered.add(r.seq);
    lastSeqInPartition.set(r.partition, Math.max(last ?? -1, r.seq));
  }

  const lost = [...ackedBySeq.keys()].filter((seq) => !seen.has(seq));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([seq]) => seq);
  const indexedSeqs = new Set(indexed.map((d) => d.seq));
  const missingInIndex = [...ackedBySeq.keys()].filter((seq) => !indexedSeqs.has(seq));
  const alteredInIndex = indexed.filter((d) => d.altered || !ackedBySeq.has(d.seq)).map((d) => d.seq);

  return {
    // per distinct message: a record written twice upstream is one message, duplicated
    produced: ackedBySeq.size,
    mirrored: [...seen.keys()].filter((s) => ackedBySeq.has(s)).length,
    indexed: [...indexedSeqs].filter((s) => ackedBySeq.has(s)).length,
    lost: lost.length,
    duplicated: [...seen.values()].reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0),
    reordered: reordered.size,
    altered: altered.size,
    missingInIndex: missingInIndex.length,
    alteredInIndex: alteredInIndex.length,
    examples: {
      lost: first(lost),
      duplicated: first(duplicated),
      reordered: first(reordered),
      altered: first(altered),
      missingInIndex: first(missingInIndex),
    },
  };
}

/** The verdict on an accounting: what must be zero for the drill to pass. */
export function accountingProblems(a: Accounting, opts: { failOnDuplicates: boolean }): string[] {
  const problems: string[] = [];
  if (a.lost) problems.push(`${a.lost} lost (e.g. seq ${a.examples.lost.join(', ')})`);
  if (a.reordered) problems.push(`${a.reordered} reordered (e.g. seq ${a.examples.reordered.join(', ')})`);
  if (a.altered) problems.push(`${a.altered} altered (e.g. seq ${a.examples.altered.join(', ')})`);
  if (a.missingInIndex) problems.push(`${a.missingInIndex} missing in Elasticsearch (e.g. seq ${a.examples.missingInIndex.join(', ')})`);
  if (a.alteredInIndex) problems.push(`${a.alteredInIndex} altered in Elasticsearch`);
  if (opts.failOnDuplicates && a.duplicated) problems.push(`${a.duplicated} duplicated (e.g. seq ${a.examples.duplicated.join(', ')})`);
  return problems;
}

/**
 * p50/p99/max over latencies, and at most `maxSamples` evenly spaced samples for charts. Negative
 * latencies (the producer's clock ahead of the broker's) stay in the figures and are counted.
 */
export function latencyFigures(points: [number, number][], maxSamples = 300): LatencyFigures {
  const sorted = points.map((p) => p[1]).sort((a, b) => a - b);
  const pct = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0);
  const byTime = [...points].sort((a, b) => a[0] - b[0]);
  const step = Math.max(1, Math.ceil(byTime.length / maxSamples));
  return {
    available: true,
    count: sorted.length,
    negative: sorted.filter((v) => v < 0).length,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    samples: byTime.filter((_, i) => i % step === 0),
  };
}

/** Latency that could not be measured, with why (never reported as 0 ms). */
export function latencyUnavailable(reason: string): LatencyFigures {
  return { available: false, unavailableReason: reason, count: 0, negative: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, samples: [] };
}
