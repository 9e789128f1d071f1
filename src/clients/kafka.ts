import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/**
 * A kafkajs client with small retries of its own: Temporal's retry policy owns backoff, so kafkajs
 * must not spend minutes retrying inside one activity attempt.
 */
export function kafkaClient(brokers: string[], clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
    ...extra,
  });
}

/**
 * A kafkajs client whose bootstrap list starts at a broker that answers now: what the drill's
 * activities use, because a drill kills brokers. kafkajs 2.2.4 always connects through the first
 * broker listed, and when that one accepts the connection and closes it (a restarted broker's
 * published port does so until the broker listens, tens of seconds on a busy host) it tries the
 * same broker again rather than the next; so with the first broker down, no new client connects
 * (a broker-kill drill's produce retries all failed on "Closed connection").
 */
export async function reachableKafkaClient(brokers: string[], clientId: string, extra: Partial<KafkaConfig> = {}): Promise<Kafka> {
  return kafkaClient(await answeringFirst(brokers, extra), clientId, extra);
}

/**
 * The bootstrap list with the first broker that answers a connection (asked in the listed order,
 * once each) moved to the front; unchanged when none answers, so the client then fails with its
 * own error, which is retryable.
 */
export async function answeringFirst(brokers: string[], extra: Partial<KafkaConfig> = {}): Promise<string[]> {
  if (brokers.length < 2) return brokers;
  for (const broker of brokers) {
    const admin = kafkaClient([broker], 'kafka-lab-bootstrap', { ...extra, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      return [broker, ...brokers.filter((b) => b !== broker)];
    } catch {
      // the next broker, then
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  return brokers;
}
