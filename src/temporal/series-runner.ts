import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { DrillSeriesResult, DrillSeriesRun, SeriesProgress } from '../domain/drill-series';
import type { StepResult } from '../domain/report';
import { newerReports, type StepProgress } from '../domain/step-progress';
import { sleep } from '../util/sleep';
import { kafkaMatrixWorkflow, placementExperimentWorkflow } from '../../workflows';
import { progressQuery, seriesProgressQuery } from '../../workflows/messages';
import { failureOf, resultAcrossRestarts } from './drill-runner';

/** A handle on a series' parent workflow: its result is the series result, typed. */
export type SeriesHandle = WorkflowHandle<typeof kafkaMatrixWorkflow | typeof placementExperimentWorkflow>;

export interface SeriesFollower {
  /** A run's child workflow started (index from 0). */
  onRunStart(run: NonNullable<SeriesProgress['current']>, total: number): void;
  onStep(s: StepResult): void;
  /** How far the running run's long step has got. */
  onProgress?(p: StepProgress): void;
  /** A run ended, its steps all shown. */
  onRunEnd(run: DrillSeriesRun, total: number): void;
}

export interface SeriesOutcome {
  result?: DrillSeriesResult;
  /** The runs seen to end, for a series that ended without a result (cancelled, terminated). */
  runs: DrillSeriesRun[];
  error?: { type: string; message: string };
}

/**
 * Follows a series through its parent's progress query and the running child's, so each run's
 * start, steps and verdict show as they happen; with `worker`, runs that worker in this process
 * until the series ends.
 */
export async function followSeries(
  client: Client,
  handle: SeriesHandle,
  follower: SeriesFollower,
  worker?: Worker,
): Promise<SeriesOutcome> {
  const ended: DrillSeriesRun[] = [];
  let current: string | undefined;
  let printed = 0;
  let shown = 0;
  const end = (runs: DrillSeriesRun[], total: number) => {
    for (const run of runs.slice(ended.length)) {
      if (run.workflowId !== current) {
        follower.onRunStart({ index: ended.length, label: run.label, workflowId: run.workflowId, input: run.input }, total);
        printed = 0;
      }
      for (const s of run.report?.steps.slice(printed) ?? []) follower.onStep(s);
      follower.onRunEnd(run, total);
      ended.push(run);
      current = undefined;
    }
  };
  let finished = false;
  let total = 0;
  const follow = async () => {
    while (!finished) {
      await sleep(1000);
      if (finished) break;
      const p = await handle.query(seriesProgressQuery).catch(() => undefined);
      if (!p) continue;
      total = p.total;
      end(p.done, p.total);
      if (p.current && p.current.workflowId !== current) {
        current = p.current.workflowId;
        printed = 0;
        follower.onRunStart(p.current, p.total);
      }
      if (!current) continue;
      const run = await client.workflow
        .getHandle(current)
        .query(progressQuery)
        .catch(() => undefined);
      const steps = run?.steps ?? [];
      for (const s of steps.slice(printed)) follower.onStep(s);
      printed = Math.max(printed, steps.length);
      for (const l of newerReports(run?.live, shown)) {
        follower.onProgress?.(l);
        shown = l.at;
      }
    }
  };
  const result = (async (): Promise<SeriesOutcome> => {
    try {
      const r = await resultAcrossRestarts(handle);
      return { result: r, runs: r.runs };
    } catch (e) {
      return { runs: ended, error: failureOf(e) };
    } finally {
      finished = true;
    }
  })();
  void follow();
  const outcome = worker ? await worker.runUntil(result) : await result;
  // A query still in flight when the series ended is not waited for (the worker is gone); the
  // result has every run anyway.
  if (outcome.result) end(outcome.result.runs, outcome.result.runs.length);
  else if (total) end(ended, total);
  return outcome;
}
