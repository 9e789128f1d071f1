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
