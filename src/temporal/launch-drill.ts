import type { Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { nativeKafka } from '../clients/native-kafka';
import { connectDocker } from '../docker/docker-client';
import type { DrillConfig, DrillInput } from '../domain/drill-input';
import { isInputProblem } from '../domain/input-problem';
import { resolveDrillInput } from '../domain/resolve-drill-input';
import { InvalidInputError } from '../errors';
import { checkFaultsCanRun, checkTargetFaultContainers } from '../lab/faults';
import { drillClient } from './client';
import { DEFAULT_DRILL_TIMEOUT_MINUTES, TASK_QUEUE } from './config';
import { startDrillWorkflow, type DrillHandle } from './drill-runner';
import { externalWorker, inProcessWorker } from './in-process-worker';
import { claimLab, startSearchAttributes } from './owners';

/**
 * A drill's input checked before anything starts: the input itself, the faults it asks for, and
 * Docker when the drill needs it (a lab, or its own apps next to a target).
 */
export async function checkDrill(input: DrillInput): Promise<DrillConfig> {
  const config = resolveDrillInput(input);
  if (isInputProblem(config)) throw new InvalidInputError(config.problem, config.fix);
  checkFaultsCanRun(config);
  // the worker in this process runs the load: a native client that is not built here fails now, not at produce-v1
  if (config.producer === 'librdkafka' && !externalWorker()) nativeKafka();
  if (config.mode === 'provision' || !config.observeOnly) {
    const docker = await connectDocker();
    if (config.mode === 'attach') await checkTargetFaultContainers(docker, config);
  }
  return config;
}

export interface LaunchOptions {
  /** Default drill-<topology or target>-<time>. */
  workflowId?: string;
  /** The drill's whole life, waiting for a worker included (default DEFAULT_DRILL_TIMEOUT_MINUTES). */
  timeoutMinutes?: number;
  /** true: no worker here; one polling the shared task queue runs the drill (LAB_WORKER=external). */
  externalWorker?: boolean;
  log: (line: string) => void;
}

export interface LaunchedDrill {
  handle: DrillHandle;
  workflowId: string;
  /** The in-process worker, to run until the drill ends (followDrill does); none with an external one. */
  worker?: Worker;
}

/** Claims the drill's lab, creates its worker and starts it: what `lab drill` and the library's startDrill share. */
export async function launchDrill(
  connection: Connection,
  input: DrillInput,
  config: DrillConfig,
  opts: LaunchOptions,
): Promise<LaunchedDrill> {
  await claimLab(drillClient(connection), config, opts.log);
  const worker = await inProcessWorker(undefined, opts.externalWorker);
  const taskQueue = worker?.options.taskQueue ?? TASK_QUEUE;
  const workflowId =
    opts.workflowId ??
    `drill-${config.mode === 'attach' ? 'target' : config.topology}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const handle = await startDrillWorkflow(connection, input, {
    workflowId,
    taskQueue,
    executionTimeoutMinutes: opts.timeoutMinutes ?? DEFAULT_DRILL_TIMEOUT_MINUTES,
    searchAttributes: startSearchAttributes(config),
    memo: { topology: config.topology, target: config.target?.name ?? 'lab', messages: config.messages },
  });
  return { handle, workflowId, worker };
}
