import { describe, expect, it } from 'vitest';
import { lostAfterAck, mergeAckedBelow } from '../../src/domain/acked-missing';
import { SeqBits } from '../../src/domain/seq-bits';

describe('messages acknowledged by an earlier attempt, then missing upstream', () => {
  const range = { first: 100, count: 30, partitions: 3 };
  const holding = (seqs: number[]) => {
    const b = new SeqBits(range.first, range.count);
    for (const s of seqs) b.add(s);
    return b;
  };

  it('names those below each partition mark that the topic lacks, and only those', () => {
    // partition 0 (102, 105, ...) acknowledged below 111, partition 1 (100, 103, ...) below 104
    const found = holding([102, 108, 100]);
    const lost: number[] = [];
    const r = lostAfterAck(found, { 0: 111, 1: 104 }, range, (s) => lost.push(s));
    expect(r).toEqual({ count: 2, examples: [103, 105] });
    expect(lost.sort()).toEqual([103, 105]);
  });

  it('finds nothing when everything acknowledged is still there, or nothing was acknowledged', () => {
    expect(lostAfterAck(holding([102, 105, 108]), { 0: 111 }, range).count).toBe(0);
    expect(lostAfterAck(holding([]), {}, range).count).toBe(0);
  });

  it('stops at the generation end, and keeps ten examples in order', () => {
    const r = lostAfterAck(holding([]), { 0: 10_000, 1: 10_000, 2: 10_000 }, range);
    expect(r.count).toBe(30);
    expect(r.examples).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('merges two attempts by the higher mark per partition', () => {
    expect(mergeAckedBelow({ 0: 10, 1: 5 }, { 1: 7, 2: 3 })).toEqual({ 0: 10, 1: 7, 2: 3 });
    expect(mergeAckedBelow({ 0: 10 }, undefined)).toEqual({ 0: 10 });
  });
});
