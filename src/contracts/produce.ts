import type { LostAfterAck } from '../domain/acked-missing';
import type { HttpAccess, KafkaAccess } from '../domain/access';
import type { ProducerEngine } from '../domain/producer-engine';
import type { SeqRange } from '../domain/seq-range';
import type { StepName } from '../domain/steps';

export interface ProduceInput {
  bootstrap: string[];
  schemaRegistryUrl: string;
  topic: string;
  runId: string;
  generation: number;
  schema: string;
  firstSeq: number;
  count: number;
  partitions: number;
  /**
   * Where each partition ended before this generation sent anything, recorded by
   * recordProduceStart in its own activity result, so it is in history before the first record.
   */
  startOffsets: Record<number, string>;
  /** Messages per second (0: as fast as acknowledgements come). */
  rate?: number;
  /** The drill step this load belongs to: its progress reports are labelled with it. */
  step?: StepName;
  /** The client the load runs on (default kafkajs). */
  producer?: ProducerEngine;
  /** A disaster drill's load: the cluster dies at this time (epoch ms); the load ends then with what was acknowledged (see LaneSpec). */
  stopAtMs?: number;
  access?: { kafka?: KafkaAccess; schemaRegistry?: HttpAccess };
}

export interface ProduceStart {
  startOffsets: Record<number, string>;
  /** Epoch ms before the first record; the verification window starts here. */
  startedAt: number;
}

export interface ProduceOutput {
  schemaId: number;
  subject: string;
  /** The sequence numbers this generation owns; every one of them was acknowledged when this returns. */
  range: SeqRange;
  /** Distinct messages acknowledged (equals range.count on success). */
  acknowledged: number;
  /** Records found already written by an earlier attempt of this activity (not sent again). */
  resumed: number;
  /** Extra copies an earlier attempt left upstream (a write that landed but whose ack was lost). */
  writtenTwice: number;
  /** Messages sent again because kafkajs resolved a send without writing them (see send-acknowledged.ts). */
  resent?: number;
  /**
   * Messages an earlier attempt saw acknowledged that the topic no longer held when this attempt
   * looked: lost upstream after acknowledgement (the upstream cluster's loss). Reported, not resent.
   */
  lostAfterAck?: LostAfterAck;
  startedAt: number;
  durationMs: number;
  messagesPerSecond: number;
  /** When the first record of this attempt was acknowledged (epoch ms). */
  firstAckAt?: number;
  /** With stopAtMs: per partition, every seq of that partition below this was acknowledged before the cluster died. */
  ackedBelow?: Record<number, number>;
}

export interface ProduceStartInput {
  bootstrap: string[];
  topic: string;
  access?: KafkaAccess;
}
