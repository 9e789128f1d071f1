import { kafkaClient } from '../clients/kafka';
import { kafkaAccessOptions } from '../config/credentials';
import { ServiceUnreachableError } from '../errors';
import { sleep, withinDeadline } from '../util/sleep';
import { allBelow, disasterDue, disasterOver, laneCursor, nextChunk, SEND_DEADLINE_MS, type LaneProgress, type LaneSpec } from './lane';
import { sendAcknowledged } from './send-acknowledged';

/**
 * A moving leader (a reassignment, or a dead broker fenced after its session timeout, ~9 s) answers
 * NOT_LEADER for seconds; the producer retries through about 10 s of that before the attempt fails.
 * A retry keeps the batch's sequence numbers, so the idempotent broker writes it once.
 */
const PRODUCER_RETRY = { retries: 6, initialRetryTime: 300, maxRetryTime: 3000 };

/** The kafkajs engine of a lane: sends its messages in order, a chunk per send, reporting progress after each. */
export async function runKafkajsLane(spec: LaneSpec, report: (p: LaneProgress) => void, signal?: AbortSignal): Promise<void> {
  const cursor = laneCursor(spec);
  const kafka = kafkaClient(spec.bootstrap, 'producer-1', {
    ...kafkaAccessOptions(spec.access, 'upstream'),
    retry: PRODUCER_RETRY,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const startedAt = Date.now();
    let sent = 0;
    while (!cursor.finished && !disasterOver(spec)) {
      // A steady load: never ahead of `rate` messages per second since this attempt started.
      await sleep(spec.rate ? Math.max(0, startedAt + (sent / spec.rate) * 1000 - Date.now()) : 0, signal);
      const messages = cursor
        .take(nextChunk(spec.rate, Date.now() - startedAt, sent))
        .map((r) => ({ key: r.key, value: r.value, partition: r.partition, timestamp: String(r.timestamp), headers: r.headers }));
      if (messages.length === 0) continue;
      const sending = withinDeadline(
        sendAcknowledged(producer, spec.topic, messages, (_, resent) => report({ resent })),
        SEND_DEADLINE_MS,
        () =>
          new ServiceUnreachableError(
            'Kafka',
            spec.bootstrap.join(','),
            `a send to ${spec.topic} went unanswered for ${SEND_DEADLINE_MS / 1000} s`,
          ),
      );
      // once the disaster is due, a send that fails is the cluster dying: the lane ends with what was acknowledged
      if (
        !(await sending.then(
          () => true,
          (e: unknown) => (disasterDue(spec) ? false : Promise.reject(e)),
        ))
      )
        break;
      sent += messages.length;
      report({ acked: messages.length, ackedBelow: allBelow(spec, cursor.position) });
    }
  } finally {
    // a producer whose send hung may hang here too; the next attempt starts a new one
    await withinDeadline(producer.disconnect(), 10_000, () => new Error('disconnect hung')).catch(() => undefined);
  }
}
