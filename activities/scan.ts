import type { Kafka } from 'kafkajs';
import { readLabHeaders } from '../src/domain/lab-headers';
import { sleep } from '../src/util/sleep';
import { FailureType } from '../src/domain/failures';
import { ExitCode, LabError } from '../src/errors';

export interface RunRecord {
  seq: number;
  generation: number;
  partition: number;
  offset: number;
  timestamp: number;
  producedAt: number;
  /** null: a tombstone carrying this run's headers (its content counts as altered). */
  value: Buffer | null;
}

/**
 * Reads a topic from the given offsets up to its current end and keeps the records of one run.
 * Uses a throw-away consumer group that is deleted afterwards.
 */
export async function scanRunRecords(
  kafka: Kafka,
  topic: string,
  fromOffsets: Record<number, string>,
  runId: string,
  keepGeneration: (g: number) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<RunRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  const pending = new Map(ends.filter((p) => BigInt(p.high) > BigInt(fromOffsets[p.partition] ?? p.low)).map((p) => [p.partition, BigInt(p.high)]));
  const out: RunRecord[] = [];
  if (pending.size === 0) {
    await admin.disconnect();
    return out;
  }
  const groupId = `kafka-lab-scan-${runId}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const r = toRunRecord(m, batch.partition, runId);
        if (r && keepGeneration(r.generation)) out.push(r);
      }
      const end = pending.get(batch.partition);
      if (end !== undefined && BigInt(batch.highWatermark) >= end && BigInt(batch.lastOffset()) + 1n >= end) pending.delete(batch.partition);
    },
  });
  for (const p of ends) consumer.seek({ topic, partition: p.partition, offset: fromOffsets[p.partition] ?? p.low });
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < deadline) await sleep(Math.min(200, timeoutMs));
  await consumer.disconnect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
  // Part of the list would make a retried produce resend what is already there, or lose track of it.
  if (pending.size > 0) throw new ScanIncompleteError(topic, [...pending.keys()]);
  return out;
}

export class ScanIncompleteError extends LabError {
  readonly type = FailureType.NotReady;
  readonly exitCode = ExitCode.Unreachable;
  constructor(topic: string, partitions: number[]) {
    super(`reading ${topic} to its end did not finish in time (partitions ${partitions.join(', ')})`, 'check the upstream cluster answers; the activity retries', true);
  }
}

type KafkaMessage = { offset: string; timestamp: string; value: Buffer | null; headers?: Record<string, unknown> };

export function toRunRecord(m: KafkaMessage, partition: number, runId: string): RunRecord | undefined {
  const h = readLabHeaders(m.headers);
  if (h.runId !== runId) return undefined;
  return {
    seq: Number(h.seq),
    generation: Number(h.generation),
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    producedAt: Number(h.producedAt),
    value: m.value,
  };
}
