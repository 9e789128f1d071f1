import type { Client } from '@temporalio/client';
import { chapterDrillWorkflow } from '../../workflows';
import { LAB_TARGET, LAB_TOPOLOGY, LAB_VERDICT } from '../domain/search-attributes';

export interface DrillSummary {
  workflowId: string;
  status: string;
  verdict?: string;
  topology?: string;
  target?: string;
  startTime: string;
  closeTime?: string;
}

/** The most recent drills, newest first, as the visibility store lists them. */
export async function recentDrills(client: Client, limit = 5): Promise<DrillSummary[]> {
  const out: DrillSummary[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowType = "${chapterDrillWorkflow.name}"`, pageSize: limit })) {
    const sa = w.typedSearchAttributes;
    out.push({
      workflowId: w.workflowId,
      status: w.status.name,
      verdict: sa.get(LAB_VERDICT),
      topology: sa.get(LAB_TOPOLOGY),
      target: sa.get(LAB_TARGET),
      startTime: w.startTime.toISOString(),
      closeTime: w.closeTime?.toISOString(),
    });
    if (out.length >= limit) break;
  }
  return out;
}
