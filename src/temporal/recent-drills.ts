import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
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

/** The visibility query for all drills; `lab trend` narrows it. */
export const DRILLS_QUERY = `WorkflowType = ${JSON.stringify(chapterDrillWorkflow.name)}`;

/** The newest `limit` drills the query selects, newest first, as the visibility store lists them. */
export async function listDrills(client: Client, query: string, limit: number): Promise<WorkflowExecutionInfo[]> {
  const out: WorkflowExecutionInfo[] = [];
  for await (const w of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
    out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}

export function drillSummary(w: WorkflowExecutionInfo): DrillSummary {
  const sa = w.typedSearchAttributes;
  return {
    workflowId: w.workflowId,
    status: w.status.name,
    verdict: sa.get(LAB_VERDICT),
    topology: sa.get(LAB_TOPOLOGY),
    target: sa.get(LAB_TARGET),
    startTime: w.startTime.toISOString(),
    closeTime: w.closeTime?.toISOString(),
  };
}

/** The most recent drills, newest first. */
export async function recentDrills(client: Client, limit = 5): Promise<DrillSummary[]> {
  return (await listDrills(client, DRILLS_QUERY, limit)).map(drillSummary);
}
