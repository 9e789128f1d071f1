/** A worker thread running one producer lane (see produce-lanes.ts); reports its progress to its parent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { LaneSpec } from './lane';
import { runLane } from './produce-lanes';

runLane(workerData as LaneSpec, (progress) => parentPort!.postMessage(progress)).then(
  () => process.exit(0),
  (e: { name?: string; message?: string; retriable?: boolean; type?: string; fix?: string; retryable?: boolean }) => {
    // A class does not cross threads: send what classifies the error (a LabError's type, fix and
    // retry flag; a KafkaJS error's name and retriable flag), rebuilt by the parent.
    const { name = 'Error', message = String(e), retriable, type, fix, retryable } = e ?? {};
    parentPort!.postMessage({ error: { name, message, retriable, type, fix, retryable } });
    process.exit(1);
  },
);
