/** A worker thread running one producer lane (see produce-lanes.ts); reports its progress to its parent. */
import { parentPort, workerData } from 'node:worker_threads';
import { runLane, type LaneSpec } from './produce-lanes';

runLane(workerData as LaneSpec, (progress) => parentPort!.postMessage(progress)).then(
  () => process.exit(0),
  (e: { name?: string; message?: string; retriable?: boolean }) => {
    parentPort!.postMessage({ error: { name: e?.name ?? 'Error', message: e?.message ?? String(e), retriable: e?.retriable } });
    process.exit(1);
  },
);
