import type { PartitionLag } from '../kafka/mirror-lag';
import type { TargetAccess } from '../domain/access';

export interface ObserveInput {
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  elasticsearchUrl: string;
  topic: string;
  mirroredTopic: string;
  index: string;
  /** Epoch-millisecond or date field of the index that says when a document arrived. */
  freshnessField: string;
  maxMirrorLagSeconds: number;
  maxIndexAgeSeconds: number;
  access?: TargetAccess;
}

export interface ObserveOutput {
  upstreamNewest?: string;
  /** Drills recorded before per-partition lag: the newest downstream timestamp. */
  downstreamNewest?: string;
  /** The largest partition lag, when every partition's newest record reached downstream (0: all caught up). */
  mirrorLagMs?: number;
  /** Per partition: its newest upstream record and whether (and when) its copy arrived downstream. */
  partitions?: PartitionLag[];
  indexNewest?: string;
  indexAgeMs?: number;
  problems: string[];
}
