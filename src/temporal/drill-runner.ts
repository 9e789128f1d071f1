import { Client, WorkflowFailedError, type Connection, type WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { DrillInput } from '../domain/drill';
import type { DrillReport, StepResult } from '../domain/report';
import { sleep } from '../util/sleep';
import { TASK_QUEUE, temporalNamespace } from './config';

export interface DrillRun {
  workflowId: string;
  report?: DrillReport;
  /** Set when the workflow failed without a report (invalid input, a bug). */
  error?: { type: string; message: string };
}

/** The report a failed drill carries in its failure details. */
export function reportFromFailure(e: unknown): DrillReport | undefined {
  if (!(e instanceof WorkflowFailedError)) return undefined;
  const details = (e.cause as { details?: unknown[] } | undefined)?.details;
  return details?.[0] as DrillReport | undefined;
}

/**
 * Starts the drill workflow and follows it until it ends (see followDrill).
 */
export async function runDrill(
  connection: Connection,
  input: DrillInput,
  opts: { workflowId: string; worker?: Worker; onStep: (s: StepResult) => void; memo?: Record<string, unknown>; searchAttributes?: Record<string, string[]> },
): Promise<DrillRun> {
  const client = new Client({ connection, namespace: temporalNamespace() });
  const handle = await client.workflow.start('chapterDrillWorkflow', {
    taskQueue: TASK_QUEUE, workflowId: opts.workflowId, args: [input], memo: opts.memo, searchAttributes: opts.searchAttributes,
  });
  return followDrill(handle, opts);
}

/**
 * Follows a drill through its progress query, calling `onStep` as each step completes; with
 * `worker`, runs that worker in this process until the drill ends.
 */
export async function followDrill(
  handle: WorkflowHandle,
  opts: { workflowId: string; worker?: Worker; onStep: (s: StepResult) => void },
): Promise<DrillRun> {
  let printed = 0;
  let finished = false;
  const follow = (async () => {
    while (!finished) {
      await sleep(1000);
      if (finished) break;
      const p = await handle.query<{ steps: StepResult[] }>('progress').catch(() => undefined);
      for (const s of p?.steps.slice(printed) ?? []) opts.onStep(s);
      printed = Math.max(printed, p?.steps.length ?? 0);
    }
  })();
  const result = handle.result().then(
    (report: DrillReport) => {
      finished = true;
      return { workflowId: opts.workflowId, report };
    },
    (e: unknown): DrillRun => {
      finished = true;
      const report = reportFromFailure(e);
      if (report) return { workflowId: opts.workflowId, report };
      const cause = (e as { cause?: { type?: string; message?: string } }).cause;
      return { workflowId: opts.workflowId, error: { type: cause?.type ?? 'WorkflowFailed', message: cause?.message ?? (e as Error).message } };
    },
  );
  const run = opts.worker ? await opts.worker.runUntil(result) : await result;
  // A query still in flight when the drill ended is not waited for (the worker is gone); the
  // report has every step anyway.
  void follow;
  for (const s of run.report?.steps.slice(printed) ?? []) opts.onStep(s);
  return run;
}
