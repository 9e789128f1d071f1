import type { DisasterAccounting, Disaster, RpoFigures, RtoFigures, UpstreamLoad } from '../domain/disaster';
import type { FailoverBounds, FailoverPartitionState } from '../domain/failover';
import type { SchemaIds } from '../schema/registry-sites';
import type { LatencyFigures } from '../domain/report';
import type { Offsets } from './failover';

export interface PauseMirrorInput {
  connectUrl: string;
  /** Planted loss: how long the source connector stays paused before the disaster (it is not resumed: the primary dies). */
  seconds: number;
}

export interface MirrorPaused {
  connector: string;
  at: number;
  /** The connector's state read back. */
  state: string;
}

export interface SyncRegistriesInput {
  labId: string;
  /** The Confluent-compatible API of each site's registry. */
  primaryUrl: string;
  drUrl: string;
  /** The registry node imported into, restarted empty when it holds something else (default: the DR site's; a failback imports into the primary's). */
  intoNode?: string;
  /** The run's schema, registered on the primary first (as the load would), under its subject. */
  subject: string;
  schema: string;
}

export interface RegistriesSynced {
  /** Per schema id, its fingerprint: the DR registry resolves each to the same schema. */
  ids: SchemaIds;
  action: 'already in step' | 'imported' | 'emptied and imported';
  at: number;
}

export interface LoseSiteInput {
  labId: string;
  dataCenter: 'upstream';
}

export interface SiteLost {
  /** Every container of the site, SIGKILLed. */
  targets: string[];
  /** The disaster: just before the first SIGKILL (epoch ms). */
  at: number;
  /** When the last one was dead. */
  deadAt: number;
  evidence: string[];
}

export interface ConsumeSiteInput {
  bootstrap: string[];
  group: string;
  topics: string[];
  /** Epoch ms: the group works until then. */
  untilMs: number;
  /** Then on to the end of every partition (the DR side), or stop there (the site about to die). */
  toEnd: boolean;
  /** Where the group resumes per topic (committed for it first); absent: its committed offsets. */
  resumeAt?: Record<string, Offsets>;
  /** Commit `resumeAt` even over the group's own commits (a failback moves it back to a cluster it has worked on). */
  moveGroup?: boolean;
  /** Records known to be on their way: the group reads at least this far. */
  atLeast?: Record<string, Offsets>;
}

export interface SiteConsumed {
  firstProcessedAt?: number;
  processed: number;
  resumedAt: Record<string, Offsets>;
  firstOffsets: Record<string, Offsets>;
  ends: Record<string, Offsets>;
}

export interface AccountDisasterInput {
  /** The primary, started alone with its disks, still cut off the link. */
  primaryBootstrap: string[];
  drBootstrap: string[];
  elasticsearchUrl: string;
  index: string;
  topic: string;
  mirroredTopic: string;
  drTopic: string;
  runId: string;
  group: string;
  upstream: UpstreamLoad;
  /** Where the run began: the primary's topic, the mirrored topic and the DR topic. */
  startOffsets: { primary: Record<number, string>; mirrored: Record<number, string>; dr: Record<number, string> };
  dr: { first: number; count: number };
  /** The group on the DR side: where it resumed on the mirrored topic and the end it reached, and the DR topic's end. */
  states: Omit<FailoverPartitionState, 'committed'>[];
  drGroupEnd: Offsets;
  /** Per partition of the DR topic, the first offset the group was handed (absent in histories from before it was recorded). */
  drGroupStart?: Offsets;
  bounds: FailoverBounds;
  /** The RTO marks the steps observed. */
  disasterAt: number;
  /** When the last of the site's containers had been killed: the RPO in seconds runs to here (absent in older histories). */
  diedAt?: number;
  firstAckDr?: number;
  firstProcessedDr?: number;
  disaster: Disaster;
  /** The DR site's registry, and the schema ids the primary's held before the disaster: every record on the DR side must decode through it. */
  drRegistryUrl: string;
  schemaIds: SchemaIds;
}

export interface DisasterResult {
  accounting: DisasterAccounting;
  rpo: RpoFigures;
  rto: RtoFigures;
  /** Replication latency of the run's mirrored records, up to the disaster (absent in older histories). */
  latency?: LatencyFigures;
  /** The group's committed offsets on the primary when it died (read from its disks). */
  committedOnPrimary: Offsets;
  /** The DR registry: the schema ids the records carried, and records it could not decode. */
  registry: { ids: number[]; mismatched: number[]; undecodable: number };
  problems: string[];
}
