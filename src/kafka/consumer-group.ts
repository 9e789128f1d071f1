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
