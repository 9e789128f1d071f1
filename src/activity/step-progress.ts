import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ProgressMeter, STEP_PROGRESS_SIGNAL } from '../domain/step-progress';
import type { StepName } from '../domain/steps';

/** How often a long step tells its workflow how far it is: each report is a signal, a few events in its history. */
export const PROGRESS_INTERVAL_MS = 5000;
/** How often the count is sampled for the rate (producers report every acknowledgement). */
const SAMPLE_MS = 1000;

/**
 * Reports a long activity's progress to its own workflow (the `progress` query answers it, the CLI
 * draws it): at most every PROGRESS_INTERVAL_MS and never in the first one, so a short step adds
 * nothing to its history. Best effort: a signal that fails is dropped, never the step. Without a
 * step name, a workflow or a client (a test's activity environment) it reports nothing.
 */
export function stepProgressReporter(step: StepName | undefined, what: string, total: number): (done: number, note?: string) => void {
  const ctx = Context.current();
  const workflowId = ctx.info.workflowExecution?.workflowId;
  let client: Client | undefined;
  try {
    client = ctx.client;
  } catch {
    client = undefined; // an activity run without a worker's client
  }
  if (!step || !workflowId || !client) return () => {};
  const handle = client.workflow.getHandle(workflowId);
  const meter = new ProgressMeter(step, what, total);
  let sampled = 0;
  let sent = Date.now();
  let sending = false;
  return (done, note) => {
    const now = Date.now();
    if (now - sampled < SAMPLE_MS) return;
    sampled = now;
    const p = meter.sample(done, now, note);
    if (now - sent < PROGRESS_INTERVAL_MS || sending) return;
    sent = now;
    sending = true;
    handle
      .signal(STEP_PROGRESS_SIGNAL, p)
      .catch(() => undefined)
      .finally(() => (sending = false));
  };
}
