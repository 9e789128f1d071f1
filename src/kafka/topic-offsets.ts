import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';

/** Per partition, the first offset at or after `sinceMs - 10 s` (the end when nothing is that new). */
export async function windowStart(admin: Admin, topic: string, sinceMs: number): Promise<Record<number, string>> {
  const from = await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs - 10_000);
  const ends = await admin.fetchTopicOffsets(topic);
  return Object.fromEntries(
    from.map((p) => [p.partition, p.offset === '-1' ? (ends.find((e) => e.partition === p.partition)?.high ?? '0') : p.offset]),
  );
}

/**
 * The topic's message.timestamp.type (a topic override, else the broker's default); undefined when
 * it cannot be read (a principal without DescribeConfigs): latency is then reported unavailable.
 */
export async function topicTimestampType(admin: Admin, topic: string): Promise<string | undefined> {
  const res = await admin
    .describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['message.timestamp.type'] }],
    })
    .catch(() => undefined);
  return res?.resources[0]?.configEntries.find((e) => e.configName === 'message.timestamp.type')?.configValue;
}

/** Per partition, the topic's end (the next offset to be written). */
export async function topicEnds(kafka: Kafka, topic: string): Promise<Record<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}
