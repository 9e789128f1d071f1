import { describe, expect, it } from 'vitest';
import { accountFor as account, accountingProblems, latencyFigures, type ObservedRecord } from '../../src/domain/accounting';

// 12 messages over 3 partitions, as the producer assigns them (seq % 3), offsets in order.
type Placed = { seq: number; partition: number; offset: number };
const acked: Placed[] = Array.from({ length: 12 }, (_, seq) => ({ seq, partition: seq % 3, offset: Math.floor(seq / 3) }));
const want = { ranges: [{ first: 0, count: 12 }], partitions: 3 };
const accountFor = (_: Placed[], observed: ObservedRecord[], indexed: { seq: number; altered: boolean }[]) =>
  account(want, observed, indexed);
const mirrorOf = (records: Placed[]): ObservedRecord[] => records.map((a) => ({ ...a, altered: false }));
const indexOf = (records: Placed[]) => records.map((a) => ({ seq: a.seq, altered: false }));
const pass = { failOnDuplicates: false };

describe('accountFor', () => {
  it('passes a clean delivery', () => {
    const a = accountFor(acked, mirrorOf(acked), indexOf(acked));
    expect(a).toMatchObject({
      produced: 12,
      mirrored: 12,
      indexed: 12,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      altered: 0,
      missingInIndex: 0,
    });
    expect(accountingProblems(a, pass)).toEqual([]);
  });

  it('catches a lost message', () => {
    const a = accountFor(acked, mirrorOf(acked.filter((r) => r.seq !== 7)), indexOf(acked));
    expect(a.lost).toBe(1);
    expect(a.examples.lost).toEqual([7]);
    expect(accountingProblems(a, pass)).toEqual(['1 lost (e.g. seq 7)']);
  });

  it('catches a duplicated message, and fails on it only when asked', () => {
    const observed = mirrorOf(acked);
    observed.push({ ...observed[4], offset: 99 }); // redelivered later in the same partition
    const a = accountFor(acked, observed, indexOf(acked));
    expect(a.duplicated).toBe(1);
    expect(a.reordered).toBe(0);
    expect(a.examples.duplicated).toEqual([4]);
    expect(accountingProblems(a, pass)).toEqual([]);
    expect(accountingProblems(a, { failOnDuplicates: true })).toEqual(['1 duplicated (e.g. seq 4)']);
  });

  it('catches messages reordered within a partition', () => {
    const observed = mirrorOf(acked);
    // partition 0 holds seqs 0,3,6,9 at offsets 0..3: swap 3 and 6
    const p0 = observed.filter((r) => r.partition === 0);
    [p0[1].offset, p0[2].offset] = [p0[2].offset, p0[1].offset];
    const a = accountFor(acked, observed, indexOf(acked));
    expect(a.reordered).toBe(1);
    expect(a.examples.reordered).toEqual([3]);
    expect(a.lost).toBe(0);
  });

  it('catches a message that moved to another partition', () => {
    const observed = mirrorOf(acked).map((r) => (r.seq === 5 ? { ...r, partition: 0, offset: 50 } : r));
    expect(accountFor(acked, observed, indexOf(acked)).reordered).toBe(1);
  });

  it('catches an altered message and an unknown one', () => {
    const observed = mirrorOf(acked).map((r) => (r.seq === 2 ? { ...r, altered: true } : r));
    observed.push({ seq: 1000, partition: 1, offset: 100, altered: false });
    const a = accountFor(acked, observed, indexOf(acked));
    expect(a.altered).toBe(2);
    expect(a.examples.altered).toEqual([2, 1000]);
  });

  it('catches messages missing from or altered in Elasticsearch', () => {
    const indexed = indexOf(acked.slice(2)).map((d) => (d.seq === 11 ? { ...d, altered: true } : d));
    const a = accountFor(acked, mirrorOf(acked), indexed);
    expect(a.missingInIndex).toBe(2);
    expect(a.alteredInIndex).toBe(1);
    expect(accountingProblems(a, pass)).toEqual(['2 missing in Elasticsearch (e.g. seq 0, 1)', '1 altered in Elasticsearch']);
  });
});

describe('latencyFigures', () => {
  it('gives nearest-rank percentiles, and the worst sample per second for the chart', () => {
    const points = Array.from({ length: 100 }, (_, i) => [1000 + i * 20, i + 1] as [number, number]);
    const f = latencyFigures(points);
    expect(f).toMatchObject({ count: 100, p50Ms: 50, p99Ms: 99, maxMs: 100, intervalMs: 1000 });
    expect(f.samples).toEqual([
      [1000, 50],
      [2000, 100],
    ]);
  });
  it('is all zeros without points', () => {
    expect(latencyFigures([])).toEqual({
      available: true,
      count: 0,
      negative: 0,
      p50Ms: 0,
      p99Ms: 0,
      maxMs: 0,
      samples: [],
      intervalMs: 1000,
    });
  });
});
