import { WorkflowFailedError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { DrillReport } from '../domain/report';
import { LAB_TARGET } from '../domain/search-attributes';
import type { TrendDrill, TrendFilter } from '../report/trend';
import { reportFromFailure } from './drill-runner';
import { DRILLS_QUERY, drillSummary, listDrills } from './recent-drills';

/** Reports fetched at once: each is a whole workflow result, a few hundred latency samples included. */
const PARALLEL = 8;

/**
 * The visibility query. Temporal sets TemporalScheduledById (the schedule id, which is the name
 * given to `lab schedule create`) on each drill a schedule starts; LabTarget is `lab:<labId>`.
 * Values are quoted as JSON strings: the query language takes the same escapes.
 */
export function trendQuery(f: TrendFilter): string {
  const q = [DRILLS_QUERY];
  if (f.schedule) q.push(`TemporalScheduledById = ${JSON.stringify(f.schedule)}`);
  if (f.labId) q.push(`${LAB_TARGET.name} = ${JSON.stringify(`lab:${f.labId}`)}`);
  return q.join(' AND ');
}

/**
 * A drill's report, as `lab report` reads it: the result of a passed drill, the failure's details
 * of a failed one. By run id, since a workflow id may have been used again. A running drill has
 * none yet; one cancelled, terminated or timed out has none either.
 */
async function reportOf(client: Client, w: WorkflowExecutionInfo): Promise<DrillReport | undefined> {
  if (w.status.name === 'RUNNING') return undefined;
  try {
    return (await client.workflow.getHandle(w.workflowId, w.runId).result()) as DrillReport;
  } catch (e) {
    // anything but the drill's own failure (a server gone) is an error, not a drill without figures
    if (e instanceof WorkflowFailedError) return reportFromFailure(e);
    throw e;
  }
}

/** The newest `limit` drills the filter selects (as the visibility store lists them), with their reports. */
export async function trendDrills(client: Client, f: TrendFilter, limit: number): Promise<TrendDrill[]> {
  const listed = await listDrills(client, trendQuery(f), limit);
  const out: TrendDrill[] = [];
  for (let i = 0; i < listed.length; i += PARALLEL) {
    const batch = listed.slice(i, i + PARALLEL);
    out.push(...(await Promise.all(batch.map(async (w) => ({ ...drillSummary(w), report: await reportOf(client, w) })))));
  }
  return out;
}
