import { kafkaClient } from '../clients/kafka';
import { kafkaAccessOptions } from '../config/credentials';
import { InvalidInputError, ServiceUnreachableError } from '../errors';
import { pollUntil } from '../util/poll';
import type { TopicInput, TopicOutput } from '../contracts/topics';

/** The errors of a topic still spreading through the cluster (also when kafkajs ran out of retries on one). */
const SPREADING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);
const notYet = (e: { type?: string; cause?: { type?: string } }): undefined => {
  if (SPREADING.has(e.type ?? e.cause?.type ?? '')) return undefined;
  throw e;
};

/**
 * Creates a topic, or accepts the one that exists when it has the partitions asked for (so a
 * retried or repeated drill goes on); a different partition count is an input error.
 */
export async function createTopic(input: TopicInput): Promise<TopicOutput> {
  const admin = kafkaClient(input.bootstrap, 'kafka-lab-drill', kafkaAccessOptions(input.access, 'Kafka')).admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    let created = false;
    if (!existing.includes(input.topic) && input.createIfMissing === false) {
      throw new InvalidInputError(`topic ${input.topic} does not exist`, 'check the topic name; observing a flow never creates topics');
    }
    if (!existing.includes(input.topic)) {
      created = await admin.createTopics({
        // kafkajs's own wait gives up on the first UNKNOWN_TOPIC_OR_PARTITION of a 3-broker KRaft
        // cluster still spreading the topic (a retried attempt then calls it "exists"): waited below
        waitForLeaders: false,
        topics: [
          {
            topic: input.topic,
            numPartitions: input.partitions,
            replicationFactor: input.replicationFactor,
            configEntries: Object.entries(input.configs ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      });
    }
    const partitions = await pollUntil(
      async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [input.topic] }).catch(notYet);
        const ps = meta?.topics[0]?.partitions ?? [];
        if (!ps.length || !ps.every((p) => p.leader >= 0)) {
          return { done: false as const, detail: `${ps.filter((p) => p.leader >= 0).length} of ${ps.length} partitions have a leader` };
        }
        // A KRaft broker can be listed as a new partition's leader a moment before it serves it
        // (a first produce then meets UNKNOWN_TOPIC_OR_PARTITION): each leader must answer for it.
        return (await admin.fetchTopicOffsets(input.topic).catch(notYet))
          ? { done: true as const, value: ps.length }
          : { done: false as const, detail: 'the leaders do not serve their partitions yet' };
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        onTimeout: (last) =>
          new ServiceUnreachableError('Kafka', input.bootstrap.join(','), `topic ${input.topic} has no leader after 30 s (${last})`),
      },
    );
    if (partitions !== input.partitions) {
      throw new InvalidInputError(
        `topic ${input.topic} exists with ${partitions} partitions, not ${input.partitions}`,
        `use partitions: ${partitions}, or delete the topic`,
      );
    }
    return { topic: input.topic, created, partitions };
  } finally {
    await admin.disconnect();
  }
}
