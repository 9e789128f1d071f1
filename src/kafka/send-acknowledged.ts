import type { Message, Producer } from 'kafkajs';
import { ServiceUnreachableError } from '../errors';

/** A message with its partition chosen by the sender (the drill knows each message's partition). */
export type PartitionedMessage = Message & { partition: number };

/** Sends of the partitions still unacknowledged before the cluster is reported as not answering. */
const MAX_SENDS = 5;

/** The partitions among `sent` that a send's answer does not acknowledge (errorCode 0). Pure. */
export function unacknowledgedPartitions(sent: Iterable<number>, answer: { partition: number; errorCode: number }[]): number[] {
  const acked = new Set(answer.filter((m) => m.errorCode === 0).map((m) => m.partition));
  return [...new Set(sent)].filter((p) => !acked.has(p)).sort((a, b) => a - b);
}

/**
 * Sends `messages` and resolves only when every partition they go to is acknowledged. kafkajs
 * 2.2.4 can resolve a send without writing part of it: when the request to one broker fails and
 * the partition's new leader is a broker that already answered within the same send, its retry
 * skips that partition (tulios/kafkajs#1798; a leader move during the load loses a batch every
 * time). The send's answer lists the partitions written, so a partition missing from it is sent
 * again, exactly the same messages: kafkajs rolled its sequence back, so the idempotent broker
 * appends them once, or answers with the copy it already holds.
 */
export async function sendAcknowledged(
  producer: Producer,
  topic: string,
  messages: PartitionedMessage[],
  onResend?: (partitions: number[], messages: number) => void,
): Promise<void> {
  let pending = messages;
  for (let send = 1; pending.length; send++) {
    const answer = await producer.send({ topic, acks: -1, messages: pending });
    const missing = unacknowledgedPartitions(
      pending.map((m) => m.partition),
      answer,
    );
    if (!missing.length) return;
    if (send === MAX_SENDS) {
      throw new ServiceUnreachableError(
        'Kafka',
        `topic ${topic}`,
        `partition(s) ${missing.join(', ')} not acknowledged after ${MAX_SENDS} sends`,
      );
    }
    const again = new Set(missing);
    pending = pending.filter((m) => again.has(m.partition));
    onResend?.(missing, pending.length);
  }
}
