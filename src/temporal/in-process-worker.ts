import type { Worker } from '@temporalio/worker';
import { cliTaskQueue } from './owners';

/** LAB_WORKER=external: a worker runs elsewhere (`npm run worker`, on the shared queue). */
export const externalWorker = () => process.env.LAB_WORKER === 'external';

/**
 * The worker the CLI (and the library's startDrill) runs for the drills it starts, on a task queue
 * of this process alone, unless a worker runs elsewhere. Loaded lazily: the worker package is heavy
 * and most commands never need it.
 */
export async function inProcessWorker(taskQueue = cliTaskQueue(), external = externalWorker()): Promise<Worker | undefined> {
  if (external) return undefined;
  const { createDrillWorker } = require('../../workers/create-worker') as typeof import('../../workers/create-worker');
  return createDrillWorker({ taskQueue, inCli: true });
}
