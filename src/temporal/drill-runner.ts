import { Client, WorkflowFailedError, type Connection, type WorkflowHandle } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import type { DrillInput } from '../domain/drill-input';
import type { DrillReport, StepResult } from '../domain/report';
import { newerReports, type StepProgress } from '../domain/step-progress';
import { sleep } from '../util/sleep';
import { chapterDrillWorkflow } from '../../workflows';

/** A handle on a drill: its result is the report, typed. */
export type DrillHandle = WorkflowHandle<typeof chapterDrillWorkflow>;
import { progressQuery } from '../../workflows/messages';
import { minutes, temporalNamespace } from './config';

export interface DrillRun {
  workflowId: string;
  report?: DrillReport;
  /** Set when the workflow failed without a report (invalid input, cancelled, timed out, a bug). */
  error?: { type: string; message: string };
}

/** The report a failed drill carries in its failure details. */
export function reportFromFailure(e: unknown): DrillReport | undefined {
  if (!(e instanceof WorkflowFailedError)) return undefined;
  const details = (e.cause as { details?: unknown[] } | undefined)?.details;
  return details?.[0] as DrillReport | undefined;
}

export interface StartOptions {
  workflowId: string;
  taskQueue: string;
  /** The drill's whole life, waiting for a worker included: a drill nobody runs ends then. */
  executionTimeoutMinutes: number;
  memo?: Record<string, unknown>;
  searchAttributes?: TypedSearchAttributes;
}

/** Starts the drill workflow (launchDrill first claims its lab and makes its worker). */
export async function startDrillWorkflow(connection: Connection, input: DrillInput, opts: StartOptions): Promise<DrillHandle> {
  const client = new Client({ connection, namespace: temporalNamespace() });
  return client.workflow.start(chapterDrillWorkflow, {
    taskQueue: opts.taskQueue,
    workflowId: opts.workflowId,
    args: [input],
    memo: opts.memo,
    typedSearchAttributes: opts.searchAttributes,
    workflowExecutionTimeout: minutes(opts.executionTimeoutMinutes),
  });
}

/** gRPC UNAVAILABLE and friends: the server is restarting or unreachable for a moment. */
const transient = (e: unknown) =>
  [4, 14].includes((e as { code?: number }).code ?? -1) ||
  /UNAVAILABLE|ECONNREFUSED|Connection dropped/i.test(String((e as Error)?.message));

/**
 * A workflow's result. Survives a Temporal server that restarts while the workflow runs (its
 * history is on disk): the wait is resumed until `patienceMs` of unbroken unavailability.
 */
export async function resultAcrossRestarts<T>(handle: { result(): Promise<T> }, patienceMs = 180_000): Promise<T> {
  let downSince: number | undefined;
  for (;;) {
    try {
      return await handle.result();
    } catch (e) {
      if (!transient(e)) throw e;
      downSince ??= Date.now();
      if (Date.now() - downSince > patienceMs) throw e;
      await sleep(2000);
    }
  }
}

/** The drill's outcome: its report, or why it ended without one. */
async function outcome(handle: DrillHandle, workflowId: string): Promise<DrillRun> {
  try {
    return { workflowId, report: await resultAcrossRestarts(handle) };
  } catch (e) {
    const report = reportFromFailure(e);
    if (report) return { workflowId, report };
    return { workflowId, error: failureOf(e) };
  }
}

/** A failed workflow's type and message, from its failure's cause. */
export function failureOf(e: unknown): { type: string; message: string } {
  const cause = (e as { cause?: { type?: string; message?: string; name?: string } }).cause;
  return { type: cause?.type ?? cause?.name ?? 'WorkflowFailed', message: cause?.message ?? (e as Error).message };
}

/**
 * Follows a drill through its progress query, calling `onStep` as each step completes; with
 * `worker`, runs that worker in this process until the drill ends.
 */
export async function followDrill(
  handle: DrillHandle,
  opts: { workflowId: string; worker?: Worker; onStep: (s: StepResult) => void; onProgress?: (p: StepProgress) => void },
): Promise<DrillRun> {
  let printed = 0;
  let shown = 0;
  let finished = false;
  const follow = (async () => {
    while (!finished) {
      await sleep(1000);
      if (finished) break;
      const p = await handle.query(progressQuery).catch(() => undefined);
      for (const s of p?.steps.slice(printed) ?? []) opts.onStep(s);
      printed = Math.max(printed, p?.steps.length ?? 0);
      for (const l of newerReports(p?.live, shown)) {
        opts.onProgress?.(l);
        shown = l.at;
      }
    }
  })();
  const result = outcome(handle, opts.workflowId).finally(() => {
    finished = true;
  });
  const run = opts.worker ? await opts.worker.runUntil(result) : await result;
  // A query still in flight when the drill ended is not waited for (the worker is gone); the
  // report has every step anyway.
  void follow;
  for (const s of run.report?.steps.slice(printed) ?? []) opts.onStep(s);
  return run;
}

/**
 * Ctrl-C while a drill (or a series of drills) runs: the first cancels it (the workflow tears its lab down, the worker in
 * this process keeps running until it has), the second terminates it and stops waiting.
 */
export function cancelOnInterrupt(
  handle: Pick<WorkflowHandle, 'workflowId' | 'cancel' | 'terminate'>,
  log: (s: string) => void,
  what = 'drill',
): { interrupted: () => boolean; dispose: () => void } {
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) {
      log(`interrupted: cancelling ${what} ${handle.workflowId}; it tears its lab down first (Ctrl-C again to stop waiting)`);
      handle.cancel().catch((e) => log(`cancel failed: ${(e as Error).message}`));
    } else {
      log(`terminating ${what} ${handle.workflowId}; its lab may be left up (\`npx lab down\` removes it)`);
      void handle.terminate('interrupted twice from the CLI').finally(() => process.exit(130));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    interrupted: () => count > 0,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
