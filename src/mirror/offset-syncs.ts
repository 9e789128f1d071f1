import type { Kafka } from 'kafkajs';
import { readToEnd } from '../kafka/topic-reader';
import { kafkaString } from './checkpoints';
import { TARGET_ALIAS } from './connectors';

/**
 * MirrorMaker 2's offset syncs and how its checkpoint task translates through them, so a failover
 * drill can say which translation MirrorMaker 2 should have made and how many records it re-reads.
 * The source connector writes `mm2-offset-syncs.<target alias>.internal` on the source cluster: a
 * (upstream offset, downstream offset) pair at least every offset.lag.max records per partition.
 */
export const offsetSyncsTopic = (targetAlias: string) => `mm2-offset-syncs.${targetAlias}.internal`;

export interface OffsetSync {
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
}

/** Key: STRING topic, INT32 partition; value: INT64 upstream offset, INT64 downstream offset (Kafka's protocol types). */
export function decodeOffsetSync(key: Buffer, value: Buffer): OffsetSync {
  const [topic, at] = kafkaString(key, 0);
  return {
    topic,
    partition: key.readInt32BE(at),
    upstreamOffset: Number(value.readBigInt64BE(0)),
    downstreamOffset: Number(value.readBigInt64BE(8)),
  };
}

/**
 * What the syncs written up to a checkpoint say about its translation of `upstreamOffset` (syncs in
 * the order written): the nearest sync at or below it (the best translation possible, never to be
 * overshot), the newest sync, and the sync the checkpoint actually went through, found by its
 * downstream offset. MirrorMaker 2 (3.5+, KAFKA-14666) keeps syncs behind the newest one only at
 * power-of-two spacing, so a group trailing the newest sync is translated through an older one.
 */
export function syncsBehind(
  syncs: { upstreamOffset: number; downstreamOffset: number }[],
  upstreamOffset: number,
  translatedTo: number,
): { nearest: number; bestDownstream: number; newest: number; used?: number } | undefined {
  let nearest: { upstreamOffset: number; downstreamOffset: number } | undefined;
  let used: number | undefined;
  for (const s of syncs) {
    if (s.upstreamOffset > upstreamOffset) continue;
    if (!nearest || s.upstreamOffset >= nearest.upstreamOffset) nearest = s;
    const through = s.downstreamOffset + (s.upstreamOffset === upstreamOffset ? 0 : 1);
    if (through === translatedTo && (used === undefined || s.upstreamOffset > used)) used = s.upstreamOffset;
  }
  if (!nearest || syncs.length === 0) return undefined;
  return {
    nearest: nearest.upstreamOffset,
    bestDownstream: nearest.downstreamOffset + (nearest.upstreamOffset === upstreamOffset ? 0 : 1),
    newest: syncs[syncs.length - 1].upstreamOffset,
    ...(used !== undefined ? { used } : {}),
  };
}

/**
 * How much later than a checkpoint's timestamp a sync it went through may be stamped: the checkpoint
 * task takes its timestamp before it lists the group's offsets and translates them, and its sync
 * store is fed meanwhile (Kafka 4.3.0's drill translated through a sync stamped after its checkpoint).
 */
const CHECKPOINT_TRANSLATION_SLACK_MS = 5_000;

/**
 * Each partition's checkpoint judged against the offset syncs written up to it (read from the
 * cluster that holds the syncs topic, the source's): the states come back with `syncs` where the
 * topic had any for them, unchanged where it had none.
 */
export async function withOffsetSyncs<
  S extends { partition: number; checkpoint?: { upstreamOffset: number; downstreamOffset: number; at: number } },
>(
  kafka: Kafka,
  sourceTopic: string,
  states: S[],
  opts: { signal?: AbortSignal; groupPrefix?: string; targetAlias?: string },
): Promise<(S & { syncs?: NonNullable<ReturnType<typeof syncsBehind>> })[]> {
  const syncs = new Map<number, { upstreamOffset: number; downstreamOffset: number }[]>();
  const cutoff = new Map(states.map((s) => [s.partition, s.checkpoint?.at ?? 0]));
  await readToEnd(
    kafka,
    offsetSyncsTopic(opts.targetAlias ?? TARGET_ALIAS),
    {},
    (_p, m) => {
      if (!m.key || !m.value) return;
      const sync = decodeOffsetSync(m.key, m.value);
      if (sync.topic !== sourceTopic || Number(m.timestamp) > (cutoff.get(sync.partition) ?? 0) + CHECKPOINT_TRANSLATION_SLACK_MS) return;
      if (!syncs.has(sync.partition)) syncs.set(sync.partition, []);
      syncs.get(sync.partition)!.push(sync);
    },
    opts,
  );
  return states.map((s) => {
    const found = s.checkpoint && syncsBehind(syncs.get(s.partition) ?? [], s.checkpoint.upstreamOffset, s.checkpoint.downstreamOffset);
    return found ? { ...s, syncs: found } : s;
  });
}
