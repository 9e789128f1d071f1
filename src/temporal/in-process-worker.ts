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
  const { createDrillWorker } = await loadWorkerModule();
  return createDrillWorker({ taskQueue, inCli: true });
}

type WorkerModule = typeof import('../../workers/create-worker');

/**
 * require under tsx (the CLI) and compiled code; import() where require is Node's own and cannot
 * load TypeScript (the library imported from source by a vitest test).
 */
async function loadWorkerModule(): Promise<WorkerModule> {
  try {
    return require('../../workers/create-worker') as WorkerModule;
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
    return import('../../workers/create-worker');
  }
}
