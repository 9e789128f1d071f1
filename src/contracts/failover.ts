import type { FailoverAccounting, FailoverBounds, FailoverPartitionState } from '../domain/failover';
import type { SeqRange } from '../domain/seq-range';

/** Per partition, an offset (the next record, in Kafka's committed-offset sense). */
export type Offsets = Record<number, number>;

export interface PrepareGroupInput {
  bootstrap: string[];
  topic: string;
  group: string;
  connectUrl: string;
}

export interface ConsumeUpstreamInput {
  bootstrap: string[];
  topic: string;
  group: string;
  /** Per partition, where the group stops: half-way through the run, a backlog left for downstream. */
  stopAt: Record<number, number>;
  /** Epoch ms when upstream goes down: until then the group holds its position, as a stalled consumer would. */
  untilMs: number;
}

export interface DataCenterInput {
  labId: string;
  dataCenter: 'upstream' | 'downstream';
  /** For coming back: the cluster to wait for, and the topic whose partitions must have leaders again. */
  bootstrap?: string[];
  topic?: string;
  /** Its brokers alone (the disaster drill reads a dead primary's disks, with nothing else of the site running). */
  brokersOnly?: boolean;
}

export interface TranslateInput {
  bootstrap: string[];
  group: string;
  mirroredTopic: string;
  /** Epoch ms of the outage: each checkpoint's age is measured against it. */
  outageAt: number;
}

export type TranslatedOffsets = Record<number, { upstreamOffset: number; downstreamOffset: number; at: number; ageSeconds: number }>;

export interface ConsumeDownstreamInput {
  bootstrap: string[];
  group: string;
  mirroredTopic: string;
  /** Translated offsets; a partition without one resumes at the end (a new group's `latest`). */
  resumeAt: Record<number, number>;
  /** Planted fault: resume this many records past the translated offsets (the verifier must report skips). */
  skew: number;
}

export interface AccountFailoverInput {
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  topic: string;
  mirroredTopic: string;
  runId: string;
  group: string;
  range: SeqRange;
  partitions: number;
  startOffsets: Record<number, string>;
  states: FailoverPartitionState[];
  bounds: FailoverBounds;
}

export interface PreparedGroup {
  startOffsets: Offsets;
}

export interface ConsumedUpstream {
  committed: Offsets;
  processed: number;
}

export interface DataCenterChange {
  targets: string[];
  at: number;
  /** Each process killed and how it exited, or running again. */
  evidence?: string[];
}

export interface ConsumedDownstream {
  resumedAt: Offsets;
  end: Offsets;
  startedAt: Offsets;
  processed: number;
}

export interface FailoverResult {
  accounting: FailoverAccounting;
  problems: string[];
}
