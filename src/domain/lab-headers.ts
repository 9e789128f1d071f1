/**
 * The identity every drill message carries, so it can be accounted for downstream: written by the
 * producer, read by the verifier and by consumer-2. One header, `lab-id`, holding
 * `runId/seq/generation/producedAt`: each header costs the producer as much as the record itself
 * (kafkajs encodes them one by one), so four headers would halve its throughput. Workflow-safe.
 */
export const LAB_HEADER = 'lab-id';

/** Marks a record a failback wrote again on the DR side (a stranded one, `--stranded republish`); its `lab-id` is the original's. */
export const REPUBLISHED_HEADER = 'lab-republished';

export interface LabHeaderValues {
  runId?: string;
  seq?: string;
  generation?: string;
  producedAt?: string;
}

/** The header of message `seq` of a generation, produced at `producedAt` (epoch ms). */
export function labHeader(runId: string, seq: number, generation: number, producedAt: number): Record<string, string> {
  return { [LAB_HEADER]: `${runId}/${seq}/${generation}/${producedAt}` };
}

/** The record's seq when it belongs to run `runId`, else undefined. */
export function seqOfRun(headers: Record<string, unknown> | undefined, runId: string): number | undefined {
  const h = readLabHeaders(headers);
  return h.runId === runId && h.seq !== undefined ? Number(h.seq) : undefined;
}

/** Reads the lab header of a Kafka message (values arrive as Buffers); missing parts stay undefined. */
export function readLabHeaders(headers: Record<string, unknown> | undefined): LabHeaderValues {
  const v = headers?.[LAB_HEADER];
  if (v === undefined || v === null) return {};
  const [runId, seq, generation, producedAt] = String(v.toString()).split('/');
  return { runId, seq, generation, producedAt };
}
