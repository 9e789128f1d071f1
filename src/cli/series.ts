import { connectDocker } from '../docker/docker-client';
import { isInputProblem } from '../domain/input-problem';
import { resolveDrillInput } from '../domain/resolve-drill-input';
import type { DrillSeriesResult, DrillSeriesRun, SeriesRunPlan } from '../domain/drill-series';
import type { KafkaMatrixInput } from '../domain/kafka-matrix';
import type { PlacementInput } from '../domain/placement';
import { InvalidInputError } from '../errors';
import { checkFaultsCanRun } from '../lab/faults';
import { renderStepLine } from '../report/render-text';
import { seriesJson } from '../report/series';
import { drillClient } from '../temporal/client';
import { DEFAULT_DRILL_TIMEOUT_MINUTES, minutes, TASK_QUEUE, workflowUiLink } from '../temporal/config';
import { connectTemporal } from '../temporal/dev-server';
import { cancelOnInterrupt } from '../temporal/drill-runner';
import { claimLab } from '../temporal/owners';
import { followSeries, type SeriesOutcome } from '../temporal/series-runner';
import { kafkaMatrixWorkflow, placementExperimentWorkflow } from '../../workflows';
import type { Output } from './output';
import { inProcessWorker } from '../temporal/in-process-worker';

/** A series the CLI starts: its parent workflow and that workflow's one input. */
export type SeriesStart =
  | { kind: 'kafka-matrix'; workflow: typeof kafkaMatrixWorkflow; input: KafkaMatrixInput }
  | { kind: 'placement'; workflow: typeof placementExperimentWorkflow; input: PlacementInput };

export interface SeriesLines {
  /** The line shown when a run starts, e.g. "Kafka 3.9.1 (1/2): lab matrix-k391, port offset 0". */
  starts(run: SeriesRunPlan, index: number, total: number): string;
  /** The line shown when a run ends, e.g. "Kafka 3.9.1: passed, 200 produced, 0 lost". */
  ends(run: DrillSeriesRun): string;
}

/**
 * Every run's input checked (exit 2, one line) and its faults allowed, before anything starts.
 */
export function checkPlan(plan: SeriesRunPlan[]) {
  return plan.map((p) => {
    const c = resolveDrillInput(p.input);
    if (isInputProblem(c)) throw new InvalidInputError(c.problem, c.fix);
    checkFaultsCanRun(c);
    return c;
  });
}

/**
 * Starts a series' parent workflow (its id printed, to open it in the Temporal UI), follows its
 * runs as they go, and returns its outcome. Ctrl-C cancels the series: the running drill tears
 * its lab down first. Each run's lab is claimed first, as `lab drill` claims its one.
 */
export async function runSeriesCommand(
  start: SeriesStart,
  plan: SeriesRunPlan[],
  out: Output,
  lines: SeriesLines,
): Promise<{ workflowId: string; outcome: SeriesOutcome; interrupted: boolean }> {
  const configs = checkPlan(plan);
  await connectDocker(); // the labs need it: fail before Temporal when it is down
  const connection = await connectTemporal(out.progress);
  try {
    const client = drillClient(connection);
    for (const c of configs) await claimLab(client, c, out.progress);
    const worker = await inProcessWorker();
    const workflowId = `${start.kind}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
    const options = {
      taskQueue: worker?.options.taskQueue ?? TASK_QUEUE,
      workflowId,
      memo: { kind: start.kind, runs: plan.map((p) => p.label).join(',') },
      // each drill gets the default drill timeout; the whole series their sum
      workflowExecutionTimeout: minutes(DEFAULT_DRILL_TIMEOUT_MINUTES * plan.length),
    };
    const handle =
      start.kind === 'kafka-matrix'
        ? await client.workflow.start(start.workflow, { ...options, args: [start.input] })
        : await client.workflow.start(start.workflow, { ...options, args: [start.input] });
    out.progress(`${start.kind} ${workflowId} started, ${plan.length} drills as its child workflows: ${workflowUiLink(workflowId)}`);
    const interrupt = cancelOnInterrupt(handle, out.progress, start.kind);
    try {
      const outcome = await followSeries(
        client,
        handle,
        {
          onRunStart: (r, total) => out.progress(`${lines.starts(r, r.index, total)}: drill ${r.workflowId}`),
          onStep: (s) => out.progress(`  ${renderStepLine(s)}`),
          onProgress: out.live,
          onRunEnd: (r) => out.progress(lines.ends(r)),
        },
        worker,
      );
      return { workflowId, outcome, interrupted: interrupt.interrupted() };
    } finally {
      interrupt.dispose();
    }
  } finally {
    await connection.close();
  }
}

/** The --json document of a series that ended without a result (cancelled, terminated): the runs that ended. */
export function unfinishedJson(kind: DrillSeriesResult['kind'], workflowId: string, o: SeriesOutcome, interrupted: boolean) {
  return seriesJson(
    { kind, verdict: 'failed', runs: o.runs },
    { workflowId, error: interrupted ? { type: 'Interrupted', message: 'cancelled from the CLI' } : o.error },
  );
}
