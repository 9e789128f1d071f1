import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { TASK_QUEUE, temporalAddress, temporalNamespace } from '../src/temporal/config';

/** A worker for the drill workflows and activities on the project's task queue. */
export async function createDrillWorker(opts: { taskQueue?: string } = {}): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  return Worker.create({
    connection,
    namespace: temporalNamespace(),
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(),
    // Activities mostly wait on Kafka and HTTP; a handful at once is plenty on a small machine.
    maxConcurrentActivityTaskExecutions: 8,
  });
}
