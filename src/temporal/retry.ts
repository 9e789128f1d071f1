import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import Long from 'long';
import type { DrillInput } from '../domain/drill-input';
import type { DrillReport } from '../domain/report';
import { stepStartActivities, type StepName } from '../domain/steps';
import { InvalidInputError } from '../errors';
import { chapterDrillWorkflow } from '../../workflows';
import { DEFAULT_DRILL_TIMEOUT_MINUTES, minutes, temporalNamespace } from './config';
import { startSearchAttributes } from './owners';
import { isInputProblem } from '../domain/input-problem';
import { resolveDrillInput } from '../domain/resolve-drill-input';
import { fetchReport } from './client';

export interface RetryPlan {
  mode: 'from-failed-step' | 'from-start';
  reason: string;
  failedStep?: StepName;
  input: DrillInput;
  /** For a reset: the workflow task that scheduled the failed step's activity. */
  resetEventId?: number;
  /** The task queue the failed drill ran on (a reset continues there). */
  taskQueue: string;
}

/**
 * Decides how to retry a failed drill. From the failed step (a Temporal reset to just before it)
 * when everything that step needs still exists: a lab that was kept, or a target. From the start
 * when the drill removed its own lab on failure, failed before provisioning, or when asked.
 */
export async function planRetry(client: Client, workflowId: string, fromStart: boolean): Promise<RetryPlan> {
  const { status, report } = await fetchReport(client, workflowId);
  if (status === 'RUNNING')
    throw new InvalidInputError(`drill ${workflowId} is still running`, 'wait until it ends, or cancel it in the Temporal UI');
  if (status === 'COMPLETED')
    throw new InvalidInputError(`drill ${workflowId} passed; there is nothing to retry`, 'start a new one with `npx lab drill`');
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const input = (started?.input?.payloads?.[0] ? defaultPayloadConverter.fromPayload(started.input.payloads[0]) : {}) as DrillInput;
  const failedStep = report?.failedStep;
  const taskQueue = (await client.workflow.getHandle(workflowId).describe()).taskQueue;
  const base = { failedStep, input, taskQueue };
  if (fromStart) return { ...base, mode: 'from-start', reason: 'asked with --from-start' };
  if (!report || !failedStep)
    return { ...base, mode: 'from-start', reason: `the drill ended ${status.toLowerCase()} before any step recorded a failure` };
  if (failedStep === 'provision') return { ...base, mode: 'from-start', reason: 'it failed while provisioning' };
  if (report.steps.some((s) => s.name === 'teardown' && s.verdict === 'passed') && report.config.mode === 'provision') {
    return {
      ...base,
      mode: 'from-start',
      reason: 'the drill removed its lab when it failed (run drills with --keep to retry from the failed step)',
    };
  }
  const resetEventId = resetPointFor(report, failedStep, events);
  if (resetEventId === undefined) return { ...base, mode: 'from-start', reason: `no history point found before ${failedStep}` };
  return {
    ...base,
    mode: 'from-failed-step',
    reason: `the lab outlived the failure; the steps before ${failedStep} are kept`,
    resetEventId,
  };
}

function resetPointFor(report: DrillReport, step: StepName, events: temporal.api.history.v1.IHistoryEvent[]): number | undefined {
  // A step is found in history by the activity it starts with, and how often that ran before it.
  const types = stepStartActivities(step);
  const before = report.steps.slice(
    0,
    report.steps.findIndex((s) => s.name === step),
  );
  const occurrence = before.filter((s) => stepStartActivities(s.name).some((t) => types.includes(t))).length;
  const scheduled = events.filter((e) => types.some((t) => t === e.activityTaskScheduledEventAttributes?.activityType?.name));
  const id = scheduled[occurrence]?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId;
  return id === undefined || id === null ? undefined : Number(id);
}

/** Carries the plan out: a reset (new run, same workflow id) or a new drill with the same input. */
export async function executeRetry(
  client: Client,
  workflowId: string,
  plan: RetryPlan,
  opts: { taskQueue: string },
): Promise<{ workflowId: string; runId?: string }> {
  if (plan.mode === 'from-failed-step') {
    const res: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse = await client.workflowService.resetWorkflowExecution({
      namespace: temporalNamespace(),
      workflowExecution: { workflowId },
      reason: `lab retry from ${plan.failedStep}`,
      workflowTaskFinishEventId: Long.fromNumber(plan.resetEventId!),
      requestId: randomUUID(),
    });
    return { workflowId, runId: res.runId ?? undefined };
  }
  const retryId = `${workflowId.replace(/-retry-\d+$/, '')}-retry-${Date.now()}`;
  const config = resolveDrillInput(plan.input);
  await client.workflow.start(chapterDrillWorkflow, {
    taskQueue: opts.taskQueue,
    workflowId: retryId,
    args: [plan.input],
    workflowExecutionTimeout: minutes(DEFAULT_DRILL_TIMEOUT_MINUTES),
    typedSearchAttributes: isInputProblem(config) ? undefined : startSearchAttributes(config),
  });
  return { workflowId: retryId };
}
