import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { ReadIncompleteError } from '../errors';
import { pollUntil } from '../util/poll';

/**
 * The one way the drill reads a topic: a throw-away consumer group (deleted afterwards) seeks each
 * partition to a given offset and hands every record to `onMessage` once per (partition, offset),
 * so a rebalance that delivers part of the log again is not mistaken for new records.
 */
export interface TopicReader {
  /** The next offset to read per partition (what has been handed over so far). */
  positions(): Map<number, bigint>;
  close(): Promise<void>;
}

export async function openTopicReader(
  kafka: Kafka,
  topic: string,
  from: Record<number, string>,
  onMessage: (partition: number, message: KafkaMessage) => void | Promise<void>,
  opts: { groupPrefix?: string } = {},
): Promise<TopicReader> {
  const next = new Map(Object.entries(from).map(([p, o]) => [Number(p), BigInt(o)]));
  // Records below a partition's log start are gone (retention, deleteRecords): reading starts at
  // what is there, or the reader would wait for positions Kafka can no longer hand out. Callers
  // that need those records find them missing.
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  for (const p of offsets) if ((next.get(p.partition) ?? 0n) < BigInt(p.low)) next.set(p.partition, BigInt(p.low));
  const groupId = `${opts.groupPrefix ?? 'kafka-lab-read'}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  // Small fetches (256 KiB per partition, 1 MiB in all): kafkajs decodes a whole fetch into objects
  // some 20 times its size, so this bounds what the reader holds at once, whatever the topic holds.
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
    maxBytesPerPartition: 256 << 10,
    maxBytes: 1 << 20,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  // Seek on every join, not once after run(): a consumer whose start crashes (a coordinator or a
  // leader moving, as in a broker fault) is rebuilt by kafkajs without the seeks, and a seek made
  // while it is down throws. A join comes before each first fetch, so every start reads from `next`.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, offset] of next) consumer.seek({ topic, partition, offset: String(offset) });
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const offset = BigInt(m.offset);
        if (offset < (next.get(batch.partition) ?? 0n)) continue; // read before: once per (partition, offset)
        const handled = onMessage(batch.partition, m);
        if (handled) await handled;
        next.set(batch.partition, offset + 1n);
      }
    },
  });
  return {
    positions: () => new Map(next),
    close: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Where a reader is still short of the given ends: the partitions, and how many records each has left. */
export function unreadBehind(positions: Map<number, bigint>, ends: Map<number, bigint>): { partition: number; unread: number }[] {
  return [...ends]
    .map(([partition, end]) => ({ partition, unread: Number(end - (positions.get(partition) ?? 0n)) }))
    .filter((u) => u.unread > 0);
}

/** Where each partition of a topic ends now (its high watermark). */
export async function topicEnds(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
}

/**
 * Reads from `from` to where each partition ended when the read began. A read that cannot reach
 * that end in time fails (retryable) rather than return part of the records.
 */
export async function readToEnd(
  kafka: Kafka,
  topic: string,
  from: Record<number, string>,
  onMessage: (partition: number, message: KafkaMessage) => void | Promise<void>,
  opts: { timeoutMs?: number; signal?: AbortSignal; groupPrefix?: string } = {},
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const start = Object.fromEntries(ends.map((p) => [p.partition, from[p.partition] ?? p.low]));
  const target = new Map(
    ends
      .filter((p) => BigInt(p.high) > BigInt(start[p.partition]) && BigInt(p.high) > BigInt(p.low))
      .map((p) => [p.partition, BigInt(p.high)]),
  );
  if (target.size === 0) return;
  const reader = await openTopicReader(kafka, topic, start, onMessage, opts);
  const behind = () => unreadBehind(reader.positions(), target).map((u) => u.partition);
  try {
    await pollUntil(
      async () => {
        const left = behind();
        return left.length === 0 ? { done: true, value: undefined } : { done: false, detail: left.join(',') };
      },
      {
        timeoutMs: opts.timeoutMs ?? 60_000,
        intervalMs: 200,
        signal: opts.signal,
        onTimeout: () => new ReadIncompleteError(topic, behind()),
      },
    );
  } finally {
    await reader.close();
  }
}
