import { kafkaClient } from '../clients/kafka';
import { kafkaAccessOptions } from '../config/credentials';
import { runBatchLane, type BatchSender } from './batch-lane';
import type { LaneProgress, LaneSpec } from './lane';
import { sendAcknowledged } from './send-acknowledged';

/**
 * A moving leader (a reassignment, or a dead broker fenced after its session timeout, ~9 s) answers
 * NOT_LEADER for seconds; the producer retries through about 10 s of that before the attempt fails.
 * A retry keeps the batch's sequence numbers, so the idempotent broker writes it once.
 */
const PRODUCER_RETRY = { retries: 6, initialRetryTime: 300, maxRetryTime: 3000 };

/** The kafkajs engine of a lane: each chunk sent until every partition it goes to is acknowledged (sendAcknowledged). */
export async function runKafkajsLane(spec: LaneSpec, report: (p: LaneProgress) => void, signal?: AbortSignal): Promise<void> {
  const kafka = kafkaClient(spec.bootstrap, 'producer-1', {
    ...kafkaAccessOptions(spec.access, 'upstream'),
    retry: PRODUCER_RETRY,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const sender: BatchSender = {
    send: (records, onResend) =>
      sendAcknowledged(
        producer,
        spec.topic,
        records.map((r) => ({ key: r.key, value: r.value, partition: r.partition, timestamp: String(r.timestamp), headers: r.headers })),
        (_, resent) => onResend(resent),
      ),
    close: () => producer.disconnect(),
  };
  await runBatchLane(spec, sender, report, signal);
}
