import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { TimedOutError } from '../errors';
import { pollUntil } from '../util/poll';
import { openTopicReader, readToEnd } from './topic-reader';

/** A partition's newest upstream record, and when (if) its copy was seen downstream. */
export interface PartitionLag {
  partition: number;
  /** The newest upstream record's offset, and its timestamp (its produce time on a CreateTime topic). */
  upstreamOffset: string;
  producedAt: number;
  /** Already downstream when the check began: the mirror had caught up with this partition. */
  caughtUp: boolean;
  /** Seen downstream after the check began: from its produce time to then. */
  lagMs?: number;
}

/** How far back downstream the newest upstream record's copy is looked for, before its produce time (clock skew, LogAppendTime). */
const LOOK_BACK_MS = 60_000;

/**
 * Per partition, the newest record upstream and whether its copy arrives downstream (MirrorMaker 2
 * keeps a partition's number, key, value and headers) within `boundMs`. A copy found already there
 * is a partition caught up; one that arrives later gives that partition's lag from the record's own
 * produce time; one that does not arrive is a partition stalled or further behind than the bound.
 * Timestamps are never compared across clusters: a LogAppendTime topic downstream (the lab's) says
 * when a record arrived, not how far behind the mirror is.
 */
export async function mirrorLagPerPartition(
  upstream: Kafka,
  downstream: Kafka,
  topic: string,
  mirroredTopic: string,
  opts: { boundMs: number; signal?: AbortSignal; progress?: (detail: string) => void },
): Promise<PartitionLag[]> {
  const newest = await newestRecords(upstream, topic);
  if (newest.size === 0) return [];
  const startedAt = Date.now();
  const admin = downstream.admin();
  await admin.connect();
  const lags = new Map<number, PartitionLag>();
  let reader: Awaited<ReturnType<typeof openTopicReader>> | undefined;
  try {
    const endAtStart = new Map((await admin.fetchTopicOffsets(mirroredTopic)).map((p) => [p.partition, BigInt(p.high)]));
    const from = await lookFrom(admin, mirroredTopic, newest);
    reader = await openTopicReader(
      downstream,
      mirroredTopic,
      from,
      (partition, m) => {
        const want = newest.get(partition);
        if (!want || lags.has(partition) || !sameRecord(want.message, m)) return;
        const caughtUp = BigInt(m.offset) < (endAtStart.get(partition) ?? 0n);
        lags.set(partition, {
          partition,
          upstreamOffset: want.message.offset,
          producedAt: want.producedAt,
          caughtUp,
          ...(caughtUp ? {} : { lagMs: Math.max(0, Date.now() - want.producedAt) }),
        });
      },
      { groupPrefix: 'kafka-lab-observe' },
    );
    await pollUntil(
      async () => {
        const waiting = [...newest.keys()].filter((p) => !lags.has(p));
        opts.progress?.(`waiting for partitions ${waiting.join(', ')}`);
        const over = Date.now() - startedAt >= opts.boundMs;
        return waiting.length === 0 || over ? { done: true, value: undefined } : { done: false, detail: waiting.join(',') };
      },
      {
        timeoutMs: opts.boundMs + 60_000,
        intervalMs: 250,
        signal: opts.signal,
        onTimeout: (last) => new TimedOutError(`looking for ${topic}'s newest records in ${mirroredTopic}`, last),
      },
    );
  } finally {
    await reader?.close();
    await admin.disconnect();
  }
  return [...newest]
    .sort(([a], [b]) => a - b)
    .map(
      ([partition, w]) => lags.get(partition) ?? { partition, upstreamOffset: w.message.offset, producedAt: w.producedAt, caughtUp: false },
    );
}

/** What a partition's lag says against the bound: nothing when its copy arrived in time, else why not. */
export function lagProblems(lags: PartitionLag[], boundMs: number): string[] {
  return lags
    .filter((l) => !l.caughtUp && (l.lagMs === undefined || l.lagMs > boundMs))
    .map((l) =>
      l.lagMs === undefined
        ? `partition ${l.partition}: upstream offset ${l.upstreamOffset} (produced ${new Date(l.producedAt).toISOString()}) is not downstream after ${Math.round(boundMs / 1000)} s: the mirror is stalled on it or further behind than that`
        : `partition ${l.partition}: the mirror is ${Math.round(l.lagMs / 1000)} s behind (limit ${Math.round(boundMs / 1000)} s)`,
    );
}

/** The last record of each partition that holds any. */
async function newestRecords(kafka: Kafka, topic: string): Promise<Map<number, { message: KafkaMessage; producedAt: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const last = offsets.filter((p) => BigInt(p.high) > BigInt(p.low));
  const out = new Map<number, { message: KafkaMessage; producedAt: number }>();
  if (last.length === 0) return out;
  const from = Object.fromEntries(offsets.map((p) => [p.partition, BigInt(p.high) > BigInt(p.low) ? String(BigInt(p.high) - 1n) : p.high]));
  await readToEnd(kafka, topic, from, (partition, m) => void out.set(partition, { message: m, producedAt: Number(m.timestamp) }), {
    timeoutMs: 30_000,
    groupPrefix: 'kafka-lab-observe',
  });
  return out;
}

/** Per partition downstream, where to start looking for the newest upstream record's copy. */
async function lookFrom(admin: Admin, topic: string, newest: Map<number, { producedAt: number }>): Promise<Record<number, string>> {
  const ends = await admin.fetchTopicOffsets(topic);
  const out: Record<number, string> = {};
  for (const [partition, w] of newest) {
    const [at] = (await admin.fetchTopicOffsetsByTimestamp(topic, w.producedAt - LOOK_BACK_MS)).filter((p) => p.partition === partition);
    const end = ends.find((e) => e.partition === partition)?.high ?? '0';
    out[partition] = at && at.offset !== '-1' ? at.offset : end;
  }
  return out;
}

const sameBytes = (a: Buffer | string | null | undefined, b: Buffer | string | null | undefined) =>
  a == null || b == null ? a == b : Buffer.from(a).equals(Buffer.from(b));

function sameHeaders(a: IHeaders | undefined, b: IHeaders | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && String(a![k]) === String(b![k]));
}

/** A copy made by MirrorMaker 2: the same key, value and headers (its offset and timestamp may differ). */
function sameRecord(a: KafkaMessage, b: KafkaMessage): boolean {
  return sameBytes(a.key, b.key) && sameBytes(a.value, b.value) && sameHeaders(a.headers, b.headers);
}
