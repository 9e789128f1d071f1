import { TypedSearchAttributes } from '@temporalio/common';
import { ApplicationFailure, CancellationScope, ChildWorkflowFailure, executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import { isInputProblem } from '../src/domain/input-problem';
import { labTargetValue } from '../src/domain/search-attributes';
import { resolveDrillInput } from '../src/domain/resolve-drill-input';
import {
  childWorkflowId,
  seriesVerdict,
  type DrillSeriesKind,
  type DrillSeriesResult,
  type DrillSeriesRun,
  type SeriesProgress,
  type SeriesRunPlan,
} from '../src/domain/drill-series';
import { FailureType } from '../src/domain/failures';
import type { DrillReport } from '../src/domain/report';
import { LAB_TARGET, LAB_TOPOLOGY, LAB_VERDICT } from '../src/domain/search-attributes';
import { chapterDrillWorkflow } from './chapter-drill';
import { seriesProgressQuery } from './messages';

/**
 * Runs a series' drills one after the other (the machine carries one lab's load at a time), each
 * a child workflow with an id derived from this workflow's and the run's label. A failed drill
 * does not stop the series; cancelling this workflow cancels the running child, which tears its
 * lab down before the cancellation completes (the child's default cancellation type waits for it).
 */
export async function runSeries(kind: DrillSeriesKind, plans: SeriesRunPlan[]): Promise<DrillSeriesResult> {
  // Every run's input is checked before the first drill starts.
  const configs = plans.map((p) => {
    const c = resolveDrillInput(p.input);
    if (isInputProblem(c)) {
      throw ApplicationFailure.nonRetryable(`invalid ${kind} input: ${c.problem} (fix: ${c.fix})`, FailureType.InvalidInput);
    }
    return c;
  });
  const runs: DrillSeriesRun[] = [];
  let current: SeriesProgress['current'];
  setHandler(seriesProgressQuery, () => ({ kind, total: plans.length, done: runs, ...(current ? { current } : {}) }));
  for (const [index, plan] of plans.entries()) {
    const c = configs[index];
    const workflowId = childWorkflowId(workflowInfo().workflowId, plan.label);
    current = { index, label: plan.label, workflowId, input: plan.input };
    let report: DrillReport | undefined;
    let error: DrillSeriesRun['error'];
    try {
      report = await executeChild(chapterDrillWorkflow, {
        args: [plan.input],
        workflowId,
        // found like any drill: by topology, lab and verdict
        typedSearchAttributes: new TypedSearchAttributes([
          { key: LAB_TOPOLOGY, value: c.topology },
          { key: LAB_TARGET, value: labTargetValue(c) },
          { key: LAB_VERDICT, value: 'running' },
        ]),
      });
    } catch (e) {
      // This series cancelled: so is its child, torn down by now. A child cancelled on its own
      // (from the UI) is one failed run.
      if (CancellationScope.current().consideredCancelled) throw e;
      // A failed drill carries its report (the failed verdict) as the failure's first detail.
      const cause = e instanceof ChildWorkflowFailure ? e.cause : undefined;
      report = (cause as { details?: unknown[] } | undefined)?.details?.[0] as DrillReport | undefined;
      if (!report) {
        const failure = (cause ?? e) as { type?: string; name?: string; message?: string };
        error = { type: failure.type ?? failure.name ?? 'ChildWorkflowFailed', message: failure.message ?? String(e) };
      }
    }
    runs.push({
      ...plan,
      workflowId,
      verdict: report?.verdict === 'passed' ? 'passed' : 'failed',
      ...(report ? { report } : {}),
      ...(error ? { error } : {}),
    });
  }
  current = undefined;
  return { kind, verdict: seriesVerdict(runs), runs };
}
