import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * The largest event in a workflow's history, in encoded bytes, and which event it is: what grows
 * when a workflow carries per-record data (Temporal refuses payloads over 2 MB).
 */
export async function largestHistoryEvent(client: Client, workflowId: string): Promise<{ bytes: number; event: string }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let largest = { bytes: 0, event: 'none' };
  for (const e of history.events ?? []) {
    const bytes = temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
    if (bytes > largest.bytes) largest = { bytes, event: `${e.eventId} ${temporal.api.enums.v1.EventType[e.eventType ?? 0]}` };
  }
  return largest;
}
