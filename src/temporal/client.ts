import { Client, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { InvalidInputError } from '../errors';
import type { DrillReport } from '../domain/report';
import { temporalNamespace } from './config';
import { reportFromFailure } from './drill-runner';

export const drillClient = (connection: Connection) => new Client({ connection, namespace: temporalNamespace() });

/** A drill's stored report: the result of a passed drill, or the details of a failed one. */
export async function fetchReport(client: Client, workflowId: string): Promise<{ status: string; report?: DrillReport }> {
  const handle = client.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) throw unknownWorkflow(workflowId);
    throw e;
  }
  if (status === 'RUNNING') return { status };
  try {
    return { status, report: (await handle.result()) as DrillReport };
  } catch (e) {
    return { status, report: reportFromFailure(e) };
  }
}

export function unknownWorkflow(workflowId: string) {
  return new InvalidInputError(`no drill with workflow id "${workflowId}"`, 'list drills with `npx lab status` or in the Temporal UI');
}
