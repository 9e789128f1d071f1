import { LatencyHistogram } from './latency-histogram';
import type { Accounting, LatencyFigures } from './report';
import { SeqBits } from './seq-bits';
import type { SeqRange } from './seq-range';

export type { SeqRange } from './seq-range';

/**
 * What a run produced, as ranges of sequence numbers (one per generation): message `seq` went to
 * partition `seq % partitions`. O(1) in size whatever the count, so it fits any workflow history.
 */
export interface ExpectedMessages {
  ranges: SeqRange[];
  partitions: number;
}

/** A record of this run found downstream; each partition is handed over in offset order. */
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

/**
 * Accounts for every produced message as the evidence streams past, in a few bits per message:
 * lost (never seen downstream), duplicated (seen more than once), reordered (out of produce order
 * within a partition, or in another partition), altered (content changed), and the same for the
 * Elasticsearch index. Memory does not grow with the evidence, only with the expected range.
 * Pure and workflow-safe; its state can be saved and restored so a retried verifier resumes.
 */
export class DeliveryLedger {
  private readonly expected: SeqBits;
  private readonly seen: SeqBits;
  private readonly seenTwice: SeqBits;
  private readonly alteredBits: SeqBits;
  private readonly reorderedBits: SeqBits;
  private readonly indexedBits: SeqBits;
  private readonly indexAltered: SeqBits;
  /** Seqs found in the upstream topic; only read when something was lost, to tell where. */
  private upstreamBits?: SeqBits;
  private upstreamComplete = false;
  private upstreamUnknown?: string;
  private extraCopies = 0;
  /** Records and documents whose seq this run never produced: counted per copy, a few kept as examples. */
  private strangers = { records: 0, documents: 0, examples: [] as number[] };
  /** Per partition: the next offset to take (a re-read is not a new copy) and the largest seq seen. */
  private readonly next = new Map<number, number>();
  private readonly lastSeq = new Map<number, number>();

  constructor(readonly want: ExpectedMessages) {
    const first = Math.min(...want.ranges.map((r) => r.first));
    const end = Math.max(...want.ranges.map((r) => r.first + r.count));
    const size = want.ranges.length ? end - first : 0;
    const bits = () => new SeqBits(want.ranges.length ? first : 0, size);
    this.expected = bits();
    for (const r of want.ranges) for (let s = r.first; s < r.first + r.count; s++) this.expected.add(s);
    this.seen = bits();
    this.seenTwice = bits();
    this.alteredBits = bits();
    this.reorderedBits = bits();
    this.indexedBits = bits();
    this.indexAltered = bits();
  }

  /** The next offset to read per partition, for a reader that resumes where this ledger stopped. */
  positions(): Map<number, number> {
    return new Map(this.next);
  }

  observe(r: ObservedRecord): void {
    // One record per (partition, offset): a verifier that reads part of the log again (after a
    // rebalance or a retry) sees the same records, not new copies. Copies Kafka really holds sit at
    // other offsets and still count as duplicates.
    if (r.offset < (this.next.get(r.partition) ?? -1)) return;
    this.next.set(r.partition, r.offset + 1);
    if (!this.expected.has(r.seq)) {
      this.strangers.records++;
      this.keepExample(r.seq);
      return;
    }
    const firstCopy = this.seen.add(r.seq);
    if (!firstCopy) {
      this.extraCopies++;
      this.seenTwice.add(r.seq);
    }
    if (r.altered) this.alteredBits.add(r.seq);
    if (r.seq % this.want.partitions !== r.partition) this.reorderedBits.add(r.seq);
    // Produce order within a partition is offset order upstream; a smaller seq after a larger one
    // means the pair was swapped (a redelivered duplicate is counted as a duplicate, not here).
    const last = this.lastSeq.get(r.partition);
    if (last !== undefined && r.seq < last && firstCopy) this.reorderedBits.add(r.seq);
    this.lastSeq.set(r.partition, Math.max(last ?? -1, r.seq));
  }

  index(d: IndexedRecord): void {
    if (!this.expected.has(d.seq)) {
      this.strangers.documents++;
      return;
    }
    this.indexedBits.add(d.seq);
    if (d.altered) this.indexAltered.add(d.seq);
  }

