import type { SeqBits } from './seq-bits';

/** Messages an earlier attempt had acknowledged that the topic no longer holds: how many, and a few of them. */
export interface LostAfterAck {
  count: number;
  examples: number[];
}

/**
 * Of the messages an earlier attempt saw acknowledged (per partition p = seq % partitions, every
 * seq below `ackedBelow[p]`), those `found` (what the topic holds now) lacks. Kafka acknowledged
 * them and lost them afterwards: the upstream cluster's loss, not a message to send again.
 */
export function lostAfterAck(
  found: SeqBits,
  ackedBelow: Record<number, number>,
  range: { first: number; count: number; partitions: number },
  onLost: (seq: number) => void = () => undefined,
  examples = 10,
): LostAfterAck {
  const out: LostAfterAck = { count: 0, examples: [] };
  const end = Math.min(range.first + range.count, Math.max(range.first, ...Object.values(ackedBelow)));
  // in seq order, so the examples are the earliest
  for (let seq = range.first; seq < end; seq++) {
    if (seq >= (ackedBelow[seq % range.partitions] ?? 0) || found.has(seq)) continue;
    out.count++;
    onLost(seq);
    if (out.examples.length < examples) out.examples.push(seq);
  }
  return out;
}

/** Two attempts' acknowledgements together: the higher mark per partition. */
export function mergeAckedBelow(a: Record<number, number>, b: Record<number, number> | undefined): Record<number, number> {
  const out = { ...a };
  for (const [p, below] of Object.entries(b ?? {})) out[Number(p)] = Math.max(out[Number(p)] ?? 0, below);
  return out;
}
