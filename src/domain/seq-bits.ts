/**
 * One bit per sequence number in [first, first + size): the verifier's state for millions of
 * messages in a few bits each. Pure and workflow-safe.
 */
export class SeqBits {
  private readonly words: Uint32Array;
  private ones = 0;

  constructor(
    readonly first: number,
    readonly size: number,
    buffer?: ArrayBufferLike,
  ) {
    this.words = buffer ? new Uint32Array(buffer) : new Uint32Array(Math.ceil(size / 32));
    if (buffer) for (const w of this.words) this.ones += popcount(w);
  }

  /** Bits in shared memory, so worker threads read the same set without copying it. */
  static shared(first: number, size: number): SeqBits {
    return new SeqBits(first, size, new SharedArrayBuffer(Math.ceil(size / 32) * 4));
  }

  /** A view over bits another thread made (see shared). */
  static over(first: number, size: number, buffer: ArrayBufferLike): SeqBits {
    return new SeqBits(first, size, buffer);
  }

  get buffer(): ArrayBufferLike {
    return this.words.buffer;
  }

  has(seq: number): boolean {
    const i = seq - this.first;
    return i >= 0 && i < this.size && (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Sets the bit; returns false when it was set already (or seq is outside the range). */
  add(seq: number): boolean {
    const i = seq - this.first;
    if (i < 0 || i >= this.size) return false;
    const bit = 1 << (i & 31);
    if (this.words[i >>> 5] & bit) return false;
    this.words[i >>> 5] |= bit;
    this.ones++;
    return true;
  }

  get count(): number {
    return this.ones;
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  /** The first `limit` sequence numbers whose bit equals `value`, ascending. */
  firstWith(value: boolean, limit: number, within?: (seq: number) => boolean): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.words.length && out.length < limit; w++) {
      const word = this.words[w];
      if (word === (value ? 0 : 0xffffffff)) continue; // nothing to find in this word
      for (let b = 0; b < 32 && out.length < limit; b++) {
        const i = w * 32 + b;
        if (i >= this.size) break;
        const seq = this.first + i;
        if (((word & (1 << b)) !== 0) === value && (!within || within(seq))) out.push(seq);
      }
    }
    return out;
  }

  /** How many seqs have the bit `value` and pass `within`, without listing them. */
  countWith(value: boolean, within: (seq: number) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const set = (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
      if (set === value && within(this.first + i)) n++;
    }
    return n;
  }

  /** Runs of set bits as [start, length] pairs: a healthy drill's state is one or two runs. */
  toRuns(maxRuns = Infinity): [number, number][] | undefined {
    const runs: [number, number][] = [];
    let start = -1;
    for (let i = 0; i <= this.size; i++) {
      const w = this.words[i >>> 5];
      // whole words of zeros or ones are skipped 32 at a time
      if ((i & 31) === 0 && i + 32 <= this.size && (w === 0 ? start < 0 : w === 0xffffffff && start >= 0)) {
        i += 31;
        continue;
      }
      const set = i < this.size && (w & (1 << (i & 31))) !== 0;
      if (set && start < 0) start = i;
      if (!set && start >= 0) {
        runs.push([this.first + start, i - start]);
        if (runs.length > maxRuns) return undefined;
        start = -1;
      }
    }
    return runs;
  }
}

function popcount(w: number): number {
  w -= (w >>> 1) & 0x55555555;
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
