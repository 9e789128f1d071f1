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
  downstreamNewest?: string;
  mirrorLagMs?: number;
  indexNewest?: string;
  indexAgeMs?: number;
  problems: string[];
}
