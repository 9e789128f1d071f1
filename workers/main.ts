/**
 * A standalone worker: `npm run worker`. Run it (with TEMPORAL_ADDRESS) where the drills should
 * execute; the CLI then uses it instead of starting its own when LAB_WORKER=external.
 */
import { connectTemporal } from '../src/temporal/dev-server';
import { TASK_QUEUE } from '../src/temporal/config';
import { createDrillWorker } from './create-worker';

async function main() {
  const connection = await connectTemporal((s) => process.stderr.write(`· ${s}\n`));
  await connection.close();
  const worker = await createDrillWorker();
  process.stderr.write(`· worker running on task queue ${TASK_QUEUE} (Ctrl-C to stop)\n`);
  await worker.run();
}

main().catch((e) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : e}\n`);
  process.exit(3);
});
