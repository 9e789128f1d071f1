import type { KafkaAccess } from '../domain/access';

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
