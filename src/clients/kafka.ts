import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { dropKafkajsNegativeTimerWarning } from './kafkajs-timer-warning';

/**
 * A kafkajs client with small retries of its own: Temporal's retry policy owns backoff, so kafkajs
 * must not spend minutes retrying inside one activity attempt.
 *
 * It starts at a broker that answers, because a drill kills brokers. kafkajs 2.2.4 always connects
 * through the first broker listed, and when that one accepts the connection and closes it (a
 * restarted broker's published port does so until the broker listens, tens of seconds on a busy
 * host) it tries the same broker again rather than the next; so with the first broker down, no new
 * client connected (a broker-kill drill's produce retries all failed on "Closed connection").
 * kafkajs calls `brokers` only when it needs a seed broker (connecting, or after losing it), so the
 * brokers are asked then, and not again while the client is connected.
 */
export function kafkaClient(brokers: string[], clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  dropKafkajsNegativeTimerWarning();
  return new Kafka({
    clientId,
    brokers: brokers.length < 2 ? brokers : async () => [await answeringBroker(brokers, extra)],
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
    ...extra,
  });
}

/**
 * The first of `brokers` that answers a connection now (asked in the listed order, once each, with
 * no retries), or the first listed when none does: the client then fails with its own error, which
 * is retryable.
 */
export async function answeringBroker(brokers: string[], extra: Partial<KafkaConfig> = {}): Promise<string> {
  for (const broker of brokers) {
    const admin = kafkaClient([broker], 'kafka-lab-bootstrap', { ...extra, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      return broker;
    } catch {
      // the next broker, then
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  return brokers[0];
}
