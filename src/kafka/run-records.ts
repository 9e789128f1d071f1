import type { Kafka, KafkaMessage } from 'kafkajs';
import { readLabHeaders } from '../domain/lab-headers';
import { readToEnd } from './topic-reader';

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
 * Reads a topic from the given offsets up to its current end and hands over the records of one
 * run (every copy Kafka holds), one at a time. Fails rather than stop part way.
 */
export async function scanRunRecords(
  kafka: Kafka,
  topic: string,
  fromOffsets: Record<number, string>,
  runId: string,
  onRecord: (r: RunRecord) => void,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  await readToEnd(
    kafka,
    topic,
    fromOffsets,
    (partition, m) => {
      const r = toRunRecord(m, partition, runId);
      if (r) onRecord(r);
    },
    { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal, groupPrefix: `kafka-lab-scan-${runId}` },
  );
}

export function toRunRecord(m: KafkaMessage, partition: number, runId: string): RunRecord | undefined {
  const h = readLabHeaders(m.headers as Record<string, unknown> | undefined);
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
