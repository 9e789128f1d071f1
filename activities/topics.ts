import type { TopicInput, TopicOutput } from '../src/contracts/topics';
import { createTopic as ensureTopic } from '../src/kafka/create-topic';

/**
 * Creates the drill's topic, or accepts the one that exists when it has the partitions asked for
 * (so a retried or repeated drill goes on); a different partition count is an input error.
 */
export async function createTopic(input: TopicInput): Promise<TopicOutput> {
  return ensureTopic(input);
}
