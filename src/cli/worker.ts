import type { Worker } from '@temporalio/worker';

/**
 * The worker the CLI runs for the drills it starts, unless LAB_WORKER=external says one runs
 * elsewhere. Loaded lazily: the worker package is heavy and most commands never need it.
 */
export async function inProcessWorker(): Promise<Worker | undefined> {
  if (process.env.LAB_WORKER === 'external') return undefined;
  const { createDrillWorker } = require('../../workers/create-worker') as typeof import('../../workers/create-worker');
  return createDrillWorker();
}
