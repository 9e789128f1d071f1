import type { Accounting } from './report';

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

  const byPosition = [...observed].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
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

  const lost = acked.filter((a) => !seen.has(a.seq)).map((a) => a.seq);
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([seq]) => seq);
  const indexedSeqs = new Set(indexed.map((d) => d.seq));
  const missingInIndex = acked.filter((a) => !indexedSeqs.has(a.seq)).map((a) => a.seq);
  const alteredInIndex = indexed.filter((d) => d.altered || !ackedBySeq.has(d.seq)).map((d) => d.seq);

  return {
    produced: acked.length,
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

/** p50/p99/max over latencies, and at most `maxSamples` evenly spaced samples for charts. */
export function latencyFigures(points: [number, number][], maxSamples = 300) {
  const sorted = points.map((p) => p[1]).sort((a, b) => a - b);
  const pct = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0);
  const byTime = [...points].sort((a, b) => a[0] - b[0]);
  const step = Math.max(1, Math.ceil(byTime.length / maxSamples));
  return {
    count: sorted.length,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    samples: byTime.filter((_, i) => i % step === 0),
  };
}
