import type { Connection } from '@temporalio/client';
import type { DrillConfig, DrillInput } from '../domain/drill-input';
import type { DrillProgress, StepResult } from '../domain/report';
import { progressQuery } from '../../workflows/messages';
import { connectTemporal } from './dev-server';
import { followDrill, type DrillHandle, type DrillRun } from './drill-runner';
import { checkDrill, launchDrill } from './launch-drill';

export interface StartDrillOptions {
  /**
   * A client connection to reuse (the caller closes it). Default: the server the TEMPORAL_*
   * settings name, else the embedded dev server, started when none answers (as `lab drill` does).
   * The in-process worker always connects as those settings say.
   */
  connection?: Connection;
  /** Default drill-<topology or target>-<time>. */
  workflowId?: string;
  /** The drill's whole life, waiting for a worker included (default 120). */
  timeoutMinutes?: number;
  /**
   * in-process (default, unless LAB_WORKER=external): a worker in this process, on a task queue of
   * its own, runs the drill until it ends. external: a worker on the shared queue (`npm run worker`).
   */
  worker?: 'in-process' | 'external';
  /** Called as each step completes (the CLI prints these lines). */
  onStep?: (step: StepResult) => void;
  /** Connecting, claiming the lab, starting the dev server. */
  log?: (line: string) => void;
}

export type DrillProgressWithSteps = DrillProgress & { steps: StepResult[] };

/** A running drill. Disposing it cancels a drill still running and waits until it has torn its lab down. */
export interface Drill extends AsyncDisposable {
  readonly workflowId: string;
  /** The input with every default filled in, as the workflow runs it. */
  readonly config: DrillConfig;
  /** The Temporal workflow handle, for anything else (describe, terminate). */
  readonly handle: DrillHandle;
  /** Resolves when the drill ends: its report (verdict passed or failed), or the error of a drill that ended without one. */
  result(): Promise<DrillRun>;
  /** The current step and the steps completed so far. */
  progress(): Promise<DrillProgressWithSteps>;
  /** Asks the drill to stop; it tears its lab down first (result() then resolves). */
  cancel(): Promise<void>;
}

/** Starts the chapter's drill, as `lab drill` does, and follows it from this process. */
export async function startDrill(input: DrillInput = {}, opts: StartDrillOptions = {}): Promise<Drill> {
  const log = opts.log ?? (() => undefined);
  const config = await checkDrill(input);
  const connection = opts.connection ?? (await connectTemporal(log));
  const closeOwn = () => (opts.connection ? Promise.resolve() : connection.close());
  const launched = await launchDrill(connection, input, config, {
    workflowId: opts.workflowId,
    timeoutMinutes: opts.timeoutMinutes,
    externalWorker: opts.worker === undefined ? undefined : opts.worker === 'external',
    log,
  }).catch(async (e) => {
    await closeOwn();
    throw e;
  });
  const { handle, workflowId, worker } = launched;
  let ended = false;
  const outcome = followDrill(handle, { workflowId, worker, onStep: opts.onStep ?? (() => undefined) }).finally(async () => {
    ended = true;
    // runUntil has shut the worker down; its connection is ours to close.
    await worker?.connection?.close().catch(() => undefined);
    await closeOwn();
  });
  outcome.catch(() => undefined); // a failure reaches the caller through result()
  return {
    workflowId,
    config,
    handle,
    result: () => outcome,
    // An ended drill has no worker left to answer queries; its report has every step.
    progress: async () => {
      if (!ended) return handle.query(progressQuery);
      const steps = (await outcome).report?.steps ?? [];
      return { step: 'done', completed: steps.map((s) => s.name), total: steps.length, steps };
    },
    cancel: async () => {
      await handle.cancel();
    },
    [Symbol.asyncDispose]: async () => {
      if (!ended) await handle.cancel().catch(() => undefined);
      await outcome.catch(() => undefined);
    },
  };
}
