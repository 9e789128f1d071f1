/**
 * A worker whose createTopic activity has a real programming error (a property read on undefined),
 * behind the drill's own error boundary; every other activity is the drill's own. Run as a process
 * (`startPlantedBugWorker`), on the task queue LAB_TASK_QUEUE says.
 */
import { boundary } from '../../src/activity/failures';
import { createDrillWorker } from '../../workers/create-worker';
import { TASK_QUEUE } from '../../src/temporal/config';

const broken = boundary(async (input: { topic: string }) => {
  const found = new Map<string, { partitions: number }>().get(input.topic);
  return { topic: input.topic, created: false, partitions: found!.partitions }; // TypeError: found is undefined
});

createDrillWorker({ taskQueue: TASK_QUEUE, activities: { createTopic: broken as never } })
  .then((w) => w.run())
  .then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`planted-bug worker: ${e}\n`);
      process.exit(3);
    },
  );
