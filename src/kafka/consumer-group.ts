import type { Kafka } from 'kafkajs';
import type { Offsets } from '../contracts/failover';
import { TimedOutError } from '../errors';
import { pollUntil } from '../util/poll';

/**
 * A consumer group's offsets and consumption, as the failover drill works them: what the group
 * committed is what it processed, so its committed offsets are the state a retry resumes from.
 */

export async function committedOffsets(kafka: Kafka, group: string, topic: string): Promise<Offsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return Object.fromEntries((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

export async function setGroupOffsets(kafka: Kafka, group: string, topic: string, offsets: Offsets): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: Object.entries(offsets).map(([partition, offset]) => ({ partition: Number(partition), offset: String(offset) })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Consumes `topic` as `group` from its committed offsets up to `stopAt` (per partition),
 * committing after each batch: what the group committed is what it processed. Returns the first
 * offset each partition was handed and the committed offsets at the end.
 */
export async function consumeAsGroup(
  kafka: Kafka,
  group: string,
  topic: string,
  opts: { stopAt: Offsets; progress: (d: unknown) => void; signal: AbortSignal },
): Promise<{ firstOffsets: Offsets; committed: Offsets; processed: number }> {
  const firstOffsets: Offsets = {};
  const next = new Map<number, number>();
  let processed = 0;
  const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  const done = () => Object.entries(opts.stopAt).every(([p, end]) => (next.get(Number(p)) ?? -1) >= end);
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        let last: number | undefined;
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (offset >= (opts.stopAt[batch.partition] ?? 0)) break;
          firstOffsets[batch.partition] ??= offset;
          resolveOffset(m.offset);
          last = offset;
          processed++;
        }
        if (last !== undefined) {
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(last + 1) }]);
          next.set(batch.partition, last + 1);
        }
        await heartbeat();
      },
    });
    await pollUntil(async () => (done() ? { done: true, value: undefined } : { done: false, detail: `${processed} processed` }), {
      timeoutMs: 120_000,
      intervalMs: 200,
      signal: opts.signal,
      onProgress: () => opts.progress({ processed }),
      onTimeout: (d) => new TimedOutError(`group ${group} reading ${topic}`, d, 'check the cluster answers'),
    });
  } finally {
    await consumer.stop();
    await consumer.disconnect();
  }
  return { firstOffsets, committed: await committedOffsets(kafka, group, topic), processed };
}

/** Per topic, per partition, an offset. */
export type TopicOffsets = Record<string, Offsets>;

/** How far a live group got: kept in the heartbeat, so a retry reports the first attempt's first record. */
export interface LiveProgress {
  firstProcessedAt?: number;
  firstOffsets: TopicOffsets;
  processed: number;
}

/**
 * A consumer group at work on live topics, committing after each batch, as an application does:
 * until `untilMs`, then (with `toEnd`) on until it has processed every partition to its end as of
 * then and at least to `atLeast` (records known to be coming). Without `toEnd` it just stops at
 * `untilMs`, as the process of a site that dies would (what it committed is read back from the
 * cluster afterwards). Returns when it first processed a record, and where each partition started and ended.
 */
export async function consumeLive(
  kafka: Kafka,
  group: string,
  topics: string[],
  opts: {
    untilMs: number;
    toEnd: boolean;
    atLeast?: TopicOffsets;
    /** What an earlier attempt saw first (from its heartbeat), kept: this attempt begins at the group's later commits. */
    earlier?: LiveProgress;
    progress: (d: LiveProgress) => void;
    signal: AbortSignal;
  },
): Promise<LiveProgress & { ends: TopicOffsets }> {
  const firstOffsets: TopicOffsets = Object.fromEntries(topics.map((t) => [t, { ...opts.earlier?.firstOffsets[t] }]));
  // where the group starts: its committed offsets (none: the beginning)
  const next: TopicOffsets = {};
  for (const t of topics)
    next[t] = Object.fromEntries(Object.entries(await committedOffsets(kafka, group, t)).map(([p, o]) => [p, Math.max(0, o)]));
  let processed = opts.earlier?.processed ?? 0;
  let firstProcessedAt = opts.earlier?.firstProcessedAt;
  const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  let ends: TopicOffsets = {};
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const last = batch.messages[batch.messages.length - 1];
        if (!last) return;
        firstOffsets[batch.topic][batch.partition] ??= Number(batch.messages[0].offset);
        for (const m of batch.messages) resolveOffset(m.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) }]);
        firstProcessedAt ??= Date.now();
        processed += batch.messages.length;
        next[batch.topic][batch.partition] = Number(last.offset) + 1;
        await heartbeat();
      },
    });
    const untilDone = async () => {
      if (Date.now() < opts.untilMs) return { done: false as const, detail: `${processed} processed` };
      if (!opts.toEnd) return { done: true as const, value: undefined };
      if (Object.keys(ends).length === 0) ends = await topicEndsOf(kafka, topics, opts.atLeast);
      const behind = topics.flatMap((t) => Object.entries(ends[t]).filter(([p, e]) => (next[t][Number(p)] ?? 0) < e));
      return behind.length === 0
        ? { done: true as const, value: undefined }
        : { done: false as const, detail: `${processed} processed, ${behind.length} partition(s) behind` };
    };
    await pollUntil(untilDone, {
      timeoutMs: Math.max(0, opts.untilMs - Date.now()) + 180_000,
      intervalMs: 200,
      signal: opts.signal,
      onProgress: () => opts.progress({ processed, firstOffsets, ...(firstProcessedAt ? { firstProcessedAt } : {}) }),
      onTimeout: (d) => new TimedOutError(`group ${group} reading ${topics.join(', ')}`, d, 'check the cluster answers'),
    });
  } finally {
    // a dying site's consumer may not get to say goodbye
    await consumer.stop().catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
  }
  return { firstProcessedAt, firstOffsets, ends, processed };
}

/** Each topic's end, per partition, at least `atLeast` where records are known to be on their way. */
async function topicEndsOf(kafka: Kafka, topics: string[], atLeast: TopicOffsets = {}): Promise<TopicOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: TopicOffsets = {};
    for (const t of topics) {
      out[t] = Object.fromEntries(
        (await admin.fetchTopicOffsets(t)).map((p) => [p.partition, Math.max(Number(p.high), atLeast[t]?.[p.partition] ?? 0)]),
      );
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}
