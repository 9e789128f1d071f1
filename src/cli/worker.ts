import type { Worker } from '@temporalio/worker';
import { cliTaskQueue } from '../temporal/owners';

/**
 * The worker the CLI runs for the drills it starts, on a task queue of this CLI alone, unless
 * LAB_WORKER=external says one runs elsewhere (on the shared queue). Loaded lazily: the worker package is heavy and most commands never need it.
 */
export async function inProcessWorker(taskQueue = cliTaskQueue()): Promise<Worker | undefined> {
  if (process.env.LAB_WORKER === 'external') return undefined;
  const { createDrillWorker } = require('../../workers/create-worker') as typeof import('../../workers/create-worker');
  return createDrillWorker({ taskQueue, inCli: true });
}
