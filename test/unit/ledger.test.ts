import { describe, expect, it } from 'vitest';
import { DeliveryLedger, type ExpectedMessages } from '../../src/domain/accounting';
import { LatencyHistogram } from '../../src/domain/latency-histogram';
import { SeqBits } from '../../src/domain/seq-bits';

// Two generations of 2.5 million messages over 3 partitions: as a JSON list of acknowledged
// records (about 40 bytes each) this would be some 200 MB, a hundred times a workflow payload.
const N = 2_500_000;
const want: ExpectedMessages = {
  ranges: [
    { first: 0, count: N },
    { first: N, count: N },
  ],
  partitions: 3,
};

/** Feeds the ledger every message of a partition in produce order, with `edit` changing the stream. */
function feed(ledger: DeliveryLedger, edit: (seq: number, emit: (seq: number, altered?: boolean) => void) => void) {
  for (let p = 0; p < 3; p++) {
    let offset = 0;
    const emit = (seq: number, altered = false) => ledger.observe({ seq, partition: p, offset: offset++, altered });
    for (let seq = p; seq < 2 * N; seq += 3) edit(seq, emit);
  }
}

describe('the delivery ledger at millions of messages', () => {
  it('finds lost, duplicated, reordered and altered messages exactly, in a few bits each', () => {
    const ledger = new DeliveryLedger(want);
    const lost = new Set([7, 1_000_003, 4_999_998]);
    feed(ledger, (seq, emit) => {
      if (lost.has(seq)) return;
      if (seq === 3_000_000) return; // held back: appears after 3_000_003 (swapped pair)
      emit(seq, seq === 42);
      if (seq === 3_000_003) emit(3_000_000);
      if (seq === 12 || seq === 2_000_001) emit(seq); // a second copy right after the first
    });
    for (let seq = 0; seq < 2 * N; seq++) if (seq !== 99) ledger.index({ seq, altered: seq === 5 });

    const a = ledger.result();
    expect(a).toMatchObject({
      produced: 2 * N,
      mirrored: 2 * N - 3,
      lost: 3,
      duplicated: 2,
      reordered: 1,
      altered: 1,
      indexed: 2 * N - 1,
      missingInIndex: 1,
      alteredInIndex: 1,
    });
    expect(a.examples).toEqual({
      lost: [7, 1_000_003, 4_999_998],
      duplicated: [12, 2_000_001],
      reordered: [3_000_000],
      altered: [42],
      missingInIndex: [99],
    });
    // 7 bit sets over the expected range: under a byte per message, whatever was observed
    expect(ledger.stateBytes).toBeLessThanOrEqual((2 * N * 7) / 8 + 64);
  });

  it('saves a healthy state as a few runs, and a retry resumes from it with the same result', () => {
    const full = new DeliveryLedger(want);
    feed(full, (seq, emit) => emit(seq));
    const half = new DeliveryLedger(want);
    feed(half, (seq, emit) => seq < N && emit(seq));
    const saved = half.save()!;
    expect(JSON.stringify(saved).length).toBeLessThan(500);
    const resumed = DeliveryLedger.restore(want, JSON.parse(JSON.stringify(saved)));
    expect(resumed.positions()).toEqual(half.positions());
    // The reader goes on from the saved positions: earlier offsets are ignored if delivered again.
    feed(resumed, (seq, emit) => emit(seq));
    expect(resumed.result()).toEqual(full.result());
  });

  it('does not save a state too fragmented to fit a heartbeat (the retry starts over instead)', () => {
    const ledger = new DeliveryLedger(want);
    feed(ledger, (seq, emit) => seq % 2 === 0 && emit(seq));
    expect(ledger.save(1000)).toBeUndefined();
  });
});

describe('SeqBits', () => {
  it('reads back runs across word boundaries', () => {
    const b = new SeqBits(100, 200);
    for (const s of [100, 131, 132, 133, 164, 299]) b.add(s);
    expect(b.toRuns()).toEqual([
      [100, 1],
      [131, 3],
      [164, 1],
      [299, 1],
    ]);
    expect(b.add(131)).toBe(false);
    expect(b.add(300)).toBe(false); // outside the range
    expect(b.count).toBe(6);
    expect(b.firstWith(false, 3)).toEqual([101, 102, 103]);
  });
});

describe('the latency histogram', () => {
  it('gives percentiles within 1.6% of the exact ones, keeps negatives, in constant memory', () => {
    const h = new LatencyHistogram();
    const values: number[] = [];
    let x = 12345;
    for (let i = 0; i < 200_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const v = i % 1000 === 0 ? -(x % 50) - 1 : x % 120_000; // up to 2 minutes, a few below zero
      values.push(v);
      h.add(1_700_000_000_000 + i * 10, v);
    }
    values.sort((a, b) => a - b);
    const exact = (q: number) => values[Math.ceil(q * values.length) - 1];
    const f = h.figures();
    for (const [got, q] of [
      [f.p50Ms, 0.5],
      [f.p99Ms, 0.99],
    ] as const) {
      expect(got).toBeGreaterThanOrEqual(exact(q));
      expect(got).toBeLessThanOrEqual(exact(q) * 1.016 + 1);
    }
    expect(f.maxMs).toBe(values[values.length - 1]);
    expect(f.negative).toBe(200);
    expect(f.count).toBe(200_000);
    // 2,000 s of samples in at most 300 intervals
    expect(f.samples.length).toBeLessThanOrEqual(300);
    expect(JSON.stringify(h.toJSON()).length).toBeLessThan(40_000);
  });
});
