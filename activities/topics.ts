import { kafkaClient } from '../src/clients/kafka';
import { kafkaAccessOptions } from '../src/config/credentials';
import type { KafkaAccess } from '../src/domain/access';
import { InvalidInputError } from '../src/errors';

export interface TopicInput {
  bootstrap: string[];
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
  access?: KafkaAccess;
  /** false: the topic must exist already (observing a flow writes nothing). */
  createIfMissing?: boolean;
}

export interface TopicOutput {
  topic: string;
  created: boolean;
  partitions: number;
}

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
        waitForLeaders: true,
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
    const meta = await admin.fetchTopicMetadata({ topics: [input.topic] });
    const partitions = meta.topics[0].partitions.length;
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