  /** A record of this run found in the upstream topic (read after the fact, to tell where a loss happened). */
  foundUpstream(seq: number): void {
    if (!this.expected.has(seq)) return;
    this.upstreamBits ??= new SeqBits(this.seen.first, this.seen.size);
    this.upstreamBits.add(seq);
  }

  /** The upstream topic was read to its end for this run; only then does it tell (a partial read never does). */
  upstreamRead(): void {
    this.upstreamBits ??= new SeqBits(this.seen.first, this.seen.size);
    this.upstreamComplete = true;
  }

  /** The upstream topic could not be read: where the lost went stays unknown, and says why. */
  upstreamUnreadable(reason: string): void {
    this.upstreamUnknown = reason;
  }

  /** Distinct produced messages seen downstream so far (for progress and "is it complete yet"). */
  get mirrored(): number {
    return this.seen.count;
  }

  /** Bytes the ledger's bit sets hold (their buffers' sizes, the upstream set when one was read): its per-message state. */
  get stateBytes(): number {
    const sets = [
      this.expected,
      this.seen,
      this.seenTwice,
      this.alteredBits,
      this.reorderedBits,
      this.indexedBits,
      this.indexAltered,
      ...(this.upstreamBits ? [this.upstreamBits] : []),
    ];
    return sets.reduce((n, b) => n + b.buffer.byteLength, 0);
  }

  result(): Accounting {
    const want = this.expected.count;
    const lost = (limit: number) => this.seen.firstWith(false, limit, (s) => this.expected.has(s));
    const missing = (limit: number) => this.indexedBits.firstWith(false, limit, (s) => this.expected.has(s));
    const up = this.upstreamComplete ? this.upstreamBits : undefined;
    // Of the lost, those the upstream topic does not hold either: never written, so not the mirror's loss.
    const lostUpstream = up && this.seen.countWith(false, (s) => this.expected.has(s) && !up.has(s));
    return {
      produced: want,
      mirrored: this.seen.count,
      indexed: this.indexedBits.count,
      lost: want - this.seen.count,
      duplicated: this.extraCopies,
      reordered: this.reorderedBits.count,
      altered: this.alteredBits.count + this.strangers.records,
      missingInIndex: want - this.indexedBits.count,
      alteredInIndex: this.indexAltered.count + this.strangers.documents,
      ...(lostUpstream !== undefined ? { lostUpstream } : {}),
      ...(this.upstreamUnknown !== undefined && lostUpstream === undefined ? { lostUpstreamUnknown: this.upstreamUnknown } : {}),
      examples: {
        lost: lost(EXAMPLES),
        duplicated: this.seenTwice.firstWith(true, EXAMPLES),
        reordered: this.reorderedBits.firstWith(true, EXAMPLES),
        altered: [...this.alteredBits.firstWith(true, EXAMPLES), ...this.strangers.examples].sort((a, b) => a - b).slice(0, EXAMPLES),
        missingInIndex: missing(EXAMPLES),
      },
    };
  }

  private keepExample(seq: number) {
    const ex = this.strangers.examples;
    if (ex.includes(seq)) return;
    ex.push(seq);
    ex.sort((a, b) => a - b);
    if (ex.length > EXAMPLES) ex.pop();
  }

  /**
   * The mirrored-topic state as runs of sequence numbers, small while the evidence is healthy;
   * undefined when it would be larger than `maxRuns` runs per set (then a retry starts over).
   */
  save(maxRuns = 2000): LedgerState | undefined {
    const sets = [this.seen, this.seenTwice, this.alteredBits, this.reorderedBits].map((b) => b.toRuns(maxRuns));
    if (sets.some((r) => r === undefined)) return undefined;
    const [seen, seenTwice, altered, reordered] = sets as [number, number][][];
    return {
      seen,
      seenTwice,
      altered,
      reordered,
      extraCopies: this.extraCopies,
      strangers: { records: this.strangers.records, examples: [...this.strangers.examples] },
      next: [...this.next],
      lastSeq: [...this.lastSeq],
    };
  }

