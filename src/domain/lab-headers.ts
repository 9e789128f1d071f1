/**
 * The headers every drill message carries, so it can be accounted for downstream: written by the
 * producer, read by the verifier and by consumer-2. Workflow-safe.
 */
export const LAB_HEADERS = {
  runId: 'lab-run-id',
  seq: 'lab-seq',
  generation: 'lab-generation',
  producedAt: 'lab-produced-at',
} as const;

export interface LabHeaderValues {
  runId?: string;
  seq?: string;
  generation?: string;
  producedAt?: string;
}

/** Reads the lab headers of a Kafka message (values arrive as Buffers). */
export function readLabHeaders(headers: Record<string, unknown> | undefined): LabHeaderValues {
  const h = (k: string) => {
    const v = headers?.[k];
    return v === undefined ? undefined : typeof v === 'object' && v !== null && 'toString' in v ? String(v.toString()) : String(v);
  };
  return {
    runId: h(LAB_HEADERS.runId),
    seq: h(LAB_HEADERS.seq),
    generation: h(LAB_HEADERS.generation),
    producedAt: h(LAB_HEADERS.producedAt),
  };
}