  /** A ledger that continues from a saved mirrored-topic state (the index is always read again). */
  static restore(want: ExpectedMessages, s: LedgerState): DeliveryLedger {
    const l = new DeliveryLedger(want);
    const fill = (bits: SeqBits, runs: [number, number][]) => {
      for (const [start, length] of runs) for (let q = start; q < start + length; q++) bits.add(q);
    };
    fill(l.seen, s.seen);
    fill(l.seenTwice, s.seenTwice);
    fill(l.alteredBits, s.altered);
    fill(l.reorderedBits, s.reordered);
    l.extraCopies = s.extraCopies;
    l.strangers.records = s.strangers.records;
    l.strangers.examples = [...s.strangers.examples];
    for (const [p, o] of s.next) l.next.set(p, o);
    for (const [p, q] of s.lastSeq) l.lastSeq.set(p, q);
    return l;
  }
}

export interface LedgerState {
  seen: [number, number][];
  seenTwice: [number, number][];
  altered: [number, number][];
  reordered: [number, number][];
  extraCopies: number;
  strangers: { records: number; examples: number[] };
  next: [number, number][];
  lastSeq: [number, number][];
}

/** The total number of messages a set of ranges expects. */
export const expectedCount = (want: ExpectedMessages) => want.ranges.reduce((n, r) => n + r.count, 0);

/** Accounts for lists of evidence at once (tests, small reports): the same ledger, fed in order. */
export function accountFor(want: ExpectedMessages, observed: ObservedRecord[], indexed: IndexedRecord[]): Accounting {
  const ledger = new DeliveryLedger(want);
  // Each partition in offset order, as a reader hands it over.
  for (const r of [...observed].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) ledger.observe(r);
  for (const d of indexed) ledger.index(d);
  return ledger.result();
}

/** The verdict on an accounting: what must be zero for the drill to pass. */
export function accountingProblems(a: Accounting, opts: { failOnDuplicates: boolean }): string[] {
  const problems: string[] = [];
  if (a.lost) problems.push(`${a.lost} lost (e.g. seq ${a.examples.lost.join(', ')})${whereLost(a)}`);
  if (a.reordered) problems.push(`${a.reordered} reordered (e.g. seq ${a.examples.reordered.join(', ')})`);
  if (a.altered) problems.push(`${a.altered} altered (e.g. seq ${a.examples.altered.join(', ')})`);
  if (a.missingInIndex) problems.push(`${a.missingInIndex} missing in Elasticsearch (e.g. seq ${a.examples.missingInIndex.join(', ')})`);
  if (a.alteredInIndex) problems.push(`${a.alteredInIndex} altered in Elasticsearch`);
  if (opts.failOnDuplicates && a.duplicated) problems.push(`${a.duplicated} duplicated (e.g. seq ${a.examples.duplicated.join(', ')})`);
  return problems;
}

/** Where the lost went, as far as the upstream topic tells: the producer's side, or the mirror's. */
function whereLost(a: Accounting): string {
  if (a.lostUpstream === undefined)
    return a.lostUpstreamUnknown ? `: whether upstream holds them is unknown (${a.lostUpstreamUnknown})` : '';
  if (a.lostUpstream === 0) return ': all of them are in the upstream topic, so the mirror lost them';
  if (a.lostUpstream === a.lost)
    return ': none of them is in the upstream topic either, so they were never written there (acknowledged, then lost upstream)';
  return `: ${a.lostUpstream} of them ${a.lostUpstream === 1 ? 'is' : 'are'} not in the upstream topic either (never written there), the other ${a.lost - a.lostUpstream} the mirror lost`;
}

/** p50/p99/max over [producedAt, latency] points (tests, small reports): the same histogram, fed in order. */
export function latencyFigures(points: [number, number][]): LatencyFigures {
  const h = new LatencyHistogram();
  for (const [t, v] of points) h.add(t, v);
  return h.figures();
}

/** Latency that could not be measured, with why (never reported as 0 ms). */
export function latencyUnavailable(reason: string): LatencyFigures {
  return { available: false, unavailableReason: reason, count: 0, negative: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, samples: [] };
}
